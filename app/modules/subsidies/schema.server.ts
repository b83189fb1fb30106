import { DATE_RANGES } from "~/lib/time";
import { z } from "zod";
import {
  confirmation,
  decimalNumber,
  keysOf,
  optionalText,
  requiredText,
  whenValid,
  wholeNumber,
  recordId,
  queryParam,
  stepFields,
  isoDate,
  yuan,
} from "~/lib/validation.server";
import { revealReason } from "~/modules/people/schema.server";
import { mobilePhoneField, objectorFields } from "~/modules/voting/schema.server";
import { EDUCATION_LEVELS } from "~/modules/people/options";
import { subsidyWorkflow, SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import { TARGET_DEGREES } from "~/modules/subsidies/labels";

export const applicationSchema = z
  .object({
    currentEducation: z.enum(EDUCATION_LEVELS, { error: "请选择现有学历" }),
    targetDegree: z.enum(TARGET_DEGREES, { error: "请选择报读学历层次" }),
    institution: requiredText("就读院校", 100),
    programme: requiredText("专业", 100),
    studyMode: z.enum(["full_time", "part_time", "distance"], { error: "请选择学习形式" }),
    enrolledOn: isoDate("入学日期", DATE_RANGES.plan),
    expectedGraduation: isoDate("预计毕业日期", DATE_RANGES.plan),
    tuition: yuan("学费总额"),
    requested: yuan("申请补助金额"),
  })
  .superRefine(
    (v, ctx) => {
      if (v.expectedGraduation <= v.enrolledOn) {
        ctx.addIssue({ code: "custom", path: ["expectedGraduation"], message: "预计毕业日期应晚于入学日期" });
      }
    },
    whenValid("enrolledOn", "expectedGraduation"),
  )
  .superRefine(
    (v, ctx) => {
      if (v.requested > v.tuition) ctx.addIssue({ code: "custom", path: ["requested"], message: "申请金额不能超过学费总额" });
    },
    whenValid("tuition", "requested"),
  )
  .superRefine(
    (v, ctx) => {
      if (EDUCATION_LEVELS.indexOf(v.currentEducation) >= EDUCATION_LEVELS.indexOf(v.targetDegree as never)) {
        ctx.addIssue({ code: "custom", path: ["targetDegree"], message: "报读学历应高于现有学历" });
      }
    },
    whenValid("currentEducation", "targetDegree"),
  );

export type ApplicationInput = z.output<typeof applicationSchema>;

export const policySchema = z.object({
  budget: yuan("年度预算"),
  sharePercent: decimalNumber("补助比例", 1, 100, 0, "补助比例应在1%到100%之间"),
  holdbackPercent: decimalNumber("预留比例", 0, 100, 0, "预留比例应在0%到100%之间"),
  yearsAfterAward: wholeNumber("年限", 0, 50),
  // Absent from a form that does not show it (the year keeps its days).
  noticeDays: wholeNumber("公示天数", 1, 30).optional(),
  open: z
    .enum(["on"])
    .optional()
    .transform((v) => v === "on"),
});

export const stepSchema = z.object({
  ...stepFields(subsidyWorkflow.names),
  amount: z.string().optional(),
  date: z.string().optional(),
  voucher: optionalText("凭证号", 60),
});

export const attachSchema = z.object({ kind: z.enum(["admission", "receipt", "graduation"]) });

export const detachSchema = z.object({ attachmentId: recordId("材料不存在"), confirmed: z.literal("1", { error: "请确认删除" }) });

export const subsidyFilterSchema = z.object({
  year: queryParam.year(),
  status: queryParam.choice(keysOf(SUBSIDY_STATUS_LABELS)),
  unitId: queryParam.id(),
  degree: z.enum(TARGET_DEGREES).optional().catch(undefined),
  queue: z.enum(["mine", "review", "approve"]).optional().catch(undefined),
  page: queryParam.page(),
});

/** The city publishes the year's approved applications, confirming the count it was shown. */
export const publishNoticeSchema = z.object({
  expected: wholeNumber("待公示的申请数", 1, 100_000),
  confirmed: confirmation(),
});

/** A verified real-name objection to one application of a 公示. */
export const subsidyObjectionSchema = z.object({ ...objectorFields, applicationId: recordId("请从公示名单中选择异议对象") });

export const objectionCodeSchema = z.object({ phone: mobilePhoneField });

export const resolveObjectionSchema = z.object({
  objectionId: recordId("异议不存在"),
  outcome: z.enum(["dismissed", "upheld"], { error: "请选择核查结果" }),
  handling: requiredText("核查处理情况", 1000),
  confirmed: confirmation(),
});

export const revealObjectorSchema = z.object({
  objectionId: recordId("异议不存在"),
  reason: revealReason,
});
