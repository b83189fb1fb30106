import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { ColumnHeads, FenCells, PrintSheet } from "~/components/PrintSheet";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { formatFen } from "~/lib/money";
import { SPENDING_CATEGORY_LABELS, statementPeriod } from "~/modules/studios/cycle";
import { statementOf } from "~/modules/studios/funds.server";
import { studioForViewer } from "~/modules/studios/studios.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.statement.title ?? "经费收支表"} · 匠心` }];

/** The statement on A4, as the union files it: the summary in boxes, then every entry. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const period = statementPeriod(new URL(request.url).searchParams);
  if ("closing" in period && studio.status !== "revoked") throw json({ error: "工作室尚未摘牌，没有清算表" }, { status: 409 });
  return json({
    studio: { id: studio.id, name: studio.name, unit: studio.unit_name, host: studio.host_enterprise, leader: studio.leader_name },
    statement: await statementOf(db, studio, period),
  });
}

export default function FundStatement() {
  const { studio, statement: s } = useLoaderData<typeof loader>();
  return (
    <PrintSheet
      back={{ to: `/studios/${studio.id}/funds`, label: "经费台账" }}
      title={s.title}
      particulars={`${studio.name} · ${studio.unit} · ${s.from ? `${s.from} 至 ${s.to}` : `截至 ${s.to}`}`}
    >
      <table className="paper-form statement">
        <tbody>
          <FenRow label="期初余额" fen={s.openingFen} />
          {s.received.map((r) => (
            <FenRow key={r.source} label={`收入：${r.label}`} fen={r.fen} />
          ))}
          <FenRow label="收入合计" fen={s.receivedFen} />
          {s.spent.map((x) => (
            <FenRow key={x.category} label={`支出：${SPENDING_CATEGORY_LABELS[x.category]}`} fen={x.fen} />
          ))}
          <FenRow label="支出合计" fen={s.spentFen} />
          <tr>
            <FenCells label="期末余额" fen={s.closingFen} strong />
          </tr>
          {s.pendingFen ? <FenRow label="待审批支出（未计入）" fen={s.pendingFen} /> : null}
          {s.toReturn?.map((r) => (
            <FenRow key={`back-${r.source}`} label={`应退回：${r.label}`} fen={r.fen} />
          ))}
        </tbody>
      </table>
      <h2>明细</h2>
      <table className="paper-form statement-entries">
        <ColumnHeads labels={["日期", "摘要", "收入", "支出", "凭证"]} />
        <tbody>
          {s.entries.length ? (
            s.entries.map((e, i) => (
              <tr key={i}>
                <td>{e.date}</td>
                <td>{e.text}</td>
                <td className="num">{e.kind === "in" ? formatFen(e.fen) : ""}</td>
                <td className="num">{e.kind === "out" ? formatFen(e.fen) : ""}</td>
                <td>{e.voucher}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={5}>本期没有收支。</td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="sign">工作室领衔人（签字）：　　　　　　所属县级总工会（盖章）：　　　　　　</p>
    </PrintSheet>
  );
}

/** One line of the statement's summary. */
function FenRow({ label, fen }: { label: string; fen: number }) {
  return (
    <tr>
      <FenCells label={label} fen={fen} />
    </tr>
  );
}
