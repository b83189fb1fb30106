import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { assertSafePost, getUser, signIn } from "~/auth/session.server";
import { ssoDriver } from "~/auth/sso.server";
import { FormErrors } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { TextField, acceptInBrowser } from "~/components/fields";
import { getDb } from "~/db.server";
import { safeRedirect } from "~/lib/http.server";
import { replyInvalid, replyRefused } from "~/lib/reply.server";
import { signInSchema } from "~/modules/users/schema.server";
import { insideWechat, wechatDriver } from "~/lib/wechat.server";
import { WechatSignInButton } from "~/components/wechat";

export const meta: MetaFunction = () => [{ title: "登录 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  // The single sign-on's button, when one is configured (its name: 统一身份认证, 浙政钉…); inside WeChat, with the
  // official account configured, 微信一键登录 (issue 36).
  return json({ sso: ssoDriver()?.name ?? null, wechat: wechatDriver() !== null && insideWechat(request) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signInSchema });
  if (submission.status !== "success") return replyInvalid("sign-in", submission, { hideFields: ["password"] });
  const result = await signIn(getDb(), request, submission.value, new Date(), context);
  if (!result.ok) return replyRefused("sign-in", result, submission, { hideFields: ["password"] });
  // A city officer with a one-time code: the password was right, the code is asked on the next page.
  if (result.ok === "code") {
    const next = `/login/verify?redirectTo=${encodeURIComponent(safeRedirect(submission.value.redirectTo))}`;
    return redirect(next, { headers: { "Set-Cookie": result.cookie } });
  }
  const headers = new Headers({ "Set-Cookie": result.cookie });
  if (result.deviceCookie) headers.append("Set-Cookie", result.deviceCookie);
  return redirect(safeRedirect(submission.value.redirectTo), { headers });
}

export default function Login() {
  const { sso, wechat } = useLoaderData<typeof loader>();
  const lastResult = useReply("sign-in")?.form;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof signInSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    shouldValidate: "onSubmit",
  });
  const query = searchParams.toString();
  return (
    <section className="narrow card">
      <h1>登录</h1>
      {/* Inside WeChat, one tap for a craftsman or an apprentice whose WeChat is bound (issue 36). */}
      {wechat ? <WechatSignInButton redirectTo={searchParams.get("redirectTo")} /> : null}
      {/* Craftsmen and apprentices first: a phone and a code, no password to remember (issue 36). */}
      <Link to={`/login/code${query ? `?${query}` : ""}`} className="button primary wide big-choice">
        手机验证码登录
      </Link>
      <p className="hint">工匠、学徒用登记的手机号码接收验证码登录，无需密码。</p>
      <h2 className="or-line">工作人员、专家用账号密码登录</h2>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField label="用户名" meta={fields.username} autoComplete="username" autoCapitalize="none" />
        <TextField label="密码" meta={fields.password} type="password" autoComplete="current-password" />
        <button type="submit" className="button wide" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "正在登录…" : "登录"}
        </button>
      </Form>
      {sso ? (
        <p>
          {/* A link, not a form: the page's form-action policy keeps forms on this site, and the provider is another. */}
          <a className="button wide" href={`/login/sso?redirectTo=${encodeURIComponent(searchParams.get("redirectTo") ?? "")}`}>
            用{sso}登录
          </a>
          <span className="hint">市、县（市、区）总工会工作人员，账号须先由市总工会绑定</span>
        </p>
      ) : null}
      <p className="hint">账号由市总工会统一开通。忘记密码请联系所在单位的工会管理员重置。</p>
    </section>
  );
}
