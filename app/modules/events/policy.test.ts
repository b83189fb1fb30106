import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/roles";
import { EVENT_AUDIT } from "~/modules/events/labels";
import { EVENT_STEPS, organiserMayTake, participantMayTake, type EventTies } from "~/modules/events/policy";

const city: SessionUser = { id: "c", username: "c", displayName: "c", role: "city_admin", orgUnitId: null, personId: null };
const county: SessionUser = { ...city, id: "w", role: "county_officer", orgUnitId: 6 };
const otherCounty: SessionUser = { ...city, id: "j", role: "county_officer", orgUnitId: 2 };
const leader: SessionUser = { ...city, id: "l", role: "craftsman", personId: 42 };
const craftsman: SessionUser = { ...city, id: "k", role: "craftsman", personId: 43 };

const countyEvent = { org_unit_id: 6, studio_leader_id: null };
const studioEvent = { org_unit_id: 6, studio_leader_id: 42 };
const none: EventTies = { participates: false, open: false };
const open: EventTies = { participates: false, open: true };
const listed: EventTies = { participates: true, open: true };

describe("the event's steps", () => {
  it("declares every action the history records, and no other", () => {
    expect(Object.keys(EVENT_STEPS).sort()).toEqual(Object.keys(EVENT_AUDIT.actions).sort());
  });

  it("lets the organisers register, check in and give hours; never another county's officer or a plain craftsman", () => {
    for (const step of ["participant_add", "checkin", "hours", "update"] as const) {
      expect(organiserMayTake(county, countyEvent, step), step).toBe(true);
      expect(organiserMayTake(city, countyEvent, step), step).toBe(true);
      expect(organiserMayTake(leader, studioEvent, step), step).toBe(true);
      expect(organiserMayTake(otherCounty, countyEvent, step), step).toBe(false);
      expect(organiserMayTake(craftsman, countyEvent, step), step).toBe(false);
    }
    // Joining is the craftsman's own step: an organiser does not "join" anyone.
    expect(organiserMayTake(county, countyEvent, "participant_join")).toBe(false);
  });

  it("lets a craftsman join or walk in only to an open event they are not on the list of, and check in only when on it", () => {
    for (const step of ["participant_join", "participant_walk_in"] as const) {
      expect(participantMayTake(craftsman, open, step), step).toBe(true);
      expect(participantMayTake(craftsman, listed, step), step).toBe(false);
      expect(participantMayTake(craftsman, none, step), step).toBe(false);
      expect(participantMayTake(county, open, step), step).toBe(false);
    }
    expect(participantMayTake(craftsman, listed, "checkin")).toBe(true);
    expect(participantMayTake(craftsman, open, "checkin")).toBe(false);
    for (const step of ["participant_add", "hours", "update", "create"] as const) expect(participantMayTake(craftsman, listed, step), step).toBe(false);
  });

  it("tells the participant of their registration, check-in and hours, the organisers of a joining, everyone listed of a change", () => {
    const audiences = Object.fromEntries(Object.entries(EVENT_STEPS).map(([action, s]) => [action, "notices" in s ? s.notices.map((n) => n.to) : []]));
    expect(audiences).toEqual({
      create: [],
      update: [["participants"]],
      participant_add: [["owner"]],
      participant_join: [["unit"]],
      participant_walk_in: [],
      checkin: [["owner"]],
      hours: [["owner"]],
    });
    expect(EVENT_STEPS.participant_add.todo).toEqual({ for: "owner", text: "今天的活动签到：{subject}" });
    expect(EVENT_STEPS.participant_join.todo).toEqual(EVENT_STEPS.participant_add.todo);
  });
});
