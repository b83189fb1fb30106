import type { DB } from "~db";
import { isCountyOfficer, type SessionUser } from "~/auth/roles";
import { listOrgUnits } from "~/modules/org-units/org-units.server";
import type { ImportTarget } from "~/modules/nominations/summary-table.server";

/**
 * The unit a 汇总表 is imported for: a county officer's own (fixed: a sheet naming another unit is
 * refused); the city's choice, or — when it chose none — the unit the sheet's own line names.
 */
export async function importTarget(db: DB, user: SessionUser, requestedUnitId: number | null): Promise<ImportTarget | string> {
  const all = await listOrgUnits(db, ["county", "social_group"]);
  const units = all.map((u) => ({
    id: u.id,
    short_name: u.short_name,
    name: u.name,
    kind: u.kind === "social_group" ? ("social_group" as const) : ("county" as const),
  }));
  const counties = units.filter((u) => u.kind === "county").map(({ id, short_name, name }) => ({ id, short_name, name }));
  const fixed = isCountyOfficer(user);
  const unitId = fixed ? user.orgUnitId : requestedUnitId;
  if (!unitId && !fixed) return { nominatingUnitId: 0, kind: "county", counties, units, fixed };
  const unit = units.find((u) => u.id === unitId);
  if (!unit) return "请选择推荐单位";
  return { nominatingUnitId: unit.id, kind: unit.kind, counties, units, fixed };
}
