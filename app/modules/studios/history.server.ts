import type { Tx } from "~db";
import { recordAudit, type AuditEntry } from "~/lib/audit.server";
import { STUDIO_AUDIT } from "~/modules/studios/labels";

type StudioAction = keyof typeof STUDIO_AUDIT.actions;

/**
 * A row of a studio's history: every step of its lifecycle, money, year and mentorships is kept
 * under the studio itself and its unit (what a county officer's history view filters on).
 */
export async function recordStudioAudit(
  tx: Tx,
  actor: AuditEntry<StudioAction>["actor"],
  studio: { id: number; org_unit_id: number },
  entry: Omit<AuditEntry<StudioAction>, "actor" | "id" | "unit">,
): Promise<void> {
  await recordAudit(tx, STUDIO_AUDIT, { actor, id: studio.id, unit: studio.org_unit_id, ...entry });
}
