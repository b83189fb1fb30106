import { describe, expect, it } from "vitest";
import { dueAfter, isWorkingDay } from "~/modules/privacy/policy";

describe("working days", () => {
  const none = new Map<string, boolean>();
  it("skip the weekend: three working days from a Friday is the Wednesday", () => {
    expect(dueAfter("2026-09-25", 3, none)).toBe("2026-09-30");
    expect(dueAfter("2026-09-25", 15, none)).toBe("2026-10-16");
  });

  it("skip a holiday the city lists, and count a 调休 Saturday it lists as worked", () => {
    const calendar = new Map([
      ["2026-10-01", false],
      ["2026-10-02", false],
      ["2026-10-10", true],
    ]);
    expect(isWorkingDay("2026-10-01", calendar)).toBe(false);
    expect(isWorkingDay("2026-10-10", calendar)).toBe(true);
    // Mon 28, Tue 29, Wed 30 … then 1 and 2 October off, the weekend, Mon 5.
    expect(dueAfter("2026-09-25", 4, calendar)).toBe("2026-10-05");
    // From Friday 9 October: the working Saturday 10 counts as the first day.
    expect(dueAfter("2026-10-09", 1, calendar)).toBe("2026-10-10");
  });
});
