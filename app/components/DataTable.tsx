import type { ReactNode } from "react";
import { TableWrap } from "~/components/TableWrap";

/** One column of a table: its heading and what each row shows in it. */
export interface Column<Row> {
  label: string;
  cell: (row: Row, index: number) => ReactNode;
  /** Figures are right-aligned. */
  num?: boolean;
  className?: string;
}

/**
 * The one table of the platform's lists: a heading per column and, on a phone ("responsive"), each
 * row as a card whose cells carry their column's label. With `empty`, no rows say so instead.
 */
type RowKey<Row> = (row: Row, index: number) => string | number;

/** Rows with an `id` are told apart by it; other rows must say how. */
type RowKeyProp<Row> = Row extends { id: string | number } ? { rowKey?: RowKey<Row> } : { rowKey: RowKey<Row> };

export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  empty,
  compact,
  responsive = !compact,
  caption,
  footer,
  wrapHeads,
  label,
}: {
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row> | false | null | undefined>;
  empty?: ReactNode;
  compact?: boolean;
  responsive?: boolean;
  caption?: ReactNode;
  footer?: ReactNode;
  /** Long headings wrap, so a wide table (a column per criterion) fits instead of scrolling. */
  wrapHeads?: boolean;
  /** What the table is, for a screen reader landing on its scrolling frame. */
  label?: string;
} & RowKeyProp<Row>) {
  if (rows.length === 0 && empty) return <p className="empty">{empty}</p>;
  const shown = columns.filter((c): c is Column<Row> => !!c);
  const className = ["table", compact ? "compact" : null, responsive ? "responsive" : null, wrapHeads ? "wrap-heads" : null].filter(Boolean).join(" ");
  return (
    <TableWrap label={label ?? (typeof caption === "string" ? caption : "数据表")}>
      <table className={className}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.label} className={c.num ? "num" : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey ? (rowKey as RowKey<Row>)(row, i) : (row as { id: string | number }).id}>
              {shown.map((c) => (
                <td key={c.label} data-label={c.label} className={[c.num ? "num" : null, c.className].filter(Boolean).join(" ") || undefined}>
                  {c.cell(row, i)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </TableWrap>
  );
}
