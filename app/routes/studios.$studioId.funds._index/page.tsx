import type { SerializeFrom } from "@remix-run/node";
import type { InputHTMLAttributes, ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { DecisionForm } from "~/components/DecisionForm";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { FileThumb } from "~/components/FileThumb";
import { Options, type Choices } from "~/components/forms";
import { LabelledField, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { formatFen } from "~/lib/money";
import { GRANT_SOURCE_LABELS, SPENDING_CATEGORY_LABELS, SPENDING_STATUS_LABELS } from "~/modules/studios/cycle";
import type { loader } from "./route";

/** One line of a ledger form: a select of its choices, an input (always required), or a control of its own. */
interface LedgerField {
  name: string;
  label: string;
  choices?: Choices;
  input?: InputHTMLAttributes<HTMLInputElement>;
  control?: ReactNode;
}

const AMOUNT = { inputMode: "decimal" } as const;

/**
 * A form that adds one line to the ledger (a grant, its money arriving, a spending): its fields,
 * each with the reply's errors beside it, and what the reply said. `upload` for one that sends files.
 */
function LedgerForm({ intent, title, primary, upload, fields }: { intent: string; title: string; primary?: boolean; upload?: boolean; fields: LedgerField[] }) {
  const reply = useReply(intent);
  return (
    <Form method="post" encType={upload ? "multipart/form-data" : undefined} className="form-grid">
      <h3>{title}</h3>
      <input type="hidden" name="intent" value={intent} />
      {fields.map((f) => (
        <LabelledField key={f.name} label={f.label} errors={replyErrors(reply, f.name)}>
          {f.control ??
            (f.choices ? (
              <select name={f.name} required defaultValue="">
                <option value="" disabled>
                  请选择
                </option>
                <Options choices={f.choices} />
              </select>
            ) : (
              <input name={f.name} required {...f.input} />
            ))}
        </LabelledField>
      ))}
      <button type="submit" className={primary ? "button primary" : "button"}>
        {title}
      </button>
      <ReplyNotice reply={reply} done="已保存。" />
    </Form>
  );
}

/** The ledger: what came in, what went out, and the forms of whoever may add to it. */
export function StudioFundsPage({ studio, ledger, year, today, thresholdFen, canRecordGrants, canSpend, canReview, closing }: SerializeFrom<typeof loader>) {
  const reviewed = useReply("review");
  return (
    <section>
      <BackLink to={`/studios/${studio.id}`}>{studio.name}</BackLink>
      <h1>经费台账</h1>
      <dl className="facts card" aria-label="经费概况">
        <dt>累计到账</dt>
        <dd className="num">{formatFen(ledger.fund.received)}</dd>
        <dt>已支出（含待审批）</dt>
        <dd className="num">{formatFen(ledger.fund.spent)}</dd>
        <dt>可用余额</dt>
        <dd className="num" data-testid="balance">
          <strong>{formatFen(ledger.fund.balance)}</strong>
        </dd>
        {ledger.pendingFen ? (
          <>
            <dt>待县级审批</dt>
            <dd className="num">{formatFen(ledger.pendingFen)}</dd>
          </>
        ) : null}
      </dl>
      <p className="actions no-print">
        <Link className="button" to={`statement?year=${year}`}>
          打印{year}年度收支表
        </Link>
        <DownloadLink className="button" href={`/studios/${studio.id}/funds/export?year=${year}`}>
          导出{year}年度收支表（Excel）
        </DownloadLink>
        {closing ? (
          <Link className="button primary" to="statement?closing=1">
            经费清算表（应退回资金）
          </Link>
        ) : null}
      </p>

      <div className="card">
        <h2>资助</h2>
        <DataTable
          rows={ledger.grants}
          empty="还没有登记资助。"
          columns={[
            { label: "来源", cell: (g) => `${GRANT_SOURCE_LABELS[g.source]}${g.purpose === "reconfirmation" ? "（重新确认）" : ""}` },
            { label: "文号", cell: (g) => g.document_number },
            { label: "下达日期", cell: (g) => g.decided_on },
            { label: "资助金额", num: true, cell: (g) => formatFen(g.amount_fen) },
            {
              label: "到账",
              cell: (g) =>
                g.tranches.length ? (
                  <ul className="plain">
                    {g.tranches.map((t) => (
                      <li key={t.id}>
                        {t.received_on} {formatFen(t.amount_fen)}（凭证 {t.voucher}）
                      </li>
                    ))}
                  </ul>
                ) : (
                  "未到账"
                ),
            },
          ]}
        />
        {canRecordGrants ? (
          <>
            <LedgerForm
              intent="grant"
              title="登记资助"
              fields={[
                { name: "source", label: "资金来源", choices: GRANT_SOURCE_LABELS },
                { name: "documentNumber", label: "文件文号", input: { maxLength: 60 } },
                { name: "amount", label: "资助金额（元）", input: AMOUNT },
                { name: "decidedOn", label: "下达日期", input: { type: "date", max: today } },
              ]}
            />
            {ledger.grants.length ? (
              <LedgerForm
                intent="tranche"
                title="登记到账"
                fields={[
                  {
                    name: "grantId",
                    label: "对应资助",
                    control: (
                      <select name="grantId" required>
                        {ledger.grants.map((g) => (
                          <option key={g.id} value={g.id}>
                            {GRANT_SOURCE_LABELS[g.source]} {g.document_number}（尚可到账 {formatFen(g.amount_fen - g.receivedFen)}）
                          </option>
                        ))}
                      </select>
                    ),
                  },
                  { name: "amount", label: "到账金额（元）", input: AMOUNT },
                  { name: "receivedOn", label: "到账日期", input: { type: "date", max: today } },
                  { name: "voucher", label: "凭证号", input: { maxLength: 60 } },
                ]}
              />
            ) : null}
          </>
        ) : null}
      </div>

      <div className="card">
        <h2>支出</h2>
        <p className="hint">单笔超过 {formatFen(thresholdFen)} 的支出须经所属县级总工会审批；审批前该金额已从可用余额中预留。</p>
        <DataTable
          rows={ledger.spending}
          empty="还没有支出。"
          columns={[
            { label: "日期", cell: (s) => s.spent_on },
            { label: "类别", cell: (s) => SPENDING_CATEGORY_LABELS[s.category] },
            { label: "事由", cell: (s) => s.description },
            { label: "金额", num: true, cell: (s) => formatFen(s.amount_fen) },
            {
              label: "票据",
              cell: (s) => s.receipts.map((r) => <FileThumb key={r.id} href={`/studio-files/${r.id}`} name={r.filename} type={r.content_type} />),
            },
            {
              label: "状态",
              cell: (s) => (
                <>
                  {SPENDING_STATUS_LABELS[s.status]}
                  {s.review_comment ? `：${s.review_comment}` : ""}
                  {canReview && s.status === "pending" ? (
                    <DecisionForm
                      intent="review"
                      record={{ name: "spendingId", id: s.id }}
                      comment={{ label: "审批意见", maxLength: 500 }}
                      decisions={[
                        ["approved", "批准"],
                        ["rejected", "不予批准"],
                      ]}
                    />
                  ) : null}
                </>
              ),
            },
          ]}
        />
        <ReplyNotice reply={reviewed} done="已保存。" />
        {canSpend ? (
          <LedgerForm
            intent="spend"
            title="登记支出"
            primary
            upload
            fields={[
              { name: "category", label: "支出类别", choices: SPENDING_CATEGORY_LABELS },
              { name: "description", label: "支出事由", input: { maxLength: 200 } },
              { name: "amount", label: "支出金额（元）", input: AMOUNT },
              { name: "spentOn", label: "支出日期", input: { type: "date", max: today } },
              {
                name: "receipts",
                label: "票据（发票或收据的照片、PDF，最多5个）",
                control: <UploadInput name="receipts" multiple required accept="image/jpeg,image/png,application/pdf" />,
              },
            ]}
          />
        ) : null}
      </div>
    </section>
  );
}
