import { z } from "zod";
import { confirmation, keysOf, wholeNumber } from "~/lib/validation.server";
import { RETENTION_KIND_LABELS } from "~/modules/retention/labels";

/**
 * A rule's new period. The form's bound (ten years) only keeps absurd numbers out; each rule's own bounds live in its
 * row and are checked by setRetention, where the message names them.
 */
export const retentionRuleSchema = z.object({
  kind: z.enum(keysOf(RETENTION_KIND_LABELS), { error: "没有这类数据的保存期限，请刷新页面" }),
  keepDays: wholeNumber("保存期限（天）", 0, 3650),
  confirmed: confirmation(),
});
