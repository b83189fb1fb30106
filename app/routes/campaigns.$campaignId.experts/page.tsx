import { Form, Link, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { ConfirmSubmit, IntentButton, Options, SaveMessage } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { RANKING_LABELS } from "~/modules/experts/policy";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import type { loader } from "./route";

export function ExpertsPage() {
  const { campaign, rubric, pool, panels, unassigned, experts, ranked, ranking, suggestedSeed } = useLoaderData<typeof loader>();
  // The board's forms share one message at the top: a form may be gone once it has done its work.
  const replies = [useReply("rubric"), useReply("panel"), useReply("assign"), useReply("remind"), useReply("propose"), useReply("reopen")];
  const said = replies.find((reply) => reply !== undefined);
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}/review`}>← 评审与命名</Link>
      </p>
      <div className="page-head">
        <h1>专家评审：{campaign.label}</h1>
        <DownloadLink className="button" href={`/campaigns/${campaign.id}/experts/export`}>
          导出 Excel
        </DownloadLink>
      </div>
      <SaveMessage message={said?.message} saved={said?.ok} />

      <div className="card">
        <h2>评审细则</h2>
        {rubric.length ? (
          <ul>
            {rubric.map((c) => (
              <li key={c.key}>
                {c.label}（{c.max_points} 分）：{c.guidance}
              </li>
            ))}
          </ul>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="rubric" />
            <p className="hint">按通知的六项条件（技术创新与革新、绝技绝活、推广与效益、节能与新工艺、传帮带、职业道德与荣誉）设定，满分100分。</p>
            <button type="submit" className="button primary">
              设定评审细则
            </button>
          </Form>
        )}
      </div>

      <div className="card">
        <h2>评审组</h2>
        <DataTable
          rows={panels}
          empty="还没有评审组。"
          columns={[
            { label: "名称", cell: (p) => `${p.name}${p.blind ? "（盲评）" : ""}` },
            { label: "领域", cell: (p) => FOCUS_SECTOR_LABELS[p.field as keyof typeof FOCUS_SECTOR_LABELS] ?? p.field },
            { label: "专家", cell: (p) => `${p.members.map((m) => m.name).join("、")}${p.draw_seed !== null ? `（抽签种子 ${p.draw_seed}）` : ""}` },
            { label: "人选", num: true, cell: (p) => p.nominations },
            { label: "提示", cell: (p) => p.warnings.join("；") || "—" },
          ]}
        />
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="panel" />
          <label className="field">
            名称
            <input name="name" required maxLength={40} />
          </label>
          <label className="field">
            领域
            <select name="field">
              <Options choices={FOCUS_SECTOR_LABELS} />
            </select>
          </label>
          <label className="field">
            方式
            <select name="mode" defaultValue="draw">
              <option value="draw">从本领域专家库随机抽取</option>
              <option value="choose">指定专家</option>
            </select>
          </label>
          <label className="field">
            抽取人数
            <input name="draw" inputMode="numeric" defaultValue={5} />
          </label>
          <label className="field">
            抽签种子（公开记录，可复核）
            <input name="seed" inputMode="numeric" defaultValue={suggestedSeed} />
          </label>
          <fieldset className="field span-all">
            <legend>指定专家</legend>
            {pool.map((e) => (
              <label key={e.id} className="check">
                <input type="checkbox" name="expertIds" value={e.id} /> {e.name}（{e.employer}）
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input type="checkbox" name="blind" /> 盲评（专家看不到姓名、单位和县区）
          </label>
          <button type="submit" className="button">
            组建评审组
          </button>
        </Form>
        {panels.length && unassigned.length ? (
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="assign" />
            <label className="field">
              分配给
              <select name="panelId">
                <Options choices={panels.map((p) => ({ value: p.id, label: p.name }))} />
              </select>
            </label>
            <fieldset className="field span-all">
              <legend>未分配的人选</legend>
              {unassigned.map((n) => (
                <label key={n.id} className="check">
                  <input type="checkbox" name="nominationIds" value={n.id} /> {n.label}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="button">
              分配
            </button>
          </Form>
        ) : null}
      </div>

      <div className="card">
        <h2>评审进度</h2>
        <DataTable
          rows={experts}
          empty="还没有分配评审任务。"
          columns={[
            { label: "专家", cell: (e) => e.name },
            { label: "评审组", cell: (e) => e.panel },
            { label: "已提交", num: true, cell: (e) => `${e.submitted}/${e.assigned - e.recused}` },
            { label: "回避", num: true, cell: (e) => e.recused },
          ]}
        />
        {experts.length ? <IntentButton intent="remind" label="提醒未完成的专家" /> : null}
      </div>

      <div className="card">
        <h2>评审排名</h2>
        <Form method="get" className="inline-form">
          <label>
            排名方式
            <select name="by" defaultValue={ranking}>
              <Options choices={RANKING_LABELS} />
            </select>
          </label>
          <button type="submit" className="button">
            查看
          </button>
        </Form>
        <DataTable
          rows={ranked}
          empty="还没有评审对象。"
          columns={[
            { label: "人选", cell: (n) => n.label },
            { label: "已评", num: true, cell: (n) => `${n.count}/${n.expected}` },
            { label: "平均分", num: true, cell: (n) => n.mean ?? "—" },
            { label: "去极值平均", num: true, cell: (n) => n.trimmed ?? "—" },
            { label: "标准分", num: true, cell: (n) => n.z ?? "—" },
            { label: "分歧", cell: (n) => (n.disagree ? <span className="badge bad">分歧较大（相差 {n.spread} 分）</span> : "—") },
          ]}
        />
        {campaign.status === "expert_review" && ranked.some((n) => n.count > 0) ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="propose" />
            <input type="hidden" name="by" value={ranking} />
            <label>
              按{RANKING_LABELS[ranking]}取前
              <input name="count" inputMode="numeric" defaultValue={Math.min(ranked.length, 20)} /> 名
            </label>
            <ConfirmSubmit label="产生候选对象" confirm="候选对象将替换为按此排名的前 N 名，记入操作日志。" />
          </Form>
        ) : null}
        <details>
          <summary>退回一份已提交的评分</summary>
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="reopen" />
            <label className="field">
              专家
              <select name="expertId">
                <Options choices={experts.map((e) => ({ value: e.id, label: e.name }))} />
              </select>
            </label>
            <label className="field">
              人选
              <select name="nominationId">
                <Options choices={ranked.map((n) => ({ value: n.id, label: n.label }))} />
              </select>
            </label>
            <label className="field span-all">
              理由
              <input name="reason" required minLength={4} maxLength={200} />
            </label>
            <button type="submit" className="button">
              退回重评
            </button>
          </Form>
        </details>
      </div>
    </section>
  );
}
