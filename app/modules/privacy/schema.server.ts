import { z } from "zod";
import { confirmation, isoDate, keysOf, optionalText, queryParam, recordId, requiredText, wholeNumber } from "~/lib/validation.server";
import { DATE_RANGES } from "~/lib/time";
import { mobilePhoneField, smsCodeField } from "~/modules/voting/schema.server";
import { CORRECTION_LABEL, RIGHTS_KIND_LABELS } from "~/modules/privacy/labels";
import { ANSWER_DAYS, answerProblem, needsCorrection } from "~/modules/privacy/policy";

/** The longest text a request or an answer may hold (the column allows as much). */
const TEXT_MAX = 1000;

const requestFields = {
  kind: z.enum(keysOf(RIGHTS_KIND_LABELS), { error: "请选择申请事项" }),
  details: requiredText("申请内容", TEXT_MAX),
  correction: optionalText(CORRECTION_LABEL, TEXT_MAX),
};

/** A correction says what it should be; the other kinds carry no second field. */
const correctionWhenNeeded = (v: { kind: string; correction: string | null }, ctx: z.RefinementCtx) => {
  if (needsCorrection(v.kind) && !v.correction) ctx.addIssue({ code: "custom", path: ["correction"], message: "请填写应更正为的内容" });
};

/** A signed-in craftsman's or apprentice's request about their own record. */
export const rightsRequestSchema = z.object(requestFields).superRefine(correctionWhenNeeded);
export type RightsRequestInput = z.output<typeof rightsRequestSchema>;

/** The code for a request by phone: the number it goes to. */
export const rightsCodeSchema = z.object({ phone: mobilePhoneField });

/** A request by someone with no account: their number, the code sent to it, and the request. */
export const phoneRightsRequestSchema = z.object({ ...requestFields, phone: mobilePhoneField, code: smsCodeField }).superRefine(correctionWhenNeeded);
export type PhoneRightsRequestInput = z.output<typeof phoneRightsRequestSchema>;

/** Downloading a granted copy by phone: a fresh code proves the number again. */
export const phoneCopySchema = z.object({ phone: mobilePhoneField, code: smsCodeField, requestId: recordId("申请编号无效") });

/** The city's answer: granted with what was done, or refused with the reason (both written). */
export const rightsAnswerSchema = z
  .object({
    requestId: recordId("申请编号无效"),
    outcome: z.enum(["granted", "refused"], { error: "请选择同意或不予同意" }),
    answer: optionalText("答复", TEXT_MAX),
    confirmed: confirmation(),
  })
  .superRefine((v, ctx) => {
    const problem = answerProblem(v.outcome, v.answer ?? "");
    if (problem) ctx.addIssue({ code: "custom", path: ["answer"], message: problem });
  });

export const privacyPolicySchema = z.object({ answerWorkingDays: wholeNumber("答复期限（工作日）", ANSWER_DAYS.min, ANSWER_DAYS.max) });

export const calendarDaySchema = z.object({
  day: isoDate("日期", DATE_RANGES.record),
  working: z.enum(["holiday", "workday"], { error: "请选择放假或调休上班" }),
  name: requiredText("名称", 40),
});

/** The desk's list filter from the query string: what does not fit is ignored. */
export const deskFilterSchema = z.object({
  status: z.enum(["pending", "granted", "refused"]).optional().catch(undefined),
  page: queryParam.page(),
});
