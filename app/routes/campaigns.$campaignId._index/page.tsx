import type { z } from "zod";
import type { ReactNode } from "react";
import { getFormProps, useForm } from "@conform-to/react";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CampaignForm } from "~/components/CampaignForm";
import { DownloadLink } from "~/components/DownloadLink";
import { TextField, acceptInBrowser } from "~/components/fields";
import { FormErrors, SubmitButton } from "~/components/forms";
import { HistoryCard } from "~/components/HistoryCard";
import { StageBar } from "~/components/StageBar";
import { BasisForm, TitleBasis } from "~/components/TitleBasis";
import { useReply } from "~/components/useReply";
import type { noticePeriodSchema } from "~/modules/campaigns/schema.server";
import { campaignLabel, STAGE_LABELS, type CampaignStatus } from "~/modules/campaigns/stages";
import type { loader } from "./route";

export function CampaignPage() {
  const { campaign, perUnit, groups, blockers, warnings, revertTo, history, basis, documents, next, manage, canNominate } = useLoaderData<typeof loader>();
  const advance = useReply("advance");
  const revert = useReply("revert");
  const noticeReply = useReply("notice-period");
  const updateReply = useReply("update");
  const [noticeForm, noticeFields] = useForm<z.input<typeof noticePeriodSchema>>({
    onValidate: acceptInBrowser,
    id: "notice",
    lastResult: noticeReply?.form,
    defaultValue: { noticeStart: campaign.notice_start ?? "", noticeEnd: campaign.notice_end ?? "" },
  });
  const advanceReasons = advance?.reasons ?? revert?.reasons ?? [];
  return (
    <section>
      <div className="page-head">
        <h1>
          {campaignLabel(campaign.number)}（{campaign.year}年）
        </h1>
      </div>
      <p className="lead">{campaign.title}</p>
      <StageBar status={campaign.status} />
      <dl className="facts card">
        <dt>推荐截止</dt>
        <dd>{campaign.nomination_deadline}</dd>
        <dt>每单位名额</dt>
        <dd>{campaign.quota_per_unit} 名</dd>
        <dt>命名人数</dt>
        <dd>前 {campaign.title_count} 名</dd>
        <dt>社会公示</dt>
        <dd>{campaign.notice_start ? `${campaign.notice_start} 至 ${campaign.notice_end}` : "未设定"}</dd>
        <dt>命名依据</dt>
        <dd>{basis ? <TitleBasis basis={basis} act="命名" /> : "未登记（审定命名前须选定批准命名的决定文件）"}</dd>
      </dl>
      {manage ? <BasisForm intent="basis" label="命名依据（决定文件）" documents={documents} current={campaign.basis_document_id} /> : null}
      <div className="actions">
        <Link className="button" to={`/campaigns/${campaign.id}/nominations`}>
          推荐人选
        </Link>
        {canNominate ? (
          <>
            <Link className="button primary" to={`/campaigns/${campaign.id}/nominations/new`}>
              新增推荐
            </Link>
            <Link className="button" to={`/campaigns/${campaign.id}/import`}>
              导入汇总表
            </Link>
          </>
        ) : null}
        <DownloadLink className="button" href={`/campaigns/${campaign.id}/export`}>
          导出汇总表
        </DownloadLink>
        {campaign.status === "closed" ? (
          <DownloadLink className="button" href={`/campaigns/${campaign.id}/awards/export`}>
            导出命名名单
          </DownloadLink>
        ) : null}
        {manage ? (
          <>
            <details className="confirm-step">
              <summary className="button">导出（含完整号码）…</summary>
              <Form method="post" action={`/campaigns/${campaign.id}/export`} reloadDocument className="inline-form">
                <label>
                  事由（记入操作日志）
                  <input name="reason" required minLength={2} maxLength={200} />
                </label>
                <button type="submit" className="button danger">
                  导出完整号码
                </button>
              </Form>
            </details>
            <Link className="button" to={`/campaigns/${campaign.id}/review`}>
              评审与命名
            </Link>
          </>
        ) : null}
      </div>

      <div className="card">
        <h2>各单位推荐情况</h2>
        <table className="table compact">
          <thead>
            <tr>
              <th>单位</th>
              <th className="num">推荐人数</th>
              <th>名额</th>
            </tr>
          </thead>
          <tbody>
            {perUnit.map((u) => (
              <UnitRow key={u.id} campaignId={campaign.id} unit={u}>
                {u.warning ? <span className="badge warn">超出名额</span> : `${u.count}/${campaign.quota_per_unit}`}
              </UnitRow>
            ))}
            {groups.map((g) => (
              <UnitRow key={g.id} campaignId={campaign.id} unit={g}>
                社会团体
              </UnitRow>
            ))}
          </tbody>
        </table>
      </div>

      {manage && next ? (
        <div className="card">
          <h2>进入下一阶段：{STAGE_LABELS[next]}</h2>
          {blockers.length ? (
            <ul className="problems">
              {blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          ) : (
            <p>当前阶段的工作已完成，可以进入下一阶段。</p>
          )}
          {advanceReasons.length ? (
            <div className="form-errors" role="alert">
              {advanceReasons.map((r) => (
                <p key={r}>{r}</p>
              ))}
            </div>
          ) : null}
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="advance" />
            <input type="hidden" name="expected" value={campaign.status} />
            <label>
              说明（可选）
              <input name="comment" maxLength={500} />
            </label>
            {blockers.length ? (
              <button type="submit" className="button primary" disabled>
                进入“{STAGE_LABELS[next]}”
              </button>
            ) : (
              <details className="confirm-step">
                <summary className="button primary">进入“{STAGE_LABELS[next]}”…</summary>
                <ul className="problems" role="note">
                  {warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
                <button type="submit" name="confirmed" value="1" className="button danger">
                  确认进入“{STAGE_LABELS[next]}”
                </button>
              </details>
            )}
          </Form>
        </div>
      ) : null}

      {manage && revertTo ? (
        <div className="card">
          <h2>撤回上一次的阶段变更</h2>
          <p>进入本阶段后还没有任何办理记录，可以撤回到“{STAGE_LABELS[revertTo]}”。</p>
          <Form method="post">
            <input type="hidden" name="intent" value="revert" />
            <input type="hidden" name="expected" value={campaign.status} />
            <details className="confirm-step">
              <summary className="button">撤回到“{STAGE_LABELS[revertTo]}”…</summary>
              <p role="note">评选将回到“{STAGE_LABELS[revertTo]}”阶段，本阶段可以重新进入；撤回记入变更记录。</p>
              <button type="submit" className="button danger">
                确认撤回到“{STAGE_LABELS[revertTo]}”
              </button>
            </details>
          </Form>
        </div>
      ) : null}

      {manage && campaign.status !== "closed" ? (
        <>
          <h2>社会公示期</h2>
          <Form method="post" {...getFormProps(noticeForm)} className="card form-grid">
            <input type="hidden" name="intent" value="notice-period" />
            <FormErrors errors={noticeForm.errors} />
            <TextField label="公示开始" meta={noticeFields.noticeStart} required type="date" />
            <TextField label="公示结束" meta={noticeFields.noticeEnd} required type="date" />
            <SubmitButton label="保存公示期" primary={false} />
          </Form>
          <h2>活动设置</h2>
          <CampaignForm
            intent="update"
            lastResult={updateReply?.form}
            defaultValue={{
              number: String(campaign.number),
              year: String(campaign.year),
              title: campaign.title,
              nominationDeadline: campaign.nomination_deadline,
              quotaPerUnit: String(campaign.quota_per_unit),
              titleCount: String(campaign.title_count),
            }}
          />
        </>
      ) : null}

      <HistoryCard
        history={history}
        detail={(h) =>
          h.action === "advance"
            ? `：${STAGE_LABELS[(h.before as { status: CampaignStatus }).status]} → ${STAGE_LABELS[(h.after as { status: CampaignStatus }).status]}`
            : null
        }
      />
    </section>
  );
}

/** One nominating unit's count, linked to its nominations; the last cell says what bounds it (quota or group). */
function UnitRow({ campaignId, unit, children }: { campaignId: number; unit: { id: number; name: string; count: number }; children: ReactNode }) {
  return (
    <tr>
      <td>
        <Link to={`/campaigns/${campaignId}/nominations?unitId=${unit.id}`}>{unit.name}</Link>
      </td>
      <td className="num">{unit.count}</td>
      <td>{children}</td>
    </tr>
  );
}
