import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, type SessionUser } from "~/auth/roles";
import { pinnedUnit } from "~/auth/relation";
import { canEditPerson, canRevealPersonalData, canViewPerson } from "~/modules/people/policy";

const city: SessionUser = { id: "c", username: "c", displayName: "c", role: "city_admin", orgUnitId: null, personId: null };
const wenling: SessionUser = { ...city, id: "w", role: "county_officer", orgUnitId: 6 };
const craftsman: SessionUser = { ...city, id: "k", role: "craftsman", personId: 42 };

const ownPerson = { id: 42, org_unit_id: 6 };
const otherCounty = { id: 43, org_unit_id: 2 };

describe("people policy", () => {
  it("lets the city see everyone, a county officer their unit, a craftsman only themself", () => {
    expect([canViewPerson(city, ownPerson), canViewPerson(city, otherCounty)]).toEqual([true, true]);
    expect([canViewPerson(wenling, ownPerson), canViewPerson(wenling, otherCounty)]).toEqual([true, false]);
    expect([canViewPerson(craftsman, ownPerson), canViewPerson(craftsman, otherCounty)]).toEqual([true, false]);
  });

  it("lets officers edit within their scope and craftsmen not at all", () => {
    expect(canEditPerson(city, otherCounty)).toBe(true);
    expect(canEditPerson(wenling, ownPerson)).toBe(true);
    expect(canEditPerson(wenling, otherCounty)).toBe(false);
    expect(canEditPerson(craftsman, ownPerson)).toBe(false);
  });

  it("files a county officer's new people under their own unit", () => {
    expect(pinnedUnit(wenling)).toBe(6);
    expect(pinnedUnit(city)).toBeNull();
  });

  it("reveals full numbers to city officers only", () => {
    expect([city, wenling, craftsman].map(canRevealPersonalData)).toEqual([true, false, false]);
  });
});

describe("permissions", () => {
  it("denies everything to the anonymous", () => {
    for (const permission of Object.keys(PERMISSIONS) as Array<keyof typeof PERMISSIONS>) {
      expect(can(null, permission)).toBe(false);
    }
  });

  it("keeps user management, audit and personal-data reveal with the city", () => {
    for (const p of ["user.manage", "audit.read", "person.reveal", "org_unit.manage"] as const) {
      expect([can(city, p), can(wenling, p), can(craftsman, p)]).toEqual([true, false, false]);
    }
    expect([can(city, "person.create"), can(wenling, "person.create"), can(craftsman, "person.create")]).toEqual([true, true, false]);
  });
});
