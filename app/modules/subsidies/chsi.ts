import type { ChsiKind, ChsiStage, SubsidyStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { addDays, addMonths } from "~/lib/time";
import { relation, type ApplicationRef } from "~/modules/subsidies/policy";

/**
 * 学信网 (chsi.com.cn) verification, as pure rules: the 在线验证码 the applicant copies from their online
 * verification report, how long the report stays valid, the official page an officer opens to see it,
 * and who enters or records what in which state. The platform never fetches that page itself.
 */

export const CHSI_KIND_LABELS: Record<ChsiKind, string> = {
  enrolment: "学籍在线验证报告",
  degree: "学历在线验证报告",
  filing: "学历证书电子注册备案表",
};

export const CHSI_STAGE_LABELS: Record<ChsiStage, string> = { enrolment: "入学（学籍）", graduation: "毕业（学历）" };

/** The reports each stage rests on: 学籍 while studying, 学历 (or its 备案表) once graduated. */
export const CHSI_STAGE_KINDS = { enrolment: ["enrolment"], graduation: ["degree", "filing"] } as const satisfies Record<ChsiStage, readonly ChsiKind[]>;

/** The states in which each stage's report matters: until the city approves, and between payment and closing. */
export const CHSI_STAGE_STATUSES = {
  enrolment: ["draft", "returned", "submitted", "county_approved"],
  graduation: ["disbursed"],
} as const satisfies Record<ChsiStage, readonly SubsidyStatus[]>;

export const CHSI_OUTCOME_LABELS = { matches: "一致", mismatch: "不一致" } as const;
export type ChsiOutcome = keyof typeof CHSI_OUTCOME_LABELS;

/**
 * A code due to lapse within this many days may lapse before the review ends: the county's and the
 * city's review windows are ten working days each (DUE_WORKING_DAYS), about four calendar weeks.
 */
export const CHSI_LAPSE_DAYS = 30;

/** The 学信网 lets the holder choose a report's validity of 1 to 6 months. */
const SHORTEST_MONTHS = 1;
const LONGEST_MONTHS = 6;

/** The code as the report prints it: spaces (a copy from a PDF), full-width characters and lower case forgiven. */
export function normaliseChsiCode(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

/** What is wrong with a normalised code, or null: 12 to 16 letters and digits. */
export function chsiCodeProblem(code: string): string | null {
  if (!code) return "请填写在线验证码";
  if (/[^A-Z0-9]/.test(code)) return "在线验证码只含字母和数字，请照报告上的在线验证码填写";
  if (code.length < 12 || code.length > 16) return `在线验证码应为12到16位字母或数字（填写的是${code.length}位）`;
  return null;
}

/** The days a report entered today may be valid until: what the 学信网 offers, from one month to six. */
export function chsiValidRange(today: string): { earliest: string; latest: string } {
  return { earliest: addMonths(today, SHORTEST_MONTHS), latest: addMonths(today, LONGEST_MONTHS) };
}

/** Why a validity date cannot be taken, or null; `askedMonths` is what the policy asks the applicant to choose. */
export function validUntilProblem(validUntil: string, today: string, askedMonths: number): string | null {
  const { earliest, latest } = chsiValidRange(today);
  if (validUntil < today) return `该验证码已于 ${validUntil} 过期，请在学信网重新生成报告，有效期选${askedMonths}个月`;
  if (validUntil < earliest) return `有效期不足1个月，审核结束前就会过期；请在学信网重新生成报告，有效期选${askedMonths}个月`;
  if (validUntil > latest) return `学信网验证报告的有效期最长6个月（至 ${latest}），请核对有效期`;
  return null;
}

/**
 * The official page that shows the report for a code (学信网's 在线验证报告查询, which opens the report
 * itself); the officer opens it in their own browser. Its entry form is https://www.chsi.com.cn/xlcx/bgcx.jsp.
 */
export function chsiReportUrl(code: string): string {
  return `https://www.chsi.com.cn/xlcx/bg.do?vcode=${encodeURIComponent(code)}&srcid=bgcx`;
}

export type ChsiLapse = "lapsed" | "lapsing" | null;

/** Lapsed (past its last day), lapsing (may lapse before the review ends), or fine. */
export function chsiLapse(validUntil: string, today: string): ChsiLapse {
  if (validUntil < today) return "lapsed";
  if (validUntil < addDays(today, CHSI_LAPSE_DAYS)) return "lapsing";
  return null;
}

/** The applicant's to-do for a code that lapsed or is lapsing. */
export const CHSI_RENEW_TODO: Record<Exclude<ChsiLapse, null>, string> = {
  lapsed: "学信网验证码已过期，请重新生成并填写",
  lapsing: "学信网验证码即将过期，请重新生成并填写",
};

/** The stage whose report the application's state asks for, if any. */
export function chsiStageOf(status: SubsidyStatus): ChsiStage | null {
  for (const stage of ["enrolment", "graduation"] as const) {
    if ((CHSI_STAGE_STATUSES[stage] as readonly SubsidyStatus[]).includes(status)) return stage;
  }
  return null;
}

/**
 * The applicant enters a code while the application is theirs (draft, returned) and after payment
 * (the graduation report); while it is under review only to replace one that lapsed or is lapsing.
 */
export function canEnterChsi(user: SessionUser, app: ApplicationRef, latest: { valid_until: string } | null, today: string): boolean {
  if (relation(user, app) !== "owner") return false;
  switch (app.status) {
    case "draft":
    case "returned":
    case "disbursed":
      return true;
    case "submitted":
    case "county_approved":
      return !latest || chsiLapse(latest.valid_until, today) !== null;
    default:
      return false;
  }
}

/** What the officer saw is recorded by whoever reviews now: the county on submission, the city before approving and before closing. */
export function canCheckChsi(user: SessionUser, app: ApplicationRef): boolean {
  const who = relation(user, app);
  return (who === "county" && app.status === "submitted") || (who === "city" && (app.status === "county_approved" || app.status === "disbursed"));
}

export interface ChsiCheckInput {
  outcome: ChsiOutcome;
  nameMatches: boolean;
  idDigitsMatch: boolean;
  school: string | null;
  level: string | null;
  recordStatus: string | null;
  graduatedOn: string | null;
  note: string | null;
}

/**
 * What a record of "一致" must say, by field: the name and the ID's last digits both match, and what the
 * report showed (school, level, and the 学籍状态 at enrolment or the graduation date at graduation).
 * "不一致" needs only its reason.
 */
export function checkProblems(stage: ChsiStage, input: ChsiCheckInput): Record<string, string[]> | null {
  const problems: Record<string, string[]> = {};
  if (input.outcome === "mismatch") {
    if (!input.note) problems.note = ["请说明哪里不一致"];
  } else {
    if (!input.nameMatches) problems.nameMatches = ["姓名不一致时请记录为“不一致”"];
    if (!input.idDigitsMatch) problems.idDigitsMatch = ["身份证号后几位不一致时请记录为“不一致”"];
    if (!input.school) problems.school = ["请填写报告上的学校"];
    if (!input.level) problems.level = ["请填写报告上的层次"];
    if (stage === "enrolment" && !input.recordStatus) problems.recordStatus = ["请填写报告上的学籍状态"];
    if (stage === "graduation" && !input.graduatedOn) problems.graduatedOn = ["请填写报告上的毕业日期"];
  }
  return Object.keys(problems).length ? problems : null;
}
