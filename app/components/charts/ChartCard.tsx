import { useSyncExternalStore, type ReactNode } from "react";
import { TableWrap } from "~/components/TableWrap";
import { BarsChart, type Series } from "~/components/charts/charts";

export interface Column<Row> {
  key: keyof Row & string;
  label: string;
}

/**
 * A chart with its numbers as a table beside it, for people who cannot read the chart. Recharts
 * measures the page, so the chart is drawn after hydration; the table is there from the first byte.
 */
const noSubscription = () => () => {};

export function ChartCard<Row extends Record<string, unknown>>({
  title,
  rows,
  columns,
  link,
  children,
}: {
  title: string;
  rows: Row[];
  columns: Array<Column<Row>>;
  link?: ReactNode;
  children: ReactNode;
}) {
  // Recharts measures the page, so charts draw only once hydrated: false on the server and in the hydration pass.
  // The drawing is hidden from screen readers (and takes no focus): the table below carries the same numbers.
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <figure className="card chart-card">
      <figcaption>
        <h2>{title}</h2>
        {link}
      </figcaption>
      <div className="chart" aria-hidden>
        {mounted && rows.length ? children : null}
        {rows.length === 0 ? <p className="empty">暂无数据</p> : null}
      </div>
      <details className="chart-table">
        <summary>查看数据表</summary>
        <TableWrap label={`${title}数据表`}>
          <table className="table compact">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key}>{c.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c.key}>{r[c.key] === null || r[c.key] === undefined ? "—" : String(r[c.key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}

/**
 * A bar chart in its card. The table's columns are given as key → label, in order; those besides
 * the x axis are the bars unless said otherwise, and the bars may be drawn from rows shaped for
 * the axis (a shortened name).
 */
export function BarsCard<Row extends Record<string, unknown>>({
  x,
  series,
  stacked,
  drawn,
  columns,
  ...card
}: {
  title: string;
  rows: Row[];
  columns: Partial<Record<keyof Row & string, string>>;
  link?: ReactNode;
  x: keyof Row & string;
  series?: Series[];
  stacked?: boolean;
  drawn?: Array<Record<string, unknown>>;
}) {
  const table = Object.entries(columns).map(([key, label]) => ({ key: key as keyof Row & string, label: label as string }));
  return (
    <ChartCard {...card} columns={table}>
      <BarsChart rows={drawn ?? card.rows} x={x} series={series ?? table.filter((c) => c.key !== x)} stacked={stacked} />
    </ChartCard>
  );
}
