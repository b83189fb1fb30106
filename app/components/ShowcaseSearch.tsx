import { Form } from "@remix-run/react";

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
      <label>
        <span>县（市、区）</span>
        <select name="unitId" defaultValue={filter.unitId ?? ""}>
          <option value="">全部</option>
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.short_name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>行业</span>
        <select name="industry" defaultValue={filter.industry ?? ""}>
          <option value="">全部</option>
          {industries.map((i) => (
            <option key={i}>{i}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="button">
        查找
      </button>
    </Form>
  );
}
