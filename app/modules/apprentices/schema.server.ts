import { z } from "zod";
import { DATE_RANGES } from "~/lib/time";
import { mobilePhoneField, smsCodeField } from "~/modules/voting/schema.server";
import { confirmation, decimalNumber, isoDate, keysOf, optionalText, recordId, requiredText } from "~/lib/validation.server";
import { LOG_KIND_LABELS } from "~/modules/apprentices/labels";

/** The six digits of the SMS the apprentice received: the one SMS code field, as the vote's and sign-in's. */
export const agreementCodeSchema = z.object({ code: smsCodeField });

/** The mentor's confirming press: posted only by the form's second button. */
export const mentorConfirmSchema = z.object({ confirmed: confirmation() });

export const pauseSchema = z.object({
  pausedOn: isoDate("暂停日期", DATE_RANGES.past),
  reason: requiredText("暂停原因", 500),
});

export const resumeSchema = z.object({ resumedOn: isoDate("恢复日期", DATE_RANGES.past) });

export const logEntrySchema = z.object({
  onDate: isoDate("日期", DATE_RANGES.past),
  // Typed as hours (2.5); the log keeps minutes, a quarter of an hour up to a whole day.
  hours: decimalNumber("学时", 0.25, 24, 2, "学时应在0.25到24小时之间"),
  kind: z.enum(keysOf(LOG_KIND_LABELS), { error: "请选择类别" }),
  content: requiredText("学习内容", 1000),
});

export type LogEntryInput = z.output<typeof logEntrySchema>;

export const logReviewSchema = z
  .object({
    entryId: recordId("日志不存在"),
    decision: z.enum(["confirmed", "returned"], { error: "请选择确认或退回" }),
    comment: optionalText("意见", 500),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "returned" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "退回须写明原因" });
  });

/** Step one of signing in by code: the phone number the code goes to. */
export const codeRequestSchema = z.object({ phone: mobilePhoneField });

/** Step two: the number again and the code it received. */
export const codeSignInSchema = z.object({ phone: mobilePhoneField, code: smsCodeField, redirectTo: z.string().optional() });
