import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { ConfirmSubmit } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { OBJECTION_OUTCOME_LABELS } from "~/modules/subsidies/labels";
import type { loader } from "./route";

type Side = SerializeFrom<typeof loader>["notice"];

interface Objector {
  objectionId: number;
  name: string;
  idNumber: string;
  phone: string;
}

/**
 * The application's 公示 on its page: the period, and for its officers the objections — what they
 * say and how the objector knows the applicant; for the city who filed them (masked until revealed
 * with a reason), their attachments and the finding.
 */
export function NoticeCard({ side, city }: { side: Side; city: boolean }) {
  const resolved = useReply("resolve-objection");
  const revealed = useReply<Objector>("reveal-objector");
  if (!side.notice && !side.objections.length) return null;
  return (
    <div className="card">
      <h2>网上公示</h2>
      {side.notice ? (
        <p>
          公示期{" "}
          <Link to={`/subsidy-notice/${side.notice.id}`}>
            {side.notice.starts_on} 至 {side.notice.ends_on}
          </Link>
          。公示期满、异议处理完毕且无属实异议后才能拨付。
        </p>
      ) : null}
      {side.objections.map((o) => (
        <div key={o.id} className="objection">
          <p>
            <strong>{formatDateTime(o.filed_at)}</strong> 网上实名异议（{o.relation}）：{o.content}
          </p>
          <p>
            核查结果：<span className={o.outcome === "upheld" ? "badge bad" : "badge"}>{OBJECTION_OUTCOME_LABELS[o.outcome]}</span> {o.handling}
          </p>
          {o.objector ? (
            <div className="objector">
              {revealed?.data?.objectionId === o.id ? (
                <p role="status">
                  异议人：{revealed.data.name}，身份证号码 {revealed.data.idNumber}，电话 {revealed.data.phone}
                </p>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="reveal-objector" />
                  <input type="hidden" name="objectionId" value={o.id} />
                  <span>
                    异议人：{o.objector.name}，电话 {o.objector.phone}
                  </span>
                  <label>
                    查看事由
                    <input name="reason" required maxLength={200} placeholder="如：联系异议人核实情况" />
                  </label>
                  <button type="submit" className="button">
                    查看身份和联系方式
                  </button>
                </Form>
              )}
              {o.objector.files.length ? (
                <p>
                  证明材料：
                  {o.objector.files.map((f) => (
                    <a key={f.id} href={`/subsidy-objection-files/${f.id}`} target="_blank" rel="noreferrer">
                      {f.filename}{" "}
                    </a>
                  ))}
                </p>
              ) : null}
            </div>
          ) : null}
          {city && o.outcome === "pending" ? (
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="resolve-objection" />
              <input type="hidden" name="objectionId" value={o.id} />
              <label className="field">
                核查结果
                <select name="outcome">
                  <option value="dismissed">{OBJECTION_OUTCOME_LABELS.dismissed}</option>
                  <option value="upheld">{OBJECTION_OUTCOME_LABELS.upheld}</option>
                </select>
              </label>
              <label className="field span-all">
                核查处理情况
                <textarea name="handling" rows={3} maxLength={1000} required />
              </label>
              <ConfirmSubmit label="保存核查结果" confirm="核查结果保存后不能修改。异议属实的，保存后可撤销对该申请的批准。" />
            </Form>
          ) : null}
        </div>
      ))}
      <ReplyNotice reply={revealed?.ok ? undefined : revealed} />
      <ReplyNotice reply={resolved} done="核查结果已保存。" />
    </div>
  );
}
