import { describe, expect, it } from "vitest";
import { checkinOpen, computeReach, defaultHours, finished, systemOf } from "~/modules/events/reach";

describe("event reach", () => {
  it("is computed from the attendees' employers, industries, systems and units", () => {
    const reach = computeReach([
      { employer: "温岭东海泵业", industry: "泵与电机", unitId: 6 },
      { employer: "温岭东海泵业", industry: "泵与电机", unitId: 6 },
      { employer: "椒江华科信息", industry: "信息技术", unitId: 2 },
      { employer: "黄岩模塑", industry: "模具与塑料", unitId: 3 },
    ]);
    expect(reach).toEqual({
      attendees: 4,
      employers: 3,
      industries: 3,
      systems: 2,
      regions: 3,
      crossUnit: true,
      crossIndustry: true,
      crossSystem: true,
      crossRegion: true,
    });
  });

  it("is not cross-anything for one workshop's own people", () => {
    const reach = computeReach([
      { employer: "A厂", industry: "缝制设备", unitId: 6 },
      { employer: "A厂", industry: "缝制设备", unitId: 6 },
    ]);
    expect([reach.crossUnit, reach.crossIndustry, reach.crossSystem, reach.crossRegion]).toEqual([false, false, false, false]);
    expect(computeReach([]).attendees).toBe(0);
  });

  it("groups industries into systems", () => {
    expect(systemOf("汽车及零部件")).toBe("先进制造业");
    expect(systemOf("现代物流")).toBe("现代服务业");
    expect(systemOf("游艇")).toBe("其他（游艇）");
  });

  it("opens check-in an hour before the start (14:00 Taizhou → 13:00), until the end", () => {
    const event = { starts_at: "2026-05-01T06:00:00Z", ends_at: "2026-05-01T09:00:00Z" };
    expect(checkinOpen(event, new Date("2026-05-01T12:59:00+08:00"))).toBe(false);
    expect(checkinOpen(event, new Date("2026-05-01T13:00:00+08:00"))).toBe(true);
    expect(checkinOpen(event, new Date("2026-05-01T09:01:00Z"))).toBe(false);
    expect(finished(event, new Date("2026-05-01T09:01:00Z"))).toBe(true);
    expect(defaultHours(new Date("2026-05-01T06:00:00Z"), new Date("2026-05-01T09:20:00Z"))).toBe(3.5);
  });
});
