import { z } from "zod";
import { parseYuan } from "~/lib/money";
import { TARGET_DEGREES } from "~/modules/subsidies/labels";
import { policySchema } from "~/modules/subsidies/schema.server";

/** A degree's cap in yuan; left empty, the degree is not subsidised that year (0 is a cap of nothing). */
const cap = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const parsed = parseYuan(v);
    if (parsed.ok) return parsed.fen;
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });

/** The year's policy with a cap field per degree (cap-本科 …), handed on as caps by degree. */
const capFields = Object.fromEntries(TARGET_DEGREES.map((d) => [`cap-${d}`, cap])) as Record<`cap-${(typeof TARGET_DEGREES)[number]}`, typeof cap>;

export const policyFormSchema = policySchema.extend(capFields).transform((form) => {
  const caps: Record<string, number> = {};
  for (const degree of TARGET_DEGREES) {
    const fen = form[`cap-${degree}`];
    if (fen !== undefined) caps[degree] = fen;
  }
  const { budget, sharePercent, holdbackPercent, yearsAfterAward, open, places, combinedCapPercent, noticeDays } = form;
  return { budget, sharePercent, holdbackPercent, yearsAfterAward, open, places, combinedCapPercent, caps, noticeDays };
});
