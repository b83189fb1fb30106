import type { AppLoadContext } from "@remix-run/node";
import type { DB, Tx } from "~db";
import type { SessionUser } from "~/auth/roles";
import { getUser } from "~/auth/session.server";
import { clearFlowCookie, finishFlow, heldFlow, startFlow } from "~/auth/sign-in-flow.server";
import { clientAddress } from "~/auth/throttle.server";
import { recordAudit } from "~/lib/audit.server";
import { absoluteUrl } from "~/lib/http.server";
import { refuse, type Result } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import type { WechatDriver } from "~/lib/wechat.server";
import { sendPhoneCode, usePhoneCode } from "~/modules/apprentices/phone-code.server";
import { phoneChangeHold } from "~/modules/people/phone-guard.server";
import {
  CODE_SENT,
  RESEND_AFTER_SECONDS,
  codeAccountOf,
  codeHolderByPhone,
  openCodeSession,
  type CodeSignInResult,
} from "~/modules/apprentices/sign-in.server";
import { decrypt, encrypt, lookupHash } from "~/modules/people/pii.server";
import { WECHAT_AUDIT } from "~/modules/wechat/labels";

/**
 * A person's WeChat identity (issue 36, item 2). WeChat's web authorisation tells us an openid; an
 * openid opens nothing until it is bound to a person, and it is bound only after a code sent to the
 * phone on that person's record has come back. Once bound, signing in inside WeChat is one tap.
 * Every round trip goes through the shared sign-in flow (auth/sign-in-flow.server): the state is
 * this browser's, spent once; the openid waits between steps in the flow's row, encrypted, never in
 * a page or a cookie.
 */

/** Why the phone goes to WeChat: to sign in (silent), to bind (with consent, for the nickname), to vote (silent). */
export type WechatPurpose = "sign-in" | "bind" | "vote";

/** The step a held flow is at: waiting for WeChat, a first sign-in's phone check, a signed-in binding's, a voter choosing. */
type Step = "authorize" | "first" | "bind" | "vote";

/** The roles a WeChat identity can be bound to: those a phone code signs in (officers and experts sign in otherwise). */
const BINDABLE = ["craftsman", "apprentice"] as const;

const openidHash = (openid: string) => lookupHash(`wechat:${openid}`);

const REFUSED = {
  restart: "微信授权已过期，请重新从微信进入",
  failed: "微信授权没有成功，请稍后重试",
  signInFirst: "请先登录，再绑定微信",
  notBindable: "只有工匠和学徒的账号可以绑定微信",
  takenByOther: "该微信号已绑定其他人的账号，请先在那个账号中解除绑定",
  notYours: "验证码不正确",
} as const;

export interface Started {
  /** WeChat's authorisation address to send the phone to. */
  url: string;
  /** The flow's cookie, binding the round trip to this browser. */
  cookie: string;
}

/**
 * Opens a round trip to WeChat for `purpose`: binding asks for consent (the nickname comes back
 * for /account) and is only for a signed-in craftsman or apprentice; signing in and voting are silent.
 */
export async function startWechat(
  db: DB,
  driver: WechatDriver,
  purpose: WechatPurpose,
  options: { redirectTo: string | null; user: SessionUser | null; campaignId?: number },
): Promise<Result<Started>> {
  const data: Record<string, string> = { step: "authorize" satisfies Step, purpose };
  if (purpose === "bind") {
    if (!options.user) return refuse(REFUSED.signInFirst, { status: 403 });
    if (!(BINDABLE as readonly string[]).includes(options.user.role) || !options.user.personId) return refuse(REFUSED.notBindable, { status: 403 });
    data.userId = options.user.id;
  }
  if (purpose === "vote") data.campaignId = String(options.campaignId);
  const flow = await startFlow(db, "wechat", data, options.redirectTo);
  const scope = purpose === "bind" ? "snsapi_userinfo" : "snsapi_base";
  return { ok: true, url: driver.authorizeUrl(absoluteUrl("/wechat/callback"), scope, flow.state), cookie: flow.cookie };
}

