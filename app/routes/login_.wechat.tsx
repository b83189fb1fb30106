import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { assertSafePost, getUser } from "~/auth/session.server";
import { clearFlowCookie } from "~/auth/sign-in-flow.server";
import { clientAddress } from "~/auth/throttle.server";
import { PhoneCodeSteps } from "~/components/PhoneCodeStep";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { replyDone, replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { smsGateway } from "~/lib/sms.server";
import { codeRequestSchema, codeSignInSchema } from "~/modules/apprentices/schema.server";
import { bindWithCode, pendingBinding, requestBindCode } from "~/modules/wechat/identity.server";

export const meta: MetaFunction = () => [{ title: "微信登录 · 匠心" }];

/** The first WeChat sign-in: the openid WeChat gave is held for this browser until the phone on record proves whose it is. */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  if (await getUser(request, db)) throw redirect("/home");
  return json({ pending: !!(await pendingBinding(db, request, null)) }, { headers: { "Cache-Control": "no-store" } });
}

/** The code is the phone's secret: never sent back. */
const UNECHOED = ["code"];

export async function action({ request, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const db = getDb();
  // Like the loader: a signed-in user's session is not replaced by a first sign-in's binding.
  if (await getUser(request, db)) throw redirect("/home");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "code") {
    const submission = parseWithZod(formData, { schema: codeRequestSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const result = await requestBindCode(db, smsGateway(), request, null, submission.value.phone, clientAddress(request, context));
    if (!result.ok) return replyRefused(intent, result, submission);
    return replyDone(intent, { message: result.message, data: { phone: submission.value.phone, resendAfterSeconds: result.resendAfterSeconds } });
  }
  if (intent === "bind") {
    const submission = parseWithZod(formData, { schema: codeSignInSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields: UNECHOED });
    const result = await bindWithCode(db, request, null, submission.value, context);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    const headers = new Headers({ "Set-Cookie": clearFlowCookie("wechat") });
    for (const cookie of result.cookies) headers.append("Set-Cookie", cookie);
    return redirect(result.redirectTo, { headers });
  }
  return replyUnknownIntent();
}

export default function WechatFirstSignIn() {
  const { pending } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const passwordLink = `/login${searchParams.toString() ? `?${searchParams}` : ""}`;
  if (!pending) {
    return (
      <section className="narrow card">
        <h1>微信登录</h1>
        <p className="notice" role="status">
          微信授权已过期，请返回登录页重新点击“微信一键登录”。
        </p>
        <p>
          <Link to="/login">返回登录</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow card sign-in-code">
      <h1>首次使用请验证手机号码</h1>
      <p className="hint">验证登记的手机号码后，您的微信即与账号绑定，以后在微信中一键登录。</p>
      <PhoneCodeSteps intent="bind" submitLabel="验证并登录" busyLabel="正在验证…" />
      <p className="hint">
        微信登录供工匠和学徒使用。工作人员和专家请用 <Link to={passwordLink}>用户名和密码登录</Link>。
      </p>
    </section>
  );
}
