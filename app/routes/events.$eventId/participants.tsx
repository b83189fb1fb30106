import { Form, Link } from "@remix-run/react";
import { type ReactNode } from "react";
import { DataTable } from "~/components/DataTable";
import { Options } from "~/components/forms";
import { useReply } from "~/components/useReply";
import type { EventPageData } from "./page";

/**
 * Who takes part: the organiser's list with its check-in, hours and certificates, and the forms
 * that add a person; an attendee sees only their own line.
 */
export function Participants({ participants, units, manage, over }: Pick<EventPageData, "participants" | "units" | "manage"> & { over: boolean }) {
  // The list's forms answer in one place, above the list.
  const refused = [useReply("checkin"), useReply("hours"), useReply("certificate"), useReply("add-person"), useReply("add-outsider")].find(
    (reply) => reply?.ok === false,
  );
  return (
    <div className="card">
      <h2>{manage ? `参加人员（${participants.length}）` : "我的参加记录"}</h2>
      {refused ? (
        <p className="form-errors" role="alert">
          {refused.message}
        </p>
      ) : null}
      <DataTable
        rows={participants}
        empty="还没有参加人员。"
        columns={[
          { label: "姓名", cell: (p) => p.name },
          {
            label: "单位",
            cell: (p) => (
              <>
                {p.employer}
                {p.unit_name ? <small>（{p.unit_name}）</small> : null}
              </>
            ),
          },
          {
            label: "签到",
            cell: (p) =>
              p.attended ? (
                <span className="badge ok">
                  已签到 {p.checked_in_via === "code" ? "（签到码）" : ""}
                  {p.walk_in ? "（现场报名）" : ""}
                </span>
              ) : manage ? (
                <ParticipantAction intent="checkin" participantId={p.id} label="签到" />
              ) : (
                "未签到"
              ),
          },
          {
            label: "学时",
            cell: (p) =>
              manage && p.attended ? (
                <ParticipantAction intent="hours" participantId={p.id} label="保存">
                  <input name="hours" defaultValue={p.hours ?? ""} className="rank-input" inputMode="decimal" aria-label={`${p.name}的学时`} />
                </ParticipantAction>
              ) : (
                (p.hours ?? "—")
              ),
          },
          {
            label: "证书",
            cell: (p) =>
              p.certificate_code ? (
                <Link to={`/certificates/${p.certificate_code}`}>查看证书</Link>
              ) : p.attended && over ? (
                <ParticipantAction intent="certificate" participantId={p.id} label="开具证书" />
              ) : null,
          },
        ]}
      />
      {manage ? (
        <>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="add-person" />
            <label>
              按身份证号登记平台人员
              <input name="idNumber" autoComplete="off" />
            </label>
            <button type="submit" className="button">
              登记
            </button>
          </Form>
          <details>
            <summary>登记外部人员（仅姓名和单位）</summary>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="add-outsider" />
              <label>
                姓名
                <input name="outsideName" />
              </label>
              <label>
                工作单位
                <input name="outsideEmployer" />
              </label>
              <label>
                所属行业
                <input name="outsideIndustry" />
              </label>
              <label>
                所在县（市、区）
                <select name="outsideUnitId">
                  <Options choices={units.map((u) => ({ value: u.id, label: u.short_name }))} />
                </select>
              </label>
              <button type="submit" className="button">
                登记
              </button>
            </Form>
          </details>
        </>
      ) : null}
    </div>
  );
}

/** One organiser's action on one participant's line. */
function ParticipantAction({ intent, participantId, label, children }: { intent: string; participantId: number; label: string; children?: ReactNode }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="participantId" value={participantId} />
      {children}
      <button type="submit" className="button">
        {label}
      </button>
    </Form>
  );
}
