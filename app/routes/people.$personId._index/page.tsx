import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { FieldError, SubmitButton } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { KIND_LABELS } from "~/modules/events/reach";
import { formatDate } from "~/lib/format";
import { STAGE_LABELS } from "~/modules/campaigns/stages";
import { HistoryCard } from "~/components/HistoryCard";
import { CampaignYearLink } from "~/components/CampaignYearLink";
import { DataTable } from "~/components/DataTable";
import { PersonFacts } from "~/components/PersonFacts";
import { UploadInput } from "~/components/UploadInput";
import { CertificateList } from "~/components/CertificateList";
import { HonourList } from "~/components/HonourList";
import type { loader } from "./route";

function selectionOutcome(r: {
  certificate_number: string | null;
  award_title: string | null;
  withdrawn_reason: string | null;
  qualification_result: string | null;
  candidate: boolean;
  campaign_status: keyof typeof STAGE_LABELS;
}): string {
  if (r.certificate_number) return `命名为${r.award_title}，证书 ${r.certificate_number}`;
  if (r.withdrawn_reason) return "公示期间取消资格";
  if (r.qualification_result === "fail") return "未通过资格初审";
  if (r.campaign_status === "closed") return r.candidate ? "候选对象，未获命名" : "通过初审，未进入候选";
  if (r.candidate) return `候选对象（${STAGE_LABELS[r.campaign_status]}中）`;
  if (r.qualification_result === "pass") return `通过资格初审（${STAGE_LABELS[r.campaign_status]}中）`;
  return `已推荐（${STAGE_LABELS[r.campaign_status]}中）`;
}

export function PersonPage({ person, history, record, events, consent, canEdit, canReveal, honours, canManageHonours }: SerializeFrom<typeof loader>) {
  const awards = record.filter((r) => r.certificate_number);
  const consentReply = [useReply("consent"), useReply("withdraw-consent")].find(Boolean);
  const reveal = useReply<{ idNumber: string; phone: string | null }>("reveal");
  const revealed = reveal?.data;
  return (
    <section>
      <div className="page-head">
        <h1>{person.name}</h1>
        <div className="actions">
          {canEdit ? (
            <Link className="button" to={`/people/${person.id}/edit`}>
              修改
            </Link>
          ) : null}
          {canReveal ? (
            <Link className="button" to={`/users/new?personId=${person.id}`}>
              开通工匠账号
            </Link>
          ) : null}
        </div>
      </div>
      {awards.map((a) => (
        <p key={a.id} className="notice success award-line">
          {a.award_title}（{a.campaign_year}年）· 证书编号 {a.certificate_number}
          {a.may_day_medal ? " · 台州市五一劳动奖章" : ""}
        </p>
      ))}
      <dl className="facts card">
        <PersonFacts person={person} />
        <dt>所属工会</dt>
        <dd>{person.unit_name}</dd>
        <dt>身份证号码</dt>
        <dd className="mono">{revealed?.idNumber ?? person.id_number_masked}</dd>
        <dt>联系电话</dt>
        <dd className="mono">{revealed ? (revealed.phone ?? "未填") : (person.phone_masked ?? "未填")}</dd>
      </dl>
      <div className="card">
        <h2>历届参评记录</h2>
        {record.length === 0 ? (
          <p className="hint">未参加过“台州工匠”评选。</p>
        ) : (
          <DataTable
            rows={record}
            compact
            responsive
            columns={[
              { label: "届次", cell: (r) => <CampaignYearLink to={`/nominations/${r.id}`} number={r.campaign_number} year={r.campaign_year} /> },
              { label: "推荐单位", cell: (r) => r.unit_name },
              { label: "结果", cell: (r) => selectionOutcome(r) },
            ]}
          />
        )}
      </div>
      <div className="card">
        <div className="page-head">
          <h2>荣誉</h2>
          {canManageHonours ? (
            <Link className="button" to={`/people/${person.id}/honours`}>
              登记或修改荣誉
            </Link>
          ) : null}
        </div>
        <HonourList honours={honours} />
      </div>
      <CertificateList awards={awards} events={events.rows} />
      {events.rows.length ? (
        <div className="card">
          <h2>交流培训（累计 {events.hours} 学时）</h2>
          <ul className="timeline">
            {events.rows.map((e) => (
              <li key={e.id}>
                <time>{formatDate(e.starts_at)}</time> {e.title}（{KIND_LABELS[e.kind]}）{e.attended ? ` · ${Number(e.hours ?? 0)} 学时` : " · 未签到"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {canEdit && awards.length ? (
        <div className="card">
          <h2>公开展示（工匠风采）</h2>
          {consentReply?.message ? (
            <p className="notice" role="status">
              {consentReply.message}
            </p>
          ) : null}
          {consent?.consented ? (
            <>
              <p>
                已于 {formatDate(consent.recorded_at)} 登记本人同意（{consent.how_obtained}）。
                <Link to={`/showcase/craftsmen/${person.id}`}>查看公开页面</Link>
              </p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="withdraw-consent" />
                <label>
                  撤回原因
                  <input name="reason" placeholder="如：本人要求撤回" />
                </label>
                <button type="submit" className="button">
                  撤回同意并立即下线
                </button>
              </Form>
            </>
          ) : (
            <p className="hint">尚未登记本人同意，公开页面不展示此人。</p>
          )}
          <details open={!consent?.consented}>
            <summary>{consent?.consented ? "修改公开内容" : "登记本人同意公开"}</summary>
            <Form method="post" encType="multipart/form-data" className="form-grid">
              <input type="hidden" name="intent" value="consent" />
              <label className="field">
                如何取得同意
                <input name="howObtained" defaultValue={consent?.how_obtained ?? ""} placeholder="如：本人签署的公开同意书（2026年5月）" />
              </label>
              <label className="field">
                照片（JPEG 或 PNG，可选）
                <UploadInput name="photo" accept="image/jpeg,image/png" />
              </label>
              <label className="field span-all">
                公开的事迹简介
                <textarea name="story" rows={5} defaultValue={consent?.story ?? ""} />
              </label>
              <SubmitButton label="保存并公开" />
            </Form>
          </details>
        </div>
      ) : null}
      {canReveal && !revealed ? (
        <Form method="post" className="card reveal-form">
          <input type="hidden" name="intent" value="reveal" />
          <label htmlFor="reveal-reason">查看完整身份证号和电话（将记入操作日志）</label>
          <input id="reveal-reason" name="reason" placeholder="事由，如：核对推荐审批表" />
          <FieldError errors={reveal?.form?.error?.reason ?? undefined} />
          <button type="submit" className="button">
            查看完整号码
          </button>
        </Form>
      ) : null}
      <HistoryCard history={history} />
    </section>
  );
}
