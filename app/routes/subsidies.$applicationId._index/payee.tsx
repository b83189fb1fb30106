import { Form } from "@remix-run/react";
import { LabelledField, LabelledSelect, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { PAYEE_KIND_LABELS } from "~/modules/subsidies/labels";

interface Payee {
  kind: keyof typeof PAYEE_KIND_LABELS;
  account_name: string;
  bank_name: string;
  number_masked: string;
}

/**
 * Where the subsidy is paid: the account's facts with its number masked; the applicant's form while
 * they may record or change it; the city's recorded reveal of the full number.
 */
export function PayeeCard({
  payee,
  applicant,
  canEdit,
  canReveal,
  approved,
}: {
  payee: Payee | null;
  applicant: string;
  canEdit: boolean;
  canReveal: boolean;
  approved: boolean;
}) {
  const saved = useReply("payee");
  const reveal = useReply<{ number: string }>("reveal-payee");
  const revealed = reveal?.data?.number;
  const errors = (name: string) => replyErrors(saved, name);
  return (
    <div className="card">
      <h2>收款账户</h2>
      {payee ? (
        <dl className="facts">
          <dt>账户类别</dt>
          <dd>{PAYEE_KIND_LABELS[payee.kind]}</dd>
          <dt>户名</dt>
          <dd>{payee.account_name}</dd>
          <dt>开户银行</dt>
          <dd>{payee.bank_name}</dd>
          <dt>卡号</dt>
          <dd className="mono">{revealed ?? payee.number_masked}</dd>
        </dl>
      ) : (
        <p className="empty">尚未登记收款账户：补助只拨付到申请人本人名下的银行卡或工会会员卡，登记后才能拨付。</p>
      )}
      <ReplyNotice reply={saved} done="收款账户已保存。" />
      <ReplyNotice reply={reveal} />
      {canEdit ? (
        <details className="confirm-step" open={!payee || (saved ? !saved.ok : false)}>
          <summary className="button">{payee ? "变更收款账户" : "登记收款账户"}</summary>
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="payee" />
            <LabelledSelect label="账户类别" name="kind" choices={PAYEE_KIND_LABELS} defaultValue={payee?.kind ?? "bank_card"} errors={errors("kind")} />
            <LabelledField label="户名（须为申请人本人）" errors={errors("accountName")}>
              <input name="accountName" defaultValue={payee?.account_name ?? applicant} maxLength={50} required />
            </LabelledField>
            <LabelledField label="开户银行（写到支行更稳妥）" errors={errors("bankName")}>
              <input name="bankName" defaultValue={payee?.bank_name} maxLength={60} placeholder="如：中国农业银行温岭支行" required />
            </LabelledField>
            <LabelledField label="卡号" errors={errors("number")}>
              <input name="number" inputMode="numeric" autoComplete="off" maxLength={30} placeholder="12–19位数字，可带空格" required />
            </LabelledField>
            <label className="span-all">
              <input type="checkbox" name="numberChecked" value="1" /> 卡号已核对无误（校验未通过但与卡面一致时勾选）
            </label>
            {approved ? <p className="hint span-all">补助已批准：变更收款账户将记入申请历史，并通知县级总工会。</p> : null}
            <div className="form-actions span-all">
              <button type="submit" className="button primary">
                保存收款账户
              </button>
            </div>
          </Form>
        </details>
      ) : null}
      {canReveal && !revealed ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="reveal-payee" />
          <LabelledField label="查看完整卡号（将记入操作日志）" errors={replyErrors(reveal, "reason")}>
            <input name="reason" placeholder="事由，如：核对银行退票" maxLength={200} required />
          </LabelledField>
          <button type="submit" className="button">
            查看完整卡号
          </button>
        </Form>
      ) : null}
    </div>
  );
}
