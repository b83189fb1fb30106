import { describe, expect, it } from "vitest";
import { needsRevocationReview, scoreOf, SUGGESTED_CRITERIA } from "~/modules/studios/evaluation";

describe("studio scorecard", () => {
  it("gives full weight at the target and a share below it", () => {
    const { parts, total, max } = scoreOf(
      { apprenticesMentored: 5, skillUpgrades: 6, competitionPlacings: 1, backbones: 0, innovations: 1, eventsHeld: 2 },
      SUGGESTED_CRITERIA,
    );
    expect(max).toBe(100);
    expect(parts.map((p) => p.points)).toEqual([20, 25, 10, 0, 5, 5]);
    expect(total).toBe(65);
  });

  it("uses whatever criteria the year has", () => {
    expect(scoreOf({ innovations: 3 }, [{ key: "innovations", label: "创新", weight: 50, target: 4 }]).total).toBe(37.5);
  });

  it("flags two 不合格 years in a row, not two apart", () => {
    expect(
      needsRevocationReview([
        { year: 2021, grade: "fail" },
        { year: 2022, grade: "fail" },
      ]),
    ).toBe(true);
    expect(
      needsRevocationReview([
        { year: 2020, grade: "fail" },
        { year: 2021, grade: "pass" },
        { year: 2022, grade: "fail" },
      ]),
    ).toBe(false);
    expect(needsRevocationReview([{ year: 2022, grade: "fail" }])).toBe(false);
  });
});
