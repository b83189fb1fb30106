import { auditTrail } from "~/lib/audit";

export const PUBLICITY_AUDIT = auditTrail("publicity", "宣传报道", { create: "登记" });
