import { z } from "zod";
import { parseYuan } from "~/lib/money";
import { DATE_RANGES } from "~/lib/time";
import { confirmation, decimalNumber, isoDate, keysOf, optionalText, queryParam, recordId, requiredText, wholeNumber } from "~/lib/validation.server";
import { ASSESSMENT_RESULT_LABELS } from "~/modules/apprentices/assessment-labels";

/** The most milestones an assessment can name as evidence (a form can post any number). */
export const EVIDENCE_MAX = 20;

/** 出师考核 as the officer's form posts it. */
export const assessmentSchema = z
  .object({
    assessedOn: isoDate("考核日期", DATE_RANGES.past),
    method: requiredText("考核方式", 200),
    examiners: requiredText("考核人员", 200),
    score: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(decimalNumber("考核成绩", 0, 100, 1, "考核成绩应在0到100之间").optional()),
    grade: optionalText("考核等级", 20),
    certificate: optionalText("证书编号", 100),
    result: z.enum(keysOf(ASSESSMENT_RESULT_LABELS), { error: "请选择考核结论" }),
    extendedTo: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(isoDate("延期至", DATE_RANGES.plan).optional()),
    evidence: z.array(recordId("请从列表中选择成果"), { error: "请从列表中选择成果" }).max(EVIDENCE_MAX, `最多选择${EVIDENCE_MAX}项成果`).optional(),
    comment: optionalText("说明", 500),
    /** The result cannot be undone: the form's confirming button posts this. */
    confirmed: confirmation(),
  })
  .superRefine((v, ctx) => {
    if (v.score === undefined && !v.grade) ctx.addIssue({ code: "custom", path: ["score"], message: "请填写考核成绩或考核等级" });
    if (v.result === "extended" && !v.extendedTo) ctx.addIssue({ code: "custom", path: ["extendedTo"], message: "延期须填写延期至的日期" });
    if (v.result === "terminated" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "终止结对须说明原因" });
  })
  .transform((v) => ({
    ...v,
    score: v.score ?? null,
    // A date typed beside another result is not an extension.
    extendedTo: v.result === "extended" ? (v.extendedTo ?? null) : null,
    evidence: [...new Set(v.evidence ?? [])],
  }));

export type AssessmentInput = z.output<typeof assessmentSchema>;

/** What the table holds at most for one amount of the policy: 100万元. */
const POLICY_MAX_FEN = 100_000_000;

/** A money field that may be 0 (a policy can pay nothing for a result). */
const fen = (label: string) =>
  z.string({ error: `请填写${label}` }).transform((v, ctx) => {
    if (!v.trim()) {
      ctx.addIssue({ code: "custom", message: `请填写${label}` });
      return z.NEVER;
    }
    const parsed = parseYuan(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    if (parsed.fen > POLICY_MAX_FEN) {
      ctx.addIssue({ code: "custom", message: `${label}不能超过100万元` });
      return z.NEVER;
    }
    return parsed.fen;
  });

/** The year's mentoring policy as the city's form posts it. */
export const mentoringPolicySchema = z.object({
  reviewEveryMonths: wholeNumber("评议间隔（月）", 1, 12),
  allowancePerYearFen: fen("每名学徒每年带徒津贴"),
  passedPercent: wholeNumber("出师的发放比例", 0, 200),
  extendedPercent: wholeNumber("延期的发放比例", 0, 200),
  terminatedPercent: wholeNumber("终止的发放比例", 0, 200),
  technicianRewardFen: fen("培养技师奖励"),
  placingRewardFen: fen("竞赛名次奖励"),
});

/** A payment recorded against one owed item: the amount is the computed one, never posted. */
export const paymentSchema = z.object({
  key: z
    .string({ error: "应付项目不存在" })
    .trim()
    .regex(/^(allowance|technician|placing):\d{1,9}$/, "应付项目不存在"),
  paidOn: isoDate("支付日期", DATE_RANGES.past),
  payer: requiredText("支付单位", 100),
  reference: requiredText("凭证号", 100),
});

export type PaymentInput = z.output<typeof paymentSchema>;

export const payableFilterSchema = z.object({
  paid: queryParam.choice(["paid", "unpaid"] as const),
  page: queryParam.page(),
});

export type PayableFilter = z.output<typeof payableFilterSchema>;
