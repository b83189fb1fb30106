import crypto from "node:crypto";
import type { DB, Tx } from "~db";
import type { Role } from "~db/types";
import { SECOND_FACTOR_AUDIT } from "~/auth/labels";
import { cookieIsSecure } from "~/auth/lucia.server";
import { endOtherSessions } from "~/auth/devices.server";
import { reenterPassword } from "~/auth/reentry.server";
import type { SessionUser } from "~/auth/roles";
import { accountKey, checkThrottle, clearThrottle, PAIR_RULE, recordFailure } from "~/auth/throttle.server";
import { matchingStep, newTotpSecret, otpauthUri } from "~/auth/totp.server";
import { recordAudit } from "~/lib/audit.server";
import { cookieValue } from "~/lib/http.server";
import { refuse, type Result } from "~/lib/result";
import { sealer } from "~/lib/sealed.server";

/**
 * A city officer's second factor: a one-time code from an authenticator app (RFC 6238, totp.server.ts). The city's
 * accounts reach every county's records, so they may add it; it is theirs to turn on (after one correct code) and
 * off (with a current code), and another city officer's to reset when a phone is lost. With it on, a password
 * sign-in waits for the code (a challenge: a token in a cookie, five minutes, five tries) before any session opens.
 */

/** Who may turn it on: city officers. */
export const mayUseSecondFactor = (role: Role) => role === "city_admin";

const secrets = sealer("totp-secret");

export type SecondFactorState = { state: "off" } | { state: "pending"; secret: string; uri: string } | { state: "on"; since: Date };

/** The account's second factor as its owner's page shows it: off, being set up (the secret to scan), or on. */
export async function secondFactorState(db: DB, user: Pick<SessionUser, "id" | "username">): Promise<SecondFactorState> {
  const row = await db.selectFrom("second_factor").select(["secret", "enabled_at"]).where("user_id", "=", user.id).executeTakeFirst();
  if (!row) return { state: "off" };
  if (row.enabled_at) return { state: "on", since: row.enabled_at };
  const secret = secrets.open(row.secret);
  return { state: "pending", secret, uri: otpauthUri(secret, user.username) };
}

/** Whether a password sign-in of this account must also give a code. */
export async function secondFactorOn(db: DB, userId: string): Promise<boolean> {
  const row = await db.selectFrom("second_factor").select("id").where("user_id", "=", userId).where("enabled_at", "is not", null).executeTakeFirst();
  return !!row;
}

/** Starts setting it up: a new secret to scan, inactive until a code made from it is given back. */
export async function startSecondFactor(db: DB, user: SessionUser): Promise<Result> {
  if (!mayUseSecondFactor(user.role)) return refuse("动态验证码仅供市总工会账号使用", { status: 403 });
  if (await secondFactorOn(db, user.id)) return refuse("动态验证码已开启", { status: 409 });
  const secret = secrets.seal(newTotpSecret());
  await db
    .insertInto("second_factor")
    .values({ user_id: user.id, secret })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ secret, enabled_at: null, last_step: null }))
    .execute();
  return { ok: true };
}

/**
 * Checks a code typed on the account page (turning it on or off): throttled like re-entering a password, so a
 * stolen session is no way to guess codes. Accepted codes are spent (last_step), even when the same step comes again.
 */
async function acceptCode(db: DB, user: SessionUser, code: string, enabled: boolean, now: Date): Promise<Result<{ id: number }>> {
  const keys = [{ key: `${accountKey(user.username)}#code`, rule: PAIR_RULE }];
  const verdict = await checkThrottle(db, keys, now);
  if (!verdict.allowed) return refuse(verdict.message, { status: 429, field: "code" });
  const row = await db
    .selectFrom("second_factor")
    .select(["id", "secret", "last_step"])
    .where("user_id", "=", user.id)
    .where("enabled_at", enabled ? "is not" : "is", null)
    .executeTakeFirst();
  if (!row) return refuse(enabled ? "动态验证码未开启" : "请先生成密钥", { status: 409 });
  const step = matchingStep(secrets.open(row.secret), code, now, row.last_step);
  const spent =
    step !== null &&
    (await db
      .updateTable("second_factor")
      .set({ last_step: step })
      .where("id", "=", row.id)
      .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
      .executeTakeFirst());
  if (!spent || Number(spent.numUpdatedRows) !== 1) {
    await recordFailure(db, keys, now);
    return refuse("动态验证码不正确，请输入验证器上当前显示的6位数字", { field: "code" });
  }
  await clearThrottle(db, keys[0].key);
  return { ok: true, id: row.id };
}

/**
 * Turns it on with the first correct code from the app (so a secret scanned wrong never locks its owner out), and the
 * current password re-entered first: a stolen session alone could otherwise turn it on with the thief's app and lock
 * the owner out. Every other session of the account ends (whoever held one signs in again, with the code).
 */
export async function enableSecondFactor(
  db: DB,
  request: Request,
  user: SessionUser,
  input: { code: string; currentPassword: string },
  now = new Date(),
): Promise<Result> {
  if (!mayUseSecondFactor(user.role)) return refuse("动态验证码仅供市总工会账号使用", { status: 403 });
  const reentered = await reenterPassword(db, user, input.currentPassword, now);
  if (!reentered.ok) return reentered;
  const accepted = await acceptCode(db, user, input.code, false, now);
  if (!accepted.ok) return accepted;
  await turned(db, request, user, accepted.id, "enable", (tx) =>
    tx.updateTable("second_factor").set({ enabled_at: now }).where("id", "=", accepted.id).execute(),
  );
  return { ok: true };
}

