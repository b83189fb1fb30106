import type { SessionUser } from "~/auth/roles";
import { relationTo } from "~/auth/relation";

/** Who organises and sees events. Pure: the studio's leader comes with the event. */

export interface EventRef {
  org_unit_id: number;
  studio_leader_id: number | null;
}

/** The organiser side: the city, the officer of the event's unit, or the leader of the organising studio. */
export function canManageEvent(user: SessionUser, event: EventRef): boolean {
  return relationTo(user, event.org_unit_id, event.studio_leader_id) !== null;
}

/** Craftsmen also see events they took part in; officers their unit's. */
export function canViewEvent(user: SessionUser, event: EventRef, participates: boolean): boolean {
  return canManageEvent(user, event) || participates;
}
