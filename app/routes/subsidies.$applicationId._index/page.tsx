import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { FileThumb } from "~/components/FileThumb";
import { ConfirmSubmit } from "~/components/forms";
import { HistoryCard } from "~/components/HistoryCard";
import { ReplyNotice } from "~/components/ReplyNotice";
import { StepsCard } from "~/components/StepForm";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { formatFen } from "~/lib/money";
import { ATTACHMENT_LABELS, placeLabel, STUDY_MODE_LABELS } from "~/modules/subsidies/labels";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import { PayeeCard } from "./payee";
import { ChsiCard } from "./chsi";
import type { loader } from "./route";
import { OtherSchemesCard } from "./other-schemes";
import { NoticeCard } from "./notice";

/** An application: its facts, its proof, and the steps open to the viewer. */
export function SubsidyPage({
  app,
  attachments,
  chsi,
  history,
  budget,
  notice,
  claims,
  otherSchemes,
  steps,
  canEdit,
  canUploadGraduation,
  payee,
  canEditPayee,
  canRevealPayee,
  paymentDue,
  city,
  today,
}: SerializeFrom<typeof loader>) {
  const attached = useReply("attach");
  const navigation = useNavigation();
  const place = placeLabel(app.place, app.place_rank);
  const uploadKinds = canEdit ? (["admission", "receipt"] as const) : canUploadGraduation ? (["graduation"] as const) : [];
  return (
    <section>
      <BackLink to="/subsidies">学历提升补助</BackLink>
      <div className="page-head">
        <h1>
          {app.name} · {app.year}年学历提升补助
        </h1>
        <span className="badge">{SUBSIDY_STATUS_LABELS[app.status]}</span>
        {place ? <span className="badge">{place}</span> : null}
        <Link className="button" to={`/subsidies/${app.id}/print`}>
          打印申请表
        </Link>
      </div>
      {app.status_reason ? <p className="notice">说明：{app.status_reason}</p> : null}
      {app.place === "waiting" ? <p className="notice">本年度名额已满，申请在候补名单上：有名额空出时按提交时间依次递补，递补前不能审核通过。</p> : null}
      <dl className="facts card">
        <dt>所属单位</dt>
        <dd>{app.unit_name}</dd>
        <dt>报读</dt>
        <dd>
          {app.current_education} → {app.target_degree}，{app.institution} {app.programme}（{STUDY_MODE_LABELS[app.study_mode]}）
        </dd>
        <dt>学制</dt>
        <dd>
          {app.enrolled_on} 入学，预计 {app.expected_graduation} 毕业
        </dd>
        <dt>学费总额</dt>
        <dd>{formatFen(app.tuition_fen)}</dd>
        <dt>申请金额</dt>
        <dd>{formatFen(app.requested_fen)}</dd>
        {app.max_fen !== null ? (
          <>
            <dt>政策最高额</dt>
            <dd>{formatFen(app.max_fen)}</dd>
          </>
        ) : null}
        {app.approved_fen !== null ? (
          <>
            <dt>批准金额</dt>
            <dd>{formatFen(app.approved_fen)}</dd>
            <dt>已拨付</dt>
            <dd>
              {formatFen(app.paid_fen)}
              {app.first_voucher ? `（${app.disbursed_on}，凭证 ${app.first_voucher}）` : ""}
            </dd>
            {app.held_fen > 0 ? (
              <>
                <dt>预留至毕业</dt>
                <dd>{formatFen(app.held_fen)}</dd>
              </>
            ) : null}
            {app.final_voucher ? (
              <>
                <dt>尾款</dt>
                <dd>
                  {app.closed_on}，凭证 {app.final_voucher}
                </dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>

      <div className="card">
        <h2>证明材料</h2>
        {attachments.length === 0 ? <p className="empty">还没有上传材料。</p> : null}
        <ul>
          {attachments.map((a) => (
            <li key={a.id}>
              {ATTACHMENT_LABELS[a.kind]}：
              <FileThumb href={`/subsidy-files/${a.id}`} name={a.filename} type={a.content_type} />
              {canEdit && a.kind !== "graduation" ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="detach" />
                  <input type="hidden" name="attachmentId" value={a.id} />
                  <ConfirmSubmit label="删除" confirm={`删除“${a.filename}”？删除后可重新上传。`} />
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {uploadKinds.length ? (
          <Form method="post" encType="multipart/form-data" className="inline-form" key={attachments.length}>
            <input type="hidden" name="intent" value="attach" />
            <label>
              材料类别
              <select name="kind">
                {uploadKinds.map((k) => (
                  <option key={k} value={k}>
                    {ATTACHMENT_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              文件（PDF、JPEG 或 PNG，每个不超过 5 MB）
              <UploadInput name="files" accept="application/pdf,image/jpeg,image/png" multiple required />
            </label>
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              上传
            </button>
          </Form>
        ) : null}
        <ReplyNotice reply={attached} />
      </div>

      <ChsiCard chsi={chsi} />
      <OtherSchemesCard claims={claims} otherSchemes={otherSchemes} canEdit={canEdit} />
      <PayeeCard payee={payee} applicant={app.name} canEdit={canEditPayee} canReveal={canRevealPayee} approved={paymentDue !== null} />
      <NoticeCard side={notice} city={city} />

      <StepsCard
        steps={steps}
        expected={app.status}
        editTo={canEdit ? `/subsidies/${app.id}/edit` : null}
        fields={(step) => (
          <>
            {step === "submit" ? (
              claims.length ? (
                <p>已申报其他项目补助 {claims.length} 项。</p>
              ) : (
                <label className="checkbox">
                  <input type="checkbox" name="noOtherSchemes" value="1" /> 本人未享受其他学历提升补助
                </label>
              )
            ) : null}
            {step === "city_approve" ? (
              <label>
                批准金额（元）
                <input
                  name="amount"
                  defaultValue={app.max_fen !== null ? (Math.min(app.requested_fen, app.max_fen, otherSchemes?.roomFen ?? app.max_fen) / 100).toFixed(2) : ""}
                  inputMode="decimal"
                  required
                />
              </label>
            ) : null}
            {step === "disburse" || step === "close" ? (
              <>
                <label>
                  日期
                  <input type="date" name="date" defaultValue={today} required />
                </label>
                {step === "disburse" || app.held_fen > 0 ? (
                  <label>
                    {step === "disburse" ? "拨付凭证号" : "尾款凭证号"}
                    <input name="voucher" required />
                  </label>
                ) : null}
              </>
            ) : null}
          </>
        )}
      >
        {budget ? (
          <p className="notice">
            {app.year}年预算 {formatFen(budget.budget)}，已批准 {formatFen(budget.committed)}，剩余 <strong>{formatFen(budget.remaining)}</strong>
          </p>
        ) : null}
      </StepsCard>

      <HistoryCard history={history} />
    </section>
  );
}
