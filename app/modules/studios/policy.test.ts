import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/roles";
import {
  availableSteps,
  canEditStudio,
  canManageApprentices,
  canTakeStep,
  canVerifyMilestone,
  canViewStudio,
  initialMilestoneStatus,
  STUDIO_STEPS,
  type StudioStatus,
  type StudioStep,
} from "~/modules/studios/policy";

const city: SessionUser = { id: "c", username: "c", displayName: "c", role: "city_admin", orgUnitId: null, personId: null };
const county: SessionUser = { ...city, id: "w", role: "county_officer", orgUnitId: 6 };
const otherCounty: SessionUser = { ...city, id: "j", role: "county_officer", orgUnitId: 2 };
const leader: SessionUser = { ...city, id: "l", role: "craftsman", personId: 42 };
const otherCraftsman: SessionUser = { ...city, id: "o", role: "craftsman", personId: 43 };
const users = { city, county, otherCounty, leader, otherCraftsman };

const ALL: StudioStatus[] = ["draft", "submitted", "returned", "county_reviewed", "rejected", "accredited", "active", "suspended", "revoked"];
const studio = (status: StudioStatus) => ({ status, org_unit_id: 6, person_id: 42 });

/** Who may take each step, from which states: the table the lifecycle must match exactly. */
const EXPECTED: Record<StudioStep, { from: StudioStatus[]; who: Array<keyof typeof users> }> = {
  submit: { from: ["draft", "returned"], who: ["county", "leader"] },
  withdraw: { from: ["submitted"], who: ["leader"] },
  return: { from: ["submitted"], who: ["county"] },
  county_approve: { from: ["submitted"], who: ["county"] },
  county_reject: { from: ["submitted"], who: ["county"] },
  city_return: { from: ["county_reviewed"], who: ["city"] },
  city_reject: { from: ["county_reviewed"], who: ["city"] },
  accredit: { from: ["county_reviewed"], who: ["city"] },
  activate: { from: ["accredited"], who: ["city", "leader"] },
  suspend: { from: ["accredited", "active"], who: ["city"] },
  resume: { from: ["suspended"], who: ["city"] },
  revoke: { from: ["accredited", "active", "suspended"], who: ["city"] },
};

describe("studio lifecycle policy", () => {
  it("allows every step only to the right role in the right state, and refuses every other combination", () => {
    for (const step of Object.keys(STUDIO_STEPS) as StudioStep[]) {
      for (const status of ALL) {
        for (const [name, user] of Object.entries(users) as Array<[keyof typeof users, SessionUser]>) {
          const expected = EXPECTED[step].from.includes(status) && EXPECTED[step].who.includes(name);
          expect(canTakeStep(user, studio(status), step), `${name} ${step} from ${status}`).toBe(expected);
        }
      }
    }
  });

  it("ends in rejected and revoked: nothing leads out of them", () => {
    for (const user of Object.values(users)) {
      expect(availableSteps(user, studio("rejected"))).toEqual([]);
      expect(availableSteps(user, studio("revoked"))).toEqual([]);
    }
  });

  it("demands a reason for returns, rejections, suspensions and revocations", () => {
    const withReason = (Object.keys(STUDIO_STEPS) as StudioStep[]).filter((s) => "needsReason" in STUDIO_STEPS[s]);
    expect(withReason.sort()).toEqual(["city_reject", "city_return", "county_reject", "return", "revoke", "suspend"]);
  });

  it("shows a studio to its leader, its unit and the city only", () => {
    expect([city, county, leader].every((u) => canViewStudio(u, studio("active")))).toBe(true);
    expect([otherCounty, otherCraftsman].some((u) => canViewStudio(u, studio("active")))).toBe(false);
  });

  it("lets the application be edited only while it is with the applicant", () => {
    for (const status of ALL) {
      expect(canEditStudio(leader, studio(status)), status).toBe(status === "draft" || status === "returned");
    }
    expect(canEditStudio(otherCounty, studio("draft"))).toBe(false);
  });

  it("takes apprentices on only in an accredited or running studio", () => {
    for (const status of ALL) {
      expect(canManageApprentices(leader, studio(status)), status).toBe(status === "accredited" || status === "active");
    }
    expect(canManageApprentices(otherCraftsman, studio("active"))).toBe(false);
  });

  it("has officers of the studio's unit or the city verify milestones, never the leader", () => {
    const pending = { status: "pending" as const };
    expect(canVerifyMilestone(county, studio("active"), pending)).toBe(true);
    expect(canVerifyMilestone(city, studio("active"), pending)).toBe(true);
    expect(canVerifyMilestone(leader, studio("active"), pending)).toBe(false);
    expect(canVerifyMilestone(otherCounty, studio("active"), pending)).toBe(false);
    expect(canVerifyMilestone(county, studio("active"), { status: "verified" })).toBe(false);
    expect(initialMilestoneStatus(leader)).toBe("pending");
    expect(initialMilestoneStatus(county)).toBe("verified");
  });
});
