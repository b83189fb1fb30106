import { z } from "zod";
import { confirmation, isoDate, keysOf, recordId, requiredText, whenValid, wholeNumber } from "~/lib/validation.server";
import { todayInTaizhou, yearInTaizhou, type DateRange } from "~/lib/time";
import { HONOUR_KIND_LABELS, HONOUR_LEVEL_LABELS } from "~/modules/honours/labels";
import { FIRST_HONOUR_YEAR } from "~/modules/honours/policy";

/** An honour's date, or the date it was revoked: since 1950, not in the future. */
export const HONOUR_DATES: DateRange = { earliest: () => `${FIRST_HONOUR_YEAR}-01-01`, latest: (now) => todayInTaizhou(now), tooLate: "不能晚于今天" };

export const honourSchema = z
  .object({
    level: z.enum(keysOf(HONOUR_LEVEL_LABELS), { error: "请选择级别（全国、省级、市级或县级）" }),
    kind: z.enum(keysOf(HONOUR_KIND_LABELS), { error: "请选择荣誉类别" }),
    title: requiredText("荣誉名称", 100),
    conferredBy: requiredText("授予单位", 100),
    year: wholeNumber("年份", FIRST_HONOUR_YEAR, 2100),
    conferredOn: z
      .string()
      .optional()
      .transform((v) => v?.trim() || undefined)
      .pipe(isoDate("授予日期", HONOUR_DATES).optional()),
  })
  .superRefine(
    (v, ctx) => {
      if (v.year > yearInTaizhou()) ctx.addIssue({ code: "custom", path: ["year"], message: `年份不能晚于${yearInTaizhou()}年` });
      if (v.conferredOn && Number(v.conferredOn.slice(0, 4)) !== v.year) {
        ctx.addIssue({ code: "custom", path: ["conferredOn"], message: "授予日期应在所填年份之内" });
      }
    },
    whenValid("year", "conferredOn"),
  );

export type HonourInput = z.output<typeof honourSchema>;

export const revokeHonourSchema = z.object({
  honourId: recordId("荣誉不存在"),
  revokedOn: isoDate("撤销日期", HONOUR_DATES),
  note: requiredText("撤销说明", 500),
});

export const withdrawHonourSchema = z.object({
  honourId: recordId("荣誉不存在"),
  reason: requiredText("撤回原因", 500),
});

/** Confirming a list's good rows writes them: the button says so and posts its confirmation. */
export const commitImportSchema = z.object({ confirmed: confirmation() });
