import { Form, useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";

type Choices = Record<string, string> | ReadonlyArray<string | readonly [string | number, string]>;

/** One select of a list page's filter bar, with "all" first. */
export function ChoiceFilter({
  label,
  name,
  value,
  choices,
  emptyLabel = "全部",
}: {
  label: string;
  name: string;
  value: string | number | null | undefined;
  /** Values with their labels, or values that are their own labels. */
  choices: Choices;
  emptyLabel?: string;
}) {
  const options = Array.isArray(choices)
    ? choices.map((c) => (typeof c === "string" ? ([c, c] as const) : c))
    : Object.entries(choices as Record<string, string>);
  return (
    <label>
      <span>{label}</span>
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{emptyLabel}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A list page's filter bar: a GET form (the filters live in the address, so a filtered list can be
 * bookmarked and shared) with its button, which says when the list is loading.
 */
export function FilterBar({ children, label = "查询", className = "filters" }: { children: ReactNode; label?: string; className?: string }) {
  const navigation = useNavigation();
  return (
    <Form method="get" className={className} role="search">
      {children}
      <button type="submit" className="button">
        {navigation.state === "loading" ? `${label}中…` : label}
      </button>
    </Form>
  );
}

/** One typed field of a filter bar (a search text, a date, a year), empty when not filtered. */
export function InputFilter({
  label,
  name,
  value,
  ...input
}: { label: string; name: string; value: string | number | null | undefined } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "name" | "value" | "defaultValue"
>) {
  return (
    <label>
      <span>{label}</span>
      <input name={name} defaultValue={value ?? ""} {...input} />
    </label>
  );
}
