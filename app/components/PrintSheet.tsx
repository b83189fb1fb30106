import { Fragment, type ReactNode } from "react";
import { BackLink } from "~/components/BackLink";
import { PrintButton } from "~/components/PrintButton";
import { formatFen } from "~/lib/money";

/**
 * A paper form on A4 (the print styles of .print-sheet): the way back and the print button stay on
 * the screen, the title and its line of particulars go on the paper.
 */
export function PrintSheet({
  back,
  title,
  particulars,
  children,
}: {
  back: { to: string; label: string };
  title: string;
  particulars?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="print-sheet">
      <div className="no-print">
        <BackLink to={back.to}>{back.label}</BackLink>
        <p className="actions">
          <PrintButton label="打印" primary />
        </p>
      </div>
      <h1 className="form-title">{title}</h1>
      {particulars ? <p className="form-no">{particulars}</p> : null}
      {children}
    </section>
  );
}

/** A box for an opinion written and signed by hand on the paper. */
export function OpinionRow({ label, sign, children }: { label: string; sign: string; children?: ReactNode }) {
  return (
    <tr className="opinion-row">
      <th scope="row">{label}</th>
      <td colSpan={7}>
        {children}
        <p className="sign">{sign}　　　　年　　月　　日</p>
      </td>
    </tr>
  );
}

/** The paper form's grid: eight columns, labels in the odd ones, as the notice's forms are drawn. */
export function PaperForm({ children }: { children: ReactNode }) {
  return (
    <table className="paper-form">
      <colgroup>
        {Array.from({ length: 8 }, (_, i) => (
          <col key={i} className={i % 2 === 0 ? "label-col" : ""} />
        ))}
      </colgroup>
      <tbody>{children}</tbody>
    </table>
  );
}

type Field = [label: string, value: ReactNode, className?: string];

/** One line of the form: one, two or four label–value boxes sharing its width. */
export function FieldRow({ fields, className }: { fields: Field[]; className?: string }) {
  const span = 8 / fields.length - 1;
  return (
    <tr className={className}>
      {fields.map(([label, value, cellClass]) => (
        <Fragment key={label}>
          <th scope="row">{label}</th>
          <td colSpan={span > 1 ? span : undefined} className={cellClass}>
            {value}
          </td>
        </Fragment>
      ))}
    </tr>
  );
}

/** A paper table's column headings. */
export function ColumnHeads({ labels }: { labels: string[] }) {
  return (
    <thead>
      <tr>
        {labels.map((l) => (
          <th key={l} scope="col">
            {l}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** An amount on paper: what it is, and the amount in yuan beside it. */
export function FenCells({ label, fen, strong }: { label: string; fen: number; strong?: boolean }) {
  return (
    <>
      <th scope="row">{label}</th>
      <td className="num">{strong ? <strong>{formatFen(fen)}</strong> : formatFen(fen)}</td>
    </>
  );
}
