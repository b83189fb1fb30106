import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit, FieldError } from "~/components/forms";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { SchemeSelect } from "~/components/SchemeSelect";
import { useReply } from "~/components/useReply";
import { formatFen } from "~/lib/money";
import { OTHER_SCHEME_LABELS } from "~/modules/subsidies/labels";
import type { loader } from "./route";

type Data = SerializeFrom<typeof loader>;

/**
 * 其他项目补助: what the applicant declared of other schemes paying for the same studies (added and
 * taken back while the application is theirs to edit) and, for the officers, the imported lists'
 * lines that carry the applicant's ID number, a match of an undeclared scheme flagged, and what the
 * combined cap leaves for this subsidy.
 */
export function OtherSchemesCard({ claims, otherSchemes, canEdit }: Pick<Data, "claims" | "otherSchemes"> & { canEdit: boolean }) {
  const claimed = useReply("claim");
  const unclaimed = useReply("unclaim");
  return (
    <div className="card">
      <h2>其他项目补助</h2>
      {canEdit ? (
        <p>
          同一学业如还享受全国总工会（求学圆梦行动）、省总工会（双提升）或工作单位等其他补助，请如实申报：各项补助合计不超过学费的规定比例，重复享受的将被核减。
        </p>
      ) : null}
      {claims.length === 0 ? (
        <p className="empty">{canEdit ? "尚未申报。没有享受其他补助的，提交申请时勾选“本人未享受其他学历提升补助”。" : "未申报其他项目补助。"}</p>
      ) : (
        <ul>
          {claims.map((c) => (
            <li key={c.id}>
              {OTHER_SCHEME_LABELS[c.scheme]} · {c.scheme_name}：{formatFen(c.amount_fen)}
              {canEdit ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="unclaim" />
                  <input type="hidden" name="claimId" value={c.id} />
                  <ConfirmSubmit label="删除" confirm={`删除“${c.scheme_name}”的申报？删除后可重新申报。`} />
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <Form method="post" className="form-grid" key={claims.length}>
          <input type="hidden" name="intent" value="claim" />
          <SchemeSelect errors={replyErrors(claimed, "scheme")} />
          <label className="field">
            项目名称（如 求学圆梦行动）
            <input name="schemeName" maxLength={100} required />
            <FieldError errors={replyErrors(claimed, "schemeName")} />
          </label>
          <label className="field">
            补助金额（元）
            <input name="amount" inputMode="decimal" required />
            <FieldError errors={replyErrors(claimed, "amount")} />
          </label>
          <div className="form-actions">
            <button type="submit" className="button">
              申报
            </button>
          </div>
        </Form>
      ) : null}
      <ReplyNotice reply={claimed} done="已申报。" />
      <ReplyNotice reply={unclaimed} done="已删除该申报。" />
      {otherSchemes ? <OfficersView o={otherSchemes} /> : null}
    </div>
  );
}

function OfficersView({ o }: { o: NonNullable<Data["otherSchemes"]> }) {
  return (
    <>
      <h3>其他项目名单比对</h3>
      <DataTable
        rows={o.listed}
        rowKey={(l) => l.entryId}
        caption="按身份证号码比对导入的其他项目补助名单"
        empty="导入的其他项目补助名单中没有该申请人。"
        columns={[
          { label: "项目", cell: (l) => OTHER_SCHEME_LABELS[l.scheme] },
          { label: "名单", cell: (l) => `${l.year}年 ${l.title}（第 ${l.rowNumber} 行）` },
          { label: "学历层次、院校", cell: (l) => [l.degree, l.institution].filter(Boolean).join("，") || "—" },
          { label: "金额", num: true, cell: (l) => formatFen(l.amountFen) },
          {
            label: "比对",
            cell: (l) =>
              !l.counted ? (
                <span className="badge">其他学历层次，不计入</span>
              ) : l.undeclared ? (
                <span className="badge bad">未申报</span>
              ) : (
                <span className="badge ok">已申报</span>
              ),
          },
        ]}
      />
      <p className="notice">
        其他项目补助按项目计一次（申报与名单取较大者），合计 <strong>{formatFen(o.otherFen)}</strong>；与本补助合计不超过学费的 {o.combinedCapPercent}%（
        {formatFen(o.limitFen)}），本补助最多可批准 <strong>{formatFen(o.roomFen)}</strong>。
      </p>
    </>
  );
}
