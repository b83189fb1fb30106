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
