import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { clearFlowCookie } from "~/auth/sign-in-flow.server";
import { clientAddress } from "~/auth/throttle.server";
import { ConfirmSubmit, FormErrors } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { parseWithZod } from "~/lib/form.server";
import { notFound } from "~/lib/http.server";
import { replyDone, replyInvalid, replyRefused, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { smsGateway } from "~/lib/sms.server";
import { insideWechat, wechatDriver } from "~/lib/wechat.server";
import { codeRequestSchema, codeSignInSchema } from "~/modules/apprentices/schema.server";
import { bindingOf, bindWithCode, canBindWechat, pendingBinding, requestBindCode, unbindWechat } from "~/modules/wechat/identity.server";
import { unbindSchema } from "~/modules/wechat/schema.server";

export const meta: MetaFunction = () => [{ title: "微信绑定 · 匠心" }];

/** A craftsman's or an apprentice's WeChat binding: bound after a phone check, one tap to sign in since; ended here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!wechatDriver()) throw notFound("本平台未开通微信登录");
  const db = getDb();
  return json(
    {
      canBind: canBindWechat(user),
      binding: await bindingOf(db, user),
      pending: await pendingBinding(db, request, user),
      inside: insideWechat(request),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

const UNECHOED = ["code"];

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!wechatDriver()) throw notFound("本平台未开通微信登录");
  const db = getDb();
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "code") {
    const submission = parseWithZod(form, { schema: codeRequestSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const result = await requestBindCode(db, smsGateway(), request, user, submission.value.phone, clientAddress(request, context));
    if (!result.ok) return replyRefused(intent, result, submission);
    return replyDone(intent, { message: result.message, data: { phone: submission.value.phone } });
  }
  if (intent === "bind") {
    const submission = parseWithZod(form, { schema: codeSignInSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields: UNECHOED });
    const result = await bindWithCode(db, request, user, submission.value, context);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    const reply = replyDone(intent, { message: "已绑定微信，以后在微信中可一键登录" });
    reply.headers.set("Set-Cookie", clearFlowCookie("wechat"));
    return reply;
  }
  if (intent === "unbind") {
    const submission = parseWithZod(form, { schema: unbindSchema });
    if (submission.status !== "success" || !submission.value.confirmed) return replyRefused(intent, refuse("请确认解除绑定"), submission);
    return replyWith(intent, await unbindWechat(db, user), { message: "已解除微信绑定" });
  }
  return replyUnknownIntent();
}

export default function AccountWechat() {
  const { canBind, binding, pending, inside } = useLoaderData<typeof loader>();
  const said = [useReply("bind"), useReply("unbind")].find((r) => r?.ok);
  return (
    <section className="narrow">
      <p>
        <Link to="/account">← 我的账号</Link>
      </p>
      <h1>微信绑定</h1>
      {said ? (
        <p className="notice success" role="status">
          {said.message}
        </p>
      ) : null}
      {!canBind ? (
        <p className="card">工作人员和专家的账号不绑定微信，请用用户名和密码（或统一身份认证）登录。</p>
      ) : binding ? (
        <div className="card">
          <p>
            已绑定微信{binding.nickname ? `“${binding.nickname}”` : ""}（{formatDateTime(binding.bound_at)} 绑定
            {binding.last_sign_in_at ? `，最近一次微信登录 ${formatDateTime(binding.last_sign_in_at)}` : ""}）。在微信中打开本平台可一键登录。
          </p>
          <UnbindForm />
        </div>
      ) : pending?.step === "bind" ? (
        <PhoneCheck nickname={pending.nickname} />
      ) : inside ? (
        <div className="card">
          <p>绑定后，在微信中打开本平台即可一键登录。绑定前需验证您登记的手机号码。</p>
          <a className="button primary" href="/wechat/authorize?purpose=bind">
            绑定微信
          </a>
        </div>
      ) : (
        <p className="card">请在微信中打开本页面绑定微信（可用微信扫描二维码或把链接发送到微信）。</p>
      )}
    </section>
  );
}

function UnbindForm() {
  const reply = useReply("unbind");
  return (
    <Form method="post">
      <FormErrors errors={reply && !reply.ok ? [reply.message ?? ""] : undefined} />
      <input type="hidden" name="intent" value="unbind" />
      <ConfirmSubmit label="解除绑定" confirm="解除后，在微信中需重新验证手机号码才能一键登录。" />
    </Form>
  );
}

/** The binding's phone check: the code goes to the number on the signed-in person's record. */
function PhoneCheck({ nickname }: { nickname: string | null }) {
  const asked = useReply<{ phone: string }>("code");
  const tried = useReply("bind");
  const busy = useNavigation().state === "submitting";
  const [askForm, askFields] = useForm<z.input<typeof codeRequestSchema>>({ onValidate: acceptInBrowser, lastResult: asked?.form, shouldValidate: "onSubmit" });
  const [form, fields] = useForm<z.input<typeof codeSignInSchema>>({
    id: asked?.data?.phone ?? "bind",
    onValidate: acceptInBrowser,
    lastResult: tried?.form,
    shouldValidate: "onSubmit",
    defaultValue: { phone: asked?.data?.phone },
  });
  return (
    <div className="card">
      <p>即将绑定微信{nickname ? `“${nickname}”` : ""}。请验证您登记的手机号码。</p>
      {asked?.ok || tried ? (
        <>
          {asked?.ok ? (
            <p className="notice success" role="status">
              {asked.message}
            </p>
          ) : null}
          <Form method="post" {...getFormProps(form)}>
            <FormErrors errors={form.errors} />
            <TextField label="手机号码" meta={fields.phone} type="tel" autoComplete="tel" inputMode="tel" />
            <TextField label="短信验证码" meta={fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            <button type="submit" name="intent" value="bind" className="button primary" disabled={busy}>
              验证并绑定
            </button>
          </Form>
        </>
      ) : (
        <Form method="post" {...getFormProps(askForm)}>
          <FormErrors errors={askForm.errors} />
          <TextField label="手机号码" meta={askFields.phone} type="tel" autoComplete="tel" inputMode="tel" hint="登记在您人员档案上的手机号码" />
          <button type="submit" name="intent" value="code" className="button primary" disabled={busy}>
            获取验证码
          </button>
        </Form>
      )}
    </div>
  );
}
