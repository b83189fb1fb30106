import { auditTrail } from "~/lib/audit";

export const PLAN_AUDIT = auditTrail("studio_plan", "工作室建设规划", { update: "修改" });
