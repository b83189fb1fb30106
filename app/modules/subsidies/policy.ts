import type { SubsidyStatus } from "~db/types";
import { EDUCATION_LEVELS } from "~/modules/people/options";
import type { SessionUser } from "~/auth/roles";
import { applicationReview, defineWorkflow } from "~/auth/workflow";

/** Pure rules of the subsidy workflow: who takes which step from which state, and the money arithmetic. */

export const SUBSIDY_STATUS_LABELS: Record<SubsidyStatus, string> = {
  draft: "草稿",
  submitted: "已提交，待县级总工会审核",
  returned: "退回修改",
  county_approved: "县级已审核，待市总工会审批",
  approved: "已批准，待拨付",
  disbursed: "已拨付",
  closed: "已结案",
  rejected: "未批准",
};

export interface ApplicationRef {
  status: SubsidyStatus;
  org_unit_id: number;
  person_id: number;
}

/** The workflow; "owner" is the applicant. */
export const subsidyWorkflow = defineWorkflow<SubsidyStatus>("申请")({
  ...applicationReview("county_approved", "county_return", {
    submit: {
      notices: [{ to: ["unit"], category: "todo", text: "{owner}提交了学历提升补助申请，请审核" }],
      todo: { for: "county", text: "审核补助申请：{subject}" },
    },
    withdraw: { notices: [{ to: ["unit"], category: "todo", text: "{owner}撤回了学历提升补助申请，修改后会重新提交，暂不需审核" }] },
    return: {
      notices: [{ to: ["owner"], category: "returned", text: "您的补助申请被退回：{reason}" }],
      todo: { for: "owner", text: "修改补助申请：{reason}" },
    },
    county_approve: {
      notices: [
        { to: ["owner"], category: "approved", text: "您的补助申请已通过{unit}审核，等待市总工会批准" },
        { to: ["city"], category: "todo", text: "{unit}审核通过了{owner}的补助申请，请批准" },
      ],
      todo: { for: "city", text: "批准补助申请：{subject}" },
    },
    county_reject: {
      confirm: "申请将被驳回，申请人不能再修改或重新提交。",
      notices: [{ to: ["owner"], category: "rejected", text: "您的补助申请未获通过：{reason}" }],
    },
    city_return: {
      notices: [
        { to: ["owner"], category: "returned", text: "您的补助申请被市总工会退回：{reason}" },
        { to: ["unit"], category: "todo", text: "市总工会退回了{owner}的补助申请：{reason}" },
      ],
      todo: { for: "owner", text: "修改补助申请：{reason}" },
    },
  }),
  city_approve: {
    label: "批准",
    from: ["county_approved"],
    to: "approved",
    by: ["city"],
    notices: [
      { to: ["owner"], category: "approved", text: "您的补助申请已获市总工会批准" },
      { to: ["unit"], category: "approved", text: "{owner}的补助申请已获市总工会批准" },
    ],
  },
  city_reject: {
    label: "不予批准",
    from: ["county_approved"],
    to: "rejected",
    by: ["city"],
    needsReason: true,
    confirm: "申请将被驳回，申请人不能再修改或重新提交。",
    notices: [
      { to: ["owner"], category: "rejected", text: "您的补助申请未获批准：{reason}" },
      { to: ["unit"], category: "rejected", text: "{owner}的补助申请未获市总工会批准：{reason}" },
    ],
  },
  // Only an approval whose 公示 drew an objection the city upheld (takeSubsidyStep checks it).
  revoke: {
    label: "撤销批准",
    from: ["approved"],
    to: "rejected",
    by: ["city"],
    needsReason: true,
    confirm: "公示异议经核查属实，撤销后不予补助，批准的金额退回年度预算，申请人不能再修改或重新提交。",
    notices: [
      { to: ["owner"], category: "rejected", text: "您的补助批准已被撤销：{reason}" },
      { to: ["unit"], category: "rejected", text: "{owner}的补助批准已被市总工会撤销：{reason}" },
    ],
  },
  disburse: {
    label: "登记拨付",
    from: ["approved"],
    to: "disbursed",
    by: ["city"],
    confirm: "将登记已按批准金额拨付（预留部分待毕业后拨付），登记后不能撤回。",
    notices: [{ to: ["owner"], category: "paid", text: "您的学历提升补助已拨付" }],
  },
  close: {
    label: "核实毕业证书并结案",
    from: ["disbursed"],
    to: "closed",
    by: ["city"],
    notices: [{ to: ["owner"], category: "paid", text: "您的补助申请已核实毕业证书并结案" }],
  },
});

export const { steps: SUBSIDY_STEPS, canTake: canTakeStep, available: availableSteps, relation, canView: canViewApplication } = subsidyWorkflow;
export type SubsidyStep = keyof typeof SUBSIDY_STEPS;

/** The steps a page offers: revoking an approval only once an objection to its 公示 has been upheld. */
export function offeredSteps(user: SessionUser, app: ApplicationRef, objectionUpheld: boolean) {
  return subsidyWorkflow.offered(user, app).filter((s) => s.step !== "revoke" || objectionUpheld);
}

/** The applicant edits and attaches proof while the application is with them; the graduation proof after payment. */
export function canEditApplication(user: SessionUser, app: ApplicationRef): boolean {
  return relation(user, app) === "owner" && (app.status === "draft" || app.status === "returned");
}

