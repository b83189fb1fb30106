import { DATE_RANGES, FIRST_YEAR, LAST_YEAR } from "~/lib/time";
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
import { OTHER_SCHEME_LABELS, PAYEE_KIND_LABELS, PAYMENT_STAGE_LABELS, TARGET_DEGREES } from "~/modules/subsidies/labels";
import { cardNumberProblem, carriesCheckDigit, normaliseCardNumber, passesLuhn } from "~/modules/subsidies/payee";
import { CHSI_KIND_LABELS, CHSI_OUTCOME_LABELS, chsiCodeProblem, normaliseChsiCode } from "~/modules/subsidies/chsi";

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

export const policySchema = z
  .object({
    budget: yuan("年度预算"),
    sharePercent: decimalNumber("补助比例", 1, 100, 0, "补助比例应在1%到100%之间"),
    holdbackPercent: decimalNumber("预留比例", 0, 100, 0, "预留比例应在0%到100%之间"),
    yearsAfterAward: wholeNumber("年限", 0, 50),
    // 名额: left empty, the year has no limit.
    places: wholeNumber("名额", 1, 100_000)
      .optional()
      .transform((v) => v ?? null),
    // Left out by an older page: the year keeps what it has (100 when new).
    combinedCapPercent: wholeNumber("各项目合计上限", 1, 100).optional(),
    // Absent from a form that does not show it (the year keeps its days).
    noticeDays: wholeNumber("公示天数", 1, 30).optional(),
    open: z
      .enum(["on"])
      .optional()
      .transform((v) => v === "on"),
  })
  .superRefine(
    (v, ctx) => {
      // All schemes together can never pay less than this scheme alone may.
      if (v.combinedCapPercent !== undefined && v.combinedCapPercent < v.sharePercent) {
        ctx.addIssue({ code: "custom", path: ["combinedCapPercent"], message: `各项目合计上限不能低于本项目的补助比例（${v.sharePercent}%）` });
      }
    },
    whenValid("sharePercent", "combinedCapPercent"),
  );

