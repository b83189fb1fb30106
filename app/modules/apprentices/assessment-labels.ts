import { auditTrail } from "~/lib/audit";

/** 出师考核's conclusions, as the page, the history and the payable list say them. */
export const ASSESSMENT_RESULT_LABELS = { passed: "出师", extended: "延期", terminated: "终止" } as const;

/** The history of an assessment: its action is its result (each tells the mentor and the apprentice something else). */
export const ASSESSMENT_AUDIT = auditTrail("mentorship_assessment", "出师考核", {
  passed: "考核出师",
  extended: "考核延期",
  terminated: "考核终止",
});

export const MENTORING_POLICY_AUDIT = auditTrail("mentoring_policy", "带徒政策", { create: "设定", update: "修改" });

/** What a mentor is owed for: the allowance per pairing, a reward per 技师 reached, per placing. */
export const PAYMENT_KIND_LABELS = { allowance: "带徒津贴", technician: "技师奖励", placing: "竞赛名次奖励" } as const;

export const MENTOR_PAYMENT_AUDIT = auditTrail("mentor_payment", "带徒津贴及奖励", { pay: "登记支付" });
