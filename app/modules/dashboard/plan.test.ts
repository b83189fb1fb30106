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
      { target: 100, start_year: 2018, end_year: 2022 },
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
        { target: 100, start_year: 2018, end_year: 2022 },
        2019,
      ),
    ).toMatchObject({ reachedIn: 2021, onTrack: true });
    expect(planProgress(new Map(), { target: 100, start_year: 2018, end_year: 2022 }, 2019)).toMatchObject({ total: 0, reachedIn: null, onTrack: false });
  });
});
