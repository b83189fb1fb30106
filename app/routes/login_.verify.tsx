import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { clearChallengeCookie, pendingChallenge } from "~/auth/second-factor.server";
import { assertSafePost, getUser, signInWithSecondFactor } from "~/auth/session.server";
import { FormErrors } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { safeRedirect } from "~/lib/http.server";
import { replyInvalid, replyRefused } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { signInCodeSchema } from "~/modules/users/schema.server";

export const meta: MetaFunction = () => [{ title: "动态验证码 · 匠心" }];

/** The second step of a city officer's password sign-in: only for a browser whose password step just succeeded. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  if (!(await pendingChallenge(getDb(), request))) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const submission = parseWithZod(await request.formData(), { schema: signInCodeSchema });
  if (submission.status !== "success") return replyInvalid("code", submission, { hideFields: ["code"] });
  const result = await signInWithSecondFactor(getDb(), request, submission.value.code, new Date(), context);
  if (!result.ok) return replyRefused("code", refuse(result.message, { status: result.status, field: "code" }), submission, { hideFields: ["code"] });
  if (result.ok !== true) throw new Error("a code answers a code");
  const headers = new Headers({ "Set-Cookie": result.cookie });
  headers.append("Set-Cookie", clearChallengeCookie());
  if (result.deviceCookie) headers.append("Set-Cookie", result.deviceCookie);
  return redirect(safeRedirect(submission.value.redirectTo), { headers });
}

export default function VerifyCode() {
  const reply = useReply("code");
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm<z.input<typeof signInCodeSchema>>({ onValidate: acceptInBrowser, lastResult: reply?.form, shouldValidate: "onSubmit" });
  return (
    <section className="narrow card">
      <h1>动态验证码</h1>
      <p>您的账号已开启动态验证码。请打开手机上的验证器应用，输入“匠心”当前显示的6位数字。</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField label="动态验证码" meta={fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
      </Form>
      <p className="hint">
        手机丢失或验证器无法使用，请联系市总工会的其他管理员重置。<Link to="/login">重新输入用户名和密码</Link>
      </p>
    </section>
  );
}
