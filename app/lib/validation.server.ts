import { z, type core } from "zod";
import { MAX_ID } from "~/lib/ids";
import { parseYuan } from "~/lib/money";
import type { Result } from "~/lib/result";
import { type DateRange, FIRST_YEAR, fromDateTimeLocal, inDateRange, isRealDate, LAST_YEAR } from "~/lib/time";

/**
 * For a form-level refinement: run it as soon as the fields it reads are valid, so its message
 * shows up together with the other fields' errors instead of after they are fixed.
 */
export function whenValid(...fields: string[]): core.$ZodSuperRefineParams {
  return {
    when: (payload) => !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))),
  };
}

/** A date field: `YYYY-MM-DD`, a day that exists, and within the range such a date can have. */
export const isoDate = (label: string, range: DateRange, format = `${label}格式应为 年-月-日`) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, format)
    .refine(isRealDate, `${label}不存在`)
    .superRefine((value, ctx) => {
      if (!isRealDate(value) || inDateRange(value, range)) return;
      const message = value < range.earliest() ? `${label}不能早于 ${range.earliest()}` : (range.tooLate ?? `不能晚于 ${range.latest()}`);
      ctx.addIssue({ code: "custom", message: message.startsWith(label) ? message : `${label}${message}` });
    });

/** A money field: 12,345.6 / 12345.60 / ¥12345 → fen, with the reason when it is not money. */
export const yuan = (label: string) =>
  z.string({ error: `请填写${label}` }).transform((v, ctx) => {
    const parsed = parseYuan(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    if (parsed.fen === 0) {
      ctx.addIssue({ code: "custom", message: `${label}应大于0` });
      return z.NEVER;
    }
    return parsed.fen;
  });

/** A whole number typed as digits only: "1e2", "0x10" or "12.0" are not what anyone means by a count. */
export const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .regex(/^-?\d+$/, `${label}应为整数`)
    .transform(Number)
    .pipe(z.number().min(min, `${label}不能小于${min}`).max(max, `${label}不能大于${max}`));

/**
 * A number typed with at most `places` decimals, as digits: "" is not 0 and "1e1" is not 10
 * (z.coerce.number takes both).
 */
export const decimalNumber = (label: string, min: number, max: number, places: number, range = `${label}应在${min}到${max}之间`) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .regex(/^-?\d+(\.\d+)?$/, `${label}应为数字`)
    .refine((v) => (v.split(".")[1]?.length ?? 0) <= places, places ? `${label}最多保留${places}位小数` : `${label}应为整数`)
    .transform(Number)
    .pipe(z.number().min(min, range).max(max, range));

/** A record named by a form field (a select's value, a hidden id): digits within the id range, or the field's message. */
export const recordId = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,10}$/, message)
    .transform(Number)
    .pipe(z.number().min(1, message).max(MAX_ID, message));

/**
 * Filters in a query string: what does not fit is ignored (the list unfiltered), never an error
 * page, and never a number the database cannot hold.
 */
export const queryParam = {
  id: () =>
    z
      .string()
      .regex(/^\d{1,10}$/)
      .transform(Number)
      .pipe(z.number().min(1).max(MAX_ID))
      .optional()
      .catch(undefined),
  page: () =>
    z
      .string()
      .regex(/^\d{1,6}$/)
      .transform(Number)
      .pipe(z.number().min(1))
      .optional()
      .catch(undefined),
  year: () =>
    z
      .string()
      .regex(/^\d{4}$/)
      .transform(Number)
      .pipe(z.number().min(FIRST_YEAR).max(LAST_YEAR))
      .optional()
      .catch(undefined),
  choice: <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined),
  /** A day that exists, within the years the platform's records can have (9999-99-99 is no day to filter by). */
  day: () =>
    z
      .string()
      .refine((v) => isRealDate(v) && v >= "1900-01-01" && v <= `${LAST_YEAR}-12-31`)
      .optional()
      .catch(undefined),
};

