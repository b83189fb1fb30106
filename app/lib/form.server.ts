import type { Submission, SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";

/**
 * Forms are parsed here, on the server, and only here: the validation library stays out of the
 * pages (zod with its locales is ~94 kB brotli; see app/lib/README.md, Decisions). Routes take it from this module.
 */
export { parseWithZod };

// No field of ours takes more (the longest, the 事迹材料, is 3,000 characters): what is echoed
// back for the form to show again is cut there, so a refusal is never the size of what was sent.
const ECHOED_CHARS = 3_000;
const ECHOED_ITEMS = 100;

function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.slice(0, ECHOED_CHARS);
  if (Array.isArray(value)) return value.slice(0, ECHOED_ITEMS).map((v) => bounded(v, depth + 1));
  if (value && typeof value === "object" && depth < 3) {
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, ECHOED_ITEMS)
        .map(([k, v]) => [k, bounded(v, depth + 1)]),
    );
  }
  return depth < 3 ? value : undefined;
}

/** Conform's reply, with the values it echoes back bounded. Every form's reply goes through here. */
export function boundedReply<O, R extends SubmissionResult<string[]>>(submission: { reply: (options?: O) => R }, options?: O): R {
  const reply = submission.reply(options);
  return reply.initialValue ? { ...reply, initialValue: bounded(reply.initialValue) as typeof reply.initialValue } : reply;
}

/**
 * A posted form's text fields for a schema to read: a field sent twice stays a list, so the
 * schema refuses it instead of one of the values being taken silently. Files are left out.
 */
export function textFields(formData: FormData): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of formData) {
    if (typeof value !== "string") continue;
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [seen, value].flat();
  }
  return fields;
}

/**
 * Every message of a form that did not parse, in the order the schema found them: for forms whose
 * fields do not show their own errors (a table of entries, a button with hidden fields).
 */
export function submissionErrors(submission: Submission<unknown>): string[] {
  return submission.status === "error" ? Object.values(submission.error ?? {}).flatMap((errors) => errors ?? []) : [];
}
