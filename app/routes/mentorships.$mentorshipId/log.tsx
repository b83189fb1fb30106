import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { DecisionForm } from "~/components/DecisionForm";
import { FileThumb } from "~/components/FileThumb";
import { FieldError, SubmitButton } from "~/components/forms";
import { LabelledSelect, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { LOG_KIND_LABELS, LOG_STATUS_LABELS } from "~/modules/apprentices/labels";
import type { loader } from "./route";

type Log = SerializeFrom<typeof loader>["log"];

const hours = (minutes: number) => `${Math.round(minutes / 6) / 10} 小时`;

/** The apprentice's log: the entries, the mentor's confirm/return, and the apprentice's form. */
export function LogCard({ log, startDate, today }: { log: Log; startDate: string; today: string }) {
  const added = useReply("log");
  const reviewed = useReply("log-review");
  const errors = (field: string) => replyErrors(added, field);
  return (
    <div className="card" id="log">
      <h2>学习日志</h2>
      <p className="small">师傅已确认 {hours(log.confirmedMinutes)}，计入工作室年度计划的带徒学时。</p>
      {log.entries.length === 0 ? <p className="empty">还没有学习日志。</p> : null}
      <ul className="milestones">
        {log.entries.map((e) => (
          <li key={e.id} className={`milestone ${e.status}`}>
            <p>
              <time>{e.on_date}</time> <strong>{LOG_KIND_LABELS[e.kind]}</strong> {hours(e.minutes)}{" "}
              <span className={e.status === "confirmed" ? "badge ok" : e.status === "returned" ? "badge bad" : "badge warn"}>
                {LOG_STATUS_LABELS[e.status]}
              </span>
            </p>
            <p className="pre">{e.content}</p>
            {e.has_photo ? <FileThumb href={`/apprentice-log/${e.id}/photo`} name="照片" type="image/jpeg" /> : null}
            {e.comment ? <p className="small">师傅意见：{e.comment}</p> : null}
            {log.canReview && e.status === "pending" ? (
              <DecisionForm
                intent="log-review"
                record={{ name: "entryId", id: e.id }}
                comment={{ label: "意见", placeholder: "退回时必填" }}
                decisions={[
                  ["confirmed", "确认"],
                  ["returned", "退回"],
                ]}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <ReplyNotice reply={reviewed} />

      {log.canAdd ? (
        <Form method="post" encType="multipart/form-data" className="form-grid" key={log.entries.length}>
          <input type="hidden" name="intent" value="log" />
          <label className="field">
            日期
            <input type="date" name="onDate" min={startDate} max={today} defaultValue={today} />
            <FieldError errors={errors("onDate")} />
          </label>
          <label className="field">
            学时（小时）
            <input name="hours" inputMode="decimal" placeholder="如 2.5" />
            <FieldError errors={errors("hours")} />
          </label>
          <LabelledSelect label="类别" name="kind" choices={LOG_KIND_LABELS} errors={errors("kind")} />
          <label className="field span-all">
            学习内容
            <textarea name="content" maxLength={1000} rows={3} />
            <FieldError errors={errors("content")} />
          </label>
          <label className="field span-all">
            照片（可选，JPEG 或 PNG）
            <UploadInput name="photo" accept="image/jpeg,image/png" />
            <FieldError errors={errors("photo")} />
          </label>
          {added && !added.field ? <ReplyNotice reply={added} className="span-all" done="已登记，等待师傅确认。" /> : null}
          <SubmitButton label="登记日志" busyLabel="正在上传…" />
        </Form>
      ) : null}
    </div>
  );
}
