import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { ConfirmSubmit } from "~/components/forms";

/**
 * One workflow step as a form: the step, the state the page showed, its own fields, a reason
 * where one is asked for — and, for an irreversible step, a second press: the button opens what
 * will happen, and only "确认…" takes the step. Works without JavaScript.
 */
export function StepForm({
  step,
  label,
  needsReason,
  confirm,
  expected,
  intent,
  children,
}: {
  step: string;
  label: string;
  needsReason: boolean;
  confirm: string | null;
  expected: string;
  intent?: string;
  children?: ReactNode;
}) {
  return (
    <Form method="post" className="inline-form step-form">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <input type="hidden" name="step" value={step} />
      <input type="hidden" name="expected" value={expected} />
      {children}
      {needsReason ? (
        <label>
          {/* Named after its step: a page offering two steps has two reason fields. */}
          {label}理由
          <input name="reason" required maxLength={500} />
        </label>
      ) : null}
      {confirm ? (
        <ConfirmSubmit label={label} confirm={confirm} />
      ) : (
        <button type="submit" className={needsReason ? "button" : "button primary"}>
          {label}
        </button>
      )}
    </Form>
  );
}
