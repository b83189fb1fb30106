import { z } from "zod";
import { optionalChoice, requiredText, wholeNumber } from "~/lib/validation.server";

/** A party's signature on a period's review: the view, and a private rating from 1 to 5 if they wish. */
export const reviewSignSchema = z.object({
  period: wholeNumber("评议期次", 1, 1000),
  view: requiredText("评议意见", 1000),
  rating: optionalChoice(["1", "2", "3", "4", "5"], "满意度评分应为1到5分").transform((v) => (v === null ? null : Number(v))),
});

export type ReviewSignInput = z.output<typeof reviewSignSchema>;
