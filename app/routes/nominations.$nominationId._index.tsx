import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission, requireUser } from "~/auth/session.server";
import { FieldError, IntentButton } from "~/components/forms";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { granted, idParam } from "~/lib/http.server";
import { unknownIntent } from "~/lib/intent.server";
import { historyOf } from "~/modules/audit/audit.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import {
  acknowledgeQuota,
  addObjection,
  decideQualification,
  expertScoresOf,
  objectionBelongs,
  objectionsOf,
  recordExpertScore,
  resolveObjection,
  type ReviewResult,
} from "~/modules/nominations/review.server";
import { campaignLabel, nominationCode, reached, STAGE_LABELS } from "~/modules/campaigns/stages";
import { CONDITIONS } from "~/modules/nominations/eligibility";
import { canRecordOpinion, eligibilityOf, nominationForViewer, opinionsOf, quotaWarningFor, recordOpinion } from "~/modules/nominations/nominations.server";
import { canEditNomination, canReview, stepOpen } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import {
  expertScoreSchema,
  objectionSchema,
  qualificationSchema,
  resolveObjectionSchema,
  revealObjectorSchema,
} from "~/modules/nominations/review-schema.server";
import { filingsOf, revealObjector } from "~/modules/voting/notice.server";
import { opinionSchema } from "~/modules/nominations/schema.server";
import { HistoryCard } from "~/components/HistoryCard";
import { PersonFacts } from "~/components/PersonFacts";
import { OUTCOME_LABELS, CHANNEL_LABELS, OPINION_LABELS, STORY_TARGET } from "~/modules/nominations/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.nomination.name ?? "推荐人选"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const campaign = (await findCampaign(db, nomination.campaign_id))!;
  const officer = user.role !== "craftsman";
  const [opinions, history, scores, objections, quotaWarning, filings] = await Promise.all([
    opinionsOf(db, nomination.id),
    officer ? historyOf(db, "nomination", nomination.id) : Promise.resolve([]),
    // Individual experts' scores are the panel's business and the city's: not the nominee's, and not
    // the nominating county's (it would learn who sits on a panel, blind ones included, and their marks).
    user.role === "city_admin" ? expertScoresOf(db, nomination.id) : Promise.resolve([]),
    officer ? objectionsOf(db, nomination.id) : Promise.resolve([]),
    quotaWarningFor(db, nomination),
    // Who filed an online objection, and what they attached, is the city's (the county looks into the content).
    filingsOf(db, user, nomination.id),
  ]);
  const today = todayInTaizhou();
  return json({
    nomination,
    campaign,
    opinions,
    history,
    scores: scores.map((s) => ({ expert: s.expert_name, score: Number(s.score) })),
    objections,
    filings,
    quotaWarning,
    eligibility: eligibilityOf(nomination),
    canEdit: canEditNomination(user, campaign, nomination.nominating_unit_id, today),
    review: canReview(user),
    opinionKinds: (["employer", "county", "expert", "city"] as const).filter(
      (k) => campaign.status !== "closed" && canRecordOpinion(user, k, nomination.nominating_unit_id),
    ),
    officer,
  });
}

function answer(intent: string, result: ReviewResult, fieldErrors?: Record<string, string[]>) {
  if (result.ok) return json({ intent, message: null, fieldErrors: null });
  if (result.status === 404) throw json({ error: result.message }, { status: 404 });
  return json({ intent, message: result.message, fieldErrors: fieldErrors ?? null }, { status: result.status });
}

