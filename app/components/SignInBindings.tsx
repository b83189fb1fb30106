import { Form, useLoaderData } from "@remix-run/react";
import { ConfirmSubmit, SubmitButton } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";

interface SignInFacts {
  identity: { id: number; display_name: string | null; subject: string; bound_at: string | null; last_seen_at: string; bound_by_name: string | null } | null;
  waiting: Array<{ id: number; display_name: string | null; subject: string; first_seen_at: string; last_seen_at: string }>;
  codeOn: boolean;
}

const nameOf = (i: { display_name: string | null; subject: string }) => `${i.display_name ?? "（未提供姓名）"}（标识 ${i.subject}）`;

/**
 * An officer's sign-in, on the city's page of their account: the single sign-on identity bound to it (unbind, confirmed)
 * or one of those waiting to bind, and their one-time code (reset, confirmed, when a phone is lost).
 */
export function SignInBindings() {
  const { signIn } = useLoaderData<{ signIn: SignInFacts | null }>();
  const bound = useReply("bind-identity");
  const unbound = useReply("unbind-identity");
  const reset = useReply("reset-code");
  if (!signIn) return null;
  const { identity, waiting, codeOn } = signIn;
  return (
    <>
      <h2>统一身份认证</h2>
      <ReplyNotice reply={bound ?? unbound} done={bound ? "已绑定，该工作人员今后可通过统一身份认证登录。" : "已解除绑定，该账号的所有登录已退出。"} />
      {identity ? (
        <Form method="post" className="card">
          <p>
            已绑定：{nameOf(identity)}，{formatDateTime(identity.bound_at)} 由{identity.bound_by_name ?? "系统"}绑定；最近一次登录{" "}
            {formatDateTime(identity.last_seen_at)}。
          </p>
          <input type="hidden" name="intent" value="unbind-identity" />
          <ConfirmSubmit label="解除绑定" confirm="解除后该统一身份账号不能再登录此账号，此账号当前的所有登录将退出。" />
        </Form>
      ) : waiting.length ? (
        <Form method="post" className="card form-grid">
          <label>
            待绑定的统一身份账号（已尝试登录、尚未绑定）
            <select name="identityId" required defaultValue="">
              <option value="" disabled>
                请选择
              </option>
              {waiting.map((w) => (
                <option key={w.id} value={w.id}>
                  {nameOf(w)} · 最近登录 {formatDateTime(w.last_seen_at)}
                </option>
              ))}
            </select>
          </label>
          <input type="hidden" name="intent" value="bind-identity" />
          <SubmitButton label="绑定到此账号" primary={false} />
        </Form>
      ) : (
        <p className="card">尚未绑定。工作人员先用统一身份认证登录一次（会提示未绑定），其账号即出现在这里供绑定。</p>
      )}
      <h2>动态验证码</h2>
      <ReplyNotice reply={reset} done="动态验证码已重置，该工作人员目前仅凭密码即可登录。" />
      {codeOn ? (
        <Form method="post" className="card">
          <p>已开启：用密码登录时还需输入验证器上的动态验证码。</p>
          <input type="hidden" name="intent" value="reset-code" />
          <ConfirmSubmit label="重置动态验证码" confirm="重置后该账号仅凭密码即可登录，直到本人重新设置。请先确认是本人因手机丢失等原因提出的。" />
        </Form>
      ) : (
        <p className="card">未开启。</p>
      )}
    </>
  );
}
