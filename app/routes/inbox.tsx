import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { IntentButton, SaveMessage, SubmitButton } from "~/components/forms";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyDone, replyInvalid, replyUnknownIntent } from "~/lib/reply.server";
import { useReply } from "~/components/useReply";
import { queryParam } from "~/lib/validation.server";
import { listMessages, markAllRead, setSmsPreferences, smsPreferences } from "~/modules/notifications/inbox.server";
import { CATEGORIES } from "~/lib/notices";
import { smsPreferencesSchema } from "~/modules/notifications/schema.server";

export const meta: MetaFunction = () => [{ title: "消息 · 匠心" }];

const MODE_LABELS = { immediate: "立即发送短信", digest: "每天汇总一条", off: "不发短信" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = queryParam.page().parse(new URL(request.url).searchParams.get("page") ?? undefined);
  const [messages, preferences] = await Promise.all([listMessages(getDb(), user, page), smsPreferences(getDb(), user)]);
  return json({ messages, preferences });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "read-all":
      await markAllRead(getDb(), user);
      return replyDone("read-all", { message: "已全部标为已读" });
    case "preferences": {
      // A category left out keeps its setting; one sent blank is no choice the page offers (so no stripping of blanks).
      const submission = parseWithZod(form, { schema: smsPreferencesSchema, disableAutoCoercion: true });
      if (submission.status !== "success") return replyInvalid("preferences", submission, { message: firstError(submission) });
      await setSmsPreferences(getDb(), user, submission.value);
      return replyDone("preferences", { message: "短信设置已保存" });
    }
    default:
      return replyUnknownIntent();
  }
}

export default function Inbox() {
  const { messages, preferences } = useLoaderData<typeof loader>();
  const readAll = useReply("read-all");
  const preferencesSaved = useReply("preferences");
  const unread = messages.rows.some((m) => !m.read_at);
  return (
    <section>
      <div className="page-head">
        <h1>站内消息</h1>
        {unread ? <IntentButton intent="read-all" label="全部标为已读" /> : null}
      </div>
      <SaveMessage message={readAll?.message ?? (preferencesSaved?.ok ? preferencesSaved.message : null)} saved />
      {messages.rows.length ? (
        <ul className="message-list card">
          {messages.rows.map((m) => (
            <li key={m.id} className={m.read_at ? undefined : "unread"}>
              <Link to={`/inbox/${m.id}`}>{m.text}</Link>
              <small>
                {" "}
                · {CATEGORIES[m.category as keyof typeof CATEGORIES] ?? ""} · {formatDateTime(m.created_at)}
                {m.read_at ? "" : " · 未读"}
              </small>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">还没有消息。</p>
      )}
      <Pagination page={messages.page} pageSize={messages.pageSize} total={messages.total} />
      <details className="card">
        <summary>短信通知设置</summary>
        <p className="hint">站内消息总会保留；这里选择哪些事另外发短信到您登记的手机（晚上 9 点至早上 8 点不发送，次日早上发出）。</p>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="preferences" />
          {preferences.map((p) => (
            <label key={p.category} className="field">
              {p.label}
              <select name={`sms_${p.category}`} defaultValue={p.sms}>
                {Object.entries(MODE_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <SaveMessage message={preferencesSaved?.ok === false ? preferencesSaved.message : null} />
          <SubmitButton label="保存设置" />
        </Form>
      </details>
    </section>
  );
}
