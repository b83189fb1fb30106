import { DATE_RANGES } from "~/lib/time";
import { z } from "zod";
import { confirmation, decimalNumber, isoDate, recordId, wholeNumber } from "~/lib/validation.server";
import { revealReason } from "~/modules/people/schema.server";

const reason = z
  .string()
  .trim()
  .max(500, "说明不能超过500字")
  .optional()
  .transform((v) => v ?? "");

export const qualificationSchema = z.object({ result: z.enum(["pass", "fail"], { error: "请选择初审结论" }), reason }).superRefine((v, ctx) => {
  if (v.result === "fail" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "未通过初审须说明理由" });
});

const expertName = z.string({ error: "请填写专家姓名" }).trim().min(1, "请填写专家姓名").max(30, "专家姓名不能超过30字");

export const expertNameSchema = z.object({ expertName });

export const expertScoreSchema = z.object({
  expertName,
  score: decimalNumber("评分", 0, 100, 2),
});

const date = isoDate("日期", DATE_RANGES.past);

export const objectionSchema = z.object({
  receivedOn: date,
  source: z.string({ error: "请填写异议来源" }).trim().min(1, "请填写异议来源").max(100, "来源不能超过100字"),
  content: z.string({ error: "请填写异议内容" }).trim().min(1, "请填写异议内容").max(2000, "内容不能超过2000字"),
});

export const resolveObjectionSchema = z.object({
  objectionId: recordId("异议不存在"),
  outcome: z.enum(["dismissed", "upheld"], { error: "请选择处理结果" }),
  handling: z.string({ error: "请填写核查处理情况" }).trim().min(1, "请填写核查处理情况").max(1000, "不能超过1000字"),
});

export const candidatesSchema = z.object({
  count: wholeNumber("人数", 1, 500),
});

export const votesSchema = z.object({
  source: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || "手工录入"),
});

export const namingSchema = z.object({
  namedOn: date,
  /** Posted by the second button, under the names and numbers the naming will issue. */
  confirmed: confirmation(),
});

/** The city reveals who filed an online objection: which one, and why (kept in the history). */
export const revealObjectorSchema = z.object({
  objectionId: recordId("异议不存在"),
  reason: revealReason,
});

export const unitQuotaSchema = z.object({ unitId: recordId("单位不存在") });
