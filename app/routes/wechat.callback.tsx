import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { clearFlowCookie } from "~/auth/sign-in-flow.server";
import { WechatProblem } from "~/components/wechat";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { wechatDriver } from "~/lib/wechat.server";
import { returnFromWechat } from "~/modules/wechat/identity.server";

export const meta: MetaFunction = () => [{ title: "微信授权 · 匠心" }];

/** WeChat's return with `code` and `state`: signed in, on to the phone check, or back to the vote. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const driver = wechatDriver();
  if (!driver) throw notFound("本平台未开通微信登录");
  const url = new URL(request.url);
  const result = await returnFromWechat(getDb(), driver, request, { code: url.searchParams.get("code"), state: url.searchParams.get("state") }, context);
  if (!result.ok) {
    // The spent (or foreign) flow's cookie goes: nothing of this round trip is left to replay.
    return json({ message: result.message }, { status: result.status, headers: { "Set-Cookie": clearFlowCookie("wechat"), "Cache-Control": "no-store" } });
  }
  const headers = new Headers({ "Cache-Control": "no-store" });
  for (const cookie of result.cookies) headers.append("Set-Cookie", cookie);
  throw redirect(result.redirectTo, { headers });
}

export default WechatProblem;
