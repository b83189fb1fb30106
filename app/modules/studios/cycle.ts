import type { EvaluationGrade, GrantSource, SpendingCategory, StudioYearStatus } from "~db/types";
import { relationTo } from "~/auth/relation";
import type { SessionUser } from "~/auth/roles";
import { defineWorkflow } from "~/auth/workflow";
import { isRunning } from "~/modules/studios/policy";
import { yearParam } from "~/lib/time";

/** Pure rules of a studio's money and year: the defaults the city may change, the year's workflow, the arithmetic. */

/** Policy as data: what holds for a year the city has not set. */
export const DEFAULT_CYCLE_POLICY = {
  /** Spending above this (in fen) waits for the county's approval: 5,000 元. */
  approvalThresholdFen: 500_000,
  /** At most this share of the studios graded in a year may be 优秀. */
  excellentCapPercent: 20,
  /** A studio is re-confirmed every this many years from its accreditation. */
  reconfirmYears: 3,
} as const;

export type CyclePolicy = { approvalThresholdFen: number; excellentCapPercent: number; reconfirmYears: number };

export const GRANT_SOURCE_LABELS: Record<GrantSource, string> = {
  national: "全国总工会",
  provincial: "省总工会",
  city: "市总工会",
  county: "县级总工会",
  enterprise: "依托企业配套",
};

/** Why a grant was given: the studio's support, or the grant that comes with a re-confirmation. */
export const GRANT_PURPOSE_LABELS: Record<"support" | "reconfirmation", string> = { support: "工作室建设资助", reconfirmation: "重新确认资助" };

export const SPENDING_CATEGORY_LABELS: Record<SpendingCategory, string> = {
  equipment: "设备购置",
  training: "培训",
  materials: "材料耗材",
  innovation: "技术攻关与创新",
  outreach: "交流与服务企业",
  other: "其他",
};

export const SPENDING_STATUS_LABELS = { recorded: "已入账", pending: "待县级审批", approved: "已审批入账", rejected: "未获批准" } as const;

/** The 年度计划's targets, and what the platform counts against each. */
export const PLAN_TARGETS = {
  apprentices: "带徒（人）",
  apprenticeHours: "带徒学时（小时）",
  trainingSessions: "培训（场）",
  trainingPeople: "培训（人次）",
  projects: "技术攻关项目（项）",
  patents: "专利及成果（项）",
  outreach: "服务企业（家次）",
} as const;

export type PlanKey = keyof typeof PLAN_TARGETS;
export type Plan = Record<PlanKey, number>;

export const YEAR_STATUS_LABELS: Record<StudioYearStatus, string> = {
  planned: "已报年度计划",
  submitted: "年度总结已提交，待县级审核",
  returned: "年度总结退回修改",
  county_passed: "县级审核通过，待市总工会验收",
  accepted: "已验收",
};

/**
 * A studio-year: the plan at its start, the report at its end, the county's review, the city's
 * 验收. "owner" is the studio's leader. 验收 itself is a step with a checklist of its own
 * (acceptStudioYear); a graded year can be graded again (改评) within the same rules.
 */
export const studioYearWorkflow = defineWorkflow<StudioYearStatus>("年度总结")({
  submit: {
    label: "提交年度总结",
    from: ["planned", "returned"],
    to: "submitted",
    by: ["owner"],
    notices: [{ to: ["unit"], category: "todo", text: "{owner}提交了“{subject}”的年度总结，请审核" }],
  },
  county_return: {
    label: "退回修改",
    from: ["submitted"],
    to: "returned",
    by: ["county"],
    needsReason: true,
    notices: [{ to: ["owner"], category: "returned", text: "“{subject}”的年度总结被退回修改：{reason}" }],
  },
  county_pass: {
    label: "县级审核通过",
    from: ["submitted"],
    to: "county_passed",
    by: ["county"],
    notices: [
      { to: ["owner"], category: "approved", text: "“{subject}”的年度总结已通过{unit}审核，等待市总工会验收" },
      { to: ["city"], category: "todo", text: "{unit}审核通过了“{subject}”的年度总结，请组织验收" },
    ],
  },
  accept: { label: "验收评定", from: ["county_passed", "accepted"], to: "accepted", by: ["city"] },
});

export type YearStep = keyof typeof studioYearWorkflow.steps;