/** Where the callback sends the phone next, with the cookies to set. */
export type Returned = { ok: true; redirectTo: string; cookies: string[] } | Extract<Result, { ok: false }>;

/**
 * WeChat's return: the flow is this browser's and spent here, the code exchanged for the openid.
 * A bound openid signs in at once (a deactivated account's opens nothing); an unbound one goes on to
 * the phone check, held in a new flow; a binding waits for its phone check too; a voter's openid waits
 * for the ballot.
 */
export async function returnFromWechat(
  db: DB,
  driver: WechatDriver,
  request: Request,
  input: { code: string | null; state: string | null },
  context: AppLoadContext = {},
  now = new Date(),
): Promise<Returned> {
  const flow = await finishFlow(db, request, "wechat", input.state, now);
  if (!flow.ok) return refuse(flow.message, { status: 400 });
  if (flow.data.step !== "authorize") return refuse(REFUSED.restart, { status: 400 });
  // The person declined consent (WeChat comes back without a code) or the code is not one.
  if (!input.code || !/^[A-Za-z0-9_-]{1,128}$/.test(input.code)) return refuse(REFUSED.failed, { status: 400 });
  const exchanged = await driver.exchangeCode(input.code);
  if (!exchanged.ok) return refuse(REFUSED.failed, { status: 409 });
  const { openid } = exchanged;
  const purpose = flow.data.purpose as WechatPurpose;
  const hold = async (step: Step, data: Record<string, string>, redirectTo: string) => {
    const held = await startFlow(db, "wechat", { step, openid: encrypt(openid), ...data }, redirectTo, now);
    return held.cookie;
  };

  if (purpose === "vote") {
    return { ok: true, redirectTo: flow.redirectTo, cookies: [await hold("vote", { campaignId: flow.data.campaignId ?? "" }, flow.redirectTo)] };
  }
  if (purpose === "bind") {
    const user = await getUser(request, db);
    if (!user || user.id !== flow.data.userId) return refuse(REFUSED.signInFirst, { status: 403 });
    const taken = await db.selectFrom("wechat_identity").select("person_id").where("openid_hash", "=", openidHash(openid)).executeTakeFirst();
    if (taken && taken.person_id !== user.personId) return refuse(REFUSED.takenByOther, { status: 409 });
    const nickname = exchanged.scope.includes("snsapi_userinfo") ? await driver.nickname(exchanged.accessToken, openid) : null;
    return { ok: true, redirectTo: "/account/wechat", cookies: [await hold("bind", { userId: user.id, nickname: nickname ?? "" }, "/account/wechat")] };
  }
  const bound = await db.selectFrom("wechat_identity").select("person_id").where("openid_hash", "=", openidHash(openid)).executeTakeFirst();
  if (!bound) {
    // Unbound: nothing opens; the phone check comes first, the openid waiting in the flow.
    const next = `/login/wechat?redirectTo=${encodeURIComponent(flow.redirectTo)}`;
    return { ok: true, redirectTo: next, cookies: [await hold("first", {}, flow.redirectTo)] };
  }
  const signedIn = await signInBound(db, request, bound.person_id, clientAddress(request, context), now);
  if (!signedIn.ok) return signedIn;
  // Signed in: the spent flow's cookie is forgotten with it.
  return {
    ok: true,
    redirectTo: flow.redirectTo,
    cookies: [signedIn.cookie, ...(signedIn.deviceCookie ? [signedIn.deviceCookie] : []), clearFlowCookie("wechat")],
  };
}

/** A bound openid's one tap: the person's account (the code sign-in's own step) and a session. */
async function signInBound(db: DB, request: Request, personId: number, address: string | null, now: Date): Promise<CodeSignInResult> {
  const found = await db.transaction().execute(async (tx) => {
    const opened = await codeAccountOf(tx, personId, "学徒首次用微信登录");
    if (!opened.ok || !opened.account.active) return opened;
    await tx.updateTable("wechat_identity").set({ last_sign_in_at: now }).where("person_id", "=", personId).execute();
    await recordAudit(tx, WECHAT_AUDIT, {
      actor: { id: opened.account.id, displayName: opened.account.display_name },
      id: personId,
      unit: opened.account.org_unit_id,
      action: "sign_in",
      comment: address ?? undefined,
    });
    return opened;
  });
  if (!found.ok) return found;
  return openCodeSession(db, request, found.account, address, now);
}

