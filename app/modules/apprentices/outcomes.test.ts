import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { recordAssessment } from "~/modules/apprentices/assessment.server";
import { assessmentForm, mentoringScene } from "../../../test/mentoring-scene";
import { dashboardOutcomes, outcomeOf, outcomesByStudio, outcomesByUnit, studioOutcome } from "~/modules/apprentices/outcomes.server";

const sent: string[] = [];
const t = useTestDb({ onQuery: (text) => void sent.push(text) });

describe("outcomes of mentoring", () => {
  it("says 出师率 over the pairings that ended and retention over those started, nothing over nothing", () => {
    expect(outcomeOf({ started: 4, ended: 3, passed: 2, endedEarly: 1 })).toMatchObject({ passRate: 66.7, retention: 75 });
    expect(outcomeOf({ started: 2, ended: 0, passed: 0, endedEarly: 0 })).toMatchObject({ passRate: null, retention: 100 });
    expect(outcomeOf({ started: 0, ended: 0, passed: 0, endedEarly: 0 })).toMatchObject({ passRate: null, retention: null });
  });

  it("counts each studio and each county from the assessments' effects, a county seeing its own", async () => {
    const s = await mentoringScene(t.db, "成效甲师傅");
    const pairings = await Promise.all([s.pairing(), s.pairing(), s.pairing(), s.pairing()]);
    const [a, b, c] = pairings;
    for (const [m, result] of [
      [a, assessmentForm({ result: "passed" })],
      [b, assessmentForm({ result: "passed" })],
      [c, assessmentForm({ result: "terminated", comment: "学徒离职" })],
    ] as const) {
      const done = await recordAssessment(t.db, s.wenling, m, result);
      expect(done.ok).toBe(true);
    }
    const expected = { started: 4, ended: 3, passed: 2, endedEarly: 1, passRate: 66.7, retention: 75 };
    expect(await studioOutcome(t.db, s.studio.id, { ratings: false })).toEqual({ ...expected, satisfaction: null });
    expect((await outcomesByStudio(t.db, s.wenling)).rows.find((r) => r.studioId === s.studio.id)).toEqual({
      studioId: s.studio.id,
      studio: "成效甲师傅工作室",
      ...expected,
    });
    const wenlingUnits = await outcomesByUnit(t.db, s.wenling);
    expect(wenlingUnits.map((u) => u.unit)).toEqual(["温岭市"]);
    expect(wenlingUnits[0].started).toBeGreaterThanOrEqual(4);
    // 椒江's officer sees 椒江 only (nothing of 温岭's studio); the city sees both.
    expect((await outcomesByUnit(t.db, s.jiaojiang)).every((u) => u.unit !== "温岭市")).toBe(true);
    expect((await outcomesByStudio(t.db, s.jiaojiang)).rows.some((r) => r.studioId === s.studio.id)).toBe(false);
    expect((await outcomesByUnit(t.db, s.city)).find((u) => u.unit === "温岭市")).toEqual(wenlingUnits[0]);
  });

  it("counts the dashboard's outcomes once until a pairing changes, per scope (issue 37, item 2)", async () => {
    const s = await mentoringScene(t.db, "成效乙师傅");
    await s.pairing();
    /** The outcomes, and how many statements read the pairings to count them. */
    const read = async (user: typeof s.city) => {
      const from = sent.length;
      const outcomes = await dashboardOutcomes(t.db, user, user.orgUnitId ?? null);
      return { outcomes, counted: sent.slice(from).filter((text) => text.includes('from "mentorship"')).length };
    };
    const first = await read(s.wenling);
    expect(first.counted).toBe(2);
    expect(first.outcomes.studios.find((r) => r.studioId === s.studio.id)).toMatchObject({ started: 1 });
    expect(await read(s.wenling)).toEqual({ outcomes: first.outcomes, counted: 0 });
    // Another scope is counted for itself: 椒江's officer never gets 温岭's figures.
    const other = await read(s.jiaojiang);
    expect(other.counted).toBe(2);
    expect(other.outcomes.studios.some((r) => r.studioId === s.studio.id)).toBe(false);
    // A new pairing moves the version: counted again, and it shows.
    await s.pairing();
    const after = await read(s.wenling);
    expect(after.counted).toBe(2);
    expect(after.outcomes.studios.find((r) => r.studioId === s.studio.id)).toMatchObject({ started: 2 });
  });
});
