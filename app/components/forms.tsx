import type { FieldMetadata } from "@conform-to/react";
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
