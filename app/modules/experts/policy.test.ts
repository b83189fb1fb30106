import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/roles";
import { EXPERT_REVIEW_AUDIT } from "~/modules/experts/labels";
import { sheetWorkflow } from "~/modules/experts/policy";

const city: SessionUser = { id: "c", username: "c", displayName: "c", role: "city_admin", orgUnitId: null, personId: null };
const county: SessionUser = { ...city, id: "w", role: "county_officer", orgUnitId: 6 };
const expert: SessionUser = { id: "e", username: "e", displayName: "e", role: "expert", orgUnitId: null, personId: null };
const otherExpert: SessionUser = { ...expert, id: "f" };
const craftsman: SessionUser = { ...city, id: "k", role: "craftsman", personId: 42 };
const users = { city, county, expert, otherExpert, craftsman };

const sheet = (status: "draft" | "submitted") => ({ status, expert_user_id: "e" });

/** Who may take each step, from which state: the table the sheet's workflow must match exactly. */
const EXPECTED = {
  submit: { from: "draft", who: "expert" },
  reopen: { from: "submitted", who: "city" },
} as const;

describe("the score sheet workflow", () => {
  it("lets the sheet's own expert submit a draft, and the city reopen a submitted sheet, nobody else", () => {
    for (const step of sheetWorkflow.names) {
      for (const status of ["draft", "submitted"] as const) {
        for (const [name, user] of Object.entries(users)) {
          const allowed = EXPECTED[step].from === status && EXPECTED[step].who === name;
          expect(sheetWorkflow.canTake(user, sheet(status), step), `${name} ${step} from ${status}`).toBe(allowed);
        }
      }
    }
  });

  it("shows the sheet to its expert and the city only", () => {
    expect([expert, city].every((u) => sheetWorkflow.canView(u, sheet("draft")))).toBe(true);
    expect([county, otherExpert, craftsman].some((u) => sheetWorkflow.canView(u, sheet("draft")))).toBe(false);
  });

  it("asks the city why it reopens a sheet, and leaves the expert the sheet to do again", () => {
    expect(sheetWorkflow.checkInput("reopen", { reason: null })).toMatchObject({ status: 400, field: "reason" });
    expect(sheetWorkflow.steps.reopen.todo).toEqual({ for: "owner", text: "评审：{subject}" });
  });

  it("writes each step as an action the history names", () => {
    for (const step of sheetWorkflow.names) expect(EXPERT_REVIEW_AUDIT.actions).toHaveProperty(step);
  });
});
