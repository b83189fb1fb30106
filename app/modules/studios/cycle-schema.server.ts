import { z } from "zod";
import { decisionFields, isoDate, keysOf, optionalText, reasonToReject, recordId, requiredText, stepFields, wholeNumber, yuan } from "~/lib/validation.server";
import { DATE_RANGES } from "~/lib/time";
import { GRANT_SOURCE_LABELS, PLAN_TARGETS, SPENDING_CATEGORY_LABELS, studioYearWorkflow, type PlanKey } from "~/modules/studios/cycle";

/** The forms of a studio's ledger, year and 验收, parsed on the server. */

const notFuture = (label: string) => isoDate(label, DATE_RANGES.past);

export const grantSchema = z.object({
  source: z.enum(keysOf(GRANT_SOURCE_LABELS), { error: "请选择资金来源" }),
  documentNumber: requiredText("文件文号", 60),
  amount: yuan("资助金额"),
  decidedOn: notFuture("下达日期"),
});
export type GrantInput = z.output<typeof grantSchema>;

export const trancheSchema = z.object({
  grantId: recordId("请选择对应的资助"),
  amount: yuan("到账金额"),
  receivedOn: notFuture("到账日期"),
  voucher: requiredText("凭证号", 60),
});
export type TrancheInput = z.output<typeof trancheSchema>;

export const spendingSchema = z.object({
  category: z.enum(keysOf(SPENDING_CATEGORY_LABELS), { error: "请选择支出类别" }),
  description: requiredText("支出事由", 200),
  amount: yuan("支出金额"),
  spentOn: notFuture("支出日期"),
});
export type SpendingInput = z.output<typeof spendingSchema>;

export const spendingReviewSchema = z
  .object({ spendingId: recordId("支出记录不存在"), ...decisionFields("approved", "请选择审批结论") })
  .superRefine(reasonToReject("不予批准须说明理由"));

const target = (label: string) => wholeNumber(label, 0, 10_000);

export const planSchema = z.object(
  Object.fromEntries((Object.keys(PLAN_TARGETS) as PlanKey[]).map((k) => [k, target(PLAN_TARGETS[k])])) as Record<PlanKey, ReturnType<typeof target>>,
);

export const reportSchema = z.object({
  summary: requiredText("年度工作总结", 5000),
  selfAssessment: requiredText("自我评价", 2000),
  outreach: target("服务企业（家次）"),
});
export type ReportInput = z.output<typeof reportSchema>;

export const yearStepSchema = z.object({ ...stepFields(studioYearWorkflow.names) });

export const acceptanceSchema = z
  .object({
    expected: z.string(),
    grade: z.enum(["excellent", "pass", "fail"], { error: "请选择考核等次" }),
    comment: optionalText("意见", 500),
  })
  .superRefine((v, ctx) => {
    if (v.grade === "fail" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "评为不合格须写明意见" });
  });

export const checklistItemSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, "项目代码应为小写字母、数字和下划线"),
  label: requiredText("验收项目", 60),
  points: wholeNumber("分值", 1, 100),
  needsPhoto: z.boolean(),
});

export const cyclePolicySchema = z.object({
  approvalThreshold: yuan("需县级审批的支出金额"),
  excellentCapPercent: wholeNumber("优秀比例上限", 0, 100),
  reconfirmYears: wholeNumber("重新确认周期", 1, 10),
});

export const reconfirmSchema = z
  .object({
    periodEnd: wholeNumber("周期", 2000, 2100),
    outcome: z.enum(["reconfirmed", "declined"], { error: "请选择结论" }),
    comment: optionalText("意见", 500),
    grantAmount: yuan("资助金额").optional(),
    grantDocument: optionalText("文件文号", 60),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "declined" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "不予重新确认须说明理由" });
    if (v.grantAmount && !v.grantDocument) ctx.addIssue({ code: "custom", path: ["grantDocument"], message: "有资助时请填写文件文号" });
  })
  // A new period's grant comes with its document; without an amount there is none.
  .transform(({ grantAmount, grantDocument, ...decision }) => ({
    ...decision,
    grant: grantAmount && grantDocument ? { amountFen: grantAmount, documentNumber: grantDocument } : null,
  }));
