import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { ConfirmSubmit, FieldError } from "~/components/forms";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import type { loader } from "./route";

type Agreement = SerializeFrom<typeof loader>["agreement"];

/** The 师徒结对协议: both confirmations, the apprentice's code, the mentor's press, and the pauses. */
export function AgreementCard({ agreement: a }: { agreement: Agreement }) {
  const sent = useReply("agreement-code");
  const confirmed = useReply("agreement-apprentice");
  const pressed = useReply("agreement-mentor");
  const paused = useReply("pause");
  const resumed = useReply("resume");
  return (
    <div className="card" id="agreement">
      <h2>师徒结对协议</h2>
      <dl className="facts">
        <dt>学徒确认</dt>
        <dd>{a.apprentice_confirmed_at ? `已确认（${formatDateTime(a.apprentice_confirmed_at)}，手机验证码）` : "未确认"}</dd>
        <dt>师傅确认</dt>
        <dd>{a.mentor_confirmed_at ? `已确认（${formatDateTime(a.mentor_confirmed_at)}，${a.mentor_confirmed_by ?? ""}）` : "未确认"}</dd>
      </dl>

      {a.canConfirmAsApprentice ? (
        <>
          <p role="note">确认协议需要验证您档案中登记的手机号码：先获取验证码，再填写短信中的6位数字。</p>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="agreement-code" />
            <button type="submit" className="button">
              获取验证码
            </button>
          </Form>
          <ReplyNotice reply={sent} />
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="agreement-apprentice" />
            <label>
              短信验证码
              <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
              <FieldError errors={replyErrors(confirmed, "code")} />
            </label>
            <button type="submit" className="button primary">
              确认协议
            </button>
          </Form>
        </>
      ) : null}
      {/* Outside the forms: once confirmed, the form is gone but its reply still has to be read. */}
      {confirmed && !replyErrors(confirmed, "code") ? <ReplyNotice reply={confirmed} done="已确认结对协议。" /> : null}

      {a.canConfirmAsMentor ? (
        <Form method="post">
          <input type="hidden" name="intent" value="agreement-mentor" />
          <ConfirmSubmit label="同意协议" confirm="确认后不能撤回：您同意按协议带教这位学徒。" />
        </Form>
      ) : null}
      <ReplyNotice reply={pressed} done="已确认结对协议。" />

      {a.pauses.length ? (
        <>
          <h3>暂停记录</h3>
          <ul>
            {a.pauses.map((p) => (
              <li key={p.id}>
                {p.paused_on} 起暂停{p.resumed_on ? `，${p.resumed_on} 恢复` : "（暂停中）"}：{p.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {a.canPause ? (
        <details>
          <summary>暂停结对</summary>
          <p role="note">暂停期间学徒不能登记学习日志；恢复后继续。</p>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="pause" />
            <label>
              暂停日期
              <input type="date" name="pausedOn" defaultValue={a.today} max={a.today} />
              <FieldError errors={replyErrors(paused, "pausedOn")} />
            </label>
            <label>
              暂停原因
              <input name="reason" maxLength={500} />
              <FieldError errors={replyErrors(paused, "reason")} />
            </label>
            <button type="submit" className="button">
              暂停
            </button>
          </Form>
        </details>
      ) : null}
      {paused && !paused.field ? <ReplyNotice reply={paused} /> : null}

      {a.canResume ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="resume" />
          <label>
            恢复日期
            <input type="date" name="resumedOn" defaultValue={a.today} max={a.today} />
            <FieldError errors={replyErrors(resumed, "resumedOn")} />
          </label>
          <button type="submit" className="button primary">
            恢复结对
          </button>
        </Form>
      ) : null}
      {resumed && !resumed.field ? <ReplyNotice reply={resumed} /> : null}
    </div>
  );
}
