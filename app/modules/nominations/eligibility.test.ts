import { describe, expect, it } from "vitest";
import { campaignLabel, chineseNumber, nextStage, nominationCode } from "~/modules/campaigns/stages";
import { checkEligibility, quotaWarning } from "~/modules/nominations/eligibility";
import { canCreateNomination, canEditNomination, nominationWindowOpen } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import type { SessionUser } from "~/auth/roles";

const ok = {
  frontlineYears: 12,
  inSkillPost: true,
  teacherOrResearcher: false,
  conditions: [1, 5],
  skillLevel: "技师",
  achievements: "成果",
  deedsSummary: "事迹",
};

describe("eligibility (notice section 三)", () => {
  it("accepts a frontline worker of five years or more who meets a condition", () => {
    expect(checkEligibility(ok)).toEqual({ eligible: true, problems: [], warnings: [], missing: [] });
    expect(checkEligibility({ ...ok, frontlineYears: 5 }).eligible).toBe(true);
  });

  it.each([
    [{ frontlineYears: 4 }, "直接从事一线技能工作不满5年（填报4年）"],
    [{ inSkillPost: false }, "目前已不在技能岗位上"],
    [{ teacherOrResearcher: true }, "各级各类学校教师及专门研究人员不在选树之列"],
    [{ conditions: [6] }, "不符合条件（一）至（五）中的任何一项"],
  ])("excludes %j with the reason", (change, problem) => {
    const result = checkEligibility({ ...ok, ...change });
    expect(result.eligible).toBe(false);
    expect(result.problems).toEqual([problem]);
  });

  it("lists every reason at once", () => {
    const result = checkEligibility({ ...ok, frontlineYears: 2, inSkillPost: false, conditions: [7] });
    expect(result.problems).toHaveLength(3);
  });

  it("says what a nomination from a county's list still lacks, and concludes nothing about it", () => {
    const fromList = { ...ok, frontlineYears: null, inSkillPost: null, conditions: [], achievements: "", deedsSummary: " " };
    expect(checkEligibility(fromList)).toEqual({
      eligible: false,
      problems: [],
      warnings: [],
      missing: ["一线技能工作年限", "是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"],
    });
    // What the list did say still counts.
    expect(checkEligibility({ ...fromList, frontlineYears: 3 }).problems).toEqual(["直接从事一线技能工作不满5年（填报3年）"]);
  });

  it("warns, without excluding, below 高级工", () => {
    const result = checkEligibility({ ...ok, skillLevel: "中级工" });
    expect(result.eligible).toBe(true);
    expect(result.warnings).toEqual(["原则上应具有国家职业资格高级工以上（目前为中级工）"]);
    expect(checkEligibility({ ...ok, skillLevel: "高级工" }).warnings).toEqual([]);
    expect(checkEligibility({ ...ok, skillLevel: "首席技师" }).warnings).toEqual([]);
  });

  it("warns when a unit goes over its quota", () => {
    expect(quotaWarning("温岭市", 5, 5)).toBeNull();
    expect(quotaWarning("温岭市", 6, 5)).toBe("温岭市本届已推荐6人，超过原则上每单位5名的名额");
  });
});

describe("campaign stages", () => {
  it("moves one stage at a time and stops when closed", () => {
    expect(nextStage("nominating")).toBe("qualification");
    expect(nextStage("qualification")).toBe("expert_review");
    expect(nextStage("final_approval")).toBe("closed");
    expect(nextStage("closed")).toBeNull();
  });

  it("names campaigns and nominations the way the union writes them", () => {
    expect([1, 2, 10, 11, 20, 23].map(chineseNumber)).toEqual(["一", "二", "十", "十一", "二十", "二十三"]);
    expect(campaignLabel(2)).toBe("第二届");
    expect(nominationCode(2, 7)).toBe("2-007");
  });
});

describe("who may file and edit nominations", () => {
  const city: SessionUser = { id: "c", username: "c", displayName: "c", role: "city_admin", orgUnitId: null, personId: null };
  const county: SessionUser = { ...city, role: "county_officer", orgUnitId: 6 };
  const craftsman: SessionUser = { ...city, role: "craftsman", personId: 3 };
  const open = { status: "nominating" as const, nomination_deadline: "2018-03-31" };

  it("lets county officers work on their own unit's nominations until the deadline day ends", () => {
    expect(nominationWindowOpen(open, "2018-03-31")).toBe(true);
    expect(canEditNomination(county, open, 6, "2018-03-31")).toBe(true);
    expect(canEditNomination(county, open, 6, "2018-04-01")).toBe(false);
    expect(canEditNomination(county, open, 2, "2018-03-01")).toBe(false);
    expect(canCreateNomination(county, open, "2018-04-01")).toBe(false);
    expect(canEditNomination(county, { ...open, status: "qualification" }, 6, "2018-03-01")).toBe(false);
  });

  it("lets city officers work after the deadline, but nobody once the campaign is closed", () => {
    expect(canEditNomination(city, open, 2, "2018-05-01")).toBe(true);
    expect(canCreateNomination(city, { ...open, status: "expert_review" }, "2018-05-01")).toBe(true);
    expect(canEditNomination(city, { ...open, status: "closed" }, 2, "2018-05-01")).toBe(false);
    expect(canCreateNomination(craftsman, open, "2018-03-01")).toBe(false);
  });

  it("reads the deadline day in Taizhou time", () => {
    expect(todayInTaizhou(new Date("2018-03-31T15:59:00Z"))).toBe("2018-03-31");
    expect(todayInTaizhou(new Date("2018-03-31T16:01:00Z"))).toBe("2018-04-01");
  });
});
