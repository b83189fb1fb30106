import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { wechatDriver } from "~/lib/wechat.server";
import { shareConfig } from "~/modules/wechat/tokens.server";

/**
 * The JS-SDK's wx.config for a page of ours (`?url=` the page's address without its fragment), asked by
 * the share-card component inside WeChat. Public, like the pages it signs; never kept by a cache (the
 * signature carries a fresh timestamp and nonce).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "no-store" };
  const driver = wechatDriver();
  if (!driver) return json({ error: "本平台未开通微信分享" }, { status: 404, headers });
  const url = new URL(request.url).searchParams.get("url") ?? "";
  const signed = await shareConfig(getDb(), driver, url);
  if (!signed.ok) return json({ error: signed.message }, { status: signed.status, headers });
  return json(signed.config, { headers });
}
