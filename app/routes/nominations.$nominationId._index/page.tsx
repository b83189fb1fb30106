import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { HistoryCard } from "~/components/HistoryCard";
import { PersonFacts } from "~/components/PersonFacts";
import { formatDateTime } from "~/lib/format";
import { campaignLabel, nominationCode, reached, STAGE_LABELS } from "~/modules/campaigns/stages";
import { CONDITIONS } from "~/modules/nominations/eligibility";
import { CHANNEL_LABELS, OPINION_LABELS, STORY_TARGET } from "~/modules/nominations/labels";
import { ReplyMessage } from "./replies";
import { EligibilityCard, ExpertScoresCard, ObjectionsCard } from "./review";
import type { loader } from "./route";

export type NominationData = SerializeFrom<typeof loader>;

/** The four opinions of the 推荐审批表, in the form's order. */
export const OPINION_KINDS = Object.keys(OPINION_LABELS) as Array<keyof typeof OPINION_LABELS>;

/** The mean of the experts' scores, to two places; none without scores. */
export function meanScore(scores: NominationData["scores"]): number | null {
  return scores.length ? Math.round((scores.reduce((s, x) => s + x.score, 0) / scores.length) * 100) / 100 : null;
}

export function NominationPage() {
  const d = useLoaderData<typeof loader>();
  const { nomination: n, campaign } = d;
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}/nominations`}>← {campaignLabel(campaign.number)} 推荐人选</Link>
      </p>
      <div className="page-head">
        <h1>
          {n.name} <small className="mono">{nominationCode(campaign.number, n.seq)}</small>
        </h1>
        <div className="actions">
          {d.canEdit ? (
            <Link className="button" to={`/nominations/${n.id}/edit`}>
              修改
            </Link>
          ) : null}
          <Link className="button" to={`/nominations/${n.id}/print`}>
            打印推荐审批表
          </Link>
        </div>
      </div>
      <ProgressCard d={d} />
      <EligibilityCard d={d} />
      <ExpertScoresCard d={d} />
      <ObjectionsCard d={d} />
      <FormCard d={d} />
      <OpinionsCard d={d} />
      <HistoryCard history={d.history} />
    </section>
  );
}

/** Where the nomination stands on each stage of the campaign's path. */
function ProgressCard({ d }: { d: NominationData }) {
  const { nomination: n, campaign } = d;
  const steps = [
    { stage: "nominating" as const, done: true, text: `${n.unit_name}${CHANNEL_LABELS[n.channel]}` },
    {
      stage: "qualification" as const,
      done: n.qualification_result === "pass",
      stopped: n.qualification_result === "fail",
      text: n.qualification_result ? (n.qualification_result === "pass" ? "通过" : `未通过：${n.qualification_reason ?? ""}`) : "待审",
    },
    {
      stage: "expert_review" as const,
      done: n.candidate,
      text: d.scores.length ? `专家评分均分 ${meanScore(d.scores)}（${d.scores.length}位专家）${n.candidate ? "，确定为候选对象" : ""}` : "待评",
    },
    { stage: "online_vote" as const, done: n.vote_count !== null, text: n.vote_count !== null ? `得票 ${n.vote_count}` : "—" },
    {
      stage: "public_notice" as const,
      done: reached(campaign.status, "final_approval") && !n.withdrawn_reason,
      stopped: !!n.withdrawn_reason,
      text: n.withdrawn_reason ?? (d.objections.length ? `异议 ${d.objections.length} 件` : "—"),
    },
    {
      stage: "final_approval" as const,
      done: !!n.certificate_number,
      text: n.certificate_number
        ? `第 ${n.award_rank} 名，命名为${campaignLabel(campaign.number)}“台州工匠”，证书编号 ${n.certificate_number}`
        : n.final_rank
          ? `最终排名第 ${n.final_rank} 名，未进入命名名单`
          : "—",
    },
  ];
  return (
    <div className="card">
      <h2>评选进程 · 当前阶段：{STAGE_LABELS[campaign.status]}</h2>
      <ol className="path">
        {steps.map((s) => (
          <li key={s.stage} className={s.stopped ? "stopped" : s.done ? "done" : ""}>
            <strong>{STAGE_LABELS[s.stage]}</strong>
            {s.text}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The 推荐审批表 as filed, with the 事迹材料 upload (whose answer comes back in the query string). */
function FormCard({ d }: { d: NominationData }) {
  const { nomination: n } = d;
  const [params] = useSearchParams();
  return (
    <div className="card">
      <h2>推荐审批表</h2>
      <dl className="facts">
        <PersonFacts person={n} />
        <dt>身份证号码</dt>
        <dd className="mono">{n.id_number_masked}</dd>
        <dt>一线年限</dt>
        <dd>
          {n.frontline_years === null ? "待补全" : `${n.frontline_years} 年`}，
          {n.in_skill_post === null ? "是否仍在技能岗位待补全" : n.in_skill_post ? "仍在技能岗位" : "已不在技能岗位"}
        </dd>
        <dt>符合条件</dt>
        <dd>{n.conditions.map((c) => CONDITIONS[c]?.short).join("；") || "无"}</dd>
        <dt>已获荣誉</dt>
        <dd className="pre">{n.honors || "—"}</dd>
        {n.remarks ? (
          <>
            <dt>备注</dt>
            <dd className="pre">{n.remarks}</dd>
          </>
        ) : null}
        <dt>主要技术成果</dt>
        <dd className="pre">{n.achievements}</dd>
        <dt>主要事迹</dt>
        <dd className="pre">{n.deeds_summary}</dd>
        <dt>事迹材料</dt>
        <dd>
          {n.story ? (
            <details>
              <summary>{n.story.length} 字，展开全文</summary>
              <div className="pre">{n.story}</div>
            </details>
          ) : (
            "未提交"
          )}
        </dd>
      </dl>
      {d.canEdit ? (
        <form method="post" action={`/nominations/${n.id}/story`} encType="multipart/form-data" className="inline-form">
          <label>
            上传事迹材料（Word .docx，约 {STORY_TARGET} 字）
            <input type="file" name="story" required accept=".docx,.doc,.wps,application/vnd.openxmlformats-officedocument.wordprocessingml.document" />
          </label>
          <button type="submit" className="button">
            上传
          </button>
        </form>
      ) : null}
      {params.get("storyError") ? (
        <p className="form-errors" role="alert">
          事迹材料未保存：{params.get("storyError")}
        </p>
      ) : params.get("story") ? (
        <p className="notice success" role="status">
          已读取事迹材料，共 {params.get("story")} 字。
        </p>
      ) : null}
      <p>
        <Link to={`/people/${n.person_id}`}>查看人员档案与历届参评记录</Link>
      </p>
    </div>
  );
}

/** The four opinions, each entered (or changed) by whoever may sign it while the campaign runs. */
function OpinionsCard({ d }: { d: NominationData }) {
  return (
    <div className="card">
      <h2>审批意见</h2>
      {OPINION_KINDS.map((kind) => {
        const o = d.opinions.find((x) => x.kind === kind);
        return (
          <div key={kind} className="opinion">
            <h3>{OPINION_LABELS[kind]}</h3>
            {o ? (
              <p>
                {o.text}
                <br />
                <small>
                  签署：{o.signer} · {o.signed_on ?? "未注明日期"}（录入于 {formatDateTime(o.recorded_at)}）
                </small>
              </p>
            ) : (
              <p className="hint">尚未录入</p>
            )}
            {d.opinionKinds.includes(kind) ? (
              <details>
                <summary>{o ? "修改意见" : "录入意见"}</summary>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="opinion" />
                  <input type="hidden" name="kind" value={kind} />
                  <label>
                    意见
                    <input name="text" defaultValue={o?.text ?? ""} />
                  </label>
                  <label>
                    签署人
                    <input name="signer" defaultValue={o?.signer ?? ""} />
                  </label>
                  <label>
                    日期
                    <input type="date" name="signedOn" defaultValue={o?.signed_on ?? ""} />
                  </label>
                  <button type="submit" className="button">
                    保存
                  </button>
                </Form>
              </details>
            ) : null}
          </div>
        );
      })}
      <ReplyMessage intent="opinion" />
    </div>
  );
}
