import crypto from "node:crypto";
import { assertCleanForm } from "~/lib/form-guard.server";
import { cookieValue } from "~/lib/http.server";
import { json, redirect, type AppLoadContext } from "@remix-run/node";
import { generateIdFromEntropySize } from "lucia";
import type { DB } from "~db";
import { getDb } from "~/db.server";
import {
  cookieIsSecure,
  DEVICE_SESSION_DAYS,
  DEVICE_SESSION_MAX_DAYS,
  luciaFor,
  SESSION_COOKIE,
  SESSION_LIFETIME_HOURS,
  sessionCookie,
  validateSession,
  verifyRequestOrigin,
} from "~/auth/lucia.server";
import { burnPasswordCheck, hashPassword, verifyPassword } from "~/auth/password.server";
import { can, sessionUserOf, type Permission, type Role, type SessionUser } from "~/auth/roles";
import { ACCOUNT_RULE, ADDRESS_RULE, accountKey, checkThrottle, clearThrottle, clientAddress, PAIR_RULE, recordFailure } from "~/auth/throttle.server";
import { recordAudit } from "~/lib/audit.server";
import { readDataVersions } from "~/lib/data-version.server";
import { SESSION_AUDIT } from "~/auth/labels";
import { reenterPassword } from "~/auth/reentry.server";
import { answerChallenge, openChallenge, pendingChallenge, secondFactorOn } from "~/auth/second-factor.server";

export type { SessionUser } from "~/auth/roles";

/**
 * Rejects state-changing requests that come from another site. SameSite=Lax already keeps the
 * session cookie off cross-site POSTs; this also covers sign-in and anonymous actions.
 */
export function assertSameOrigin(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  const host = new URL(request.url).host;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "cross-site" || (origin && !verifyRequestOrigin(origin, [host]))) {
    throw json({ error: "请求来源不符，已拒绝（跨站请求）" }, { status: 403 });
  }
}

/**
 * What every action checks before reading its body, signed in or not (the public vote and notice
 * included): the post comes from our own pages, and is a form of a size its path takes, readable,
 * without control characters.
 */
export async function assertSafePost(request: Request): Promise<void> {
  assertSameOrigin(request);
  await assertCleanForm(request);
}

/**
 * The caching of a public page. Every visitor who is not signed in gets the same page, so it may
 * be kept for a minute (by the phone, WeChat's browser or a proxy) — the showcase shared in a
 * group chat is then served once a minute, not once per tap. A signed-in user's copy carries
 * their name and menu and is never kept; `Vary: Cookie` keeps the two apart in a shared cache.
 */
export function publicPageHeaders(request: Request): HeadersInit {
  const signedIn = !!cookieValue(request, SESSION_COOKIE);
  return signedIn ? { "Cache-Control": "private, no-store", Vary: "Cookie" } : { "Cache-Control": "public, max-age=60", Vary: "Cookie" };
}

/**
 * Sessions Lucia has just extended, with the cookie that carries the new expiry. A loader cannot
 * set headers for the whole page, so the entry server hands these out on the response of the
 * same request (or of the next one, after a redirect). Small: a session slides at most once in
 * half its lifetime, or once a day for a month-long one.
 */
const extended = new Map<string, string>();
const MAX_EXTENDED = 10_000;

/** The Set-Cookie header for this request's session if it was extended while serving it. */
export function takeExtendedSessionCookie(db: DB, request: Request): string | null {
  const sessionId = luciaFor(db).readSessionCookie(request.headers.get("cookie") ?? "");
  if (!sessionId) return null;
  const cookie = extended.get(sessionId) ?? null;
  extended.delete(sessionId);
  return cookie;
}

type SignedIn = { user: SessionUser; sessionId: string } | null;

/**
 * A page's root loader and its own loader get the same Request: the session is read once for both
 * (one statement per page, not two). Keyed on the Request object, so it lives as long as the request.
 */
