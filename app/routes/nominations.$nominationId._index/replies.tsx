import type { InputHTMLAttributes } from "react";
import { FieldError } from "~/components/forms";
import { useReply } from "~/components/useReply";

/** Why the form of this intent was refused, above it; nothing for another form's reply. */
export function ReplyMessage({ intent }: { intent: string }) {
  const reply = useReply(intent);
  return reply && !reply.ok && reply.message ? (
    <p className="form-errors" role="alert">
      {reply.message}
    </p>
  ) : null;
}

/** The error of one field of this intent's form, beside the field. */
export function ReplyFieldError({ intent, field }: { intent: string; field: string }) {
  return <FieldError errors={useReply(intent)?.form?.error?.[field] ?? undefined} />;
}

/** A labelled input of this intent's inline form, with its error beside it. */
export function ReplyField({ intent, label, name, ...input }: { intent: string; label: string; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input name={name} {...input} />
      <ReplyFieldError intent={intent} field={name} />
    </label>
  );
}
