import { z } from "zod";
import { asciiDigits } from "~/lib/format";
import { confirmation, keysOf, localTime, recordId, whenValid, wholeNumber } from "~/lib/validation.server";
import { PER_CANDIDATE_LABELS, TALLY_SHOWN_LABELS, RELATIONS } from "~/modules/voting/labels";
import { mainlandMobile } from "~/modules/voting/policy";
import type { IdNumberFacts } from "~/modules/people/id-number";
import { idNumberField, personFields } from "~/modules/people/schema.server";

const choiceOf = <T extends Record<string, string>>(labels: T, message: string) => z.enum(keysOf(labels), { error: message });

export const voteRulesSchema = z
  .object({
    opensAt: localTime("投票开始时间"),
    closesAt: localTime("投票结束时间"),
    maxChoices: wholeNumber("每张选票最多可选人数", 1, 50),
    perCandidate: choiceOf(PER_CANDIDATE_LABELS, "请选择每位候选人的投票次数"),
    tallyShown: choiceOf(TALLY_SHOWN_LABELS, "请选择票数公布方式"),
    tallyHour: wholeNumber("每天公布票数的时间", 0, 23),
    voteWeight: wholeNumber("网络投票所占权重", 0, 100),
    /** A ballot needs a WeChat identity too (issue 36): a checkbox, posted only when ticked. */
    wechatRequired: z
      .literal("1", { error: "“需要微信身份”的取值无效" })
      .optional()
      .transform((v) => v === "1"),
  })
  .superRefine(
    (v, ctx) => {
      if (v.closesAt <= v.opensAt) ctx.addIssue({ code: "custom", path: ["closesAt"], message: "投票结束时间应晚于开始时间" });
    },
    whenValid("opensAt", "closesAt"),
  );

export type VoteRulesInput = z.infer<typeof voteRulesSchema>;

/** A mainland mobile number as typed (spaces, dashes, +86 allowed): its eleven digits. */
export const mobilePhoneField = z
  .string({ error: "请填写手机号码" })
  .max(20, "请填写11位手机号码")
  .transform((v, ctx) => {
    const number = mainlandMobile(v);
    if (!number) {
      ctx.addIssue({ code: "custom", message: "请填写11位中国大陆手机号码" });
      return z.NEVER;
    }
    return number;
  });

/** A six-digit code sent by SMS. */
export const smsCodeField = z
  .string({ error: "请填写短信验证码" })
  .transform((v) => asciiDigits(v).trim())
  .pipe(z.string().regex(/^\d{6}$/, "验证码是6位数字"));

export const codeRequestSchema = z.object({
  phone: mobilePhoneField,
  altcha: z.string({ error: "请先完成人机验证" }).min(1, "请先完成人机验证").max(8_000, "人机验证无效，请重试"),
});

export const ballotSchema = z.object({
  phone: mobilePhoneField,
  code: smsCodeField,
  // Bounded before it is read: a form with thousands of ids is refused, not looked up.
  choices: z
    .array(z.string().regex(/^\d{1,10}$/, "候选人无效"), { error: "请至少选择一位候选人" })
    .min(1, "请至少选择一位候选人")
    .max(50, "选择的候选人太多")
    .transform((ids) => ids.map(Number)),
  device: z.string().max(200, "设备信息无效").optional().default(""),
});

export const receiptSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{10}$/, "回执码是10位字母或数字");

const clusterField = z.string({ error: "选票组无效，请刷新页面后重试" }).min(1, "选票组无效，请刷新页面后重试").max(200, "选票组无效，请刷新页面后重试");

export const invalidateSchema = z.object({
  pattern: clusterField.regex(/^[a-z]+$/, "选票组无效，请刷新页面后重试"),
  key: clusterField,
  reason: z.string({ error: "请写明作废理由" }).trim().min(4, "请写明作废理由（至少4个字）").max(500, "理由不能超过500字"),
  /** Posted by the confirming button: the ballots stop counting. */
  confirmed: confirmation(),
});

/** Bringing the platform's counts into the review replaces those entered before: confirmed first. */
export const transferSchema = z.object({ confirmed: confirmation() });

/** A verified real-name objection on a public notice, whatever it objects to (a nominee, a subsidy). */
export const objectorFields = {
  // Real-name: a name as a person's record takes it, and an ID number whose check digit holds; both
  // are kept encrypted, for the city to reach the objector (an audited reveal).
  name: personFields.name.min(2, "请填写您的真实姓名"),
  idNumber: idNumberField(true).transform((facts) => facts as IdNumberFacts),
  phone: mobilePhoneField,
  code: smsCodeField,
  relation: z.enum(RELATIONS, { error: "请选择您与被异议人的关系" }),
  content: z.string({ error: "请写明异议内容" }).trim().min(10, "请写明异议的具体事实（至少10个字）").max(2000, "异议内容不能超过2000字"),
};

export const objectionSchema = z.object({ ...objectorFields, nominationId: recordId("请从公示名单中选择异议对象") });

export const lookupSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^YY[A-Z0-9]{8}$/, "查询码是以 YY 开头的10位字母或数字");
