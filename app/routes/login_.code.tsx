import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { assertSafePost, getUser } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { PhoneCodeSteps } from "~/components/PhoneCodeStep";
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

/**
 * Made for a craftsman of sixty on a phone: one thing to do per screen, big fields and buttons, the
 * number kept from the first step to the second, and the wait before another code shown as it runs.
 */
export default function CodeLogin() {
  const [searchParams] = useSearchParams();
  return (
    <section className="narrow card sign-in-code">
      <h1>手机验证码登录</h1>
      {/* The second step once a code was asked for (or a code was tried and refused). */}
      <PhoneCodeSteps intent="sign-in" submitLabel="登录" busyLabel="正在登录…" />
      <p className="hint">
        工匠和学徒可用登记的手机号码和短信验证码登录，无需密码；在自己的手机上登录后，30天内不用再登录。工作人员和专家请用{" "}
        <Link to={`/login${searchParams.toString() ? `?${searchParams}` : ""}`}>用户名和密码登录</Link>。
      </p>
    </section>
  );
}
