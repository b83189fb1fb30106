import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { ConfirmSubmit, SubmitButton } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { LabelledField, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { searchParams } from "~/lib/http.server";
import { replyRefused, replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { RIGHTS_KIND_LABELS, RIGHTS_STATUS_LABELS } from "~/modules/privacy/labels";
import { answerRequest, deskList, privacyPolicy, setAnswerDays, setCalendarDay } from "~/modules/privacy/rights.server";
import { calendarDaySchema, deskFilterSchema, privacyPolicySchema, rightsAnswerSchema } from "~/modules/privacy/schema.server";

export const meta: MetaFunction = () => [{ title: "个人信息权利申请 · 匠心" }];

/** The desk: every request and its answer for the city; a county officer reads its own county's people's. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "privacy.desk");
  const db = getDb();
  const filter = deskFilterSchema.parse(searchParams(request));
  return json({
    list: await deskList(db, user, filter),
    status: filter.status ?? null,
    policy: await privacyPolicy(db),
    canAnswer: can(user, "privacy.answer"),
    today: todayInTaizhou(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "privacy.desk");
  const fields = await request.formData();
  const intent = String(fields.get("intent") ?? "");
  // A county reads the desk; its posts are refused, with the reason, before the form is read.
  if (!can(user, "privacy.answer") && ["answer", "policy", "calendar"].includes(intent)) {
    return replyRefused(intent, refuse("个人信息权利申请由市总工会答复", { status: 403 }));
  }
  const db = getDb();
  switch (intent) {
    case "answer":
      return replyStep("answer", fields, rightsAnswerSchema, (v) => answerRequest(db, user, v), { invalid: "请检查答复内容" });
    case "policy":
      return replyStep("policy", fields, privacyPolicySchema, (v) => setAnswerDays(db, user, v.answerWorkingDays));
    case "calendar":
      return replyStep("calendar", fields, calendarDaySchema, (v) => setCalendarDay(db, user, v));
    default:
      return replyUnknownIntent();
  }
}

export default function PrivacyDesk() {
  const { list, status, policy, canAnswer, today } = useLoaderData<typeof loader>();
  const answered = useReply<null>("answer");
  const policyReply = useReply("policy");
  const calendarReply = useReply("calendar");
  // The errors of an answer stand by the request it was for, not by every open request's form.
  const answeredHere = (id: number) => answered?.form?.initialValue?.requestId === String(id);
  return (
    <section>
      <h1>个人信息权利申请</h1>
      <p className="lead">
        按本会规定（个人信息保护法未定天数），自收到申请起 {policy.answerWorkingDays}{" "}
        个工作日内答复（周一至周五，除节假日，含调休上班日）。不予同意的须写明理由。
        {canAnswer ? "" : "由市总工会答复；县级总工会可查看本地人员的申请，以便更正、删除本地保存的信息。"}
      </p>
      <ReplyNotice reply={answered} done="已答复，申请人将收到通知。" />
      <nav className="actions">
        <Link to="?">全部</Link>
        {Object.entries(RIGHTS_STATUS_LABELS).map(([key, label]) => (
          <Link key={key} to={`?status=${key}`} aria-current={status === key ? "page" : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {list.rows.length === 0 ? <p className="empty">没有申请。</p> : null}
      {list.rows.map((r) => (
        <article key={r.id} id={`request-${r.id}`} className="card">
          <h2>
            {r.id}. {RIGHTS_KIND_LABELS[r.kind]} · {r.person_name ?? `手机 ${r.phone_masked}`}
            {r.unit_name ? `（${r.unit_name}）` : ""}
          </h2>
          <p>
            提交于 {formatDateTime(r.filed_at)}，答复期限 {r.due_on}，{RIGHTS_STATUS_LABELS[r.status]}
            {r.status === "pending" && r.due_on < today ? <strong className="overdue">（已逾期）</strong> : null}
          </p>
          <p>申请内容：{r.details}</p>
          {r.correction ? <p>应更正为：{r.correction}</p> : null}
          {r.answer ? <p>答复：{r.answer}</p> : null}
          {canAnswer && r.status === "pending" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="answer" />
              <input type="hidden" name="requestId" value={r.id} />
              <LabelledField label="答复" errors={answeredHere(r.id) ? replyErrors(answered, "outcome") : undefined}>
                <select name="outcome">
                  <option value="granted">同意（写明办理情况）</option>
                  <option value="refused">不予同意（写明理由）</option>
                </select>
              </LabelledField>
              <LabelledField label="办理情况或理由" errors={answeredHere(r.id) ? replyErrors(answered, "answer") : undefined}>
                <textarea name="answer" maxLength={1000} rows={2} />
              </LabelledField>
              <ConfirmSubmit label="答复" confirm="答复后不能更改，申请人将收到通知。" />
            </Form>
          ) : null}
        </article>
      ))}
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} />
      <h2>答复期限和节假日</h2>
      {canAnswer ? (
        <>
          <Form method="post" className="card">
            <input type="hidden" name="intent" value="policy" />
            <ReplyNotice reply={policyReply} done="已保存。" />
            <LabelledField label="答复期限（工作日）" errors={replyErrors(policyReply, "answerWorkingDays")}>
              <input name="answerWorkingDays" defaultValue={policy.answerWorkingDays} inputMode="numeric" required />
            </LabelledField>
            <SubmitButton label="保存期限" />
          </Form>
          <Form method="post" className="card">
            <input type="hidden" name="intent" value="calendar" />
            <ReplyNotice reply={calendarReply} done="已保存。" />
            <LabelledField label="日期" errors={replyErrors(calendarReply, "day")}>
              <input name="day" type="date" required />
            </LabelledField>
            <LabelledField label="类别" errors={replyErrors(calendarReply, "working")}>
              <select name="working">
                <option value="holiday">放假（工作日休息）</option>
                <option value="workday">调休上班（周末上班）</option>
              </select>
            </LabelledField>
            <LabelledField label="名称" errors={replyErrors(calendarReply, "name")}>
              <input name="name" maxLength={40} placeholder="如：国庆节" required />
            </LabelledField>
            <SubmitButton label="保存日期" />
          </Form>
        </>
      ) : null}
      <ul>
        {policy.days.map((d) => (
          <li key={d.day}>
            {d.day} {d.working ? "调休上班" : "放假"} · {d.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
