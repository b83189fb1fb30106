import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/roles";
import { MILESTONE_AUDIT } from "~/modules/studios/labels";
import {
  availableSteps,
  canEditStudio,
  canManageApprentices,
  canTakeStep,
  canVerifyMilestone,
  canViewStudio,
  initialMilestoneStatus,
  MILESTONE_FILING,
  milestoneWorkflow,
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

describe("the milestone workflow", () => {
  const MILESTONE_STATES = ["pending", "verified", "rejected"] as const;
  const filed = (status: (typeof MILESTONE_STATES)[number]) => ({ status, org_unit_id: 6, person_id: 42 });

  it("lets only the officers of the studio's unit and the city decide a pending milestone", () => {
    for (const step of milestoneWorkflow.names) {
      for (const status of MILESTONE_STATES) {
        for (const [name, user] of Object.entries(users)) {
          const allowed = status === "pending" && (name === "county" || name === "city");
          expect(milestoneWorkflow.canTake(user, filed(status), step), `${name} ${step} from ${status}`).toBe(allowed);
        }
      }
    }
    expect(milestoneWorkflow.offered(county, filed("pending")).map((s) => s.step)).toEqual(["verify", "reject"]);
    expect(milestoneWorkflow.offered(otherCounty, filed("pending"))).toEqual([]);
  });

  it("asks a reason for a rejection only", () => {
    expect(milestoneWorkflow.checkInput("reject", { reason: null })).toMatchObject({ status: 400, field: "reason" });
    expect(milestoneWorkflow.checkInput("verify", { reason: null })).toBeNull();
  });

  it("writes each step, and the filing, as an action the history names, and tells the leader", () => {
    for (const action of [...milestoneWorkflow.names, MILESTONE_FILING.action]) expect(MILESTONE_AUDIT.actions).toHaveProperty(action);
    expect(milestoneWorkflow.steps.verify.notices).toEqual([{ to: ["owner"], category: "verified", text: "学徒{subject}的成果已核实认定" }]);
    expect(milestoneWorkflow.steps.reject.notices).toEqual([{ to: ["owner"], category: "rejected", text: "学徒{subject}的成果不予认定：{reason}" }]);
    expect(milestoneWorkflow.steps.reject.todo).toEqual({ for: "owner", text: "学徒{subject}的成果不予认定，请重新登记" });
    expect(MILESTONE_FILING.notices.map((n) => n.to)).toEqual([["unit"]]);
    expect(MILESTONE_FILING.todo.for).toBe("county");
  });
});
