import { Form } from "@remix-run/react";
import { ChoiceFilter } from "~/components/ChoiceFilter";
import { UnitFilter } from "~/components/UnitFilter";

/** The public search: name or trade, county, industry. */
export function ShowcaseSearch({
  filter,
  units,
  industries,
  placeholder,
}: {
  filter: { q?: string; unitId?: number; industry?: string };
  units: Array<{ id: number; short_name: string }>;
  industries: string[];
  placeholder: string;
}) {
  return (
    <Form method="get" className="filters" role="search">
      <label>
        <span>搜索</span>
        <input name="q" defaultValue={filter.q ?? ""} placeholder={placeholder} />
      </label>
      <UnitFilter label="县（市、区）" units={units} value={filter.unitId} />
      <ChoiceFilter label="行业" name="industry" value={filter.industry} choices={industries} />
      <button type="submit" className="button">
        查找
      </button>
    </Form>
  );
}