const sessionOfRequest = new WeakMap<Request, Promise<SignedIn>>();

function userFromRequest(db: DB, request: Request): Promise<SignedIn> {
  let found = sessionOfRequest.get(request);
  if (!found) {
    found = readSession(db, request);
    sessionOfRequest.set(request, found);
    found.catch(() => sessionOfRequest.delete(request));
  }
  return found;
}

async function readSession(db: DB, request: Request): Promise<SignedIn> {
  const lucia = luciaFor(db);
  const sessionId = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
  if (!sessionId) return null;
  const now = new Date();
  const session = await validateSession(db, sessionId, deviceHashOf(request), now);
  if (!session) return null;
  if (session.fresh) {
    if (extended.size >= MAX_EXTENDED) extended.clear();
    extended.set(session.id, sessionCookie(session.id, session.expiresAt, now));
  }
  const user = { id: session.user.id, ...session.user.attributes };
  if (!user.active) {
    await lucia.invalidateUserSessions(user.id);
    return null;
  }
  const signedIn = sessionUserOf(user);
  if (!signedIn) return null;
  versionsSeen.set(signedIn, { figures: user.data_version, work: user.work_version });
  return { sessionId: session.id, user: signedIn };
}

const versionsSeen = new WeakMap<SessionUser, { figures: string; work: string }>();

/**
 * The versions of the data remembered figures are counted from (lib/data-version.server), as the statement that
 * found this request's session read them — which costs a signed-in page no statement of its own, and was read
 * before anything the request computes, so it is never newer than what it is used to remember. A user not from a
 * request (a test, a job) has them read now.
 */
export async function versionsFor(db: DB, user: SessionUser): Promise<{ figures: string; work: string }> {
  return versionsSeen.get(user) ?? readDataVersions(db);
}

export async function getUser(request: Request, db: DB = getDb()): Promise<SessionUser | null> {
  return (await userFromRequest(db, request))?.user ?? null;
}

/** Signed-in user or a redirect to the sign-in page (which brings them back afterwards). */
export async function requireUser(request: Request, db: DB = getDb()): Promise<SessionUser> {
  assertSameOrigin(request);
  const user = await getUser(request, db);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  await assertCleanForm(request);
  return user;
}

export function forbidden(message = "您没有权限执行此操作"): Response {
  return json({ error: message }, { status: 403 });
}

export async function requirePermission(request: Request, permission: Permission, db: DB = getDb()) {
  const user = await requireUser(request, db);
  if (!can(user, permission)) throw forbidden();
  return user;
}

export type SignInResult =
  | { ok: true; user: SessionUser; cookie: string; deviceCookie: string | null }
  // The password was right and the account has a second factor: its code is asked next (signInWithSecondFactor); `cookie` binds the wait to this browser.
  | { ok: "code"; cookie: string }
  | { ok: false; status: 401 | 429; message: string };

/**
 * A browser its owner has signed in with: a random token in a year-long cookie, kept as a hash.
 * Anyone can type a username and slow its account down; the owner's own browser is not slowed by
 * that (it is throttled on its own instead, and locked after five failures like a guessing address).
 */
const DEVICE_COOKIE = "jx_device";
const DEVICE_MAX_AGE = 365 * 24 * 3600;
const tokenHash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/**
 * The hash of the device token this request carries, if it carries one of our shape. Not signed:
 * the token is 32 random bytes, looked up by its hash, so a made-up one finds nothing, and a stolen
 * one would pass a signature as well; the hash keeps a database copy from yielding usable cookies.
 */
export function deviceHashOf(request: Request): string | null {
  const token = cookieValue(request, DEVICE_COOKIE);
  return token && /^[A-Za-z0-9_-]{32,64}$/.test(token) ? tokenHash(token) : null;
}

