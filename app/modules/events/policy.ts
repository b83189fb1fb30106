import type { SessionUser } from "~/auth/roles";
import { relationTo } from "~/auth/relation";

/** Who organises and sees events. Pure: the studio's leader comes with the event. */

export interface EventRef {
  org_unit_id: number;
  studio_leader_id: number | null;
}

/** How a craftsman stands to an event beyond organising it. */
export interface EventTies {
  /** They are on its list. */
  participates: boolean;
  /** It is still to come (or under way) and run by their own county-level union or the city's: theirs to join. */
  open: boolean;
}

/** The organiser side: the city, the officer of the event's unit, or the leader of the organising studio. */
export function canManageEvent(user: SessionUser, event: EventRef): boolean {
  return relationTo(user, event.org_unit_id, event.studio_leader_id) !== null;
}

/** Craftsmen also see events they took part in and the coming ones open to them; officers their unit's. */
export function canViewEvent(user: SessionUser, event: EventRef, ties: EventTies): boolean {
  return canManageEvent(user, event) || ties.participates || (user.role === "craftsman" && ties.open);
}

/** A craftsman may put themself on the list of a coming event open to them, once. */
export function canJoinEvent(user: SessionUser, ties: EventTies): boolean {
  return user.role === "craftsman" && user.personId !== null && ties.open && !ties.participates;
}
