import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, SubmitButton } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import type { codeEnableSchema } from "~/modules/users/schema.server";

type Factor = { state: "off" } | { state: "pending"; secret: string; uri: string } | { state: "on"; since: string };

/**
 * A city officer's one-time code on their own account page: turn it on (scan the secret, give back one code with the
 * current password), or off with a current code; either way the account's other sessions end. The secret is shown only while it is being set up.
 */
export function SecondFactorCard({ factor, qr }: { factor: Factor; qr: string | null }) {
  const started = useReply("code-start");
  const enabled = useReply("code-enable");
  const disabled = useReply("code-disable");
  return (
    <>
      <h2>动态验证码（两步验证）</h2>
      {enabled?.ok ? (
        <p className="notice success" role="status">
          动态验证码已开启。今后用密码登录时，还需输入验证器上的6位数字。您在其他设备上的登录已全部退出。
        </p>
      ) : null}
      {disabled?.ok ? (
        <p className="notice success" role="status">
          动态验证码已关闭。您在其他设备上的登录已全部退出。
        </p>
      ) : null}
      {started && !started.ok ? (
        <p className="notice error" role="alert">
          {started.message}
        </p>
      ) : null}
      {factor.state === "off" ? (
        <Form method="post" className="card">
          <p>
            市总工会账号可以查看各县的全部记录。开启后，用密码登录还需输入手机验证器应用（如微信小程序“腾讯身份验证器”、Google
            Authenticator）上的6位动态验证码。
          </p>
          <input type="hidden" name="intent" value="code-start" />
          <SubmitButton label="设置动态验证码" primary={false} />
        </Form>
      ) : factor.state === "pending" ? (
        <div className="card">
          <p>用验证器应用扫描下面的二维码，或手动输入密钥；然后输入当前密码和应用上显示的6位数字完成开启。开启后，其他设备上的登录将全部退出。</p>
          {qr ? <div className="qr" dangerouslySetInnerHTML={{ __html: qr }} /> : null}
          <p>
            密钥：<code>{factor.secret}</code>
          </p>
          <CodeForm intent="code-enable" label="开启动态验证码" />
        </div>
      ) : (
        <div className="card">
          <p>动态验证码已开启（{formatDateTime(factor.since)}起）。</p>
          <CodeForm intent="code-disable" label="关闭动态验证码" />
        </div>
      )}
    </>
  );
}

function CodeForm({ intent, label }: { intent: "code-enable" | "code-disable"; label: string }) {
  const reply = useReply(intent);
  const [form, fields] = useForm<z.input<typeof codeEnableSchema>>({ id: intent, onValidate: acceptInBrowser, lastResult: reply?.form });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value={intent} />
      <FormErrors errors={form.errors} />
      {/* Turning it on asks for the password: a stolen session alone must not be able to lock the owner out. */}
      {intent === "code-enable" ? <TextField label="当前密码" meta={fields.currentPassword} required type="password" autoComplete="current-password" /> : null}
      <TextField label="当前动态验证码" meta={fields.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
      <SubmitButton label={label} primary={intent === "code-enable"} />
    </Form>
  );
}