async function rememberedDevice(db: DB, request: Request, user: { username: string } | { id: string }): Promise<string | null> {
  const hash = deviceHashOf(request);
  if (!hash) return null;
  const row = await db
    .selectFrom("sign_in_device")
    .innerJoin("app_user", "app_user.id", "sign_in_device.user_id")
    .select("sign_in_device.token_hash")
    .where("sign_in_device.token_hash", "=", hash)
    .$if("username" in user, (q) => q.where("app_user.username", "=", "username" in user ? user.username.trim().toLowerCase() : ""))
    .$if("id" in user, (q) => q.where("app_user.id", "=", "id" in user ? user.id : ""))
    .executeTakeFirst();
  return row?.token_hash ?? null;
}

/** Remembers this browser for the user (or refreshes it): its token's hash, and the Set-Cookie header when a new token is issued. */
async function rememberDevice(db: DB, userId: string, known: string | null, now: Date): Promise<{ hash: string; cookie: string | null }> {
  if (known) {
    await db.updateTable("sign_in_device").set({ last_used_at: now }).where("token_hash", "=", known).execute();
    return { hash: known, cookie: null };
  }
  const token = crypto.randomBytes(32).toString("base64url");
  const hash = tokenHash(token);
  await db.insertInto("sign_in_device").values({ token_hash: hash, user_id: userId, created_at: now, last_used_at: now }).execute();
  return { hash, cookie: `${DEVICE_COOKIE}=${token}; Path=/; Max-Age=${DEVICE_MAX_AGE}; HttpOnly; SameSite=Lax${cookieIsSecure() ? "; Secure" : ""}` };
}

export async function signIn(
  db: DB,
  request: Request,
  credentials: { username: string; password: string },
  now = new Date(),
  context: AppLoadContext = {},
): Promise<SignInResult> {
  const device = await rememberedDevice(db, request, { username: credentials.username });
  const { keys, address } = signInKeys(request, context, credentials.username, device);

  const verdict = await checkThrottle(db, keys, now);
  if (!verdict.allowed) return { ok: false, status: 429, message: verdict.message };

  const row = await db
    .selectFrom("app_user")
    .select(["id", "username", "display_name", "role", "org_unit_id", "person_id", "password_hash", "active"])
    .where("username", "=", credentials.username.trim().toLowerCase())
    .executeTakeFirst();
  const valid = row ? await verifyPassword(row.password_hash, credentials.password) : false;
  if (!row) await burnPasswordCheck(credentials.password);
  if (!row || !valid || !row.active) {
    await recordFailure(db, keys, now);
    // A failed sign-in to a real account is the owner's business: it goes into the history.
    if (row)
      await db
        .transaction()
        .execute((tx) =>
          recordAudit(tx, SESSION_AUDIT, { actor: null, id: row.id, unit: row.org_unit_id, action: "sign_in_failed", comment: address ?? undefined }),
        );
    return { ok: false, status: 401, message: "用户名或密码不正确" };
  }
  // A second factor: no session yet, and the throttle stays as it is until the code is given too.
  if (await secondFactorOn(db, row.id)) return { ok: "code", cookie: await openChallenge(db, row.id, device, now) };
  // The owner is in: their account and their address on it start again from zero.
  for (const { key, rule } of keys) if (rule !== ADDRESS_RULE) await clearThrottle(db, key);

  const { cookie } = await openSession(db, request, row, address, { now });
  const { cookie: deviceCookie } = await rememberDevice(db, row.id, device, now);
  return { ok: true, user: sessionUserOf(row)!, cookie, deviceCookie };
}

/** The roles whose sign-in on their own device may last weeks; officers and experts keep twelve hours. */
const DEVICE_SESSION_ROLES: readonly Role[] = ["craftsman", "apprentice"];

export interface SessionOptions {
  /**
   * The sign-in proved the person holds their phone (a code sent to it, or WeChat on it): the
   * session lasts DEVICE_SESSION_DAYS since last used, at most DEVICE_SESSION_MAX_DAYS, and only in
   * this browser — bound to its device token (made now if it has none for this user). Ignored for
   * officers and experts.
   */
  onDevice?: boolean;
  now?: Date;
}

