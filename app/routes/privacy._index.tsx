import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { assertSafePost, getUser } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { SubmitButton } from "~/components/forms";
import { LabelledField, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { RightsRequestFields } from "~/components/RightsRequestFields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { shareCard, shareMeta } from "~/lib/og";
import { xlsxResponse } from "~/lib/http.server";
import type { Reply } from "~/lib/reply";
import { smsGateway } from "~/lib/sms.server";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyInvalid, replyRefused, replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { DATA_COPY_FILENAME, RIGHTS_KIND_LABELS } from "~/modules/privacy/labels";
import { filePhoneRequest, phoneCopy, privacyPolicy, requestRightsCode } from "~/modules/privacy/rights.server";
import { periodText, RETENTION_KIND_LABELS } from "~/modules/retention/labels";
import { retentionSchedule } from "~/modules/retention/retention.server";
import { phoneCopySchema, phoneRightsRequestSchema, rightsCodeSchema } from "~/modules/privacy/schema.server";

export const meta: MetaFunction = (at) =>
  shareMeta("个人信息保护", "查阅、复制、更正、删除您的个人信息，或撤回同意。", shareCard("page", "privacy", "个人信息保护"), at);

/** The rights, in public; for a voter or an objector with no account, the way to ask by their number's code. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const [policy, rules] = await Promise.all([privacyPolicy(getDb()), retentionSchedule(getDb())]);
  // The schedule as the city keeps it: the published periods are the ones the daily purge applies.
  const schedule = rules.map((r) => ({
    kind: r.kind,
    label: RETENTION_KIND_LABELS[r.kind],
    period: periodText(r.keep_days),
    after: r.after_event,
    basis: r.basis,
  }));
  return json({ days: policy.answerWorkingDays, signedInRequester: !!user && can(user, "privacy.request"), signedIn: !!user, schedule });
}

/** The code is the phone's secret: never sent back. */
const UNECHOED = ["code"];

export async function action({ request, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const db = getDb();
  const fields = await request.formData();
  switch (fields.get("intent")) {
    case "code":
      return replyStep("code", fields, rightsCodeSchema, (v) => requestRightsCode(db, smsGateway(), v.phone, clientAddress(request, context)), {
        data: (done) => ({ sent: done.masked }),
      });
    case "file":
      return replyStep("file", fields, phoneRightsRequestSchema, (v) => filePhoneRequest(db, v), {
        hideFields: UNECHOED,
        data: (done) => ({ id: done.id }),
      });
    case "copy": {
      const submission = parseWithZod(fields, { schema: phoneCopySchema });
      if (submission.status !== "success") return replyInvalid("copy", submission, { message: firstError(submission), hideFields: UNECHOED });
      const copy = await phoneCopy(db, submission.value);
      if (!copy.ok) return replyRefused("copy", copy, submission, { hideFields: UNECHOED });
      // The file is the answer: thrown, as a redirect would be.
      throw xlsxResponse(request, copy.file, "data-copy.xlsx", DATA_COPY_FILENAME);
    }
    default:
      return replyUnknownIntent();
  }
}

/** The number and the code sent to it, which each by-phone step after the first asks for. */
function PhoneAndCode({ reply, codeLabel }: { reply: Reply<unknown> | undefined; codeLabel: string }) {
  return (
    <>
      <LabelledField label="手机号码" errors={replyErrors(reply, "phone")}>
        <input name="phone" type="tel" inputMode="tel" autoComplete="tel" required />
      </LabelledField>
      <LabelledField label={codeLabel} errors={replyErrors(reply, "code")}>
        <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required />
      </LabelledField>
    </>
  );
}

export default function Privacy() {
  const { days, signedInRequester, signedIn, schedule } = useLoaderData<typeof loader>();
  const code = useReply<{ sent: string }>("code");
  const filed = useReply<{ id: number }>("file");
  const copy = useReply("copy");
  return (
    <section className="narrow">
      <h1>个人信息保护</h1>
      <p className="lead">
        依照《中华人民共和国个人信息保护法》，您可以查阅、复制本平台保存的您的个人信息，要求更正或删除，或撤回公开展示的同意。按市总工会的规定，自收到申请起{" "}
        {days} 个工作日内答复；不予同意的，说明理由。
      </p>
      <ul>
        {Object.entries(RIGHTS_KIND_LABELS).map(([kind, label]) => (
          <li key={kind}>{label}</li>
        ))}
      </ul>
      <p>
        各类信息的保存期限见 <Link to="/privacy#schedule">保存期限表</Link>。查阅、复制的申请经同意后，您可下载一份 Excel
        文件，每张表一页，包含本平台保存的与您有关的全部记录。
      </p>
      {signedInRequester ? (
        <p className="card">
          您已登录：请到 <Link to="/privacy/requests">我的个人信息申请</Link> 提出申请、查看答复。
        </p>
      ) : (
        <>
          {signedIn ? null : (
            <p className="card">
              台州工匠和学徒请 <Link to="/login?redirectTo=/privacy/requests">登录</Link>{" "}
              后提出申请。参加过网络投票、提出过异议而没有账号的，请用手机验证码在下方提出。
            </p>
          )}
          <h2 id="by-phone">用手机验证码提出申请</h2>
          <Form method="post" className="card">
            <ReplyNotice reply={code} done={code?.data ? `验证码已发送至 ${code.data.sent}` : undefined} />
            <LabelledField label="手机号码" errors={replyErrors(code, "phone")}>
              <input name="phone" type="tel" inputMode="tel" autoComplete="tel" required />
            </LabelledField>
            <button type="submit" name="intent" value="code" className="button">
              获取验证码
            </button>
          </Form>
          {filed?.ok ? (
            <p className="notice success" role="status">
              申请已提交，申请编号 {filed.data?.id}。答复将以短信告知。
            </p>
          ) : null}
          <Form method="post" className="card">
            <input type="hidden" name="intent" value="file" />
            {filed?.ok ? null : <ReplyNotice reply={filed} />}
            <PhoneAndCode reply={filed} codeLabel="短信验证码" />
            <RightsRequestFields reply={filed} withdraw={false} />
            <SubmitButton label="提交申请" busyLabel="正在提交…" />
          </Form>
          <h2 id="copy">下载已同意的个人信息副本</h2>
          <Form method="post" className="card" reloadDocument>
            <input type="hidden" name="intent" value="copy" />
            <ReplyNotice reply={copy} />
            <LabelledField label="申请编号" errors={replyErrors(copy, "requestId")}>
              <input name="requestId" inputMode="numeric" required />
            </LabelledField>
            <PhoneAndCode reply={copy} codeLabel="短信验证码（请先重新获取）" />
            <SubmitButton label="下载副本" busyLabel="正在准备…" />
          </Form>
        </>
      )}
      <h2 id="schedule">保存期限</h2>
      <p>各类个人信息只保存到用途所需为止，到期后由系统每日自动清除：</p>
      <ul>
        {schedule.map((r) => (
          <li key={r.kind}>
            <strong>{r.label}</strong>：{r.period === "即时" ? `${r.after}时清除` : `${r.after}后保存${r.period}`}。{r.basis}
          </li>
        ))}
      </ul>
    </section>
  );
}
