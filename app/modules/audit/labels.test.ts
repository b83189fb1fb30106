import { describe, expect, it } from "vitest";
import { actionLabel, describeChange, entityLabel } from "~/modules/audit/labels";
import { recordName } from "~/modules/audit/audit.server";

describe("the history in Chinese", () => {
  it("shows labels for fields and codes, ¥ for fen and Taizhou time for instants", () => {
    const text = describeChange("subsidy", {
      status: "county_approved",
      studyMode: "part_time",
      approvedFen: 960000,
      startsAt: "2026-05-01T01:30:00.000Z",
      open: true,
    });
    expect(text).toContain("状态：县级已审核，待市总工会审批");
    expect(text).toContain("学习形式：非全日制（业余）");
    expect(text).toContain("批准金额：¥9,600.00");
    expect(text).toContain("2026/05/01 09:30");
    expect(text).not.toMatch(/part_time|county_approved|960000|T01:30/);
    expect(describeChange("studio", { status: "accredited", focusSector: "advanced_manufacturing" })).toBe("状态：已授牌；重点领域：先进制造业");
    expect(entityLabel("studio")).toBe("工匠工作室");
    expect(actionLabel("step_accredit", "studio")).toBe("授牌");
    expect(actionLabel("exact_lookup", "person")).toBe("按完整证件号/电话查找");
  });

  it("names a year's policies by the year they are kept for", () => {
    for (const entity of ["evaluation_criteria", "subsidy_policy", "studio_cycle_policy", "acceptance_checklist"]) {
      expect(recordName({ entity_type: entity, entity_id: "2026" }, {})).toBe("2026年度");
    }
  });
});
