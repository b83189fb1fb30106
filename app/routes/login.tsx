import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { assertSafePost, getUser, signIn } from "~/auth/session.server";
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
  // Inside WeChat, with the official account configured: 微信一键登录 (issue 36).
  return json({ wechat: wechatDriver() !== null && insideWechat(request) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signInSchema });
  if (submission.status !== "success") return replyInvalid("sign-in", submission, { hideFields: ["password"] });
  const result = await signIn(getDb(), request, submission.value, new Date(), context);
  if (!result.ok) return replyRefused("sign-in", result, submission, { hideFields: ["password"] });
  const headers = new Headers({ "Set-Cookie": result.cookie });
  if (result.deviceCookie) headers.append("Set-Cookie", result.deviceCookie);
  return redirect(safeRedirect(submission.value.redirectTo), { headers });
}

export default function Login() {
  const { wechat } = useLoaderData<typeof loader>();
  const lastResult = useReply("sign-in")?.form;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof signInSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="narrow card">
      <h1>登录</h1>
      {wechat ? <WechatSignInButton redirectTo={searchParams.get("redirectTo")} /> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField label="用户名" meta={fields.username} autoComplete="username" autoCapitalize="none" />
        <TextField label="密码" meta={fields.password} type="password" autoComplete="current-password" />
        <button type="submit" className="button primary wide" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "正在登录…" : "登录"}
        </button>
      </Form>
      <p className="hint">账号由市总工会统一开通。忘记密码请联系所在单位的工会管理员重置。</p>
      <p>
        <Link to="/login/code">工匠、学徒用短信验证码登录</Link>
      </p>
    </section>
  );
}
