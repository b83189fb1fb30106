import { describe, expect, it } from "vitest";
import { planProgress } from "~/modules/dashboard/plan";

describe("progress toward the studio plan", () => {
  it("draws the straight line, the cumulative count and the year the target is reached at the current pace", () => {
    const progress = planProgress(
      new Map([
        [2018, 10],
        [2019, 15],
        [2020, 20],
      ]),
      { start_year: 2018, end_year: 2022 },
      100,
      2020,
    );
    expect(progress.rows).toEqual([
      { year: 2018, accredited: 10, cumulative: 10, planned: 20 },
      { year: 2019, accredited: 15, cumulative: 25, planned: 40 },
      { year: 2020, accredited: 20, cumulative: 45, planned: 60 },
      { year: 2021, accredited: null, cumulative: null, planned: 80 },
      { year: 2022, accredited: null, cumulative: null, planned: 100 },
    ]);
    expect(progress).toMatchObject({ total: 45, pace: 15, reachedIn: 2024, onTrack: false });
  });

  it("is on track when the pace reaches the target within the window, and says so when nothing has happened", () => {
    expect(
      planProgress(
        new Map([
          [2018, 30],
          [2019, 30],
        ]),
        { start_year: 2018, end_year: 2022 },
        100,
        2019,
      ),
    ).toMatchObject({ reachedIn: 2021, onTrack: true });
    expect(planProgress(new Map(), { start_year: 2018, end_year: 2022 }, 100, 2019)).toMatchObject({ total: 0, reachedIn: null, onTrack: false });
  });

  it("measures a county against its own share, gives no year past the horizon, and says when the plan's window is over", () => {
    // 温岭: 3 studios in 2018–2020, a share of 8 → 5 more at one a year: 2025.
    const county = planProgress(new Map([[2019, 3]]), { start_year: 2018, end_year: 2022 }, 8, 2020);
    expect(county).toMatchObject({ total: 3, pace: 1, reachedIn: 2025, onTrack: false, ended: false });
    expect(county.rows.at(-1)).toMatchObject({ year: 2022, planned: 8 });
    // Against the city's hundred the same pace would have said 2117.
    expect(planProgress(new Map([[2019, 3]]), { start_year: 2018, end_year: 2022 }, 100, 2020).reachedIn).toBeNull();
    // No share set: counts, but no line and no forecast.
    const unset = planProgress(new Map([[2019, 3]]), { start_year: 2018, end_year: 2022 }, null, 2020);
    expect(unset).toMatchObject({ total: 3, reachedIn: null });
    expect(unset.rows.every((r) => r.planned === null)).toBe(true);
    expect(planProgress(new Map([[2019, 3]]), { start_year: 2018, end_year: 2022 }, 8, 2023).ended).toBe(true);
  });
});
