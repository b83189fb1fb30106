import { z } from "zod";
import { confirmation, optionalText, recordId, wholeNumber } from "~/lib/validation.server";
import { passwordField, usernameField } from "~/modules/users/schema.server";
import { RANKING_LABELS, type RankingBy } from "~/modules/experts/policy";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `请填写${label}`)
    .max(max, `${label}不能超过${max}字`);

const field = z.enum(Object.keys(FOCUS_SECTOR_LABELS) as [keyof typeof FOCUS_SECTOR_LABELS], { error: "请选择评审领域" });

export const expertSchema = z.object({
  name: text("姓名", 2, 20),
  field,
  employer: text("工作单位", 2, 60),
  orgUnitId: recordId("所选单位不存在").optional(),
  contact: optionalText("联系方式", 60).transform((v) => v ?? ""),
  username: usernameField,
  password: passwordField,
});

const ids = (message: string) => z.array(recordId(message), { error: message }).min(1, message).max(500, message);

export const panelSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("choose"), name: text("评审组名称", 2, 40), field, blind: z.literal("on").optional(), expertIds: ids("请至少选择一位专家") }),
  z.object({
    mode: z.literal("draw"),
    name: text("评审组名称", 2, 40),
    field,
    blind: z.literal("on").optional(),
    draw: wholeNumber("抽取人数", 1, 50),
    seed: wholeNumber("抽签种子", 0, 2_147_483_647),
  }),
]);

export const assignSchema = z.object({ panelId: recordId("评审组不存在"), nominationIds: ids("请至少选择一位人选") });

export const reasonSchema = z.object({ reason: text("理由", 4, 200) });

export const reopenSchema = z.object({ expertId: recordId("专家不存在"), nominationId: recordId("人选不存在"), reason: text("退回理由", 4, 200) });

const rankings = Object.keys(RANKING_LABELS) as [RankingBy, ...RankingBy[]];

/** The board's `?by=`: an unknown way of ranking shows the default one. */
export const rankingQuerySchema = z.enum(rankings).catch("mean");

export const proposeSchema = z.object({
  by: z.enum(rankings, { error: "请选择排名方式" }),
  count: wholeNumber("候选人数", 1, 200),
  /** Posted by the confirming button: the candidates are replaced. */
  confirmed: confirmation(),
});

/**
 * Reads `points-<key>` and `comment-<key>` for the rubric's criteria; a field not in the rubric is
 * ignored by the module's own check. A mark that is not a number is named by its criterion.
 */
export function readMarks(
  form: FormData,
  rubric: ReadonlyArray<{ key: string; label: string }>,
): { marks: Record<string, { points: number | null; comment: string }>; fieldErrors: Record<string, string>; refused?: string } {
  const marks: Record<string, { points: number | null; comment: string }> = {};
  const fieldErrors: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    const match = /^points-(.+)$/.exec(name);
    if (!match || typeof value !== "string") continue;
    const key = match[1].slice(0, 40);
    const label = rubric.find((c) => c.key === key)?.label ?? key;
    const raw = value.trim();
    const comment = String(form.get(`comment-${key}`) ?? "").trim();
    if (raw !== "" && !/^\d{1,3}(\.\d)?$/.test(raw)) fieldErrors[key] = `“${label}”的得分应为数字，最多一位小数`;
    else if (comment.length > 500) fieldErrors[key] = `“${label}”的评语不能超过500字`;
    marks[key] = { points: raw === "" || fieldErrors[key] ? null : Number(raw), comment };
  }
  if (Object.keys(marks).length > rubric.length + 5) return { marks: {}, fieldErrors: {}, refused: "评审项目无效，请刷新页面后重试" };
  return { marks, fieldErrors };
}

/** A score sheet's presses besides the intent: submitting is the confirming press (confirmed=1) of the same form. */
export const pressSchema = z.object({ confirmed: confirmation() });