/** The cookies a sign-in sets: the session's, and the device token's when one was issued. */
export interface OpenedSession {
  cookie: string;
  deviceCookie: string | null;
  /** The few words naming the device, for a new device's alert. */
  deviceLabel: string | null;
}

/** What a sign-in of this account from this request is throttled by: the account (or the owner's remembered browser) and the address. */
function signInKeys(request: Request, context: AppLoadContext, username: string, device: string | null) {
  const account = accountKey(username);
  const keys = [device ? { key: `device:${device}`, rule: PAIR_RULE } : { key: account, rule: ACCOUNT_RULE }];
  const address = clientAddress(request, context);
  if (address) keys.push({ key: `address:${address}`, rule: ADDRESS_RULE }, { key: `${account}@${address}`, rule: PAIR_RULE });
  return { keys, address };
}

/**
 * The second step of a password sign-in with a second factor: the one-time code, against this browser's challenge.
 * Throttled by the same keys as the password, and a wrong code counts as a failed password does.
 */
export async function signInWithSecondFactor(db: DB, request: Request, code: string, now = new Date(), context: AppLoadContext = {}): Promise<SignInResult> {
  const challenge = await pendingChallenge(db, request, now);
  if (!challenge) return { ok: false, status: 401, message: "登录已超时或验证码错误次数过多，请重新输入用户名和密码" };
  const { keys, address } = signInKeys(request, context, challenge.username, challenge.deviceHash);
  const verdict = await checkThrottle(db, keys, now);
  if (!verdict.allowed) return { ok: false, status: 429, message: verdict.message };
  const answer = await answerChallenge(db, challenge, code, now);
  const row = await db
    .selectFrom("app_user")
    .select(["id", "username", "display_name", "role", "org_unit_id", "person_id", "active"])
    .where("id", "=", challenge.userId)
    .executeTakeFirstOrThrow();
  if (answer !== "ok" || !row.active) {
    await recordFailure(db, keys, now);
    await db
      .transaction()
      .execute((tx) =>
        recordAudit(tx, SESSION_AUDIT, { actor: null, id: row.id, unit: row.org_unit_id, action: "second_factor_failed", comment: address ?? undefined }),
      );
    return { ok: false, status: 401, message: answer === "wrong" ? "动态验证码不正确" : "验证码错误次数过多或已超时，请重新输入用户名和密码" };
  }
  for (const { key, rule } of keys) if (rule !== ADDRESS_RULE) await clearThrottle(db, key);
  const { cookie } = await openSession(db, request, row, address, { now });
  const { cookie: deviceCookie } = await rememberDevice(db, row.id, challenge.deviceHash, now);
  return { ok: true, user: sessionUserOf(row)!, cookie, deviceCookie };
}

/**
 * Opens a session for an account that has just proven who it is (by password, by a phone code,
 * or by WeChat): the cookies to set. Whatever session the browser carried before is ended
 * (rotation), and the sign-in goes into the history with the address it came from.
 */
