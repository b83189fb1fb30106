import { ChoiceFilter } from "~/components/ChoiceFilter";

/** The unit filter of a list page; shown only to those who may choose among units. */
export function UnitFilter({
  units,
  value,
  name = "unitId",
  label = "单位",
  emptyLabel = "全部",
}: {
  units: Array<{ id: number; short_name: string }>;
  value: number | null | undefined;
  name?: string;
  label?: string;
  emptyLabel?: string;
}) {
  if (!units.length) return null;
  return <ChoiceFilter label={label} name={name} value={value} emptyLabel={emptyLabel} choices={units.map((u) => [u.id, u.short_name] as const)} />;
}
