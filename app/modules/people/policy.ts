import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { isOfficerOf, relationTo } from "~/auth/relation";

/** Pure rules about people records; the SQL scope in people.server.ts applies the same rules to lists. */

export interface PersonRef {
  id: number;
  org_unit_id: number;
}

export function canViewPerson(user: SessionUser, person: PersonRef): boolean {
  return relationTo(user, person.org_unit_id, person.id) !== null;
}

export function canEditPerson(user: SessionUser, person: PersonRef): boolean {
  return isOfficerOf(user, person.org_unit_id);
}

/** Full ID and phone numbers are shown only to city officers, and only on an explicit, recorded request. */
export function canRevealPersonalData(user: SessionUser): boolean {
  return isCityAdmin(user);
}
