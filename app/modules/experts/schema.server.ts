import { z } from "zod";
import { confirmation, keysOf, optionalText, recordId, wholeNumber } from "~/lib/validation.server";
import { passwordField, usernameField } from "~/modules/users/schema.server";
import { markErrors, RANKING_LABELS } from "~/modules/experts/policy";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `请填写${label}`)
    .max(max, `${label}不能超过${max}字`);

const field = z.enum(keysOf(FOCUS_SECTOR_LABELS), { error: "请选择评审领域" });

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

export const panelSchema = z.discriminatedUnion(
  "mode",
  [
    z.object({ mode: z.literal("choose"), name: text("评审组名称", 2, 40), field, blind: z.literal("on").optional(), expertIds: ids("请至少选择一位专家") }),
    z.object({
      mode: z.literal("draw"),
      name: text("评审组名称", 2, 40),
      field,
      blind: z.literal("on").optional(),
      draw: wholeNumber("抽取人数", 1, 50),
      seed: wholeNumber("抽签种子", 0, 2_147_483_647),
    }),
  ],
  { error: "请选择组建方式" },
);

export const assignSchema = z.object({ panelId: recordId("评审组不存在"), nominationIds: ids("请至少选择一位人选") });

export const reasonSchema = z.object({ reason: text("理由", 4, 200) });

export const reopenSchema = z.object({ expertId: recordId("专家不存在"), nominationId: recordId("人选不存在"), reason: text("退回理由", 4, 200) });

const rankings = keysOf(RANKING_LABELS);

/** The board's `?by=`: an unknown way of ranking shows the default one. */
export const rankingQuerySchema = z.enum(rankings).catch("mean");

export const proposeSchema = z.object({
  by: z.enum(rankings, { error: "请选择排名方式" }),
  count: wholeNumber("候选人数", 1, 200),
  /** Posted by the confirming button: the candidates are replaced. */
  confirmed: confirmation(),
});

type Criterion = { key: string; label: string; max_points: number };

/** One criterion's mark: a number, in half points within the criterion (the rule is the module's), required to submit. */
function pointsField(c: Criterion, submit: boolean) {
  const points = z
    .string({ error: `请为“${c.label}”打分后再提交` })
    .trim()
    .regex(/^\d{1,3}(\.\d)?$/, `“${c.label}”的得分应为数字，最多一位小数`)
    .transform(Number)
    .superRefine((value, ctx) => {
      const wrong = markErrors([c], { [c.key]: { points: value } }, false)[c.key];
      if (wrong) ctx.addIssue({ code: "custom", message: wrong });
    });
  return submit ? points : points.optional();
}

/**
 * A score sheet's marks, `points-<key>` and `comment-<key>` for each criterion of the rubric. Every wrong mark is named
 * by its criterion at once, under its own field; a mark for a criterion the rubric does not have is refused, not dropped.
 */
export function marksSchema(rubric: ReadonlyArray<Criterion>, submit: boolean) {
  const points = new Map(rubric.map((c) => [`points-${c.key}`, pointsField(c, submit)]));
  const comments = new Map(rubric.map((c) => [`comment-${c.key}`, z.string().trim().max(500, `“${c.label}”的评语不能超过500字`).default("")]));
  return z
    .object({ ...Object.fromEntries(points), ...Object.fromEntries(comments) })
    .catchall(z.unknown())
    .superRefine((form, ctx) => {
      const forged = Object.keys(form).some((name) => /^(points|comment)-/.test(name) && !points.has(name) && !comments.has(name));
      if (forged) ctx.addIssue({ code: "custom", message: "评审项目无效，请刷新页面后重试" });
    })
    .transform((form) =>
      Object.fromEntries(
        rubric.map((c) => {
          const mark = form[`points-${c.key}`];
          const comment = form[`comment-${c.key}`];
          return [c.key, { points: typeof mark === "number" ? mark : null, comment: typeof comment === "string" ? comment : "" }];
        }),
      ),
    );
}

/** A score sheet's presses besides the intent: submitting is the confirming press (confirmed=1) of the same form. */
export const pressSchema = z.object({ confirmed: confirmation() });
