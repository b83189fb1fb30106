import { z, type core } from "zod";
import { isRealDate } from "~/lib/time";

/**
 * For a form-level refinement: run it as soon as the fields it reads are valid, so its message
 * shows up together with the other fields' errors instead of after they are fixed.
 */
export function whenValid(...fields: string[]): core.$ZodSuperRefineParams {
  return {
    when: (payload) => !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))),
  };
}

/** A date field: `YYYY-MM-DD`, and a day that exists. */
export const isoDate = (label: string, format = `${label}格式应为 年-月-日`) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, format)
    .refine(isRealDate, `${label}不存在`);

/** A whole number typed as digits only: "1e2", "0x10" or "12.0" are not what anyone means by a count. */
export const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .regex(/^-?\d+$/, `${label}应为整数`)
    .transform(Number)
    .pipe(z.number().min(min, `${label}不能小于${min}`).max(max, `${label}不能大于${max}`));