/** The phone check this browser is in the middle of (a first sign-in's or a signed-in binding's), or null. */
async function pendingCheck(db: DB, request: Request, user: SessionUser | null, now: Date) {
  const held = await heldFlow(db, request, "wechat", now);
  const step = held?.data.step;
  if (!held || (step !== "first" && step !== "bind") || !held.data.openid) return null;
  // A binding belongs to the account that asked for it; a first sign-in to a visitor not signed in.
  if (step === "bind" ? held.data.userId !== user?.id : user) return null;
  return { state: held.state, step, openid: decrypt(held.data.openid), nickname: held.data.nickname || null };
}

/** What /login/wechat and /account/wechat show of a phone check under way: whether there is one, and the nickname. */
export async function pendingBinding(db: DB, request: Request, user: SessionUser | null, now = new Date()) {
  const pending = await pendingCheck(db, request, user, now);
  return pending ? { step: pending.step, nickname: pending.nickname } : null;
}

/**
 * Sends the binding code: to the number given if it is a craftsman's or an apprentice's on record
 * (for a signed-in binding, the signed-in person's own), and the same answer either way.
 */
export async function requestBindCode(
  db: DB,
  gateway: SmsGateway,
  request: Request,
  user: SessionUser | null,
  phone: string,
  address: string | null,
  now = new Date(),
): Promise<Result<{ message: string; resendAfterSeconds: number }>> {
  const pending = await pendingCheck(db, request, user, now);
  if (!pending) return refuse(REFUSED.restart, { status: 409 });
  const holder = await codeHolderByPhone(db, phone);
  const personId = holder && (!user || holder.id === user.personId) ? holder.id : null;
  const sent = await sendPhoneCode(db, gateway, { phone, purpose: "wechat_bind", personId, userId: user?.id ?? null }, address, now);
  // What anyone asking is told, whether or not the number is on record: the code sign-in's words.
  return sent.ok ? { ok: true, message: CODE_SENT, resendAfterSeconds: RESEND_AFTER_SECONDS } : sent;
}

/** The cookies a first sign-in sets (the session's, and the device token's when one was issued); none when binding from /account. */
export type BindResult = { ok: true; cookies: string[]; redirectTo: string } | Extract<Result, { ok: false }>;

/**
 * The phone check's answer: the code spent, the held openid bound to the person it was sent for (in
 * place of an earlier binding of theirs), the flow spent — all in one transaction — and, for a first
 * sign-in, a session. The person hears of it (the history row has no acting account, so the owner's
 * notice reaches them: an alert like a new device's).
 */
export async function bindWithCode(
  db: DB,
  request: Request,
  user: SessionUser | null,
  input: { phone: string; code: string },
  context: AppLoadContext = {},
  now = new Date(),
): Promise<BindResult> {
  const pending = await pendingCheck(db, request, user, now);
  if (!pending) return refuse(REFUSED.restart, { status: 409 });
  const address = clientAddress(request, context);
  const bound = await db.transaction().execute(async (tx) => {
    const used = await usePhoneCode(tx, { ...input, purpose: "wechat_bind" }, now);
    if (!used.ok) return used;
    if (user && used.personId !== user.personId) return refuse(REFUSED.notYours, { field: "code" });
    // A first sign-in through a number someone else just put on the record binds nothing yet: the
    // person's own WeChat stays bound (see phone-guard.server.ts).
    const held = user ? null : await phoneChangeHold(tx, used.personId, now);
    if (held) return held;
    const opened = await codeAccountOf(tx, used.personId, "学徒首次在微信中验证手机号登录");
    // An account that cannot sign in gets no binding either.
    if (!opened.ok) return opened;
    if (!opened.account.active) return refuse("该账号已停用，请联系所在工作室或县级总工会", { status: 403, field: "phone" });
    const spent = await finishFlow(tx, request, "wechat", pending.state, now);
    if (!spent.ok) return refuse(REFUSED.restart, { status: 409 });
    const written = await bind(tx, used.personId, pending.openid, pending.nickname, address);
    if (!written.ok) return written;
    return { ...opened, redirectTo: spent.redirectTo };
  });
  if (!bound.ok) return bound;
  if (user) return { ok: true, cookies: [], redirectTo: "/account/wechat" };
  const signedIn = await openCodeSession(db, request, bound.account, address, now);
  return signedIn.ok
    ? { ok: true, cookies: [signedIn.cookie, ...(signedIn.deviceCookie ? [signedIn.deviceCookie] : [])], redirectTo: bound.redirectTo }
    : signedIn;
}