/**
 * Turns it off, with a current code: a session left open on a shared computer cannot take it away. Every other session
 * ends here too: the sign-in has changed, and a session opened by someone who had the code should not outlive it.
 */
export async function disableSecondFactor(db: DB, request: Request, user: SessionUser, code: string, now = new Date()): Promise<Result> {
  const accepted = await acceptCode(db, user, code, true, now);
  if (!accepted.ok) return accepted;
  await turned(db, request, user, accepted.id, "disable", (tx) => tx.deleteFrom("second_factor").where("id", "=", accepted.id).execute());
  return { ok: true };
}

/**
 * The code turned on or off, in one transaction: the row written, every other session of the account ended (the
 * sign-in has changed), and the history told how many.
 */
async function turned(db: DB, request: Request, user: SessionUser, id: number, action: "enable" | "disable", write: (tx: Tx) => Promise<unknown>) {
  await db.transaction().execute(async (tx) => {
    await write(tx);
    const ended = await endOtherSessions(tx, request, user.id);
    await recordAudit(tx, SECOND_FACTOR_AUDIT, {
      actor: actorOf(user),
      id,
      action,
      after: { account: user.id },
      comment: ended > 0 ? `其他${ended}处登录已退出` : undefined,
    });
  });
}

const actorOf = (user: SessionUser) => ({ id: user.id, displayName: user.displayName });

// A password sign-in waiting for its code.

const CHALLENGE_COOKIE = "jx_code";
const CHALLENGE_MINUTES = 5;
export const CHALLENGE_TRIES = 5;
const tokenHash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** After a right password: the challenge the code must answer, bound to this browser by a cookie (its Set-Cookie). */
export async function openChallenge(db: DB, userId: string, deviceHash: string | null, now = new Date()): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await db
    .insertInto("second_factor_challenge")
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      device_hash: deviceHash,
      created_at: now,
      expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
    })
    .execute();
  return `${CHALLENGE_COOKIE}=${token}; Path=/login; Max-Age=${CHALLENGE_MINUTES * 60}; HttpOnly; SameSite=Lax${cookieIsSecure() ? "; Secure" : ""}`;
}

export function clearChallengeCookie(): string {
  return `${CHALLENGE_COOKIE}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Lax${cookieIsSecure() ? "; Secure" : ""}`;
}

export interface Challenge {
  tokenHash: string;
  userId: string;
  username: string;
  deviceHash: string | null;
}

/** This browser's challenge, if it has one still open. */
export async function pendingChallenge(db: DB, request: Request, now = new Date()): Promise<Challenge | null> {
  const token = cookieValue(request, CHALLENGE_COOKIE);
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await db
    .selectFrom("second_factor_challenge")
    .innerJoin("app_user", "app_user.id", "second_factor_challenge.user_id")
    .select(["second_factor_challenge.token_hash", "second_factor_challenge.user_id", "second_factor_challenge.device_hash", "app_user.username"])
    .where("second_factor_challenge.token_hash", "=", tokenHash(token))
    .where("second_factor_challenge.expires_at", ">", now)
    .where("second_factor_challenge.tries", "<", CHALLENGE_TRIES)
    .executeTakeFirst();
  return row ? { tokenHash: row.token_hash, userId: row.user_id, username: row.username, deviceHash: row.device_hash } : null;
}

/**
 * Answers a challenge with a code: "ok" (the challenge is spent), "wrong" (a try used), or "spent" (no tries left or
 * expired: sign in with the password again). A try is taken before the code is checked, so racing requests cannot
 * get more than five.
 */
export async function answerChallenge(db: DB, challenge: Challenge, code: string, now = new Date()): Promise<"ok" | "wrong" | "spent"> {
  const taken = await db
    .updateTable("second_factor_challenge")
    .set((eb) => ({ tries: eb("tries", "+", 1) }))
    .where("token_hash", "=", challenge.tokenHash)
    .where("tries", "<", CHALLENGE_TRIES)
    .where("expires_at", ">", now)
    .returning("tries")
    .executeTakeFirst();
  if (!taken) return "spent";
  const row = await db
    .selectFrom("second_factor")
    .select(["id", "secret", "last_step"])
    .where("user_id", "=", challenge.userId)
    .where("enabled_at", "is not", null)
    .executeTakeFirst();
  // Reset or turned off meanwhile: the password alone is enough again, but this challenge is over.
  if (!row) {
    await db.deleteFrom("second_factor_challenge").where("token_hash", "=", challenge.tokenHash).execute();
    return "spent";
  }
  const step = matchingStep(secrets.open(row.secret), code, now, row.last_step);
  const spent =
    step !== null &&
    (await db
      .updateTable("second_factor")
      .set({ last_step: step })
      .where("id", "=", row.id)
      .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
      .executeTakeFirst());
  if (spent && Number(spent.numUpdatedRows) === 1) {
    await db.deleteFrom("second_factor_challenge").where("token_hash", "=", challenge.tokenHash).execute();
    return "ok";
  }
  return taken.tries >= CHALLENGE_TRIES ? "spent" : "wrong";
}
