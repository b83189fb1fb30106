import { z } from "zod";
import { requiredText, wholeNumber } from "~/lib/validation.server";

/** A party's signature on a period's review: the view, and a private rating from 1 to 5 if they wish. */
export const reviewSignSchema = z.object({
  period: wholeNumber("评议期次", 1, 1000),
  view: requiredText("评议意见", 1000),
  rating: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(z.enum(["1", "2", "3", "4", "5"], { error: "满意度评分应为1到5分" }).nullable())
    .transform((v) => (v === null ? null : Number(v))),
});

export type ReviewSignInput = z.output<typeof reviewSignSchema>;