function invalid(intent: string, error: Record<string, string[] | null> | null | undefined) {
  const fieldErrors = Object.fromEntries(Object.entries(error ?? {}).filter(([, v]) => v)) as Record<string, string[]>;
  return json({ intent, message: "请检查填写的内容", fieldErrors }, { status: 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");

  if (intent === "opinion") {
    const submission = parseWithZod(formData, { schema: opinionSchema });
    if (submission.status !== "success") return invalid(intent, submission.error);
    const campaign = (await findCampaign(db, nomination.campaign_id))!;
    if (campaign.status === "closed" || !canRecordOpinion(user, submission.value.kind, nomination.nominating_unit_id)) {
      throw json({ error: "您无权录入此项意见" }, { status: 403 });
    }
    await recordOpinion(db, user, nomination.id, submission.value);
    return json({ intent, message: null, fieldErrors: null });
  }

  // Every other intent is review work of the city union.
  await requirePermission(request, "campaign.manage");
  switch (intent) {
    case "acknowledge-quota":
      return answer(intent, await acknowledgeQuota(db, user, nomination.id));
    case "qualification": {
      const submission = parseWithZod(formData, { schema: qualificationSchema });
      if (submission.status !== "success") return invalid(intent, submission.error);
      return answer(intent, await decideQualification(db, user, nomination.id, submission.value));
    }
    case "expert-score": {
      const submission = parseWithZod(formData, { schema: expertScoreSchema });
      if (submission.status !== "success") return invalid(intent, submission.error);
      return answer(intent, await recordExpertScore(db, user, nomination.id, submission.value));
    }
    case "objection": {
      const submission = parseWithZod(formData, { schema: objectionSchema });
      if (submission.status !== "success") return invalid(intent, submission.error);
      return answer(intent, await addObjection(db, user, nomination.id, submission.value));
    }
    case "resolve-objection": {
      const submission = parseWithZod(formData, { schema: resolveObjectionSchema });
      if (submission.status !== "success") return invalid(intent, submission.error);
      if (!(await objectionBelongs(db, nomination.id, submission.value.objectionId))) throw json({ error: "异议记录不存在" }, { status: 404 });
      return answer(intent, await resolveObjection(db, user, submission.value.objectionId, submission.value));
    }
    case "reveal-objector": {
      await requirePermission(request, "person.reveal");
      const submission = parseWithZod(formData, { schema: revealObjectorSchema });
      if (submission.status !== "success") return invalid(intent, submission.error);
      const revealed = await revealObjector(db, user, nomination.id, submission.value.objectionId, submission.value.reason);
      if (!revealed.ok) throw json({ error: revealed.status === 404 ? "异议记录不存在" : "无权查看" }, { status: revealed.status });
      return json(
        {
          intent,
          message: null,
          fieldErrors: null,
          objector: { objectionId: submission.value.objectionId, name: revealed.name, idNumber: revealed.idNumber, phone: revealed.phone },
        },
        { headers: { "Cache-Control": "no-store" } },
      );
    }
    default:
      return unknownIntent();
  }
}

export default function NominationPage() {
  const [params] = useSearchParams();
  const storyNotice = params.get("storyError") ? (
    <p className="form-errors" role="alert">
      事迹材料未保存：{params.get("storyError")}
    </p>
  ) : params.get("story") ? (
    <p className="notice success" role="status">
      已读取事迹材料，共 {params.get("story")} 字。
    </p>
  ) : null;
  const d = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { nomination: n, campaign } = d;
  const errorsFor = (intent: string) => (data && "intent" in data && data.intent === intent ? data : null);
  const msg = (intent: string) => {
    const e = errorsFor(intent);
    return e?.message ? (
      <p className="form-errors" role="alert">
        {e.message}
      </p>
    ) : null;
  };
  const fieldError = (intent: string, field: string) => <FieldError errors={errorsFor(intent)?.fieldErrors?.[field]} />;
  const objector = data && "objector" in data ? data.objector : null;
  const mean = d.scores.length ? Math.round((d.scores.reduce((s, x) => s + x.score, 0) / d.scores.length) * 100) / 100 : null;

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
      text: d.scores.length ? `专家评分均分 ${mean}（${d.scores.length}位专家）${n.candidate ? "，确定为候选对象" : ""}` : "待评",
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

      <div className="card">
        <h2>条件审查</h2>
        {d.eligibility.eligible ? <p className="badge ok">符合选树条件</p> : null}
        {d.eligibility.missing.length ? (
          <p className="notice" role="note">
            待补全：推荐审批表缺少{d.eligibility.missing.join("、")}。补全前不能进入资格初审，请
            {d.canEdit ? <Link to={`/nominations/${n.id}/edit`}>修改推荐</Link> : "联系推荐单位"}补全。
          </p>
        ) : null}
        {d.eligibility.problems.length ? (
          <ul className="problems">
            {d.eligibility.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {d.eligibility.warnings.length || d.quotaWarning ? (
          <ul className="warnings">
            {[...d.eligibility.warnings, ...(d.quotaWarning ? [d.quotaWarning] : [])].map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        {n.import_warnings.length ? (
          <div role="note">
            <p className="hint">导入时提示（资格初审时请逐项核实）：</p>
            <ul className="warnings">
              {n.import_warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {d.quotaWarning ? (
          n.quota_acknowledged_at ? (
            <p className="hint">市总工会已于 {formatDateTime(n.quota_acknowledged_at)} 确认超额情况。</p>
          ) : d.review ? (
            <IntentButton intent="acknowledge-quota" label="确认超额情况" />
          ) : null
        ) : null}
        {d.review && stepOpen(campaign, "qualification") ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="qualification" />
            <label>
              初审结论
              <select name="result" defaultValue={n.qualification_result ?? "pass"}>
                <option value="pass">通过</option>
                <option value="fail">不通过</option>
              </select>
            </label>
            <label>
              理由
              <input name="reason" defaultValue={n.qualification_reason ?? ""} />
              {fieldError("qualification", "reason")}
            </label>
            <button type="submit" className="button primary">
              保存初审结论
            </button>
          </Form>
        ) : null}
        {msg("qualification")}
        {msg("acknowledge-quota")}
      </div>

      {d.scores.length || (d.review && stepOpen(campaign, "expertScore")) ? (
        <div className="card">
          <h2>专家评分</h2>
          {d.scores.length ? (
            <table className="table compact">
              <tbody>
                {d.scores.map((s) => (
                  <tr key={s.expert}>
                    <td>{s.expert}</td>
                    <td className="num">{s.score}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th>平均</th>
                  <th className="num">{mean}</th>
                </tr>
              </tfoot>
            </table>
          ) : null}
          {d.review && stepOpen(campaign, "expertScore") ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="expert-score" />
              <label>
                专家
                <input name="expertName" />
                {fieldError("expert-score", "expertName")}
              </label>
              <label>
                评分（0–100）
                <input name="score" inputMode="decimal" />
                {fieldError("expert-score", "score")}
              </label>
              <button type="submit" className="button primary">
                录入评分
              </button>
            </Form>
          ) : null}
          {msg("expert-score")}
        </div>
      ) : null}

      {d.officer && (d.objections.length || (d.review && stepOpen(campaign, "objections") && n.candidate)) ? (
        <div className="card">
          <h2>公示异议</h2>
          {d.objections.map((o) => (
            <div key={o.id} className="objection">
              <p>
                <strong>{o.received_on}</strong> {o.source}：{o.content}
              </p>
              <p>
                处理：<span className={o.outcome === "upheld" ? "badge bad" : "badge"}>{OUTCOME_LABELS[o.outcome]}</span> {o.handling}
              </p>
              <ObjectorLine filing={d.filings.find((f) => f.objectionId === o.id)} revealed={objector?.objectionId === o.id ? objector : null} />
              {d.review && stepOpen(campaign, "objections") && o.outcome === "pending" ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="resolve-objection" />
                  <input type="hidden" name="objectionId" value={o.id} />
                  <label>
                    核查处理情况
                    <input name="handling" />
                    {fieldError("resolve-objection", "handling")}
                  </label>
                  <label>
                    结果
                    <select name="outcome">
                      <option value="dismissed">{OUTCOME_LABELS.dismissed}</option>
                      <option value="upheld">{OUTCOME_LABELS.upheld}</option>
                    </select>
                  </label>
                  <button type="submit" className="button">
                    保存
                  </button>
                </Form>
              ) : null}
            </div>
          ))}
          {msg("resolve-objection")}
          {fieldError("reveal-objector", "reason")}
          {d.review && stepOpen(campaign, "objections") && n.candidate ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="objection" />
              <label>
                收到日期
                <input type="date" name="receivedOn" />
                {fieldError("objection", "receivedOn")}
              </label>
              <label>
                来源
                <input name="source" placeholder="来信、来电、网络留言…" />
                {fieldError("objection", "source")}
              </label>
              <label>
                内容
                <input name="content" />
                {fieldError("objection", "content")}
              </label>
              <button type="submit" className="button">
                登记异议
              </button>
            </Form>
          ) : null}
          {msg("objection")}
        </div>
      ) : null}

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
        {storyNotice}
        <p>
          <Link to={`/people/${n.person_id}`}>查看人员档案与历届参评记录</Link>
        </p>
      </div>

      <div className="card">
        <h2>审批意见</h2>
        {(["employer", "county", "expert", "city"] as const).map((kind) => {
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
        {msg("opinion")}
      </div>

      <HistoryCard history={d.history} />
    </section>
  );
}

/** For the city: who filed an online objection (masked until revealed with a reason) and what they attached. */
function ObjectorLine({
  filing,
  revealed,
}: {
  filing: { objectionId: number; name: string; phone: string; attachments: Array<{ id: number; filename: string }> } | undefined;
  revealed: { name: string; idNumber: string | null; phone: string | null } | null;
}) {
  if (!filing) return null;
  return (
    <div className="objector">
      {revealed ? (
        <p role="status">
          异议人：{revealed.name}，身份证号码 {revealed.idNumber ?? "（未登记）"}，电话 {revealed.phone ?? "（未登记）"}
        </p>
      ) : (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="reveal-objector" />
          <input type="hidden" name="objectionId" value={filing.objectionId} />
          <span>
            异议人：{filing.name}，电话 {filing.phone}
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
      {filing.attachments.length ? (
        <p>
          证明材料：
          {filing.attachments.map((a) => (
            <a key={a.id} href={`/objection-files/${a.id}`} target="_blank" rel="noreferrer">
              {a.filename}{" "}
            </a>
          ))}
        </p>
      ) : null}
    </div>
  );
}
