import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { IntentButton } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { OUTCOME_LABELS } from "~/modules/nominations/labels";
import { stepOpen } from "~/modules/nominations/policy";
import { meanScore, type NominationData } from "./page";
import { ReplyField, ReplyFieldError, ReplyMessage } from "./replies";

/** The city's review on the nomination's page: conditions and 初审, experts' scores, the notice's objections. */

export function EligibilityCard({ d }: { d: NominationData }) {
  const { nomination: n, campaign } = d;
  return (
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
        <IntentForm intent="qualification" label="保存初审结论" primary>
          <label>
            初审结论
            <select name="result" defaultValue={n.qualification_result ?? "pass"}>
              <option value="pass">通过</option>
              <option value="fail">不通过</option>
            </select>
          </label>
          <ReplyField intent="qualification" label="理由" name="reason" defaultValue={n.qualification_reason ?? ""} />
        </IntentForm>
      ) : null}
      <ReplyMessage intent="qualification" />
      <ReplyMessage intent="acknowledge-quota" />
    </div>
  );
}

export function ExpertScoresCard({ d }: { d: NominationData }) {
  const open = d.review && stepOpen(d.campaign, "expertScore");
  if (!d.scores.length && !open) return null;
  return (
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
              <th className="num">{meanScore(d.scores)}</th>
            </tr>
          </tfoot>
        </table>
      ) : null}
      {open ? (
        <IntentForm intent="expert-score" label="录入评分" primary>
          <ReplyField intent="expert-score" label="专家" name="expertName" />
          <ReplyField intent="expert-score" label="评分（0–100）" name="score" inputMode="decimal" />
        </IntentForm>
      ) : null}
      <ReplyMessage intent="expert-score" />
    </div>
  );
}

export function ObjectionsCard({ d }: { d: NominationData }) {
  const open = d.review && stepOpen(d.campaign, "objections");
  if (!d.officer || !(d.objections.length || (open && d.nomination.candidate))) return null;
  return (
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
          <ObjectorLine objectionId={o.id} filing={d.filings.find((f) => f.objectionId === o.id)} />
          {open && o.outcome === "pending" ? (
            <IntentForm intent="resolve-objection" label="保存">
              <input type="hidden" name="objectionId" value={o.id} />
              <ReplyField intent="resolve-objection" label="核查处理情况" name="handling" />
              <label>
                结果
                <select name="outcome">
                  <option value="dismissed">{OUTCOME_LABELS.dismissed}</option>
                  <option value="upheld">{OUTCOME_LABELS.upheld}</option>
                </select>
              </label>
            </IntentForm>
          ) : null}
        </div>
      ))}
      <ReplyMessage intent="resolve-objection" />
      <ReplyFieldError intent="reveal-objector" field="reason" />
      {open && d.nomination.candidate ? (
        <IntentForm intent="objection" label="登记异议">
          <ReplyField intent="objection" label="收到日期" name="receivedOn" type="date" />
          <ReplyField intent="objection" label="来源" name="source" placeholder="来信、来电、网络留言…" />
          <ReplyField intent="objection" label="内容" name="content" />
        </IntentForm>
      ) : null}
      <ReplyMessage intent="objection" />
    </div>
  );
}

interface Objector {
  objectionId: number;
  name: string;
  idNumber: string | null;
  phone: string | null;
}

/** For the city: who filed an online objection (masked until revealed with a reason) and what they attached. */
function ObjectorLine({ objectionId, filing }: { objectionId: number; filing: NominationData["filings"][number] | undefined }) {
  const revealed = useReply<Objector>("reveal-objector")?.data;
  if (!filing) return null;
  return (
    <div className="objector">
      {revealed?.objectionId === objectionId ? (
        <p role="status">
          异议人：{revealed.name}，身份证号码 {revealed.idNumber ?? "（未登记）"}，电话 {revealed.phone ?? "（未登记）"}
        </p>
      ) : (
        <IntentForm intent="reveal-objector" label="查看身份和联系方式">
          <input type="hidden" name="objectionId" value={filing.objectionId} />
          <span>
            异议人：{filing.name}，电话 {filing.phone}
          </span>
          <label>
            查看事由
            <input name="reason" required maxLength={200} placeholder="如：联系异议人核实情况" />
          </label>
        </IntentForm>
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

/** A review step's form on the card: its fields in a row, posting the step's intent. */
function IntentForm({ intent, label, primary, children }: { intent: string; label: string; primary?: boolean; children: ReactNode }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {children}
      <button type="submit" className={primary ? "button primary" : "button"}>
        {label}
      </button>
    </Form>
  );
}