/** The most 优秀 grades a year may give: the cap's share of the studios graded that year, rounded down. */
export function excellentCap(studiosInYear: number, capPercent: number): number {
  return Math.floor((studiosInYear * capPercent) / 100);
}

/** The re-confirmation periods of a studio accredited in a year: [first, last] year of each, up to the given year. */
export function reconfirmationPeriods(accreditedYear: number, everyYears: number, upTo: number): Array<{ from: number; to: number }> {
  const periods: Array<{ from: number; to: number }> = [];
  for (let from = accreditedYear; from + everyYears - 1 <= upTo; from += everyYears) periods.push({ from, to: from + everyYears - 1 });
  return periods;
}

/**
 * What the period's grades suggest: re-confirm when every year was graded and none failed;
 * not when one failed; nothing yet while a year is still ungraded.
 */
export function reconfirmationAdvice(grades: Array<EvaluationGrade | null>): "reconfirm" | "decline" | "incomplete" {
  if (grades.some((g) => g === "fail")) return "decline";
  if (grades.some((g) => g === null)) return "incomplete";
  return "reconfirm";
}

/**
 * What is returned at closing, by source: the unspent balance shared in proportion to what each
 * source paid in, in whole fen (largest remainder), so the parts add up to the balance exactly.
 */
export function returnBySource(received: Partial<Record<GrantSource, number>>, unspentFen: number): Partial<Record<GrantSource, number>> {
  const sources = (Object.keys(received) as GrantSource[]).filter((s) => (received[s] ?? 0) > 0);
  const total = sources.reduce((sum, s) => sum + received[s]!, 0);
  if (!total || unspentFen <= 0) return Object.fromEntries(sources.map((s) => [s, 0]));
  const shares = sources.map((s) => {
    const exact = (unspentFen * received[s]!) / total;
    return { s, fen: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let left = unspentFen - shares.reduce((sum, x) => sum + x.fen, 0);
  for (const x of [...shares].sort((a, b) => b.rest - a.rest)) {
    if (left <= 0) break;
    x.fen += 1;
    left -= 1;
  }
  return Object.fromEntries(shares.map((x) => [x.s, x.fen]));
}

/** Plan against actual, target by target; a target of 0 counts as met. */
export function planProgress(plan: Partial<Plan>, actual: Plan) {
  return (Object.keys(PLAN_TARGETS) as PlanKey[]).map((key) => ({
    key,
    label: PLAN_TARGETS[key],
    target: plan[key] ?? 0,
    actual: actual[key],
    met: actual[key] >= (plan[key] ?? 0),
  }));
}

/** The statement a link asks for: ?closing=1, or ?year=YYYY (this year when it is missing or odd). */
export function statementPeriod(params: URLSearchParams): { year: number } | { closing: true } {
  return params.get("closing") === "1" ? { closing: true } : { year: yearParam(params.get("year")) };
}

/** A starting point for a year's 验收 checklist, after the published rubrics (100 points); once saved, the year's own rows count. */
export const SUGGESTED_CHECKLIST: ReadonlyArray<{ key: string; label: string; points: number; needsPhoto: boolean }> = [
  { key: "site", label: "场地设施与挂牌", points: 15, needsPhoto: true },
  { key: "rules", label: "管理制度与年度计划", points: 10, needsPhoto: false },
  { key: "mentoring", label: "师带徒成效", points: 25, needsPhoto: false },
  { key: "innovation", label: "技术攻关与创新成果", points: 25, needsPhoto: false },
  { key: "funds", label: "经费使用规范、台账清楚", points: 10, needsPhoto: false },
  { key: "outreach", label: "交流培训与服务企业", points: 15, needsPhoto: false },
];

/** The 自我评价 the report starts from: the plan against the records, in words the leader then edits. */
export function draftSelfAssessment(plan: Partial<Plan>, actual: Plan): string {
  return planProgress(plan, actual)
    .filter((p) => p.target > 0 || p.actual > 0)
    .map((p) => `${p.label}：计划 ${p.target}，完成 ${p.actual}${p.met ? "" : "（未完成）"}`)
    .join("；");
}

/** 重新确认 is the city's, and only for a studio that runs. */
export function mayReconfirm(user: SessionUser, studio: { org_unit_id: number; status: string }): boolean {
  return relationTo(user, studio.org_unit_id, null) === "city" && isRunning(studio.status);
}
