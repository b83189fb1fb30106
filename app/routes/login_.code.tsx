import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { assertSafePost, getUser } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { FormErrors } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { safeRedirect } from "~/lib/http.server";
import { replyDone, replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { smsGateway } from "~/lib/sms.server";
import { codeRequestSchema, codeSignInSchema } from "~/modules/apprentices/schema.server";
import { requestSignInCode, signInWithCode } from "~/modules/apprentices/sign-in.server";

export const meta: MetaFunction = () => [{ title: "手机验证码登录 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  return null;
}

/** The code is the phone's secret: never sent back. */
const UNECHOED = ["code"];

export async function action({ request, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const db = getDb();
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "code") {
    const submission = parseWithZod(formData, { schema: codeRequestSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const result = await requestSignInCode(db, smsGateway(), submission.value.phone, clientAddress(request, context));
    if (!result.ok) return replyRefused(intent, result, submission);
    return replyDone(intent, { message: result.message, data: { phone: submission.value.phone, resendAfterSeconds: result.resendAfterSeconds } });
  }
  if (intent === "sign-in") {
    const submission = parseWithZod(formData, { schema: codeSignInSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields: UNECHOED });
    const result = await signInWithCode(db, request, submission.value, new Date(), context);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    const headers = new Headers({ "Set-Cookie": result.cookie });
    if (result.deviceCookie) headers.append("Set-Cookie", result.deviceCookie);
    return redirect(safeRedirect(submission.value.redirectTo), { headers });
  }
  return replyUnknownIntent();
}

type Asked = { phone: string; resendAfterSeconds: number };

/**
 * Made for a craftsman of sixty on a phone: one thing to do per screen, big fields and buttons, the
 * number kept from the first step to the second, and the wait before another code shown as it runs.
 */
export default function CodeLogin() {
  const asked = useReply<Asked>("code");
  const tried = useReply("sign-in");
  const busy = useNavigation().state === "submitting";
  const [searchParams] = useSearchParams();
  const [askForm, askFields] = useForm<z.input<typeof codeRequestSchema>>({ onValidate: acceptInBrowser, lastResult: asked?.form, shouldValidate: "onSubmit" });
  return (
    <section className="narrow card sign-in-code">
      <h1>手机验证码登录</h1>
      {/* The second step once a code was asked for (or a code was tried and refused). */}
      {asked?.ok || tried ? (
        <CodeStep asked={asked?.ok ? asked.data : null} sent={asked?.ok ? (asked.message ?? undefined) : undefined} tried={tried} busy={busy} />
      ) : (
        <Form method="post" {...getFormProps(askForm)}>
          <FormErrors errors={askForm.errors} />
          <TextField label="手机号码" meta={askFields.phone} type="tel" autoComplete="tel" inputMode="tel" hint="登记工匠或学徒时填写的手机号码" />
          <button type="submit" name="intent" value="code" className="button primary wide" disabled={busy}>
            获取验证码
          </button>
        </Form>
      )}
      <p className="hint">
        工匠和学徒可用登记的手机号码和短信验证码登录，无需密码；在自己的手机上登录后，30天内不用再登录。工作人员和专家请用{" "}
        <Link to={`/login${searchParams.toString() ? `?${searchParams}` : ""}`}>用户名和密码登录</Link>。
      </p>
    </section>
  );
}

/** Seconds left before another code may be asked for, counted from when the reply arrived (0 without scripts: the server says). */
function useCountdown(asked: Asked | null | undefined): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!asked) return;
    const until = Date.now() + asked.resendAfterSeconds * 1000;
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [asked]);
  return left;
}

/**
 * The number and the code. A form of its own, made when the step appears: Conform reads a form's
 * default values once, so the number just asked for is known only to a form made after the reply.
 */
function CodeStep({ asked, sent, tried, busy }: { asked?: Asked | null; sent?: string; tried?: ReturnType<typeof useReply>; busy: boolean }) {
  const [searchParams] = useSearchParams();
  const wait = useCountdown(asked);
  const [form, fields] = useForm<z.input<typeof codeSignInSchema>>({
    onValidate: acceptInBrowser,
    lastResult: tried?.form,
    shouldValidate: "onSubmit",
    defaultValue: { phone: asked?.phone },
  });
  return (
    <>
      {sent ? (
        <p className="notice success" role="status">
          {sent}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField label="手机号码" meta={fields.phone} type="tel" autoComplete="tel" inputMode="tel" />
        <TextField label="短信验证码" meta={fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} hint="短信里的6位数字" />
        <button type="submit" name="intent" value="sign-in" className="button primary wide" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
      </Form>
      <Form method="post" className="resend">
        <input type="hidden" name="phone" value={String(fields.phone.value ?? asked?.phone ?? "")} />
        <button type="submit" name="intent" value="code" className="button wide" disabled={busy || wait > 0}>
          {wait > 0 ? `${wait}秒后可重新获取验证码` : "重新获取验证码"}
        </button>
      </Form>
    </>
  );
}
