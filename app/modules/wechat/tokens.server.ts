import crypto from "node:crypto";
import type { DB } from "~db";
import type { WechatTokenKind } from "~db/types";
import { publicAddress } from "~/lib/http.server";
import { refuse, type Result } from "~/lib/result";
import { jsapiSignature, type WechatAnswer, type WechatDriver } from "~/lib/wechat.server";
import { decrypt, encrypt } from "~/modules/people/pii.server";

/**
 * The official account's access_token and the JS-SDK's jsapi_ticket (both live two hours), kept in
 * one row each for every process: WeChat ends an access_token a few minutes after a new one is
 * fetched and rations the fetches, so processes must share one. The background tick renews each
 * when less than ten minutes remain; a page fetches only when one is missing or about to expire.
 * One refresher at a time: whoever takes the row's lease (as the job queue leases a job) fetches,
 * the others wait for its answer; after a failure nobody asks again for a minute. Kept encrypted: they are the account's keys while they live.
 */

/** The tick renews what has less than this left. */
export const RENEW_BEFORE_MS = 10 * 60_000;
/** A page's request uses what has more than this left, and fetches otherwise. */
const USABLE_FOR_MS = 60_000;
/** How long a refresher holds the lease: longer than the two calls it makes (10 s each at most). */
const LEASE_MS = 30_000;
/** After WeChat failed to answer, how long before anyone asks again (the tick runs every few seconds). */
const RETRY_AFTER_MS = 60_000;
/** How long a page waits for another process's refresh before it says WeChat is unavailable. */
const WAIT_MS = 5_000;

const readRow = (db: DB, kind: WechatTokenKind) =>
  db.selectFrom("wechat_token").select(["value", "expires_at", "refreshing_until"]).where("kind", "=", kind).executeTakeFirst();

/** The credential if it has more than `margin` left. */
async function usable(db: DB, kind: WechatTokenKind, now: Date, margin: number): Promise<string | null> {
  const row = await readRow(db, kind);
  return row && row.value && row.expires_at.getTime() - now.getTime() > margin ? decrypt(row.value) : null;
}

/**
 * Takes the kind's lease, or answers false when another refresher holds it or has just stored one
 * with more than `margin` left: a caller that found none a moment ago may ask after that refresher
 * finished, and must then take its answer rather than fetch again (WeChat would end the one just handed out).
 */
async function takeLease(db: DB, kind: WechatTokenKind, now: Date, margin: number): Promise<boolean> {
  const until = new Date(now.getTime() + LEASE_MS);
  const taken = await db
    .insertInto("wechat_token")
    .values({ kind, value: "", expires_at: new Date(0), refreshing_until: until })
    .onConflict((oc) =>
      oc
        .column("kind")
        .doUpdateSet({ refreshing_until: until })
        .where((eb) =>
          eb.and([
            eb.or([eb("wechat_token.refreshing_until", "is", null), eb("wechat_token.refreshing_until", "<", now)]),
            eb.or([eb("wechat_token.value", "=", ""), eb("wechat_token.expires_at", "<=", new Date(now.getTime() + margin))]),
          ]),
        ),
    )
    .returning("kind")
    .executeTakeFirst();
  return !!taken;
}

/** Fetches a new credential under the lease and stores it; the lease ends either way. */
async function refresh(db: DB, driver: WechatDriver, kind: WechatTokenKind, now: Date, margin: number): Promise<WechatAnswer<{ value: string }> | "busy"> {
  if (!(await takeLease(db, kind, now, margin))) return "busy";
  let fetched: WechatAnswer<{ value: string; expiresIn: number }>;
  try {
    if (kind === "access_token") fetched = await driver.fetchAccessToken();
    else {
      const token = await credential(db, driver, "access_token", now);
      fetched = token.ok ? await driver.fetchJsapiTicket(token.value) : { ok: false, error: token.message };
    }
  } catch (error) {
    fetched = { ok: false, error: (error as Error).message };
  }
  await db
    .updateTable("wechat_token")
    .set(
      fetched.ok
        ? { value: encrypt(fetched.value), expires_at: new Date(now.getTime() + fetched.expiresIn * 1000), refreshed_at: now, refreshing_until: null }
        : // The lease is kept a minute: the next try is then, not at every tick.
          { refreshing_until: new Date(now.getTime() + RETRY_AFTER_MS) },
    )
    .where("kind", "=", kind)
    .execute();
  return fetched.ok ? { ok: true, value: fetched.value } : fetched;
}

/**
 * The credential for a page's request: the stored one while it has more than a minute left, else
 * fetched now — by this process, or by the one already fetching, whose answer is awaited.
 */
export async function credential(db: DB, driver: WechatDriver, kind: WechatTokenKind, now = new Date()): Promise<Result<{ value: string }>> {
  const stored = await usable(db, kind, now, USABLE_FOR_MS);
  if (stored) return { ok: true, value: stored };
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const fetched = await refresh(db, driver, kind, now, USABLE_FOR_MS);
    if (fetched !== "busy") return fetched.ok ? fetched : refuse("微信服务暂时不可用，请稍后再试", { status: 409 });
    const awaited = await usable(db, kind, now, USABLE_FOR_MS);
    if (awaited) return { ok: true, value: awaited };
    if (Date.now() > deadline) return refuse("微信服务暂时不可用，请稍后再试", { status: 409 });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The background tick's share: renews the access_token, then the jsapi_ticket, each when missing or
 * with less than ten minutes left; one held by another process's refresh is left to it. A failure is
 * left for the next tick (a page then fetches on its own when it must).
 */
export async function refreshWechatCredentials(db: DB, driver: WechatDriver, now = new Date()): Promise<void> {
  for (const kind of ["access_token", "jsapi_ticket"] as const) {
    if (await usable(db, kind, now, RENEW_BEFORE_MS)) continue;
    const renewed = await refresh(db, driver, kind, now, RENEW_BEFORE_MS);
    if (renewed !== "busy" && !renewed.ok) console.warn(`[微信] ${kind} 更新失败：${renewed.error}`);
  }
}

/** The wx.config a page inside WeChat asks for, signed for its URL. */
export interface ShareConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/**
 * Signs the JS-SDK configuration for a page of ours: the URL must be on PUBLIC_URL (no signature for
 * anyone else's page, which WeChat would refuse anyway), as the page has it without its fragment.
 */
export async function shareConfig(db: DB, driver: WechatDriver, url: string, now = new Date()): Promise<Result<{ config: ShareConfig }>> {
  const base = publicAddress();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("页面地址无效", { field: "url" });
  }
  // Signed as the page has it (location.href): WeChat signs the same string on its side.
  const page = url.split("#")[0];
  if (url.length > 2000 || parsed.origin !== new URL(base).origin || !(page === base || page.startsWith(`${base}/`) || page.startsWith(`${base}?`))) {
    return refuse("只能为本平台的页面签名", { field: "url" });
  }
  const ticket = await credential(db, driver, "jsapi_ticket", now);
  if (!ticket.ok) return ticket;
  const timestamp = Math.floor(now.getTime() / 1000);
  const nonceStr = crypto.randomBytes(12).toString("base64url");
  return {
    ok: true,
    config: { appId: driver.appId, timestamp, nonceStr, signature: jsapiSignature({ ticket: ticket.value, nonceStr, timestamp, url: page }) },
  };
}
