import { describe, expect, it } from "vitest";
import type { CampaignStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { NOMINATION_AUDIT } from "~/modules/nominations/labels";
import { canEditNomination, canPrintFullIdNumber, REVIEW_STEPS, stepOpen, type ReviewStep } from "~/modules/nominations/policy";

const city: SessionUser = { id: "c", username: "c", displayName: "c", role: "city_admin", orgUnitId: null, personId: null };
const county: SessionUser = { ...city, id: "w", role: "county_officer", orgUnitId: 6 };
const otherCounty: SessionUser = { ...city, id: "j", role: "county_officer", orgUnitId: 2 };
const craftsman: SessionUser = { ...city, id: "k", role: "craftsman", personId: 42 };

const STAGES: CampaignStatus[] = ["nominating", "qualification", "expert_review", "online_vote", "public_notice", "final_approval", "closed"];

/** The stage each review step is taken in: the table the declarations must match exactly. */
const EXPECTED: Record<ReviewStep, CampaignStatus> = {
  qualification: "qualification",
  expertScore: "expert_review",
  candidates: "expert_review",
  votes: "online_vote",
  objections: "public_notice",
  naming: "final_approval",
};

describe("the nominations' review steps", () => {
  it("opens each step in its own stage and no other", () => {
    for (const step of Object.keys(EXPECTED) as ReviewStep[]) {
      for (const status of STAGES) expect(stepOpen({ status }, step), `${step} in ${status}`).toBe(status === EXPECTED[step]);
    }
  });

  it("declares each review action the history records once, and only actions it records", () => {
    const declared = Object.values(REVIEW_STEPS).flatMap((s) => s.actions);
    expect(new Set(declared).size).toBe(declared.length);
    for (const action of declared) expect({ ...NOMINATION_AUDIT.actions, ...CAMPAIGN_AUDIT.actions }, action).toHaveProperty(action);
    // What the nominating unit writes while filing is not review work; everything else on a nomination is.
    const filing = ["create", "update", "story", "opinion_employer", "opinion_county", "opinion_expert", "opinion_city"];
    expect([...filing, ...declared.filter((a) => a in NOMINATION_AUDIT.actions)].sort()).toEqual(Object.keys(NOMINATION_AUDIT.actions).sort());
  });

  it("leaves a pending objection to the county to check and to the city to decide", () => {
    expect(REVIEW_STEPS.objections.todos.map((t) => t.for)).toEqual(["county", "city"]);
  });
});

describe("who may edit and print a nomination", () => {
  const open = { status: "nominating" as const, nomination_deadline: "2026-12-31" };
  it("lets the nominating unit's officer edit until the deadline and the city until the campaign closes", () => {
    expect(canEditNomination(county, open, 6, "2026-12-31")).toBe(true);
    expect(canEditNomination(county, open, 6, "2027-01-01")).toBe(false);
    expect(canEditNomination(otherCounty, open, 6, "2026-12-01")).toBe(false);
    expect(canEditNomination(craftsman, open, 6, "2026-12-01")).toBe(false);
    expect(canEditNomination(city, { ...open, status: "public_notice" }, 6, "2027-03-01")).toBe(true);
    expect(canEditNomination(city, { ...open, status: "closed" }, 6, "2027-03-01")).toBe(false);
  });

  it("prints the full ID number for the city and the nominating unit's officer only", () => {
    const nomination = { nominating_unit_id: 6, person_id: 42 };
    expect(canPrintFullIdNumber(city, nomination)).toBe(true);
    expect(canPrintFullIdNumber(county, nomination)).toBe(true);
    expect(canPrintFullIdNumber(otherCounty, nomination)).toBe(false);
    expect(canPrintFullIdNumber(craftsman, nomination)).toBe(false);
  });
});
