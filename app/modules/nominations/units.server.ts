import type { DB } from "~db";
import { isCountyOfficer, type SessionUser } from "~/auth/roles";
import { listOrgUnits } from "~/modules/org-units/org-units.server";

/** The unit lists a nomination form offers: county units for the person, and who nominates. */
export async function nominationFormUnits(db: DB, user: SessionUser) {
  const units = await listOrgUnits(db, ["county", "social_group"]);
  const countyUnits = units.filter((u) => u.kind === "county");
  const fixedUnit = isCountyOfficer(user) ? (countyUnits.find((u) => u.id === user.orgUnitId) ?? null) : null;
  return { countyUnits, nominatingUnits: units, fixedUnit };
}
