import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
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

export const meta: MetaFunction = () => [{ title: "短信验证码登录 · 匠心" }];

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
    return replyDone(intent, { message: result.message, data: { phone: submission.value.phone } });
  }
  if (intent === "sign-in") {
    const submission = parseWithZod(formData, { schema: codeSignInSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields: UNECHOED });
    const result = await signInWithCode(db, request, submission.value, new Date(), context);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    return redirect(safeRedirect(submission.value.redirectTo), { headers: { "Set-Cookie": result.cookie } });
  }
  return replyUnknownIntent();
}

export default function CodeLogin() {
  const asked = useReply<{ phone: string }>("code");
  const tried = useReply("sign-in");
  const busy = useNavigation().state === "submitting";
  const [askForm, askFields] = useForm<z.input<typeof codeRequestSchema>>({ onValidate: acceptInBrowser, lastResult: asked?.form, shouldValidate: "onSubmit" });
  return (
    <section className="narrow card">
      <h1>短信验证码登录</h1>
      {/* The second step once a code was asked for (or a code was tried and refused). */}
      {asked?.ok || tried ? (
        <CodeStep phone={asked?.data?.phone} sent={asked?.ok ? (asked.message ?? undefined) : undefined} tried={tried} busy={busy} />
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
        工匠和学徒可用登记的手机号码和短信验证码登录，无需密码。工作人员和专家请用 <Link to="/login">用户名和密码登录</Link>。
      </p>
    </section>
  );
}

/**
 * The number and the code. A form of its own, made when the step appears: Conform reads a form's
 * default values once, so the number just asked for is known only to a form made after the reply.
 */
function CodeStep({ phone, sent, tried, busy }: { phone?: string; sent?: string; tried?: ReturnType<typeof useReply>; busy: boolean }) {
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm<z.input<typeof codeSignInSchema>>({
    onValidate: acceptInBrowser,
    lastResult: tried?.form,
    shouldValidate: "onSubmit",
    defaultValue: { phone },
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
        <TextField label="短信验证码" meta={fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
        <button type="submit" name="intent" value="sign-in" className="button primary wide" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="phone" value={String(fields.phone.value ?? phone ?? "")} />
        <button type="submit" name="intent" value="code" className="button link" disabled={busy}>
          重新获取验证码
        </button>
      </Form>
    </>
  );
}
