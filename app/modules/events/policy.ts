import { isCraftsman, type SessionUser } from "~/auth/roles";
import { relationTo, type Relation } from "~/auth/relation";
import type { Notice } from "~/lib/notices";
import type { EVENT_AUDIT } from "~/modules/events/labels";

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
  return canManageEvent(user, event) || ties.participates || (isCraftsman(user) && ties.open);
}

/** A craftsman may put themself on the list of a coming event open to them, once. */
export function canJoinEvent(user: SessionUser, ties: EventTies): boolean {
  return isCraftsman(user) && user.personId !== null && ties.open && !ties.participates;
}

export type EventAction = keyof typeof EVENT_AUDIT.actions;

interface EventStep {
  /** The event's organisers (`canManageEvent`) may take it. */
  organiser: boolean;
  /** A craftsman may take it for themself when this holds of their ties to the event. */
  self?: (user: SessionUser, ties: EventTies) => boolean;
  notices?: readonly Notice[];
  /** The to-do it leaves; "owner" is the participant the step is about, as in the notices. */
  todo?: { for: Relation; text: string };
}

const checkInToday: EventStep["todo"] = { for: "owner", text: "今天的活动签到：{subject}" };

/**
 * Every step the event history records, each with who may take it, who hears of it and the to-do
 * it leaves; the key is the history's action. Not a `defineWorkflow`: a participant is registered
 * and then attended, but the steps onto the list start from no record, the participant takes some
 * steps themself (a relation the workflows have no name for: an event's "owner" is the leader of
 * its organising studio), and checking in by code is decided by the hour and the audience, not by
 * a state.
 */
export const EVENT_STEPS = {
  create: { organiser: true },
  update: {
    organiser: true,
    notices: [{ to: ["participants"], category: "event", text: "“{subject}”的安排有更新：{when}，请查看时间和地点" }],
  },
  participant_add: {
    organiser: true,
    notices: [{ to: ["owner"], category: "event", text: "您已登记参加“{subject}”（{when}），请按时到场签到" }],
    todo: checkInToday,
  },
  participant_join: {
    organiser: false,
    self: canJoinEvent,
    notices: [{ to: ["unit"], category: "event", text: "有工匠报名参加“{subject}”（{when}），名单见活动页面" }],
    todo: checkInToday,
  },
  // Checking in by code while not on the list: put on it there and then, if the event is open to them.
  participant_walk_in: { organiser: false, self: canJoinEvent },
  checkin: {
    organiser: true,
    self: (user, ties) => isCraftsman(user) && ties.participates,
    notices: [{ to: ["owner"], category: "event", text: "主办方已为您在“{subject}”签到" }],
  },
  hours: { organiser: true, notices: [{ to: ["owner"], category: "event", text: "您参加“{subject}”的学时已登记，可在活动页面查看" }] },
} as const satisfies Record<EventAction, EventStep>;

/** The organisers may take the step on the event. */
export function organiserMayTake(user: SessionUser, event: EventRef, step: EventAction): boolean {
  return EVENT_STEPS[step].organiser && canManageEvent(user, event);
}

/** The craftsman may take the step for themself, given their ties to the event. */
export function participantMayTake(user: SessionUser, ties: EventTies, step: EventAction): boolean {
  const declared: EventStep = EVENT_STEPS[step];
  return declared.self?.(user, ties) ?? false;
}
