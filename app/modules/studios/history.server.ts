import { unitAudit } from "~/lib/audit.server";
import { STUDIO_AUDIT } from "~/modules/studios/labels";

/** A studio's history row: every step of its lifecycle, money, year and mentorships is kept under the studio and its unit. */
export const recordStudioAudit = unitAudit(STUDIO_AUDIT);
