import { isCountyOfficer, type SessionUser } from "~/auth/roles";

/**
 * How a user stands to a record that belongs to a county-level unit and (perhaps) to a person:
 * the city union stands over every record, a county officer over their unit's, a craftsman over
 * their own. This is the one visibility rule; `ownRowsOf` in scope.server.ts is its list-query form.
 */
export type Relation = "city" | "county" | "owner";

export function relationTo(user: SessionUser, unitId: number, personId: number | null): Relation | null {
  switch (user.role) {
    case "city_admin":
      return "city";
    case "county_officer":
      return user.orgUnitId === unitId ? "county" : null;
    case "craftsman":
      return personId !== null && user.personId === personId ? "owner" : null;
    // An expert stands to no record by unit or person: only to the nominations assigned to them;
    // an apprentice only to their own pairing and what hangs from it (partyTo below).
    case "expert":
    case "apprentice":
      return null;
  }
}

/** The officers over a record: the city, or the county officer of its unit. */
export function isOfficerOf(user: SessionUser, unitId: number): boolean {
  const relation = relationTo(user, unitId, null);
  return relation === "city" || relation === "county";
}

/**
 * The unit a user is kept to when filing, filtering or counting: a county officer's own; null for the
 * city, who may choose any (and for those who choose no unit).
 */
export function pinnedUnit(user: SessionUser): number | null {
  return isCountyOfficer(user) ? user.orgUnitId : null;
}

/**
 * How a user stands to a pairing (师徒结对): its apprentice, its mentor (the studio's leader — the
 * "1" of "1+N"), the officers of the studio's unit, or the city. The one rule every apprentice
 * page, action and list asks; an apprentice stands to nothing else on the platform but the events
 * they are on and their own messages.
 */
export type MentorshipParty = "apprentice" | "mentor" | "county" | "city";

export interface MentorshipRef {
  /** The apprentice's person record. */
  apprentice_id: number;
  /** The studio's unit. */
  org_unit_id: number;
  /** The studio's leader's person record (the mentor). */
  person_id: number | null;
}

export function partyTo(user: SessionUser, m: MentorshipRef): MentorshipParty | null {
  if (user.role === "apprentice") return user.personId === m.apprentice_id ? "apprentice" : null;
  const relation = relationTo(user, m.org_unit_id, m.person_id);
  return relation === "owner" ? "mentor" : relation;
}
