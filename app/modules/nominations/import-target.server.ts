import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { listOrgUnits } from "~/modules/org-units/org-units.server";
import type { ImportTarget } from "~/modules/nominations/summary-table.server";

/** The unit a 汇总表 is imported for: a county officer's own; the city chooses a county or social group. */
export async function importTarget(db: DB, user: SessionUser, requestedUnitId: number | null): Promise<ImportTarget | string> {
  const units = await listOrgUnits(db, ["county", "social_group"]);
  const counties = units.filter((u) => u.kind === "county").map((u) => ({ id: u.id, short_name: u.short_name, name: u.name }));
  const unitId = user.role === "county_officer" ? user.orgUnitId : requestedUnitId;
  const unit = units.find((u) => u.id === unitId);
  if (!unit) return "请选择推荐单位";
  return { nominatingUnitId: unit.id, kind: unit.kind === "social_group" ? "social_group" : "county", counties };
}
