import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { FileThumb } from "~/components/FileThumb";
import { FieldError, Options } from "~/components/forms";
import { LabelledField, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { StepForm } from "~/components/StepForm";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { formatFen } from "~/lib/money";
import { PLAN_TARGETS, SPENDING_CATEGORY_LABELS, YEAR_STATUS_LABELS, type PlanKey } from "~/modules/studios/cycle";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import type { loader } from "./route";

const PLAN_KEYS = Object.keys(PLAN_TARGETS) as PlanKey[];

/** A studio's year: its plan, its report and the county's review, the city's 验收. */
export function StudioYearPage(d: SerializeFrom<typeof loader>) {
  const replies = { plan: useReply("plan"), report: useReply("report"), step: useReply("step"), accept: useReply("accept") };
  const errors = (intent: keyof typeof replies, name: string) => replyErrors(replies[intent], name);
  const message = (intent: keyof typeof replies) => <ReplyNotice reply={replies[intent]} />;
  const { figures } = d;
  return (
    <section>
      <BackLink to={`/studios/${d.studio.id}`}>{d.studio.name}</BackLink>
      <div className="page-head">
        <h1>{d.year}年度计划与总结</h1>
        <span className="badge">{d.row ? YEAR_STATUS_LABELS[d.status] : "尚未报送年度计划"}</span>
        <Link className="button" to={`/studios/${d.studio.id}/years/${d.year}/print`}>
          打印考核表
        </Link>
      </div>
      {d.row?.reason && d.status === "returned" ? <p className="notice">退回理由：{d.row.reason}</p> : null}

      <div className="card">
        <h2>年度计划与完成情况</h2>
        <p className="hint">完成数取自平台上经核实的记录（服务企业为领衔人自报）。</p>
        {d.canPlan ? (
          <Form method="post" className="form-grid plan-form">
            <input type="hidden" name="intent" value="plan" />
            {PLAN_KEYS.map((k) => (
              <label key={k} className="field">
                {PLAN_TARGETS[k]}目标
                <input name={k} inputMode="numeric" required defaultValue={d.plan[k] ?? 0} />
                <FieldError errors={errors("plan", k)} />
              </label>
            ))}
            <button type="submit" className="button">
              {d.row?.planFiled ? "修改年度计划" : "报送年度计划"}
            </button>
            {message("plan")}
          </Form>
        ) : null}
        <DataTable
          rows={d.progress}
          rowKey={(p) => p.key}
          compact
          label="计划与完成"
          columns={[
            { label: "项目", cell: (p) => p.label },
            { label: "计划", num: true, cell: (p) => p.target },
            { label: "完成", num: true, cell: (p) => p.actual },
            { label: "", cell: (p) => (p.met ? <span className="badge ok">已完成</span> : <span className="badge bad">未完成</span>) },
          ]}
        />
      </div>

      <div className="card">
        <h2>年度总结</h2>
        <dl className="facts" aria-label="平台记录">
          <dt>对照考核标准自评得分</dt>
          <dd>{figures.scorecard.max ? `${figures.scorecard.total} / ${figures.scorecard.max} 分` : "当年考核标准尚未设定"}</dd>
          <dt>经费到账</dt>
          <dd className="num">{formatFen(figures.money.receivedFen)}</dd>
          <dt>经费支出</dt>
          <dd className="num">
            {formatFen(figures.money.spentFen)}
            {figures.spentByCategory.length
              ? `（${figures.spentByCategory.map((s) => `${SPENDING_CATEGORY_LABELS[s.category]} ${formatFen(s.fen)}`).join("，")}）`
              : ""}
          </dd>
          <dt>年末余额</dt>
          <dd className="num">{formatFen(figures.money.closingFen)}</dd>
        </dl>
        {d.canReport ? (
          <Form method="post" className="form-grid report-form">
            <input type="hidden" name="intent" value="report" />
            <input type="hidden" name="expected" value={d.status} />
            <LabelledField label="服务企业（家次，自报）" errors={errors("report", "outreach")}>
              <input name="outreach" inputMode="numeric" required defaultValue={d.row?.outreach ?? d.plan.outreach ?? 0} />
            </LabelledField>
            <LabelledField label="自我评价（已按平台记录预填，可修改）" errors={errors("report", "selfAssessment")}>
              <textarea name="selfAssessment" rows={4} required maxLength={2000} defaultValue={d.draft} />
            </LabelledField>
            <LabelledField label="年度工作总结" errors={errors("report", "summary")}>
              <textarea name="summary" rows={8} required maxLength={5000} defaultValue={d.row?.summary ?? ""} />
            </LabelledField>
            <button type="submit" className="button primary">
              提交年度总结
            </button>
            {message("report")}
          </Form>
        ) : d.row?.summary ? (
          <dl className="facts">
            <dt>自我评价</dt>
            <dd className="pre">{d.row.selfAssessment}</dd>
            <dt>年度工作总结</dt>
            <dd className="pre">{d.row.summary}</dd>
          </dl>
        ) : (
          <p>{d.status === "planned" ? "年度总结尚未提交。" : null}</p>
        )}
        {!d.canReport ? message("report") : null}
        {d.reviewSteps.map((s) => (
          <StepForm key={s.step} {...s} expected={d.status} />
        ))}
        {message("step")}
      </div>

      {d.canAccept ? (
        <Form method="post" encType="multipart/form-data" className="card form-grid acceptance-form">
          <h2>现场验收</h2>
          {d.quota ? (
            <p className="hint">
              {d.year}年度“优秀”名额：{d.quota.studios}个工作室的{d.quota.percent}%，最多{d.quota.cap}个，已评{d.quota.given}个。
            </p>
          ) : null}
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="expected" value={d.status} />
          {d.checklist.length ? null : <p className="form-errors">{d.year}年的验收清单尚未设定，请先在“年度考核”页面设定。</p>}
          {d.checklist.map((item) => (
            <fieldset key={item.key} className="field">
              <legend>
                {item.label}（{item.points}分）
              </legend>
              <label>
                得分
                <input
                  name={`points-${item.key}`}
                  inputMode="numeric"
                  required
                  defaultValue={(d.evaluation?.checklist as Record<string, number> | null)?.[item.key] ?? ""}
                />
              </label>
              <FieldError errors={errors("accept", `points-${item.key}`)} />
              <label>
                现场照片{item.needs_photo ? "（必传）" : "（选传）"}
                <UploadInput name={`photo-${item.key}`} accept="image/jpeg,image/png" multiple />
              </label>
              <FieldError errors={errors("accept", `photo-${item.key}`)} />
              {d.photos
                .filter((p) => p.item_key === item.key)
                .map((p) => (
                  <FileThumb key={p.id} href={`/studio-files/${p.id}`} name={p.filename} type={p.content_type} />
                ))}
            </fieldset>
          ))}
          <LabelledField label="考核等次" errors={errors("accept", "grade")}>
            <select name="grade" defaultValue={d.evaluation?.grade ?? "pass"}>
              <Options choices={GRADE_LABELS} />
            </select>
          </LabelledField>
          <LabelledField label="验收意见（不合格必填）" errors={errors("accept", "comment")}>
            <input name="comment" maxLength={500} defaultValue={d.evaluation?.comment ?? ""} />
          </LabelledField>
          <button type="submit" className="button primary">
            {d.evaluation ? "改评" : "验收评定"}
          </button>
          {message("accept")}
        </Form>
      ) : d.evaluation ? (
        <div className="card">
          <h2>验收结果</h2>
          <p>
            <span className={d.evaluation.grade === "fail" ? "badge bad" : "badge ok"}>{GRADE_LABELS[d.evaluation.grade]}</span> {d.evaluation.score} 分
            {d.evaluation.comment ? ` · ${d.evaluation.comment}` : ""}
          </p>
          {d.checklist.length ? (
            <ul>
              {d.checklist.map((item) => (
                <li key={item.key}>
                  {item.label}：{(d.evaluation!.checklist as Record<string, number> | null)?.[item.key] ?? "—"} / {item.points} 分
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <p>
        <Link to={`/studios/${d.studio.id}/funds`}>查看经费台账</Link>
      </p>
    </section>
  );
}
