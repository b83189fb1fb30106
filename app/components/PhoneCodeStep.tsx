import { getFormProps, useForm } from "@conform-to/react";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { FormErrors } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";

/** What the reply to "获取验证码" carries: the number asked for and the wait before another code. */
export type CodeAsked = { phone: string; resendAfterSeconds: number };

/** The fields of the code step, as the server's schema reads them (codeSignInSchema). */
type CodeFields = { phone: string; code: string; redirectTo?: string };

/** Seconds left before another code may be asked for, counted from when the reply arrived (0 without scripts: the server says). */
function useCountdown(asked: CodeAsked | null | undefined): number {
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
 * The second step of a phone code — the number and the code, and a button to ask again that
 * counts down the wait — shared by /login/code and WeChat's first sign-in (/login/wechat), both
 * made for a craftsman of sixty on a phone. A form of its own, made when the step appears: Conform
 * reads a form's default values once, so the number just asked for is known only to a form made
 * after the reply. The resend posts intent "code" with the number, as the first step does.
 */
export function PhoneCodeStep({
  asked,
  sent,
  tried,
  busy,
  intent,
  submitLabel,
  busyLabel,
}: {
  asked?: CodeAsked | null;
  sent?: string;
  tried?: ReturnType<typeof useReply>;
  busy: boolean;
  intent: string;
  submitLabel: string;
  busyLabel: string;
}) {
  const [searchParams] = useSearchParams();
  const wait = useCountdown(asked);
  const [form, fields] = useForm<CodeFields>({
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
        <button type="submit" name="intent" value={intent} className="button primary wide" disabled={busy}>
          {busy ? busyLabel : submitLabel}
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

/**
 * Both steps of a phone code on one page: the number (intent "code"), then, once a code was asked for or one was
 * tried, the code step posting `intent`. Shared by /login/code and /login/wechat.
 */
export function PhoneCodeSteps({ intent, submitLabel, busyLabel }: { intent: string; submitLabel: string; busyLabel: string }) {
  const asked = useReply<CodeAsked>("code");
  const tried = useReply(intent);
  const busy = useNavigation().state === "submitting";
  const [askForm, askFields] = useForm<{ phone: string }>({ onValidate: acceptInBrowser, lastResult: asked?.form, shouldValidate: "onSubmit" });
  return asked?.ok || tried ? (
    <PhoneCodeStep
      asked={asked?.ok ? asked.data : null}
      sent={asked?.ok ? (asked.message ?? undefined) : undefined}
      tried={tried}
      busy={busy}
      intent={intent}
      submitLabel={submitLabel}
      busyLabel={busyLabel}
    />
  ) : (
    <Form method="post" {...getFormProps(askForm)}>
      <FormErrors errors={askForm.errors} />
      <TextField label="手机号码" meta={askFields.phone} type="tel" autoComplete="tel" inputMode="tel" hint="登记工匠或学徒时填写的手机号码" />
      <button type="submit" name="intent" value="code" className="button primary wide" disabled={busy}>
        获取验证码
      </button>
    </Form>
  );
}
