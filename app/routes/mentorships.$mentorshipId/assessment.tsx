import { Form } from "@remix-run/react";
import { useState } from "react";
import { ConfirmSubmit } from "~/components/forms";
import { LabelledField, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { ASSESSMENT_RESULT_LABELS } from "~/modules/apprentices/assessment-labels";
import { describeMilestone, MILESTONE_KIND_LABELS } from "~/modules/studios/labels";

interface Assessment {
  id: number;
  assessed_on: string;
  method: string;
  examiners: string;
  score: string | null;
  grade: string | null;
  certificate: string | null;
  result: keyof typeof ASSESSMENT_RESULT_LABELS;
  extended_to: string | null;
  evidence: number[];
  comment: string | null;
  recorded_by_name: string | null;
}

interface Choice {
  id: number;
  kind: keyof typeof MILESTONE_KIND_LABELS;
  occurred_on: string;
  details: Record<string, string | number>;
}

/** 出师考核 on a pairing's page: the assessments recorded, and for the officers the form that decides 出师, 延期 or 终止. */
export function AssessmentCard({
  assessments,
  choices,
  canAssess,
  plannedEnd,
  today,
}: {
  assessments: Assessment[];
  choices: Choice[];
  canAssess: boolean;
  plannedEnd: string;
  today: string;
}) {
  const reply = useReply("assess");
  const [result, setResult] = useState<keyof typeof ASSESSMENT_RESULT_LABELS>("passed");
  const errors = (field: string) => replyErrors(reply, field);
  const named = new Map(choices.map((c) => [c.id, `${MILESTONE_KIND_LABELS[c.kind]}：${describeMilestone(c.kind, c.details, null)}`]));
  if (!assessments.length && !canAssess) return null;
  return (
    <div className="card">
      <h2>出师考核</h2>
      {assessments.map((a) => (
        <dl key={a.id} className="facts">
          <dt>考核日期</dt>
          <dd>{a.assessed_on}</dd>
          <dt>结论</dt>
          <dd>
            <strong>{ASSESSMENT_RESULT_LABELS[a.result]}</strong>
            {a.extended_to ? `（延期至 ${a.extended_to}）` : null}
          </dd>
          <dt>考核方式</dt>
          <dd>{a.method}</dd>
          <dt>考核人员</dt>
          <dd>{a.examiners}</dd>
          <dt>成绩或等级</dt>
          <dd>{[a.score, a.grade].filter(Boolean).join("，")}</dd>
          {a.certificate ? (
            <>
              <dt>证书编号</dt>
              <dd>{a.certificate}</dd>
            </>
          ) : null}
          {a.evidence.length ? (
            <>
              <dt>考核依据</dt>
              <dd>{a.evidence.map((id) => named.get(id) ?? `成果 #${id}`).join("；")}</dd>
            </>
          ) : null}
          {a.comment ? (
            <>
              <dt>说明</dt>
              <dd className="pre">{a.comment}</dd>
            </>
          ) : null}
          <dt>登记人</dt>
          <dd>{a.recorded_by_name}</dd>
        </dl>
      ))}
      {canAssess ? (
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="assess" />
          <LabelledField label="考核日期" errors={errors("assessedOn")}>
            <input type="date" name="assessedOn" max={today} defaultValue={today} required />
          </LabelledField>
          <LabelledField label="考核方式" errors={errors("method")}>
            <input name="method" placeholder="如：理论考试与实操考核" maxLength={200} required />
          </LabelledField>
          <LabelledField label="考核人员" errors={errors("examiners")}>
            <input name="examiners" placeholder="如：王工、李工、张工" maxLength={200} required />
          </LabelledField>
          <LabelledField label="考核成绩（0–100）" errors={errors("score")}>
            <input name="score" inputMode="decimal" placeholder="成绩与等级至少填一项" />
          </LabelledField>
          <LabelledField label="考核等级" errors={errors("grade")}>
            <input name="grade" placeholder="如：优秀、合格" maxLength={20} />
          </LabelledField>
          <LabelledField label="出师证书编号" errors={errors("certificate")}>
            <input name="certificate" maxLength={100} />
          </LabelledField>
          <LabelledField label="考核结论" errors={errors("result")}>
            <select name="result" value={result} onChange={(e) => setResult(e.currentTarget.value as typeof result)}>
              {Object.entries(ASSESSMENT_RESULT_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </LabelledField>
          {result === "extended" ? (
            <LabelledField label={`延期至（原计划 ${plannedEnd}）`} errors={errors("extendedTo")}>
              <input type="date" name="extendedTo" min={plannedEnd} required />
            </LabelledField>
          ) : null}
          <LabelledField label={result === "terminated" ? "终止原因（必填）" : "说明"} errors={errors("comment")}>
            <input name="comment" maxLength={500} />
          </LabelledField>
          <fieldset className="span-all">
            <legend>考核依据（已认定的技能等级提升、竞赛获奖）</legend>
            {choices.length === 0 ? <p className="empty">本结对还没有已认定的技能等级提升或竞赛获奖。</p> : null}
            {choices.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="checkbox" name="evidence" value={c.id} /> {c.occurred_on} {named.get(c.id)}
              </label>
            ))}
            {errors("evidence") ? <ReplyNotice reply={reply} /> : null}
          </fieldset>
          <ConfirmSubmit label="登记考核结论" confirm="考核结论登记后不能撤销：出师或终止将结束这段结对，延期将改变计划结束日期。" />
        </Form>
      ) : null}
      {/* Outside the form: 出师 or 终止 ends the pairing and the form with it, but not its reply. */}
      {reply && !errors("evidence") ? <ReplyNotice reply={reply} done="已登记考核结论。" /> : null}
    </div>
  );
}
