import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { StageBar } from "~/components/StageBar";
import { getDb } from "~/db.server";
import { unknownIntent } from "~/lib/intent.server";
import { requireCampaign } from "~/modules/campaigns/campaigns.server";
import {
  acknowledgeUnitQuota,
  awardsOf,
  listObjections,
  nameAwardees,
  namingPreview,
  passClearCases,
  recordExpertScores,
  recordVotes,
  rankingFormula,
  reviewBoard,
  selectCandidates,
  unitsOverQuota,
  type ReviewResult,
  type UnitOverQuota,
} from "~/modules/nominations/review.server";
import { campaignLabel, nominationCode } from "~/modules/campaigns/stages";
import { stepOpen } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import { candidatesSchema, expertNameSchema, namingSchema, unitQuotaSchema, votesSchema } from "~/modules/nominations/review-schema.server";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { IntentButton } from "~/components/forms";
import { OUTCOME_LABELS } from "~/modules/nominations/labels";

export const meta: MetaFunction = () => [{ title: "评审与命名 · 匠心" }];

const load = (request: Request, campaignId: string | undefined) => requireCampaign(request, campaignId, "campaign.manage");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await load(request, params.campaignId);
  const db = getDb();
  const [board, objections, awards, formula, overQuota] = await Promise.all([
    reviewBoard(db, campaign.id),
    listObjections(db, campaign.id),
    awardsOf(db, campaign.id),
    rankingFormula(db, campaign.id),
    stepOpen(campaign, "qualification") ? unitsOverQuota(db, campaign) : ([] as UnitOverQuota[]),
  ]);
  const experts = [...new Set(board.flatMap((b) => b.scores.map((s) => s.expert)))].sort();
  return json({ campaign, board, experts, objections, awards, formula, overQuota, today: todayInTaizhou() });
}

/** Reads fields named like votes-12 or rank-12 into id → number, reporting the bad ones. */
function numbered(formData: FormData, prefix: string, label: string, options: { decimals?: boolean; max?: number } = {}) {
  const values: Array<{ id: number; value: number }> = [];
  const errors: string[] = [];
  for (const [key, raw] of formData.entries()) {
    if (!key.startsWith(`${prefix}-`)) continue;
    const id = Number(key.slice(prefix.length + 1));
    const text = String(raw).trim().replace(/,/g, "");
    if (!Number.isInteger(id) || id <= 0) return { values: [], errors: ["表单有误，请刷新页面后重试"] };
    if (text === "") continue;
    const pattern = options.decimals ? /^\d{1,3}(\.\d{1,2})?$/ : /^\d{1,9}$/;
    if (!pattern.test(text) || (options.max !== undefined && Number(text) > options.max)) {
      errors.push(options.decimals ? `${label}“${String(raw)}”应为0到${options.max}之间、最多两位小数的数` : `${label}“${String(raw)}”不是有效的非负整数`);
      continue;
    }
    values.push({ id, value: Number(text) });
  }
  return { values, errors };
}