export async function openSession(
  db: DB,
  request: Request,
  account: { id: string; display_name: string; org_unit_id: number | null; role: Role },
  address: string | null,
  { onDevice = false, now = new Date() }: SessionOptions = {},
): Promise<OpenedSession> {
  const lucia = luciaFor(db);
  const previous = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
  if (previous) await lucia.invalidateSession(previous);
  const device =
    onDevice && DEVICE_SESSION_ROLES.includes(account.role) ? await rememberDevice(db, account.id, await rememberedDevice(db, request, account), now) : null;
  const lifetimeSeconds = device ? DEVICE_SESSION_DAYS * 86_400 : SESSION_LIFETIME_HOURS * 3600;
  const session = {
    id: generateIdFromEntropySize(25),
    user_id: account.id,
    created_at: now,
    expires_at: new Date(now.getTime() + lifetimeSeconds * 1000),
    lifetime_seconds: lifetimeSeconds,
    device_hash: device?.hash ?? null,
    not_after: device ? new Date(now.getTime() + DEVICE_SESSION_MAX_DAYS * 86_400_000) : null,
    device_label: deviceLabel(request.headers.get("user-agent")),
  };
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("user_session").values(session).execute();
    await recordAudit(tx, SESSION_AUDIT, {
      actor: { id: account.id, displayName: account.display_name },
      id: account.id,
      unit: account.org_unit_id,
      action: "sign_in",
      comment: address ?? undefined,
    });
  });
  return { cookie: sessionCookie(session.id, session.expires_at, now), deviceCookie: device?.cookie ?? null, deviceLabel: session.device_label };
}

/**
 * A few words naming the device a session was opened on, for the owner's list of devices: the
 * kind of device and whether it is WeChat's browser — enough to tell "my phone" from "the office
 * computer", and no more of the User-Agent than that.
 */
function deviceLabel(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const kinds: Array<[RegExp, string]> = [
    [/HarmonyOS|OpenHarmony/i, "鸿蒙手机"],
    [/iPhone/i, "iPhone"],
    [/iPad/i, "iPad"],
    [/Android/i, "安卓手机"],
    [/Windows/i, "Windows 电脑"],
    [/Macintosh|Mac OS X/i, "Mac 电脑"],
    [/Linux|CrOS/i, "电脑"],
  ];
  const kind = kinds.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "其他设备";
  return /MicroMessenger/i.test(userAgent) ? `${kind} · 微信` : kind;
}

export async function signOut(db: DB, request: Request): Promise<string> {
  const lucia = luciaFor(db);
  const sessionId = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

export type ChangePasswordResult = { ok: true; cookie: string } | { ok: false; field: "currentPassword"; message: string };

/** Ends every session of the user (other devices included) and opens a new one for this browser. */
export async function changePassword(
  db: DB,
  user: SessionUser,
  input: { currentPassword: string; newPassword: string },
  now = new Date(),
): Promise<ChangePasswordResult> {
  const reentered = await reenterPassword(db, user, input.currentPassword, now);
  if (!reentered.ok) return { ok: false, field: "currentPassword", message: reentered.message };
  const lucia = luciaFor(db);
  await db
    .updateTable("app_user")
    .set({ password_hash: await hashPassword(input.newPassword), password_changed_at: new Date() })
    .where("id", "=", user.id)
    .execute();
  await lucia.invalidateUserSessions(user.id);
  const session = await lucia.createSession(user.id, {});
  return { ok: true, cookie: lucia.createSessionCookie(session.id).serialize() };
}

export async function endAllSessions(db: DB, userId: string): Promise<void> {
  await luciaFor(db).invalidateUserSessions(userId);
}

export function newUserId(): string {
  return generateIdFromEntropySize(10);
}

/**
 * Failed sign-ins to the user's account between their previous sign-in and this one: the owner is
 * told on their home page, since nobody locks them out but someone may be guessing.
 */
export async function failedSignInsBeforeThisOne(db: DB, userId: string): Promise<number> {
  const signIns = await db
    .selectFrom("audit_log")
    .select("id")
    .where("entity_type", "=", "session")
    .where("entity_id", "=", userId)
    .where("action", "=", "sign_in")
    .orderBy("id", "desc")
    .limit(2)
    .execute();
  if (!signIns.length) return 0;
  const { n } = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("entity_type", "=", "session")
    .where("entity_id", "=", userId)
    .where("action", "in", ["sign_in_failed", "second_factor_failed"])
    .where("id", "<", signIns[0].id)
    .$if(signIns.length > 1, (q) => q.where("id", ">", signIns[1]?.id ?? 0))
    .executeTakeFirstOrThrow();
  return Number(n);
}
