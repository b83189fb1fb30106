import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useState, type InputHTMLAttributes } from "react";
import { DecisionForm } from "~/components/DecisionForm";
import { FileThumb } from "~/components/FileThumb";
import { FieldError, SubmitButton } from "~/components/forms";
import { LabelledSelect, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { SKILL_LEVELS } from "~/modules/people/options";
import { COMPETITION_LEVELS, describeMilestone, INNOVATION_TYPES, MENTORSHIP_STATUS_LABELS, MILESTONE_KIND_LABELS } from "~/modules/studios/labels";
import { AgreementCard } from "./agreement";
import { LogCard } from "./log";
import { MentorshipReviews } from "./reviews";
import type { loader } from "./route";
import { AssessmentCard } from "./assessment";

const STATUS_LABELS = { pending: "待核实", verified: "已认定", rejected: "不予认定" } as const;

/** An apprentice's pairing: the facts, the milestones and their review, the forms to add and to end. */
export function MentorshipPage({ m, milestones, canAdd, canEnd, today, viewer, agreement, log, reviews, assessment }: SerializeFrom<typeof loader>) {
  const added = useReply("milestone");
  const reviewed = useReply("review");
  const ended = useReply("end");
  const navigation = useNavigation();
  const [kind, setKind] = useState<keyof typeof MILESTONE_KIND_LABELS>("skill_upgrade");
  const errors = (field: string) => replyErrors(added, field);
  const done = added?.ok && navigation.state === "idle";
  return (
    <section>
      <p>{viewer === "apprentice" ? <Link to="/home">← 我的工作台</Link> : <Link to={`/studios/${m.studio_id}`}>← {m.studio_name}</Link>}</p>
      <h1>学徒：{viewer === "apprentice" ? `${m.name}（${m.studio_name}）` : <Link to={`/people/${m.apprentice_id}`}>{m.name}</Link>}</h1>
      <dl className="facts card">
        <dt>技术等级</dt>
        <dd>{m.skill_level}</dd>
        <dt>工作单位</dt>
        <dd>{m.employer}</dd>
        <dt>结对期</dt>
        <dd>
          {m.start_date} 至 {m.planned_end}
        </dd>
        <dt>培养目标</dt>
        <dd className="pre">{m.goals}</dd>
        <dt>状态</dt>
        <dd>
          {m.status === "completed"
            ? `已出师（${m.ended_on}）`
            : m.status === "ended_early"
              ? `提前结束（${m.ended_on}）：${m.end_reason}`
              : MENTORSHIP_STATUS_LABELS[m.status]}
        </dd>
      </dl>

      <AgreementCard agreement={agreement} />
      <LogCard log={log} startDate={m.start_date} today={today} />

      <div className="card">
        <h2>成长记录</h2>
        {milestones.length === 0 ? <p className="empty">还没有登记成果。</p> : null}
        <ul className="milestones">
          {milestones.map((ms) => (
            <li key={ms.id} className={`milestone ${ms.status}`}>
              <p>
                <strong>{MILESTONE_KIND_LABELS[ms.kind]}</strong> <time>{ms.occurred_on}</time>{" "}
                <span className={ms.status === "verified" ? "badge ok" : ms.status === "rejected" ? "badge bad" : "badge warn"}>
                  {STATUS_LABELS[ms.status]}
                </span>
              </p>
              <p>{describeMilestone(ms.kind, ms.details, ms.benefit_fen)}</p>
              <p className="small">
                证明材料：
                {ms.files.map((f) => (
                  <FileThumb key={f.id} href={`/evidence/${f.id}`} name={f.filename} type={f.content_type} />
                ))}
              </p>
              {ms.review_comment ? (
                <p className="small">
                  核实意见：{ms.review_comment}（{formatDateTime(ms.reviewed_at)}）
                </p>
              ) : null}
              {ms.canVerify ? (
                <DecisionForm
                  intent="review"
                  record={{ name: "milestoneId", id: ms.id }}
                  comment={{ label: "核实意见", placeholder: "不予认定时必填" }}
                  decisions={[
                    ["verified", "核实认定"],
                    ["rejected", "不予认定"],
                  ]}
                />
              ) : null}
            </li>
          ))}
        </ul>
        <ReplyNotice reply={reviewed} />
      </div>

      {reviews ? <MentorshipReviews reviews={reviews} /> : null}

      {canAdd ? (
        <div className="card">
          <h2>登记成果</h2>
          {done ? (
            <p className="notice success" role="status">
              已登记{milestones.some((x) => x.status === "pending") ? "，等待县级总工会核实" : ""}。
            </p>
          ) : null}
          <Form method="post" encType="multipart/form-data" className="form-grid" key={milestones.length}>
            <input type="hidden" name="intent" value="milestone" />
            <LabelledSelect
              label="成果类型"
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as typeof kind)}
              choices={MILESTONE_KIND_LABELS}
            />
            <MilestoneInput label="成果日期" type="date" name="occurredOn" max={today} errors={errors("occurredOn")} />
            {kind === "skill_upgrade" ? (
              <>
                <LabelledSelect label="原等级" name="fromLevel" defaultValue={m.skill_level} choices={SKILL_LEVELS} />
                <LabelledSelect label="新等级" name="toLevel" choices={SKILL_LEVELS} errors={errors("toLevel")} />
                <MilestoneInput label="证书编号" name="certificateNumber" errors={errors("certificateNumber")} />
              </>
            ) : null}
            {kind === "competition" ? (
              <>
                <MilestoneInput label="竞赛名称" name="competitionName" errors={errors("competitionName")} />
                <LabelledSelect label="竞赛级别" name="competitionLevel" choices={COMPETITION_LEVELS} />
                <MilestoneInput label="名次或奖项" name="placing" placeholder="如：一等奖、第3名" errors={errors("placing")} />
              </>
            ) : null}
            {kind === "backbone" ? (
              <MilestoneInput label="企业确认人及部门" name="confirmedBy" placeholder="如：人力资源部 张敏" wide errors={errors("confirmedBy")} />
            ) : null}
            {kind === "innovation" ? (
              <>
                <LabelledSelect label="成果类别" name="innovationType" choices={INNOVATION_TYPES} />
                <MilestoneInput label="成果名称" name="innovationTitle" errors={errors("innovationTitle")} />
                <MilestoneInput label="专利号（专利必填）" name="patentNumber" errors={errors("patentNumber")} />
                <MilestoneInput label="经济效益（元）" name="benefit" inputMode="decimal" placeholder="如 12,345.60" errors={errors("benefit")} />
              </>
            ) : null}
            <MilestoneInput
              label="证书或证明材料（拍照或 PDF，最多3个，每个不超过 5 MB）"
              type="file"
              name="evidence"
              accept="image/jpeg,image/png,application/pdf"
              multiple
              wide
              errors={errors("evidence")}
            />
            {added && !replyErrors(added, "evidence") ? <ReplyNotice reply={added} className="span-all" /> : null}
            <SubmitButton label="登记成果" busyLabel="正在上传…" />
          </Form>
        </div>
      ) : null}

      <AssessmentCard {...assessment} today={today} />

      {canEnd ? (
        <details className="card">
          <summary>结束结对</summary>
          <p role="note">结束后不能恢复这段结对，也不能再为其登记成果；如需继续带徒，须重新登记结对。</p>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="end" />
            <label>
              方式
              <select name="outcome">
                <option value="completed">按期出师</option>
                <option value="ended_early">提前结束</option>
              </select>
            </label>
            <label>
              结束日期
              <input type="date" name="endedOn" defaultValue={today} />
            </label>
            <label>
              原因（提前结束必填）
              <input name="reason" />
              <FieldError errors={replyErrors(ended, "reason")} />
            </label>
            <button type="submit" name="confirmed" value="1" className="button danger">
              确认结束
            </button>
            {ended && !replyErrors(ended, "reason") ? <ReplyNotice reply={ended} /> : null}
          </Form>
        </details>
      ) : null}
    </section>
  );
}

/** One typed field of the milestone form: its label, the input and the error beside it. */
function MilestoneInput({ label, wide, errors, ...input }: { label: string; wide?: boolean; errors?: string[] } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className={wide ? "field span-all" : "field"}>
      {label}
      {input.type === "file" ? <UploadInput {...input} /> : <input {...input} />}
      <FieldError errors={errors} />
    </label>
  );
}
