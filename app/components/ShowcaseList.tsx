import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { ChoiceFilter } from "~/components/ChoiceFilter";
import { Pagination } from "~/components/Pagination";
import { UnitFilter } from "~/components/UnitFilter";

/** The public search: name or trade, county, industry. */
function ShowcaseSearch({
  filter,
  units,
  industries,
  placeholder,
}: {
  filter: Filter;
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

type Filter = { q?: string; unitId?: number; industry?: string };

/**
 * A public list page (the craftsmen, the studios): its heading with the way to the other list, the
 * search, one page of cards (each drawn by `children`) and the page links.
 */
export function ShowcaseList<R>({
  list,
  title,
  other,
  lead,
  placeholder,
  empty,
  children,
}: {
  list: { rows: R[]; total: number; page: number; pageSize: number; filter: Filter; units: Array<{ id: number; short_name: string }>; industries: string[] };
  title: string;
  other: { to: string; label: string };
  lead?: string;
  placeholder: string;
  empty: string;
  children: (row: R) => ReactNode;
}) {
  return (
    <section>
      <div className="page-head">
        <h1>{title}</h1>
        <Link className="button" to={other.to}>
          {other.label}
        </Link>
      </div>
      {lead ? <p className="lead">{lead}</p> : null}
      <ShowcaseSearch filter={list.filter} units={list.units} industries={list.industries} placeholder={placeholder} />
      {list.rows.length === 0 ? <p className="empty">{empty}</p> : null}
      <ul className="profile-grid">{list.rows.map(children)}</ul>
      <Pagination page={list.page} total={list.total} pageSize={list.pageSize} />
    </section>
  );
}
