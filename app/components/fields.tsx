import { getFormProps, getInputProps, getSelectProps, parse, type FieldMetadata, type FormMetadata, type Submission } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { Field, FormErrors, Options, SubmitButton, type Choices } from "~/components/forms";

/*
 * The fields bound to a Conform form. They live apart from forms.tsx so that a page without a
 * Conform form (the public vote and notice) does not download Conform for a message component.
 */

type Meta = Pick<FieldMetadata<unknown>, "id" | "errorId" | "errors"> & Parameters<typeof getInputProps>[0];

/** A labelled text-like input (text, date, number, tel, datetime-local…) with its error beside it. */
export function TextField({
  label,
  meta,
  type = "text",
  hint,
  required,
  ...rest
}: {
  label: string;
  meta: Meta;
  type?: "text" | "date" | "datetime-local" | "tel" | "email" | "password" | "number" | "url";
  hint?: ReactNode;
  required?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  return (
    <Field label={label} meta={meta} hint={hint} required={required}>
      <input {...getInputProps(meta, { type })} {...rest} />
    </Field>
  );
}

/** A labelled select: choices as a list of values or as value → label, with a "请选择" first. */
export function SelectField({
  label,
  meta,
  choices,
  hint,
  required,
  placeholder = "请选择",
}: {
  label: string;
  meta: Meta;
  choices: Choices;
  hint?: ReactNode;
  required?: boolean;
  placeholder?: string | null;
}) {
  return (
    <Field label={label} meta={meta} hint={hint} required={required}>
      <select {...getSelectProps(meta)}>
        {placeholder !== null ? <option value="">{placeholder}</option> : null}
        <Options choices={choices} />
      </select>
    </Field>
  );
}

export interface UnitChoice {
  id: number;
  short_name: string;
}

/**
 * The county-level union a record is filed under: a choice for the city, and for a county officer
 * their own unit, shown but fixed (the server enforces it either way).
 */
export function UnitField({
  label = "所属县级总工会",
  meta,
  units,
  fixed,
}: {
  label?: string;
  meta: FieldMetadata<unknown>;
  units: readonly UnitChoice[];
  fixed?: UnitChoice | null;
}) {
  return (
    <Field label={label} meta={meta} required>
      {fixed ? (
        <>
          <input type="hidden" name={meta.name} value={fixed.id} />
          <input id={meta.id} value={fixed.short_name} readOnly />
        </>
      ) : (
        <select {...getSelectProps(meta)}>
          <option value="">请选择</option>
          <Options choices={units.map((u) => ({ value: u.id, label: u.short_name }))} />
        </select>
      )}
    </Field>
  );
}

/**
 * Every form's `onValidate`. Forms are validated on the server only (zod stays out of the pages),
 * so in the browser this accepts whatever is typed; it is there so Conform applies its own updates
 * (the ID number filling in the birth date) in the page instead of posting them to the server.
 */
export function acceptInBrowser<Schema>({ formData }: { formData: FormData }): Submission<Schema, string[]> {
  return parse(formData, { resolve: (value) => ({ value: value as Schema }) }) as Submission<Schema, string[]>;
}

/** A record's form on its own card: what stopped it as a whole first, then its fields, then the submit. */
export function CardForm<Schema extends Record<string, unknown>>({
  form,
  submitLabel,
  children,
}: {
  form: FormMetadata<Schema, string[]>;
  submitLabel?: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" {...getFormProps(form)} className="card form-grid">
      <FormErrors errors={form.errors} />
      {children}
      <SubmitButton label={submitLabel} />
    </Form>
  );
}