async function bind(tx: Tx, personId: number, openid: string, nickname: string | null, address: string | null): Promise<Result> {
  const hash = openidHash(openid);
  const taken = await tx.selectFrom("wechat_identity").select("person_id").where("openid_hash", "=", hash).forUpdate().executeTakeFirst();
  if (taken && taken.person_id !== personId) return refuse(REFUSED.takenByOther, { status: 409 });
  const before = await tx.selectFrom("wechat_identity").select(["openid_hash", "nickname"]).where("person_id", "=", personId).executeTakeFirst();
  if (before) await tx.deleteFrom("wechat_identity").where("person_id", "=", personId).execute();
  await tx.insertInto("wechat_identity").values({ openid_hash: hash, person_id: personId, nickname }).execute();
  const person = await tx.selectFrom("person").select("org_unit_id").where("id", "=", personId).executeTakeFirstOrThrow();
  await recordAudit(tx, WECHAT_AUDIT, {
    actor: null,
    id: personId,
    unit: person.org_unit_id,
    action: "bind",
    before: before ? { nickname: before.nickname } : undefined,
    after: { nickname },
    comment: `经手机验证码核验${before ? "，替换原绑定的微信" : ""}${address ? `（${address}）` : ""}`,
  });
  return { ok: true };
}

/** The signed-in person's binding, for /account: the nickname WeChat gave and when. */
export async function bindingOf(db: DB, user: SessionUser) {
  if (!user.personId || !(BINDABLE as readonly string[]).includes(user.role)) return null;
  return (
    (await db.selectFrom("wechat_identity").select(["nickname", "bound_at", "last_sign_in_at"]).where("person_id", "=", user.personId).executeTakeFirst()) ??
    null
  );
}

/** Whether the user's role can have a WeChat identity at all. */
export const canBindWechat = (user: SessionUser) => !!user.personId && (BINDABLE as readonly string[]).includes(user.role);

/** Ends the signed-in person's binding (confirmed on the page): their openid opens nothing from now on. */
export async function unbindWechat(db: DB, user: SessionUser): Promise<Result> {
  if (!canBindWechat(user)) return refuse(REFUSED.notBindable, { status: 403 });
  return db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom("wechat_identity").where("person_id", "=", user.personId!).returning("nickname").executeTakeFirst();
    if (!removed) return refuse("您的账号没有绑定微信", { status: 409 });
    const person = await tx.selectFrom("person").select("org_unit_id").where("id", "=", user.personId!).executeTakeFirstOrThrow();
    await recordAudit(tx, WECHAT_AUDIT, {
      actor: null,
      id: user.personId!,
      unit: person.org_unit_id,
      action: "unbind",
      before: { nickname: removed.nickname },
      comment: `由本人（${user.displayName}）在“我的账号”解除`,
    });
    return { ok: true as const };
  });
}

/**
 * The openid a voter proved inside WeChat for this campaign, held in their flow (never in the page),
 * or null: the vote page sends them through WeChat's silent authorisation first.
 */
export async function heldVoter(db: DB, request: Request, campaignId: number, now = new Date()): Promise<string | null> {
  const held = await heldFlow(db, request, "wechat", now);
  if (!held || held.data.step !== "vote" || held.data.campaignId !== String(campaignId) || !held.data.openid) return null;
  return decrypt(held.data.openid);
}
