import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS } from "~/auth/roles";
import { endDeviceSession, endEverySession, signedInDevices } from "~/auth/devices.server";
import { disableSecondFactor, enableSecondFactor, mayUseSecondFactor, secondFactorState, startSecondFactor } from "~/auth/second-factor.server";
import { changePassword, requireUser, signOut } from "~/auth/session.server";
import { SecondFactorCard } from "~/components/SecondFactorCard";
import { FormErrors } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { qrSvg } from "~/lib/qr.server";
import { replyDone, replyInvalid, replyRefused, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { changePasswordSchema, codeEnableSchema, codeSchema, endDeviceSchema } from "~/modules/users/schema.server";
import { wechatDriver } from "~/lib/wechat.server";
import { bindingOf, canBindWechat } from "~/modules/wechat/identity.server";
import { WechatAccountLine } from "~/components/wechat";

const NO_PASSWORD_TO_CHANGE = "学徒账号用手机验证码登录，没有密码可修改";

export const meta: MetaFunction = () => [{ title: "我的账号 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  // A city officer's one-time code: off, being set up (the secret to scan, as a QR code and as text), or on.
  const factor = mayUseSecondFactor(user.role) ? await secondFactorState(db, user) : null;
  const qr = factor?.state === "pending" ? await qrSvg(factor.uri) : null;
  // WeChat (issue 36): the bound nickname, for a craftsman or an apprentice, when the official account is configured.
  const wechat = wechatDriver() && canBindWechat(user) ? { binding: await bindingOf(db, user) } : null;
  return json({ user, devices: await signedInDevices(db, request, user), factor, qr, wechat });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const formData = await request.formData();
  const intent = formData.get("intent") ?? "password";
  if (intent === "end-device") {
    const submission = parseWithZod(formData, { schema: endDeviceSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const ended = await endDeviceSession(db, request, user, submission.value.device);
    if (!ended.ok) return replyRefused(intent, ended, submission);
    // This browser's own session: it is signed out, as by 退出.
    if (ended.signedOutHere) throw redirect("/login", { headers: { "Set-Cookie": await signOut(db, request) } });
    return replyDone(intent, { message: "已退出该设备的登录" });
  }
  if (intent === "end-all") {
    await endEverySession(db, user);
    throw redirect("/login", { headers: { "Set-Cookie": await signOut(db, request) } });
  }
  if (intent === "code-start" || intent === "code-enable" || intent === "code-disable") {
    if (intent === "code-start") return replyWith(intent, await startSecondFactor(db, user));
    const hideFields = ["code", "currentPassword"];
    if (intent === "code-enable") {
      const submission = parseWithZod(formData, { schema: codeEnableSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields });
      return replyWith(intent, await enableSecondFactor(db, request, user, submission.value), { submission, resetForm: true, hideFields });
    }
    const submission = parseWithZod(formData, { schema: codeSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields });
    return replyWith(intent, await disableSecondFactor(db, request, user, submission.value.code), { submission, resetForm: true, hideFields });
  }
  if (intent !== "password") return replyUnknownIntent();
  // An apprentice has no password to change: they sign in with a code sent to their phone.
  if (user.role === "apprentice") return replyRefused("password", refuse(NO_PASSWORD_TO_CHANGE, { status: 409 }));
  const submission = parseWithZod(formData, { schema: changePasswordSchema });
  const hideFields = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return replyInvalid("password", submission, { hideFields });
  const result = await changePassword(db, user, submission.value);
  if (!result.ok) return replyRefused("password", refuse(result.message, { field: result.field }), submission, { hideFields });
  const reply = replyDone("password", { submission, resetForm: true });
  reply.headers.set("Set-Cookie", result.cookie);
  return reply;
}

export default function Account() {
  const { user, factor, qr, wechat } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>我的账号</h1>
      <dl className="facts card">
        <dt>用户名</dt>
        <dd>{user.username}</dd>
        <dt>姓名</dt>
        <dd>{user.displayName}</dd>
        <dt>角色</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
      </dl>
      {user.role === "apprentice" ? (
        <>
          <h2>登录方式</h2>
          <p className="card">您用登记在人员档案上的手机号接收验证码登录，没有密码。手机号有变动，请告知师傅所在工作室或县级总工会更新。</p>
        </>
      ) : (
        <PasswordForm />
      )}
      {factor ? <SecondFactorCard factor={factor} qr={qr} /> : null}
      {wechat ? <WechatAccountLine binding={wechat.binding} /> : null}
      <Devices />
    </section>
  );
}

/** Where the user is signed in, each ended from here; a lost phone is signed out from any other. */
function Devices() {
  const { devices } = useLoaderData<typeof loader>();
  const ended = useReply("end-device");
  return (
    <>
      <h2>登录的设备</h2>
      {ended?.message ? (
        <p className={ended.ok ? "notice success" : "notice"} role={ended.ok ? "status" : "alert"}>
          {ended.message}
        </p>
      ) : null}
      <ul className="card device-list">
        {devices.map((d) => (
          <li key={d.handle}>
            <p>
              <strong>{d.label ?? "未知设备"}</strong>
              {d.current ? "（本机）" : null}
            </p>
            <p className="hint">
              {formatDateTime(d.signedInAt)} 登录，{d.bound ? "手机验证码登录、仅限该设备，30天内未使用自动退出" : "12小时内未使用自动退出"}
            </p>
            <Form method="post">
              <input type="hidden" name="device" value={d.handle} />
              <button type="submit" name="intent" value="end-device" className="button">
                退出此设备
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post">
        <button type="submit" name="intent" value="end-all" className="button">
          退出所有设备（包括本机）
        </button>
      </Form>
    </>
  );
}

function PasswordForm() {
  const reply = useReply("password");
  const [form, fields] = useForm<z.input<typeof changePasswordSchema>>({
    onValidate: acceptInBrowser,
    lastResult: reply?.form,
  });
  return (
    <>
      <h2>修改密码</h2>
      {reply?.ok ? (
        <p className="notice success" role="status">
          密码已修改。您在其他设备上的登录已全部退出。
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card">
        <input type="hidden" name="intent" value="password" />
        <FormErrors errors={form.errors} />
        <TextField label="当前密码" meta={fields.currentPassword} required type="password" autoComplete="current-password" />
        <TextField label="新密码" meta={fields.newPassword} hint="至少8位，须包含字母和数字" required type="password" autoComplete="new-password" />
        <TextField label="再次输入新密码" meta={fields.confirmPassword} required type="password" autoComplete="new-password" />
        <button type="submit" name="intent" value="password" className="button primary">
          修改密码
        </button>
      </Form>
    </>
  );
}
