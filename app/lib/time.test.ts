import { describe, expect, it } from "vitest";
import { endOfDay, fromDateTimeLocal, isRealDate, startOfDay, startOfYear, toDateTimeLocal, todayInTaizhou, yearInTaizhou, yearParam } from "~/lib/time";

describe("Taizhou time", () => {
  it("is already the next day and year in Taizhou while UTC is still on the old one", () => {
    const utcEvening = new Date("2026-12-31T20:00:00Z");
    expect(todayInTaizhou(utcEvening)).toBe("2027-01-01");
    expect(yearInTaizhou(utcEvening)).toBe(2027);
    // Before 08:00 in Taizhou the UTC date is yesterday's: a milestone dated "today" must be accepted then.
    expect(todayInTaizhou(new Date("2026-06-01T23:30:00Z"))).toBe("2026-06-02");
  });

  it("bounds a Taizhou day and year at Taizhou midnight", () => {
    expect(startOfDay("2026-03-01").toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(endOfDay("2026-02-28").toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(startOfYear(2027).toISOString()).toBe("2026-12-31T16:00:00.000Z");
  });

  it("turns datetime-local text into the Taizhou instant and back, refusing times that do not exist", () => {
    const instant = fromDateTimeLocal("2026-05-01T09:30");
    expect(instant?.toISOString()).toBe("2026-05-01T01:30:00.000Z");
    expect(toDateTimeLocal(instant!)).toBe("2026-05-01T09:30");
    expect(toDateTimeLocal("2026-05-01T01:30:00.000Z")).toBe("2026-05-01T09:30");
    for (const bad of ["2026-02-30T09:00", "2026-05-01T24:00", "2026-05-01T09:60", "2026-05-01 09:30", "", "1e3"]) {
      expect(fromDateTimeLocal(bad), bad).toBeNull();
    }
  });

  it("knows which calendar dates exist", () => {
    expect(isRealDate("2024-02-29")).toBe(true);
    expect(isRealDate("2026-02-29")).toBe(false);
    expect(isRealDate("2026-02-30")).toBe(false);
    expect(isRealDate("2026-2-3")).toBe(false);
  });

  it("reads a year from a query, or this year when it is not one", () => {
    expect(yearParam("2024")).toBe(2024);
    for (const bad of [null, "", "1999", "2101", "2024.5", "2e3", " 2024"]) expect(yearParam(bad), String(bad)).toBe(yearInTaizhou());
  });
});
