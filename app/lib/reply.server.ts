import type { Submission, SubmissionResult } from "@conform-to/react";
import { json, redirect, type TypedResponse } from "@remix-run/node";
import type { z } from "zod";
import { boundedReply, parseWithZod, submissionErrors } from "~/lib/form.server";
import type { Reply } from "~/lib/reply";
import { refuse, type Refusal, type Result, type SaveResult } from "~/lib/result";

type AnySubmission = Submission<unknown> | { reply: (options?: Record<string, unknown>) => SubmissionResult<string[]> };
interface FormOptions {
  /** The form starts again empty (a list's "add" form after it has added). */
  resetForm?: boolean;
  /** Fields never echoed back (a password). */
  hideFields?: string[];
}

/** A generic refusal message for a form whose fields have errors; each error stands by its field. */
export const CHECK_FIELDS = "请检查标出的项目";

function formReply(submission: AnySubmission | undefined, options: FormOptions & { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) {
  return submission ? boundedReply(submission as { reply: (o?: typeof options) => SubmissionResult<string[]> }, options) : null;
}

/** The step was taken: what the user is told (if anything) and what the page shows of it. */
export function replyDone<D = null>(
  intent: string,
  options: { message?: string; data?: D; submission?: AnySubmission } & FormOptions = {},
): TypedResponse<Reply<D>> {
  return json({
    intent,
    ok: true,
    message: options.message ?? null,
    field: null,
    reasons: [],
    form: formReply(options.submission, { resetForm: options.resetForm, hideFields: options.hideFields }),
    data: options.data ?? null,
  });
}

/** A module's refusal, with its status, message, field and reasons; the form keeps what was typed. */
export function replyRefused<D = null>(
  intent: string,
  refusal: Refusal,
  submission?: AnySubmission,
  options: FormOptions & { data?: D } = {},
): TypedResponse<Reply<D>> {
  const fieldErrors = refusal.fieldErrors ?? (refusal.field ? { [refusal.field]: [refusal.message] } : undefined);
  return json(
    {
      intent,
      ok: false,
      message: refusal.message,
      field: refusal.field ?? null,
      reasons: refusal.reasons ?? [],
      form: formReply(submission, { hideFields: options.hideFields, ...(fieldErrors ? { fieldErrors } : { formErrors: [refusal.message] }) }),
      data: options.data ?? null,
    },
    { status: refusal.status },
  );
}

/** The first error a form's fields have, for a page that shows one line rather than each by its field. */
export function firstError(submission: Submission<unknown>): string | undefined {
  return submissionErrors(submission)[0];
}

/** The form did not parse: each error stands by its field, the values typed come back. */
export function replyInvalid<D = null>(intent: string, submission: AnySubmission, options: FormOptions & { message?: string } = {}): TypedResponse<Reply<D>> {
  const form = formReply(submission, { hideFields: options.hideFields });
  const firstField = Object.keys(form?.error ?? {}).find((key) => key !== "");
  return json({ intent, ok: false, message: options.message ?? CHECK_FIELDS, field: firstField ?? null, reasons: [], form, data: null }, { status: 400 });
}

/** A module's answer as the reply: done (with what the page shows of it) or refused. */
export function replyWith<T extends object, D = null>(
  intent: string,
  result: Result<T>,
  options: { message?: string; data?: (done: T) => D; submission?: AnySubmission } & FormOptions = {},
): TypedResponse<Reply<D>> {
  if (!result.ok) return replyRefused<D>(intent, result, options.submission, { resetForm: options.resetForm, hideFields: options.hideFields });
  return replyDone<D>(intent, { ...options, data: options.data?.(result) });
}

/**
 * The one action of a create or edit form (intent "save"): parse with the form's schema, save,
 * then go to the saved record. Whatever stops it is the reply, so the message stands next to its
 * field (or above the form, for a refusal) with the values the user typed.
 */
export async function submitForm<S extends z.ZodType, T extends object>(
  request: Request,
  schema: S,
  save: (value: z.output<S>) => Promise<SaveResult<T>>,
  next: (saved: T) => string,
  options: { hideFields?: string[] } = {},
): Promise<TypedResponse<Reply<null>>> {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return replyInvalid("save", submission, options);
  const result = await save(submission.value);
  if (result.ok) throw redirect(next(result));
  return replyRefused("save", result, submission, options);
}

/** Workflow buttons post an intent; anything else is a forged or stale form. */
export function replyUnknownIntent(): TypedResponse<Reply<null>> {
  return replyRefused("", refuse("未知的操作"));
}

/**
 * One intent's form on a page of several: parse it with its schema, take the step, reply. An
 * invalid form is refused with `invalid` (or else its first error, for a form too small to show
 * errors by field); the module's refusal or what was done comes back with the values typed, but for
 * `hideFields` (a secret: never in a reply, whatever the outcome); `data` is what the page shows of
 * what was done.
 */
export async function replyStep<S extends z.ZodType, T extends object, D = null>(
  intent: string,
  formData: FormData,
  schema: S,
  step: (value: z.output<S>) => Promise<Result<T>>,
  options: { message?: string; invalid?: string; hideFields?: string[]; data?: (done: T) => D } = {},
): Promise<TypedResponse<Reply<D>>> {
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") {
    return replyInvalid<D>(intent, submission, { message: options.invalid ?? firstError(submission), hideFields: options.hideFields });
  }
  return replyWith(intent, await step(submission.value), { submission, message: options.message, hideFields: options.hideFields, data: options.data });
}