function answer(intent: string, result: ReviewResult) {
  if (result.ok) return json({ intent, errors: [] as string[], done: true });
  return json({ intent, errors: [result.message], done: false }, { status: result.status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, campaign } = await load(request, params.campaignId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  switch (intent) {
    case "candidates": {
      const submission = parseWithZod(formData, { schema: candidatesSchema });
      if (submission.status !== "success") return json({ intent, errors: submission.error?.count ?? ["请填写人数"], done: false }, { status: 400 });
      return answer(intent, await selectCandidates(db, user, campaign.id, submission.value.count));
    }
    case "pass-clear": {
      const result = await passClearCases(db, user, campaign.id);
      if (!result.ok) return answer(intent, result);
      return json({ intent, errors: [] as string[], done: true, passed: result.passed, held: result.held ?? [] });
    }
    case "acknowledge-unit-quota": {
      const submission = parseWithZod(formData, { schema: unitQuotaSchema });
      if (submission.status !== "success") return json({ intent, errors: submission.error?.unitId ?? ["单位不存在"], done: false }, { status: 400 });
      const result = await acknowledgeUnitQuota(db, user, campaign.id, submission.value.unitId);
      if (!result.ok) return answer(intent, result);
      return json({ intent, errors: [] as string[], done: true, acknowledged: result.acknowledged });
    }
    case "scores": {
      const submission = parseWithZod(formData, { schema: expertNameSchema });
      const { values, errors } = numbered(formData, "score", "评分", { decimals: true, max: 100 });
      if (submission.status !== "success") return json({ intent, errors: submission.error?.expertName ?? ["请填写专家姓名"], done: false }, { status: 400 });
      if (errors.length) return json({ intent, errors, done: false }, { status: 400 });
      if (!values.length) return json({ intent, errors: ["请至少填写一个评分"], done: false }, { status: 400 });
      return answer(
        intent,
        await recordExpertScores(
          db,
          user,
          campaign.id,
          submission.value.expertName,
          values.map((v) => ({ nominationId: v.id, score: v.value })),
        ),
      );
    }
    case "votes": {
      const submission = parseWithZod(formData, { schema: votesSchema });
      const { values, errors } = numbered(formData, "votes", "得票数");
      if (submission.status !== "success" || errors.length) return json({ intent, errors, done: false }, { status: 400 });
      return answer(
        intent,
        await recordVotes(
          db,
          user,
          campaign.id,
          values.map((v) => ({ nominationId: v.id, votes: v.value })),
          submission.value.source,
        ),
      );
    }
    case "name": {
      const submission = parseWithZod(formData, { schema: namingSchema });
      const { values, errors } = numbered(formData, "rank", "排名");
      if (submission.status !== "success") return json({ intent, errors: submission.error?.namedOn ?? ["请填写命名日期"], done: false }, { status: 400 });
      if (errors.length) return json({ intent, errors, done: false }, { status: 400 });
      const ranks = values.map((v) => v.value);
      if (new Set(ranks).size !== ranks.length || ranks.some((r) => r < 1)) {
        return json({ intent, errors: ["排名须为从1开始、互不重复的整数"], done: false }, { status: 400 });
      }
      const ranking = [...values].sort((a, b) => a.value - b.value).map((v) => v.id);
      const { namedOn, confirmed } = submission.value;
      if (confirmed) return answer(intent, await nameAwardees(db, user, campaign.id, { ranking, namedOn, confirmed }));
      // First the names, titles and certificate numbers it will issue; naming waits for the second press.
      const preview = await namingPreview(db, campaign, ranking);
      if (!preview.ok) return answer(intent, preview);
      return json({ intent, errors: [] as string[], done: false, preview: { awards: preview.awards, namedOn, ranks: values } });
    }
    default:
      return unknownIntent();
  }
}

type HeldBack = { id: number; name: string; reasons: string[] };

type NamingPreview = {
  awards: Array<{ rank: number; name: string; title: string; certificateNumber: string }>;
  namedOn: string;
  ranks: Array<{ id: number; value: number }>;
};

export default function Review() {
  const { campaign, board, experts, objections, awards, formula, overQuota, today } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = (intent: string) =>
    data && "intent" in data && data.intent === intent && data.errors.length ? (
      <div className="form-errors" role="alert">
        {data.errors.map((e: string) => (
          <p key={e}>{e}</p>
        ))}
      </div>
    ) : null;
  const preview = data && "preview" in data ? (data.preview as NamingPreview) : null;
  const candidates = board.filter((b) => b.candidate);
  const standing = candidates.filter((c) => !c.withdrawn_reason);
  const suggested = Math.min(board.filter((b) => b.mean !== null).length, Math.ceil(campaign.title_count * 1.5)) || 1;
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}`}>← {campaignLabel(campaign.number)}</Link>
      </p>
      <h1>评审与命名</h1>
      <StageBar status={campaign.status} />
      <p className="quick-links">
        <Link className="button" to={`/campaigns/${campaign.id}/experts`}>
          专家线上评审
        </Link>
        <Link className="button" to={`/campaigns/${campaign.id}/vote`}>
          网络投票
        </Link>
      </p>

      {stepOpen(campaign, "qualification") ? (
        <div className="card">
          <h2>资格初审</h2>
          <p>
            符合全部条件、没有任何提示、所在单位未超名额的人选可一次通过；其余请在
            <Link to={`/campaigns/${campaign.id}/nominations`}>每位人选的页面</Link>上逐一审查并写明理由。
          </p>
          {overQuota.length ? (
            <>
              <h3>超出名额的单位</h3>
              <p className="hint">确认一次即对该单位的全部人选生效（每人的记录中留痕），批量通过随后照常处理该单位的人选。</p>
              <ul className="held-list">
                {overQuota.map((u) => (
                  <li key={u.unitId}>
                    {u.name}：推荐 {u.count} 人，名额 {campaign.quota_per_unit} 人
                    {u.unacknowledged ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="acknowledge-unit-quota" />
                        <input type="hidden" name="unitId" value={u.unitId} />
                        <button type="submit" className="button">
                          确认{u.name}超出名额（{u.unacknowledged} 人）
                        </button>
                      </Form>
                    ) : (
                      "，已确认"
                    )}
                  </li>
                ))}
              </ul>
              {errors("acknowledge-unit-quota")}
            </>
          ) : null}
          <IntentButton intent="pass-clear" label="批量通过无疑问的人选" primary />
          {data && "passed" in data && data.passed !== undefined ? (
            <p className="notice success" role="status">
              已通过 {data.passed} 人{data.held.length ? `，${data.held.length} 人需逐一审查：` : "。"}
            </p>
          ) : null}
          {data && "held" in data && data.held.length ? (
            <ul className="held-list">
              {(data.held as HeldBack[]).map((h) => (
                <li key={h.id}>
                  <Link to={`/nominations/${h.id}`}>{h.name}</Link>：{h.reasons.join("；")}
                </li>
              ))}
            </ul>
          ) : null}
          {errors("pass-clear")}
        </div>
      ) : null}

      <div className="card">
        <h2>专家评审排名（通过资格初审的 {board.length} 人）</h2>
        {formula ? <p className="hint">{formula}；有得票数后按综合得分排序。</p> : null}
        <DataTable
          rows={board}
          empty="还没有通过资格初审的人选。"
          columns={[
            { label: "名次", cell: (b) => b.expertRank ?? "—" },
            { label: "编号", className: "mono", cell: (b) => nominationCode(campaign.number, b.seq) },
            { label: "姓名", cell: (b) => <Link to={`/nominations/${b.id}`}>{b.name}</Link> },
            { label: "推荐单位", cell: (b) => b.unit_name },
            ...experts.map((e) => ({ label: e, num: true, cell: (b: (typeof board)[number]) => b.scores.find((s) => s.expert === e)?.score ?? "—" })),
            { label: "平均分", num: true, cell: (b) => b.mean ?? "—" },
            { label: "得票", num: true, cell: (b) => b.vote_count ?? "—" },
            ...(formula ? [{ label: "综合得分", num: true, cell: (b: (typeof board)[number]) => b.combined ?? "—" }] : []),
            {
              label: "状态",
              cell: (b) =>
                b.certificate_number ? (
                  <span className="badge ok">已命名</span>
                ) : b.withdrawn_reason ? (
                  <span className="badge bad">已取消</span>
                ) : b.candidate ? (
                  <span className="badge">候选对象</span>
                ) : null,
            },
          ]}
        />
        {stepOpen(campaign, "expertScore") && board.length ? (
          <details className="score-entry" open={experts.length === 0}>
            <summary>录入一位专家的评分</summary>
            <Form method="post">
              <input type="hidden" name="intent" value="scores" />
              <label className="field">
                专家姓名
                <input name="expertName" list="experts" required />
                <datalist id="experts">
                  {experts.map((e) => (
                    <option key={e} value={e} />
                  ))}
                </datalist>
              </label>
              <table className="table compact">
                <tbody>
                  {board.map((b) => (
                    <tr key={b.id}>
                      <td>
                        {nominationCode(campaign.number, b.seq)} {b.name}
                      </td>
                      <td>
                        <input name={`score-${b.id}`} inputMode="decimal" className="rank-input" aria-label={`${b.name}的评分`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="submit" className="button primary">
                保存评分
              </button>
            </Form>
            {errors("scores")}
          </details>
        ) : null}
        {stepOpen(campaign, "candidates") ? (
          <>
            <p className="hint">评分完成后，按平均分确定提交网络投票的候选对象。</p>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="candidates" />
              <label>
                按专家评分取前 N 名为候选对象
                <input name="count" type="number" min={1} defaultValue={suggested} />
              </label>
              <button type="submit" className="button primary">
                确定候选对象
              </button>
            </Form>
            {errors("candidates")}
          </>
        ) : null}
      </div>

      {stepOpen(campaign, "votes") ? (
        <div className="card">
          <h2>网络投票得票数</h2>
          <p className="hint">
            由 <Link to={`/campaigns/${campaign.id}/vote`}>平台网络投票</Link> 结束后计入；在微信等其他平台投票的，逐一录入，或{" "}
            <Link to={`/campaigns/${campaign.id}/votes`}>导入投票平台导出的文件</Link>。
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="votes" />
            <table className="table compact">
              <tbody>
                {candidates.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {nominationCode(campaign.number, c.seq)} {c.name}
                    </td>
                    <td>
                      <input name={`votes-${c.id}`} defaultValue={c.vote_count ?? ""} inputMode="numeric" aria-label={`${c.name}的得票数`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="inline-form">
              <label>
                来源
                <input name="source" defaultValue="市总工会网络平台" />
              </label>
              <button type="submit" className="button primary">
                保存得票数
              </button>
            </div>
          </Form>
          {errors("votes")}
        </div>
      ) : null}

      {stepOpen(campaign, "objections") || objections.length ? (
        <div className="card">
          <h2>社会公示异议</h2>
          <p className="hint">
            公开的公示页面：<Link to={`/notice/${campaign.id}`}>/notice/{campaign.id}</Link>，公示期内公众可实名提出异议，提交后即出现在这里。
          </p>
          <ul className="timeline">
            {objections.map((o) => (
              <li key={o.id}>
                <time>{o.received_on}</time>
                <Link to={`/nominations/${o.nomination_id}`}>{o.name}</Link>：{o.content} ·{" "}
                <span className={o.outcome === "upheld" ? "badge bad" : "badge"}>{OUTCOME_LABELS[o.outcome]}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {stepOpen(campaign, "naming") && awards.length === 0 ? (
        <div className="card">
          <h2>审定命名</h2>
          <p className="hint">
            默认按{formula ? "综合得分" : "专家平均分、得票数"}排序，可调整名次。前 {campaign.title_count} 名授予{campaignLabel(campaign.number)}
            “台州工匠”称号和台州市五一劳动奖章。
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="name" />
            <DataTable
              rows={standing}
              compact
              columns={[
                {
                  label: "名次",
                  cell: (c, i) => (
                    <input name={`rank-${c.id}`} defaultValue={i + 1} inputMode="numeric" className="rank-input" aria-label={`${c.name}的名次`} />
                  ),
                },
                { label: "姓名", cell: (c) => c.name },
                { label: "平均分", cell: (c) => c.mean, num: true },
                { label: "得票", cell: (c) => c.vote_count, num: true },
              ]}
            />
            <div className="inline-form">
              <label>
                命名日期
                <input type="date" name="namedOn" defaultValue={today} />
              </label>
              <button type="submit" className="button primary">
                审定命名
              </button>
            </div>
          </Form>
          {errors("name")}
          {preview ? (
            <Form method="post" className="confirm-naming">
              <h3>
                请核对：将授予以下 {preview.awards.length} 人称号并颁发证书编号（命名日期 {preview.namedOn}）
              </h3>
              <DataTable
                rows={preview.awards}
                rowKey={(a) => a.rank}
                compact
                columns={[
                  { label: "名次", cell: (a) => a.rank, num: true },
                  { label: "姓名", cell: (a) => a.name },
                  { label: "称号", cell: (a) => a.title },
                  { label: "证书编号", cell: (a) => a.certificateNumber },
                ]}
              />
              <input type="hidden" name="intent" value="name" />
              <input type="hidden" name="namedOn" value={preview.namedOn} />
              {preview.ranks.map((r) => (
                <input key={r.id} type="hidden" name={`rank-${r.id}`} value={r.value} />
              ))}
              <p role="note">命名后称号和证书编号即颁发，不能撤回。</p>
              <button type="submit" name="confirmed" value="1" className="button danger">
                确认命名并颁发证书
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}

      {awards.length ? (
        <div className="card">
          <div className="page-head">
            <h2>{campaignLabel(campaign.number)}“台州工匠”命名名单</h2>
            <DownloadLink className="button" href={`/campaigns/${campaign.id}/awards/export`}>
              导出命名名单
            </DownloadLink>
          </div>
          <DataTable
            rows={awards}
            columns={[
              { label: "名次", cell: (a) => a.rank },
              { label: "姓名", cell: (a) => <Link to={`/people/${a.person_id}`}>{a.name}</Link> },
              { label: "工作单位", cell: (a) => a.employer },
              { label: "推荐单位", cell: (a) => a.unit_name },
              { label: "证书编号", cell: (a) => a.certificate_number, className: "mono" },
            ]}
          />
        </div>
      ) : null}
    </section>
  );
}
