import { SKILL_LEVELS, skillRank } from "~/modules/people/options";

/** Conditions (一)–(五) of the notice; a nominee must meet at least one. */
export const CONDITIONS: Record<number, { short: string; text: string }> = {
  1: {
    short: "（一）重大发明革新",
    text: "（一）在技术上有重大发明创造或重大技术革新，在企业技术改造、引进吸收高新技术、解决关键技术难题、消除重大安全隐患方面有突出贡献",
  },
  2: { short: "（二）绝招绝技", text: "（二）刻苦钻研技术，具有绝招绝技，在全市同行业具有一定推广价值，或是掌握绝技绝活的非物质文化遗产传承技术技能人才" },
  3: { short: "（三）推广先进技术", text: "（三）跟踪本行业技术前沿，推广先进适用技术，产生显著经济效益，在全市具有较大影响" },
  4: {
    short: "（四）节能减排创新",
    text: "（四）围绕节能减排，善于开发新技术、新工艺、新材料、新产品、新设备，为发展循环经济、低碳经济、绿色经济做出重要贡献",
  },
  5: { short: "（五）传绝技带高徒", text: "（五）发扬团队精神，传绝技、带高徒，所带徒弟多人成为企业技能骨干，在各类技能竞赛中取得优异成绩" },
};

export const MIN_FRONTLINE_YEARS = 5;
const MIN_SKILL_LEVEL = "高级工";

export interface EligibilityInput {
  /** Null while unknown: the nomination came from a list that did not say. */
  frontlineYears: number | null;
  inSkillPost: boolean | null;
  teacherOrResearcher: boolean;
  conditions: number[];
  skillLevel: string;
  achievements: string;
  deedsSummary: string;
}

export interface Eligibility {
  eligible: boolean;
  /** Reasons the nominee cannot be selected. */
  problems: string[];
  /** Points the reviewers should weigh, but that do not exclude. */
  warnings: string[];
  /** Parts of the 推荐审批表 not filled in yet (待补全): nothing can be concluded before they are. */
  missing: string[];
}

/** What a nomination filed from a county's list may still lack, by the 审批表's own words. */
export function missingParts(input: Pick<EligibilityInput, "frontlineYears" | "inSkillPost" | "conditions" | "achievements" | "deedsSummary">): string[] {
  const missing: string[] = [];
  if (input.frontlineYears === null) missing.push("一线技能工作年限");
  if (input.inSkillPost === null) missing.push("是否仍在技能岗位");
  if (!input.conditions.length) missing.push("符合条件");
  if (!input.achievements.trim()) missing.push("主要技术成果");
  if (!input.deedsSummary.trim()) missing.push("主要事迹");
  return missing;
}

/** The notice's section 三, applied to what the form says (and only to what it says). */
export function checkEligibility(input: EligibilityInput): Eligibility {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (input.frontlineYears !== null && input.frontlineYears < MIN_FRONTLINE_YEARS) {
    problems.push(`直接从事一线技能工作不满${MIN_FRONTLINE_YEARS}年（填报${input.frontlineYears}年）`);
  }
  if (input.inSkillPost === false) problems.push("目前已不在技能岗位上");
  if (input.teacherOrResearcher) problems.push("各级各类学校教师及专门研究人员不在选树之列");
  if (input.conditions.length && !input.conditions.some((c) => CONDITIONS[c])) problems.push("不符合条件（一）至（五）中的任何一项");
  if (skillRank(input.skillLevel) < SKILL_LEVELS.indexOf(MIN_SKILL_LEVEL)) {
    warnings.push(`原则上应具有国家职业资格高级工以上（目前为${input.skillLevel}）`);
  }
  const missing = missingParts(input);
  return { eligible: problems.length === 0 && missing.length === 0, problems, warnings, missing };
}

export function quotaWarning(unitName: string, count: number, quota: number): string | null {
  return count > quota ? `${unitName}本届已推荐${count}人，超过原则上每单位${quota}名的名额` : null;
}
