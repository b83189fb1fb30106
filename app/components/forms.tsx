import type { FieldMetadata } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

export function FieldError({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {errors.join("；")}
    </p>
  );
}

/** A labelled field with its error beside it; the control itself is passed as children. */
export function Field({
  label,
  meta,
  hint,
  required,
  children,
}: {
  label: string;
  meta: Pick<FieldMetadata<unknown>, "id" | "errorId" | "errors">;
  hint?: ReactNode;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={meta.errors?.length ? "field has-error" : "field"}>
      <label htmlFor={meta.id}>
        {label}
        {required ? (
          <span className="required" aria-hidden>
            {" "}
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint ? <p className="hint">{hint}</p> : null}
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function FormErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div className="form-errors" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

/** A form's answer across its whole width: saved (a status) or what stopped it (an alert). */
export function SaveMessage({ message, saved }: { message?: string | null; saved?: boolean }) {
  if (!message) return null;
  return (
    <p className={saved ? "notice success span-all" : "form-errors span-all"} role={saved ? "status" : "alert"}>
      {message}
    </p>
  );
}

export type Choices = readonly string[] | Readonly<Record<string, string>> | ReadonlyArray<{ value: string | number; label: string }>;

/** The options of a select, from a list of values, a value → label map, or value/label pairs. */
export function Options({ choices }: { choices: Choices }) {
  const options = Array.isArray(choices)
    ? choices.map((c: string | { value: string | number; label: string }) => (typeof c === "string" ? { value: c, label: c } : c))
    : Object.entries(choices).map(([value, label]) => ({ value, label }));
  return options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
}

/**
 * A form's submit row. While a submission is on its way the button is disabled and says so, so a
 * second tap on a slow phone does not post the form twice.
 */
export function SubmitButton({ label = "保存", busyLabel = "正在保存…", primary = true }: { label?: string; busyLabel?: string; primary?: boolean }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="form-actions">
      <button type="submit" className={primary ? "button primary" : "button"} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}

/** A workflow button on its own: a form that posts one intent (its permission is checked by the action). */
export function IntentButton({ intent, label, primary }: { intent: string; label: string; primary?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={primary ? "button primary" : "button"}>
        {label}
      </button>
    </Form>
  );
}

/**
 * The submit of an irreversible step: the button opens what will happen, and only "确认…" posts
 * (with confirmed=1, which the server requires). Works without JavaScript.
 */
export function ConfirmSubmit({ label, confirm }: { label: string; confirm: string }) {
  return (
    <details className="confirm-step">
      <summary className="button">{label}…</summary>
      <p role="note">{confirm}</p>
      <button type="submit" name="confirmed" value="1" className="button danger">
        确认{label}
      </button>
    </details>
  );
}
