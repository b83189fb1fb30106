import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { formatFen } from "~/lib/money";
import { PAYMENT_STAGE_LABELS } from "~/modules/subsidies/labels";
import type { loader } from "./route";

type Data = SerializeFrom<typeof loader>;
type Row = Data["first"][number];

/** The year's payments: what each stage may pay now, the batches made of them, their files and their payment. */
export function PaymentsPage({ year, first, final, batches, today }: Data) {
  const created = useReply("create");
  const paid = useReply("paid");
  const cancelled = useReply("cancel");
  return (
    <section>
      <BackLink to="/subsidies">学历提升补助</BackLink>
      <div className="page-head">
        <h1>{year}年补助拨付</h1>
      </div>
      <p className="lead">
        可拨付的申请生成拨付批次，下载代发文件交财务报送银行；银行代发成功后按批次登记拨付（首次拨付按政策预留部分，尾款在毕业证书核实后拨付）。每笔申请每个阶段只能列入一个批次。
      </p>
      <FilterBar>
        <InputFilter label="年度" name="year" value={year} type="number" />
      </FilterBar>
      {/* Outside the stage cards: a created batch empties the list whose form it was. */}
      <ReplyNotice reply={created} done="已生成拨付批次，请下载代发文件。" />
      <Stage year={year} stage="first" rows={first} />
      <Stage year={year} stage="final" rows={final} />

      <div className="card">
        <h2>拨付批次</h2>
        <ReplyNotice reply={paid} done="已登记整批拨付。" />
        <ReplyNotice reply={cancelled} done="已撤销该批次，其中的申请可重新列入批次。" />
        <DataTable
          rows={batches}
          empty="本年度还没有拨付批次。"
          columns={[
            { label: "批次", cell: (b) => `第 ${b.id} 批` },
            { label: "阶段", cell: (b) => PAYMENT_STAGE_LABELS[b.stage] },
            { label: "笔数", cell: (b) => b.count, num: true },
            { label: "金额", cell: (b) => formatFen(b.total_fen), num: true },
            { label: "生成", cell: (b) => `${b.created_by} ${formatDateTime(b.created_at)}` },
            {
              label: "状态",
              cell: (b) =>
                b.paid ? (
                  <>
                    <span className="badge ok">已拨付</span> {b.paid.on} 凭证 {b.paid.voucher}
                  </>
                ) : (
                  <span className="badge warn">待银行代发</span>
                ),
            },
            {
              label: "办理",
              cell: (b) => (
                <>
                  <Form method="post" action="/subsidies/payments/file" reloadDocument className="inline-form">
                    <input type="hidden" name="batchId" value={b.id} />
                    <button type="submit" className="button">
                      下载代发文件<span className="sr-only">（第 {b.id} 批，含完整账号，记入操作日志）</span>
                    </button>
                  </Form>
                  {b.paid ? null : (
                    <>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="paid" />
                        <input type="hidden" name="batchId" value={b.id} />
                        <label>
                          拨付日期<span className="sr-only">（第 {b.id} 批）</span>
                          <input type="date" name="date" defaultValue={today} required />
                        </label>
                        <label>
                          拨付凭证号<span className="sr-only">（第 {b.id} 批）</span>
                          <input name="voucher" maxLength={60} required />
                        </label>
                        <ConfirmSubmit
                          label="登记整批拨付"
                          confirm={`将登记第 ${b.id} 批 ${b.count} 笔共 ${formatFen(b.total_fen)} 已由银行代发，每笔申请按${b.stage === "first" ? "“登记拨付”" : "“结案”"}办理，登记后不能撤回。`}
                        />
                      </Form>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="cancel" />
                        <input type="hidden" name="batchId" value={b.id} />
                        <ConfirmSubmit label="撤销批次" confirm={`撤销第 ${b.id} 批：其中的申请回到待拨付名单。仅在银行未代发时撤销。`} />
                      </Form>
                    </>
                  )}
                </>
              ),
            },
          ]}
        />
      </div>
    </section>
  );
}

/** One stage's waiting applications: those payable now, then those still held back and why; and the form that batches the payable. */
function Stage({ year, stage, rows }: { year: number; stage: "first" | "final"; rows: Row[] }) {
  const ready = rows.filter((r) => !r.blockers.length);
  const blocked = rows.filter((r) => r.blockers.length);
  const total = ready.reduce((sum, r) => sum + r.amountFen, 0);
  return (
    <div className="card">
      <h2>
        {PAYMENT_STAGE_LABELS[stage]}：可拨付 {ready.length} 笔，共 {formatFen(total)}
      </h2>
      <DataTable
        rows={ready}
        empty={stage === "first" ? "没有待首次拨付的申请。" : "没有已核实毕业证书、待拨付尾款的申请。"}
        columns={[
          {
            label: "申请人",
            cell: (r) => (
              <>
                <Link to={`/subsidies/${r.id}`}>{r.name}</Link> <small>{r.unit}</small>
              </>
            ),
          },
          { label: "收款账户", cell: (r) => (r.payee ? `${r.payee.bank} ${r.payee.number}` : "—") },
          { label: "金额", cell: (r) => formatFen(r.amountFen), num: true },
        ]}
      />
      {ready.length ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="year" value={year} />
          <input type="hidden" name="stage" value={stage} />
          <input type="hidden" name="expected" value={ready.map((r) => r.id).join(",")} />
          <ConfirmSubmit
            label={`生成${PAYMENT_STAGE_LABELS[stage]}批次`}
            confirm={`将以上 ${ready.length} 笔共 ${formatFen(total)} 列入一个拨付批次；此后这些申请只能按批次登记拨付。`}
          />
        </Form>
      ) : null}
      {blocked.length ? (
        <>
          <h3>暂不能拨付</h3>
          <ul>
            {blocked.map((r) => (
              <li key={r.id}>
                <Link to={`/subsidies/${r.id}`}>{r.name}</Link>（{formatFen(r.amountFen)}）：{r.blockers.join("；")}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
