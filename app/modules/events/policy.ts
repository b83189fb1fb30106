import type { SessionUser } from "~/auth/roles";

/** Who organises and sees events. Pure: the studio's leader comes with the event. */

export interface EventRef {
  org_unit_id: number;
  studio_leader_id: number | null;
}

/** The organiser side: the city, the officer of the event's unit, or the leader of the organising studio. */
export function canManageEvent(user: SessionUser, event: EventRef): boolean {
  if (user.role === "city_admin") return true;
  if (user.role === "county_officer") return user.orgUnitId === event.org_unit_id;
  return event.studio_leader_id !== null && user.personId === event.studio_leader_id;
}

/** Craftsmen also see events they took part in; officers their unit's. */
export function canViewEvent(user: SessionUser, event: EventRef, participates: boolean): boolean {
  return canManageEvent(user, event) || participates;
}
