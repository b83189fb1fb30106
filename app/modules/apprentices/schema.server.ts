import { z } from "zod";
import { mobilePhoneField, smsCodeField } from "~/modules/voting/schema.server";

/** Step one of signing in by code: the phone number the code goes to. */
export const codeRequestSchema = z.object({ phone: mobilePhoneField });

/** Step two: the number again and the code it received. */
export const codeSignInSchema = z.object({ phone: mobilePhoneField, code: smsCodeField, redirectTo: z.string().optional() });
