import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { ConfirmSubmit } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";

/** A step open to the viewer, as the loaders list them. */
interface OpenStep {
  step: string;
  label: string;
  needsReason: boolean;
  confirm: string | null;
}

/**
 * One workflow step as a form: the step, the state the page showed, its own fields, a reason
 * where one is asked for — and, for an irreversible step, a second press: the button opens what
 * will happen, and only "确认…" takes the step. Works without JavaScript. Every workflow step posts
 * the one intent "step"; the step's name says which.
 */
export function StepForm({
  step,
  label,
  needsReason,
  confirm,
  expected,
  children,
}: {
  step: string;
  label: string;
  needsReason: boolean;
  confirm: string | null;
  expected: string;
  children?: ReactNode;
}) {
  return (
    <Form method="post" className="inline-form step-form">
      <input type="hidden" name="intent" value="step" />
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

/**
 * A record's 办理 card: the link to edit it, what the steps should know (`children`), each step
 * open to the viewer with the fields it asks for (`fields`), and the reply to the step taken.
 * Not shown when the viewer may do neither.
 */
export function StepsCard({
  steps,
  expected,
  editTo,
  fields,
  children,
}: {
  steps: OpenStep[];
  expected: string;
  editTo: string | null;
  fields?: (step: string) => ReactNode;
  children?: ReactNode;
}) {
  const stepped = useReply("step");
  if (!steps.length && !editTo) return null;
  return (
    <div className="card">
      <h2>办理</h2>
      {editTo ? (
        <p>
          <Link className="button" to={editTo}>
            修改申请
          </Link>
        </p>
      ) : null}
      {children}
      {steps.map((s) => (
        <StepForm key={s.step} {...s} expected={expected}>
          {fields?.(s.step)}
        </StepForm>
      ))}
      <ReplyNotice reply={stepped} />
    </div>
  );
}
