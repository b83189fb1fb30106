import type { ReactNode, SelectHTMLAttributes } from "react";
import { FieldError, Options, type Choices } from "~/components/forms";
import type { Reply } from "~/lib/reply";

/**
 * The errors a reply puts beside one field: Conform's for a form that was parsed, or the
 * refusal's own when it names the field and no form came back (an upload refused unread).
 */
export function replyErrors(reply: Reply<unknown> | undefined, name: string): string[] | undefined {
  const parsed = reply?.form?.error?.[name];
  if (parsed) return parsed;
  return reply?.field === name && reply.message ? [reply.message] : undefined;
}

/**
 * What a reply tells the user above or below its form: the refusal (with its reasons), or what
 * was done. `done` is said when a step succeeds without a message of its own.
 */
export function ReplyNotice({ reply, done, className = "" }: { reply: Reply<unknown> | undefined; done?: string; className?: string }) {
  if (!reply) return null;
  if (!reply.ok) {
    if (!reply.message) return null;
    if (!reply.reasons.length) {
      return (
        <p className={`form-errors ${className}`.trim()} role="alert">
          {reply.message}
        </p>
      );
    }
    return (
      <div className={`form-errors ${className}`.trim()} role="alert">
        <p>{reply.message}</p>
        {reply.reasons.map((r) => (
          <p key={r}>· {r}</p>
        ))}
      </div>
    );
  }
  const said = reply.message ?? done;
  return said ? (
    <p className="notice success" role="status">
      {said}
    </p>
  ) : null;
}

/** A field of a plain (not Conform) form: its label, the control, and the reply's errors for it. */
export function LabelledField({ label, errors, children }: { label: string; errors?: string[]; children: ReactNode }) {
  return (
    <label className="field">
      {label}
      {children}
      <FieldError errors={errors} />
    </label>
  );
}

/** A select of a plain form under its label: its choices (after a blank one, when `blank` names it) and the reply's errors. */
export function LabelledSelect({
  label,
  errors,
  choices,
  blank,
  ...select
}: { label: string; errors?: string[]; choices: Choices; blank?: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <LabelledField label={label} errors={errors}>
      <select {...select}>
        {blank === undefined ? null : <option value="">{blank}</option>}
        <Options choices={choices} />
      </select>
    </LabelledField>
  );
}