/**
 * Which payment an application waits for: the first (approved, not yet paid) or the held part
 * (paid but for the holdback); none once nothing more is owed, or before approval.
 */
export function paymentDue(app: { status: SubsidyStatus; held_fen: number | null }): "first" | "final" | null {
  if (app.status === "approved") return "first";
  if (app.status === "disbursed" && Number(app.held_fen) > 0) return "final";
  return null;
}

/**
 * The applicant records or changes the account the subsidy is paid to while the application is theirs
 * to edit, and again while a payment is still owed — unless that payment is already on a batch, whose
 * file may be with the bank. Under review (submitted, with the county or the city) it stays as it was:
 * the reviewers look at a fixed application.
 */
export function canEditPayee(user: SessionUser, app: ApplicationRef & { held_fen: number | null }, onBatch: boolean): boolean {
  if (relation(user, app) !== "owner") return false;
  if (app.status === "draft" || app.status === "returned") return true;
  return paymentDue(app) !== null && !onBatch;
}

export function canUploadGraduation(user: SessionUser, app: ApplicationRef): boolean {
  return relation(user, app) === "owner" && app.status === "disbursed";
}

/** The most the policy allows: its share of the tuition, never above the level's cap. */
export function maxSubsidyFen(tuitionFen: number, sharePercent: number, capFen: number): number {
  return Math.min(Math.floor((tuitionFen * sharePercent) / 100), capFen);
}

/** The part kept back until the graduation certificate is verified. */
export function holdbackFen(approvedFen: number, holdbackPercent: number): number {
  return Math.floor((approvedFen * holdbackPercent) / 100);
}

/**
 * Where a recorded education stands among the levels (people records may say 大学本科, 硕士, 专科…);
 * -1 when it names none of them.
 */
export function educationRank(education: string): number {
  const e = education.replace(/\s/g, "");
  if (/博士/.test(e)) return EDUCATION_LEVELS.indexOf("博士研究生");
  if (/硕士|研究生/.test(e)) return EDUCATION_LEVELS.indexOf("硕士研究生");
  if (/本科|学士/.test(e)) return EDUCATION_LEVELS.indexOf("本科");
  if (/大专|专科|高职/.test(e)) return EDUCATION_LEVELS.indexOf("大专");
  return EDUCATION_LEVELS.indexOf(e as (typeof EDUCATION_LEVELS)[number]);
}

/** The subsidy is for a higher degree: one at or below the applicant's recorded education is not. */
export function degreeAboveRecorded(recordedEducation: string, targetDegree: string): boolean {
  return educationRank(targetDegree) > educationRank(recordedEducation);
}

/** Other schemes' subsidies (declared and imported) are for the officers who judge the application, not for its applicant to read back. */
export function canSeeOtherSchemes(user: SessionUser, app: ApplicationRef): boolean {
  const r = relation(user, app);
  return r === "county" || r === "city";
}

/**
 * What other schemes pay for these studies, each scheme counted once: the larger of what the
 * applicant declared for it and what its imported lists say (a 全总 payment both declared and
 * listed is one payment, not two; one the applicant understated counts at the list's amount).
 */
export function otherSchemesFen(
  declared: ReadonlyArray<{ scheme: string; amount_fen: number }>,
  listed: ReadonlyArray<{ scheme: string; amount_fen: number }>,
): { total: number; bySchemes: Array<{ scheme: string; declaredFen: number; listedFen: number; countedFen: number }> } {
  const sums = new Map<string, { declaredFen: number; listedFen: number }>();
  const add = (scheme: string, key: "declaredFen" | "listedFen", fen: number) => {
    const row = sums.get(scheme) ?? { declaredFen: 0, listedFen: 0 };
    row[key] += Number(fen);
    sums.set(scheme, row);
  };
  for (const c of declared) add(c.scheme, "declaredFen", c.amount_fen);
  for (const e of listed) add(e.scheme, "listedFen", e.amount_fen);
  const bySchemes = [...sums].map(([scheme, s]) => ({ scheme, ...s, countedFen: Math.max(s.declaredFen, s.listedFen) }));
  return { total: bySchemes.reduce((n, s) => n + s.countedFen, 0), bySchemes };
}

/** The most this subsidy may pay beside the others: the combined cap's share of the tuition less what they pay, never below nothing. */
export function combinedRoomFen(tuitionFen: number, combinedCapPercent: number, otherFen: number): number {
  return Math.max(0, Math.floor((tuitionFen * combinedCapPercent) / 100) - otherFen);
}

/**
 * Whether another scheme's payment was for the studies applied for: one for another degree level
 * (the 大专 a 全总 list paid three years ago, before this 本科) is not; a level the list leaves out
 * or words otherwise (专升本) is counted, so a doubt never pays twice.
 */
export function sameStudies(listedDegree: string | null, targetDegree: string): boolean {
  const rank = listedDegree ? educationRank(listedDegree) : -1;
  return rank < 0 || rank === educationRank(targetDegree);
}

type NoticeState = "before" | "open" | "after";

/** Where a 公示 stands on a Taizhou date: its first and last days are both in it. */
export function subsidyNoticeState(notice: { starts_on: string; ends_on: string }, today: string): NoticeState {
  return today < notice.starts_on ? "before" : today > notice.ends_on ? "after" : "open";
}