export const stepSchema = z.object({
  ...stepFields(subsidyWorkflow.names),
  // Sent twice (a forged form), a field is an array: said in Chinese, like every other field.
  amount: z.string({ error: "批准金额格式不正确，请刷新页面后重新填写" }).optional(),
  date: z.string({ error: "日期格式不正确，请刷新页面后重新填写" }).optional(),
  voucher: optionalText("凭证号", 60),
  /** The applicant's statement, at submission, that no other scheme pays for these studies. */
  noOtherSchemes: z
    .enum(["1"], { error: "声明无效，请刷新页面后重试" })
    .optional()
    .transform((v) => v === "1"),
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

const schemeChoice = z.enum(keysOf(OTHER_SCHEME_LABELS), { error: "请选择补助项目类别" });

/** Another scheme's subsidy for the same studies, as the applicant declares it. */
export const claimSchema = z.object({ scheme: schemeChoice, schemeName: requiredText("项目名称", 100), amount: yuan("补助金额") });

export const unclaimSchema = z.object({ claimId: recordId("该申报不存在"), confirmed: z.literal("1", { error: "请确认删除" }) });

/** What the city says of a list it imports; the file comes beside it. */
export const schemeListSchema = z.object({
  scheme: schemeChoice,
  year: wholeNumber("年度", FIRST_YEAR, LAST_YEAR),
  title: requiredText("名单名称", 100),
  /** Import the good rows of a file that has bad ones (else nothing is stored until the file is right). */
  goodRowsOnly: z
    .enum(["1"], { error: "选项无效，请刷新页面后重试" })
    .optional()
    .transform((v) => v === "1"),
});

export const deleteListSchema = z.object({ listId: recordId("名单不存在"), confirmed: z.literal("1", { error: "请确认删除" }) });
/**
 * The account the subsidy is paid to. A 16–19 digit card number that fails its check digit is most
 * likely mistyped, but some genuine UnionPay cards fail it too: the applicant is asked to look again
 * and may then confirm the number as it is (numberChecked), rather than be refused outright.
 */
export const payeeSchema = z
  .object({
    kind: z.enum(keysOf(PAYEE_KIND_LABELS), { error: "请选择账户类别" }),
    accountName: requiredText("户名", 50),
    bankName: requiredText("开户银行", 60),
    number: z
      .string({ error: "请填写卡号" })
      .max(100, "卡号应为12到19位数字")
      .transform((typed, ctx) => {
        const digits = normaliseCardNumber(typed);
        const problem = cardNumberProblem(digits);
        if (problem) {
          ctx.addIssue({ code: "custom", message: problem });
          return z.NEVER;
        }
        return digits;
      }),
    numberChecked: confirmation(),
  })
  .superRefine(
    (v, ctx) => {
      if (carriesCheckDigit(v.number) && !passesLuhn(v.number) && !v.numberChecked) {
        ctx.addIssue({
          code: "custom",
          path: ["number"],
          message: "卡号未通过校验，可能有一位抄错了，请对照卡面核对；若确认无误，请勾选“卡号已核对无误”后再保存",
        });
      }
    },
    whenValid("number", "numberChecked"),
  );

export type PayeeInput = z.output<typeof payeeSchema>;

/** The city's reveal of a payee's full number: why, kept in the application's history. */
export const revealPayeeSchema = z.object({ reason: revealReason });

const expectedIds = z
  .string({ error: "名单已变化，请刷新页面后重试" })
  .max(20_000, "名单已变化，请刷新页面后重试")
  .regex(/^(\d{1,10}(,\d{1,10})*)?$/, "名单已变化，请刷新页面后重试")
  .transform((v) => (v ? v.split(",").map(Number) : []));

/** A batch as the page showed it: the year, the stage and exactly the applications listed (a changed list is refused). */
export const createBatchSchema = z.object({
  year: wholeNumber("年度", FIRST_YEAR, LAST_YEAR),
  stage: z.enum(keysOf(PAYMENT_STAGE_LABELS), { error: "未知的拨付阶段，请刷新页面后重试" }),
  expected: expectedIds,
  confirmed: confirmation(),
});

const batchId = recordId("拨付批次不存在");

export const batchSchema = z.object({ batchId });

export const batchPaidSchema = z.object({
  batchId,
  date: isoDate("拨付日期", DATE_RANGES.record),
  voucher: requiredText("拨付凭证号", 60),
  confirmed: confirmation(),
});

export const cancelBatchSchema = z.object({ batchId, confirmed: confirmation() });

export const paymentsFilterSchema = z.object({ year: queryParam.year() });

/** The applicant's 学信网 code: normalised as the report prints it, then 12 to 16 letters and digits; its kind and validity. */
export const chsiReportSchema = z.object({
  code: z
    .string({ error: "请填写在线验证码" })
    // Bounded before any work: no report's code is longer, spaces and all.
    .max(64, "在线验证码应为12到16位字母或数字")
    .transform(normaliseChsiCode)
    .superRefine((code, ctx) => {
      const problem = chsiCodeProblem(code);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  kind: z.enum(keysOf(CHSI_KIND_LABELS), { error: "请选择报告类型" }),
  validUntil: isoDate("有效期", DATE_RANGES.record),
});

const ticked = (label: string) =>
  z
    .enum(["on"], { error: `${label}格式不正确，请刷新页面后重新填写` })
    .optional()
    .transform((v) => v === "on");

/** What the officer saw on the official page; what "一致" must say is checked by the module (chsi.ts checkProblems). */
export const chsiCheckSchema = z.object({
  reportId: recordId("验证码不存在，请刷新页面"),
  outcome: z.enum(keysOf(CHSI_OUTCOME_LABELS), { error: "请选择核验结论" }),
  nameMatches: ticked("姓名一致"),
  idDigitsMatch: ticked("身份证号后几位一致"),
  school: optionalText("学校", 100),
  level: optionalText("层次", 40),
  recordStatus: optionalText("学籍状态", 40),
  graduatedOn: z
    .string({ error: "毕业日期格式不正确，请刷新页面后重新填写" })
    .optional()
    .transform((v) => v || undefined)
    .pipe(isoDate("毕业日期", DATE_RANGES.past).optional())
    .transform((v) => v ?? null),
  note: optionalText("说明", 500),
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
