import type { ReactNode } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { FieldError, FormErrors, Options } from "~/components/forms";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { RELATIONS } from "~/modules/voting/labels";

/** The field's error from the last answer to either of the form's intents. */
type ErrorOf = (field: string) => string[] | undefined;

/**
 * The verified real-name objection form of a public notice (the campaign's 社会公示, a subsidy
 * 公示): who objects and how they know the person, what they object to, optional proof, and the
 * number proved with an SMS code. It posts intent "code" for the code and "object" for the filing;
 * once filed, it gives way to the lookup code. `target` is the field that says whom the objection
 * is about and its choices (the names on the notice), `beforeCode` what the code's request needs
 * besides the number (the campaign's ALTCHA).
 */
export function ObjectionForm({
  target,
  beforeCode,
}: {
  target: { field: string; choices: Array<{ value: number; label: string }> };
  beforeCode?: (errorOf: ErrorOf) => ReactNode;
}) {
  const code = useReply<{ sent: string }>("code");
  const filed = useReply<{ lookup: string }>("object");
  const answer = code ?? filed;
  const busy = useNavigation().state !== "idle";
  const errorOf: ErrorOf = (field) => (answer?.field === field && answer.message ? [answer.message] : undefined);
  if (filed?.data) {
    return (
      <p className="notice success" role="status">
        您的异议已提交。查询码 <strong className="receipt">{filed.data.lookup}</strong>，请妥善保存，可凭此码在本页查询处理结果。
      </p>
    );
  }
  return (
    <Form method="post" encType="multipart/form-data" className="card form-grid">
      <h2 className="span-all">实名反映异议</h2>
      <p className="span-all small">
        请如实填写。匿名或查无实据的反映不予受理。您的姓名、身份证号码和电话加密保存，只供市总工会核实、联系您时查看，不会公开，也不会告知被异议人所在单位。
      </p>
      <FormErrors errors={answer?.message && !answer.field ? [answer.message] : undefined} />
      <div className="field">
        <label htmlFor={target.field}>异议对象</label>
        <select id={target.field} name={target.field} aria-describedby={`${target.field}-error`}>
          <option value="">请选择</option>
          <Options choices={target.choices} />
        </select>
        <FieldError id={`${target.field}-error`} errors={errorOf(target.field)} />
      </div>
      <div className="field">
        <label htmlFor="name">您的姓名</label>
        <input id="name" name="name" autoComplete="name" maxLength={20} aria-describedby="name-error" />
        <FieldError id="name-error" errors={errorOf("name")} />
      </div>
      <div className="field">
        <label htmlFor="idNumber">您的身份证号码</label>
        <input id="idNumber" name="idNumber" autoComplete="off" maxLength={30} aria-describedby="idNumber-error" />
        <FieldError id="idNumber-error" errors={errorOf("idNumber")} />
      </div>
      <div className="field">
        <label htmlFor="relation">与被异议人的关系</label>
        <select id="relation" name="relation" aria-describedby="relation-error">
          <Options choices={RELATIONS} />
        </select>
        <FieldError id="relation-error" errors={errorOf("relation")} />
      </div>
      <div className="field span-all">
        <label htmlFor="content">异议内容</label>
        <textarea id="content" name="content" rows={5} maxLength={2000} aria-describedby="content-error" />
        <FieldError id="content-error" errors={errorOf("content")} />
      </div>
      <div className="field span-all">
        <label htmlFor="files">证明材料（PDF、JPEG 或 PNG，最多3个，每个不超过5 MB，可选）</label>
        <UploadInput id="files" name="files" multiple accept="application/pdf,image/jpeg,image/png" aria-describedby="files-error" />
        <FieldError id="files-error" errors={errorOf("files")} />
      </div>
      <div className="field">
        <label htmlFor="phone">手机号码</label>
        <input id="phone" name="phone" type="tel" inputMode="numeric" autoComplete="tel" maxLength={20} aria-describedby="phone-error" />
        <FieldError id="phone-error" errors={errorOf("phone")} />
      </div>
      {beforeCode?.(errorOf)}
      <div className="field">
        <button type="submit" name="intent" value="code" className="button" disabled={busy}>
          获取验证码
        </button>
        {code?.data ? (
          <p className="small" role="status">
            验证码已发送至 {code.data.sent}。
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="code">短信验证码</label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} aria-describedby="code-error" />
        <FieldError id="code-error" errors={errorOf("code")} />
      </div>
      <div className="span-all">
        <button type="submit" name="intent" value="object" className="button primary" disabled={busy}>
          提交异议
        </button>
      </div>
    </Form>
  );
}

/** An objection's outcome as its lookup code finds it. */
interface Outcome {
  filedAt: string;
  outcome: string;
  handling: string;
}

/**
 * The objector's lookup of what became of their objection, by the code the filing gave them.
 * `about` names whom it was about, as the page may show them.
 */
export function ObjectionLookup<F extends Outcome>({
  lookup,
  error,
  about,
}: {
  lookup: { code: string; found: F | null } | null;
  error: string | null | undefined;
  about: (found: F) => string;
}) {
  return (
    <Form method="get" className="card">
      <h2>查询异议处理结果</h2>
      <div className="field">
        <label htmlFor="lookup">查询码</label>
        <input id="lookup" name="lookup" defaultValue={lookup?.code ?? ""} maxLength={20} aria-describedby="lookup-error" />
        <FieldError id="lookup-error" errors={error ? [error] : undefined} />
      </div>
      <button type="submit" className="button">
        查询
      </button>
      {lookup ? (
        <p className="notice" role="status">
          {lookup.found
            ? `您于 ${formatDateTime(lookup.found.filedAt)} 对 ${about(lookup.found)} 提出的异议：${lookup.found.outcome}${lookup.found.handling ? `（${lookup.found.handling}）` : ""}。`
            : "没有找到这条异议，请核对查询码。"}
        </p>
      ) : null}
    </Form>
  );
}

/** A public notice's body by where it stands: over, not begun yet, or open (its list and the objection form). */
export function NoticeBody({ state, children }: { state: string; children: ReactNode }) {
  if (state === "after" || state === "before") {
    return (
      <p className="notice" role="status">
        {state === "after" ? "本次公示已结束。" : "公示尚未开始。"}
      </p>
    );
  }
  return children;
}
