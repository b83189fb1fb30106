import { relationTo } from "~/auth/relation";
import type { SessionUser } from "~/auth/roles";

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

export const isOfficerParty = (party: MentorshipParty | null): party is "county" | "city" => party === "county" || party === "city";
