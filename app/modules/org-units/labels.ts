import { auditTrail } from "~/lib/audit";
import type { OrgUnitKind } from "~db/types";

export const ORG_UNIT_KIND_LABELS: Record<OrgUnitKind, string> = {
  city: "市总工会",
  county: "县级总工会",
  social_group: "社会团体",
};

export const ORG_UNIT_AUDIT = auditTrail("org_unit", "组织单位", { create: "新建" });
