import { Form } from "@remix-run/react";

/**
 * A pending record's decision, inline beside it: the intent, the record's id, a comment and one
 * button per decision (the first is the primary one) — a log entry confirmed or returned, a
 * milestone verified or not, a spending approved or rejected.
 */
export function DecisionForm({
  intent,
  record,
  comment,
  decisions,
}: {
  intent: string;
  record: { name: string; id: number };
  comment: { label: string; placeholder?: string; maxLength?: number };
  decisions: readonly (readonly [value: string, label: string])[];
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={record.name} value={record.id} />
      <label>
        {comment.label}
        <input name="comment" placeholder={comment.placeholder} maxLength={comment.maxLength} />
      </label>
      {decisions.map(([value, label], i) => (
        <button key={value} type="submit" name="decision" value={value} className={i === 0 ? "button primary" : "button"}>
          {label}
        </button>
      ))}
    </Form>
  );
}