/** A required text field: trimmed, not empty, at most `max` characters. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过${max}字`);

/** The keys of a labels table, as the values of an enum field or filter. */
export const keysOf = <T extends Record<string, string>>(labels: T) => Object.keys(labels) as [keyof T & string, ...Array<keyof T & string>];

/**
 * What a field built here answers when the post is not one string (the field twice, a file): a forged
 * or broken form, told in Chinese like everything else rather than zod's "expected string".
 */
const malformed = (label: string) => `${label}格式不正确，请刷新页面后重新填写`;

/** An optional text field: trimmed, at most `max` characters, and null when left empty. */
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: malformed(label) })
    .trim()
    .max(max, `${label}不能超过${max}字`)
    .optional()
    .transform((v) => v || null);

/**
 * An optional choice among `values` (a select, a row of radio buttons): null when left empty, else one
 * of them — anything else, an array included, is answered with `message`.
 */
export const optionalChoice = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .string({ error: message })
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(z.enum(values, { error: message }).nullable());

/** An optional field a parser reads (a phone number, a head count): null when left empty, else the parsed value or the parser's message; `label` names it when the post is not one string. */
export const optionalParsed = <T>(parse: (typed: string) => Result<{ value: T }>, label: string) =>
  z
    .string({ error: malformed(label) })
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return null;
      const parsed = parse(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.value;
    });

/**
 * Posted by the confirming button of an irreversible step ("确认…"): true only when pressed. Absent is
 * false (the step says to confirm); any other value, or the press twice, is a forged or stale page.
 */
export const confirmation = () =>
  z
    .enum(["1"], { error: "确认无效，请刷新页面后重试" })
    .optional()
    .transform((v) => v === "1");

/** A datetime-local input, read as Taizhou time. */
export const localTime = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `请填写${label}`)
    .transform((v, ctx) => {
      const date = fromDateTimeLocal(v);
      if (!date) {
        ctx.addIssue({ code: "custom", message: `${label}不存在` });
        return z.NEVER;
      }
      return date;
    });

/** The fields every workflow step's form posts; a domain extends them with its own. */
/**
 * An officer's decision on one record (a milestone, a spending): approve it or not (`rejected`), with an
 * opinion that is required to say no. Spread into the record's schema, then `.superRefine(reasonToReject(…))`.
 */
export const decisionFields = <const A extends string>(approved: A, choose: string) => ({
  decision: z.enum([approved, "rejected"], { error: choose }),
  comment: optionalText("意见", 500),
});

export const reasonToReject =
  (message: string) =>
  (v: { decision: string; comment: string | null }, ctx: z.RefinementCtx): void => {
    if (v.decision === "rejected" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message });
  };

export const stepFields = <const N extends readonly [string, ...string[]]>(names: N) => ({
  // Neither is typed by a person: a wrong one is a forged or stale page, and says so.
  step: z.enum(names, { error: "未知的操作，请刷新页面后重试" }),
  /** The state the page showed: a step taken on a stale page is refused, not applied to a newer state. */
  expected: z.string({ error: "页面已过期，请刷新后重试" }).max(40, "页面已过期，请刷新后重试"),
  reason: optionalText("理由", 500),
  /** Posted by the confirming button of an irreversible step. */
  confirmed: confirmation(),
});

/**
 * A code a visitor checks on a public page through its query string (a vote receipt, an objection's
 * lookup number): absent, refused with the schema's message (shown by the box), or what `find` found.
 * Only its first 20 characters are checked, so a long query does no work.
 */
export async function checkedCode<T>(request: Request, name: string, schema: z.ZodType<string>, find: (code: string) => Promise<T>) {
  const raw = new URL(request.url).searchParams.get(name);
  const parsed = raw === null ? null : schema.safeParse(raw.slice(0, 20));
  return {
    checked: parsed?.success ? { code: parsed.data, found: await find(parsed.data) } : null,
    error: parsed && !parsed.success ? parsed.error.issues[0].message : null,
  };
}
