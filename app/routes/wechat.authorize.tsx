import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { WechatProblem } from "~/components/wechat";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { wechatDriver } from "~/lib/wechat.server";
import { startWechat } from "~/modules/wechat/identity.server";

export const meta: MetaFunction = () => [{ title: "微信授权 · 匠心" }];

/**
 * Sends the phone to WeChat's web authorisation: `purpose=sign-in` (silent, 微信一键登录) or `purpose=bind`
 * (with consent, from /account/wechat). The vote page starts its own round trip.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const driver = wechatDriver();
  if (!driver) throw notFound("本平台未开通微信登录");
  const url = new URL(request.url);
  const purpose = url.searchParams.get("purpose");
  if (purpose !== "sign-in" && purpose !== "bind") return json({ message: "微信授权的用途无效" }, { status: 400, headers: { "Cache-Control": "no-store" } });
  const db = getDb();
  const user = await getUser(request, db);
  if (purpose === "sign-in" && user) throw redirect("/home");
  if (purpose === "bind" && !user) throw redirect(`/login?redirectTo=${encodeURIComponent("/account/wechat")}`);
  const started = await startWechat(db, driver, purpose, { redirectTo: url.searchParams.get("redirectTo"), user });
  if (!started.ok) return json({ message: started.message }, { status: started.status, headers: { "Cache-Control": "no-store" } });
  throw redirect(started.url, { headers: { "Set-Cookie": started.cookie, "Cache-Control": "no-store" } });
}

export default WechatProblem;
