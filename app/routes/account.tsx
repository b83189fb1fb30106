import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS } from "~/auth/roles";
import { changePassword, requireUser } from "~/auth/session.server";
import { FormErrors } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { replyDone, replyInvalid, replyRefused } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { changePasswordSchema } from "~/modules/users/schema.server";
import { wechatDriver } from "~/lib/wechat.server";
import { bindingOf, canBindWechat } from "~/modules/wechat/identity.server";
import { WechatAccountLine } from "~/components/wechat";

const NO_PASSWORD_TO_CHANGE = "学徒账号用手机验证码登录，没有密码可修改";

export const meta: MetaFunction = () => [{ title: "我的账号 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // WeChat (issue 36): the bound nickname, for a craftsman or an apprentice, when the official account is configured.
  const wechat = wechatDriver() && canBindWechat(user) ? { binding: await bindingOf(getDb(), user) } : null;
  return json({ user, wechat });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // An apprentice has no password to change: they sign in with a code sent to their phone.
  if (user.role === "apprentice") return replyRefused("password", refuse(NO_PASSWORD_TO_CHANGE, { status: 409 }));
  const submission = parseWithZod(await request.formData(), { schema: changePasswordSchema });
  const hideFields = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return replyInvalid("password", submission, { hideFields });
  const result = await changePassword(getDb(), user, submission.value);
  if (!result.ok) return replyRefused("password", refuse(result.message, { field: result.field }), submission, { hideFields });
  const reply = replyDone("password", { submission, resetForm: true });
  reply.headers.set("Set-Cookie", result.cookie);
  return reply;
}

export default function Account() {
  const { user, wechat } = useLoaderData<typeof loader>();
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
      {wechat ? <WechatAccountLine binding={wechat.binding} /> : null}
    </section>
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
        <FormErrors errors={form.errors} />
        <TextField label="当前密码" meta={fields.currentPassword} required type="password" autoComplete="current-password" />
        <TextField label="新密码" meta={fields.newPassword} hint="至少8位，须包含字母和数字" required type="password" autoComplete="new-password" />
        <TextField label="再次输入新密码" meta={fields.confirmPassword} required type="password" autoComplete="new-password" />
        <button type="submit" className="button primary">
          修改密码
        </button>
      </Form>
    </>
  );
}
