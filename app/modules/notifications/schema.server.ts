import { z } from "zod";
import { SMS_CATEGORIES, type Category } from "~/lib/notices";

const deliveryModeSchema = z.enum(["immediate", "digest", "off"], { error: "短信设置无效" });
type DeliveryMode = z.infer<typeof deliveryModeSchema>;

/** The inbox's SMS settings: `sms_<category>` for each category that may send an SMS; one not sent is left as it was. */
export const smsPreferencesSchema = z.object(Object.fromEntries(SMS_CATEGORIES.map((c) => [`sms_${c}`, deliveryModeSchema.optional()]))).transform((form) => {
  const choices: Partial<Record<Category, DeliveryMode>> = {};
  for (const category of SMS_CATEGORIES) {
    const mode = form[`sms_${category}`];
    if (mode) choices[category] = mode;
  }
  return choices;
});
