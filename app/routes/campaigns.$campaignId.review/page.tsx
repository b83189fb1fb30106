import type { ReactNode } from "react";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";
import { StageBar } from "~/components/StageBar";
import { campaignLabel, nominationCode } from "~/modules/campaigns/stages";
import { OUTCOME_LABELS } from "~/modules/nominations/labels";
import { stepOpen } from "~/modules/nominations/policy";
import { AwardList, NamingCard } from "./naming";
import { ReplyProblems } from "~/components/ReplyProblems";
import { QualificationCard } from "./qualification";
import type { loader } from "./route";

export function ReviewPage() {
  const { campaign, board, experts, objections, awards, formula } = useLoaderData<typeof loader>();
  const candidates = board.filter((b) => b.candidate);
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

      {stepOpen(campaign, "qualification") ? <QualificationCard /> : null}

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
              <EntryTable
                campaignNumber={campaign.number}
                rows={board}
                entry={(b) => <input name={`score-${b.id}`} inputMode="decimal" className="rank-input" aria-label={`${b.name}的评分`} />}
              />
              <button type="submit" className="button primary">
                保存评分
              </button>
            </Form>
            <ReplyProblems intent="scores" />
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
            <ReplyProblems intent="candidates" />
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
            <EntryTable
              campaignNumber={campaign.number}
              rows={candidates}
              entry={(c) => <input name={`votes-${c.id}`} defaultValue={c.vote_count ?? ""} inputMode="numeric" aria-label={`${c.name}的得票数`} />}
            />
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
          <ReplyProblems intent="votes" />
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

      {stepOpen(campaign, "naming") && awards.length === 0 ? <NamingCard /> : null}

      {awards.length ? <AwardList /> : null}
    </section>
  );
}

/** A nomination per row, labelled by its code and name, with one entry to fill in (a score, a vote count). */
function EntryTable<R extends { id: number; seq: number; name: string }>({
  campaignNumber,
  rows,
  entry,
}: {
  campaignNumber: number;
  rows: R[];
  entry: (row: R) => ReactNode;
}) {
  return (
    <table className="table compact">
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>
              {nominationCode(campaignNumber, r.seq)} {r.name}
            </td>
            <td>{entry(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
