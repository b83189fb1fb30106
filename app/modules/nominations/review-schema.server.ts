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

/**
 * The review's tables post one field per nomination, named like `score-12`: these are read into
 * nomination id → the number typed, blank ones left out. Every wrong entry is reported, by what was
 * typed, so the officer corrects the table in one go.
 */
function numbered(
  form: Record<string, unknown>,
  ctx: z.RefinementCtx,
  prefix: string,
  { valid, wrong }: { valid: (text: string) => boolean; wrong: (typed: string) => string },
) {
  const entries: Array<{ id: number; value: number }> = [];
  let wrongs = 0;
  for (const [key, typed] of Object.entries(form)) {
    if (!key.startsWith(`${prefix}-`) || typed === undefined) continue;
    const id = Number(key.slice(prefix.length + 1));
    if (!Number.isInteger(id) || id <= 0 || typeof typed !== "string") {
      ctx.addIssue({ code: "custom", path: [key], message: "表单有误，请刷新页面后重试" });
      wrongs++;
      continue;
    }
    const text = typed.trim().replace(/,/g, "");
    if (text === "") continue;
    if (valid(text)) entries.push({ id, value: Number(text) });
    else {
      ctx.addIssue({ code: "custom", path: [key], message: wrong(typed) });
      wrongs++;
    }
  }
  // Nothing wrong: whether the entries make sense together is asked of them only then.
  return { entries, allRight: wrongs === 0 };
}

const count = (label: string) => ({ valid: (text: string) => /^\d{1,9}$/.test(text), wrong: (typed: string) => `${label}“${typed}”不是有效的非负整数` });

/** One expert's scores, as the city enters them from the paper sheets. */
export const scoresSchema = z.looseObject({ expertName }).transform((form, ctx) => {
  const { entries: scores, allRight } = numbered(form, ctx, "score", {
    valid: (text) => /^\d{1,3}(\.\d{1,2})?$/.test(text) && Number(text) <= 100,
    wrong: (typed) => `评分“${typed}”应为0到100之间、最多两位小数的数`,
  });
  if (allRight && !scores.length) ctx.addIssue({ code: "custom", path: [], message: "请至少填写一个评分" });
  return { expertName: form.expertName, scores: scores.map((s) => ({ nominationId: s.id, score: s.value })) };
});

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

export const votesSchema = z
  .looseObject({
    source: z
      .string()
      .trim()
      .max(100)
      .optional()
      .transform((v) => v || "手工录入"),
  })
  .transform((form, ctx) => ({
    source: form.source,
    votes: numbered(form, ctx, "votes", count("得票数")).entries.map((v) => ({ nominationId: v.id, votes: v.value })),
  }));

export const namingSchema = z
  .looseObject({
    namedOn: date,
    /** Posted by the second button, under the names and numbers the naming will issue. */
    confirmed: confirmation(),
  })
  .transform((form, ctx) => {
    const { entries: ranks, allRight } = numbered(form, ctx, "rank", count("排名"));
    const values = ranks.map((r) => r.value);
    if (allRight && (new Set(values).size !== values.length || values.some((r) => r < 1))) {
      ctx.addIssue({ code: "custom", path: [], message: "排名须为从1开始、互不重复的整数" });
    }
    return {
      namedOn: form.namedOn,
      confirmed: form.confirmed,
      /** As typed, for the confirming form to post again. */
      ranks,
      /** The nominations in the order of their ranks. */
      ranking: [...ranks].sort((a, b) => a.value - b.value).map((r) => r.id),
    };
  });

/** The city reveals who filed an online objection: which one, and why (kept in the history). */
export const revealObjectorSchema = z.object({
  objectionId: recordId("异议不存在"),
  reason: revealReason,
});

export const unitQuotaSchema = z.object({ unitId: recordId("单位不存在") });
