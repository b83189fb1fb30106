import net from "node:net";
import type { AppLoadContext } from "@remix-run/node";
import { sql } from "kysely";
import type { DB } from "~db";
import { env } from "~db/env";

/**
 * Sign-in throttling. Failures within a window first slow the next attempt down (the client must
 * wait), then, for the keys that block, block for a while. What blocks is the guesser — an
 * address, or an address on one account — never the account itself: anyone can type a username,
 * so a rule that locked the account would let anyone lock out the city's administrator. The
 * account is only slowed, to a wait of at most half a minute, which still caps guessing spread
 * over many addresses.
 */
export interface ThrottleRule {
  /** Failures after which each further attempt must wait. */
  slowAfter: number;
  /** Failures after which the key is blocked; null: never. */
  blockAfter: number | null;
  baseDelaySeconds: number;
  /** The longest wait slowing imposes. */
  maxDelaySeconds?: number;
  blockMinutes: number;
  /** A key with no failure for this long starts again from zero. */
  windowMinutes: number;
}

export const ACCOUNT_RULE: ThrottleRule = {
  slowAfter: 5,
  blockAfter: null,
  baseDelaySeconds: 2,
  maxDelaySeconds: 30,
  blockMinutes: 0,
  windowMinutes: 15,
};
/** One address trying one account: this is what gets locked. */
export const PAIR_RULE: ThrottleRule = {
  slowAfter: 3,
  blockAfter: 5,
  baseDelaySeconds: 5,
  blockMinutes: 15,
  windowMinutes: 15,
};
export const ADDRESS_RULE: ThrottleRule = {
  slowAfter: 10,
  blockAfter: 30,
  baseDelaySeconds: 2,
  blockMinutes: 15,
  windowMinutes: 15,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

interface ThrottleRow {
  failures: number;
  last_failure_at: Date;
  blocked_until: Date | null;
}

export function judge(row: ThrottleRow | undefined, rule: ThrottleRule, now: Date): ThrottleVerdict {
  if (!row) return { allowed: true };
  if (row.blocked_until && row.blocked_until > now) {
    const seconds = Math.ceil((row.blocked_until.getTime() - now.getTime()) / 1000);
    return {
      allowed: false,
      retryAfterSeconds: seconds,
      message: `登录失败次数过多，已暂时锁定，请在 ${Math.ceil(seconds / 60)} 分钟后再试`,
    };
  }
  const windowEnd = row.last_failure_at.getTime() + rule.windowMinutes * 60_000;
  if (windowEnd <= now.getTime() || row.failures < rule.slowAfter) return { allowed: true };
  const delay = Math.min(rule.baseDelaySeconds * 2 ** (row.failures - rule.slowAfter), rule.maxDelaySeconds ?? Infinity);
  const waitUntil = row.last_failure_at.getTime() + delay * 1000;
  if (waitUntil <= now.getTime()) return { allowed: true };
  const seconds = Math.ceil((waitUntil - now.getTime()) / 1000);
  return { allowed: false, retryAfterSeconds: seconds, message: `尝试过于频繁，请在 ${seconds} 秒后再试` };
}

export async function checkThrottle(db: DB, keys: Array<{ key: string; rule: ThrottleRule }>, now = new Date()): Promise<ThrottleVerdict> {
  const rows = await db
    .selectFrom("sign_in_throttle")
    .selectAll()
    .where(
      "key",
      "in",
      keys.map((k) => k.key),
    )
    .execute();
  let worst: ThrottleVerdict = { allowed: true };
  for (const { key, rule } of keys) {
    const verdict = judge(
      rows.find((r) => r.key === key),
      rule,
      now,
    );
    if (!verdict.allowed && (worst.allowed || verdict.retryAfterSeconds > worst.retryAfterSeconds)) worst = verdict;
  }
  return worst;
}

export async function recordFailure(db: DB, keys: Array<{ key: string; rule: ThrottleRule }>, now = new Date()): Promise<void> {
  for (const { key, rule } of keys) {
    const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
    // One statement, so concurrent failures each count.
    await sql`
      insert into sign_in_throttle as t (key, failures, last_failure_at, blocked_until)
      values (${key}, 1, ${now}, null)
      on conflict (key) do update set
        failures = case when t.last_failure_at < ${windowStart} then 1 else t.failures + 1 end,
        last_failure_at = ${now},
        blocked_until = case
          when ${rule.blockAfter !== null} and t.last_failure_at >= ${windowStart} and t.failures + 1 >= ${rule.blockAfter ?? 0}
          then ${new Date(now.getTime() + rule.blockMinutes * 60_000)}::timestamptz
          else t.blocked_until end
    `.execute(db);
  }
}

export async function clearThrottle(db: DB, key: string): Promise<void> {
  await db.deleteFrom("sign_in_throttle").where("key", "=", key).execute();
}

export function accountKey(username: string): string {
  return `account:${username.trim().toLowerCase()}`;
}

/**
 * Where a request comes from. Behind a reverse proxy (TRUST_PROXY=1), the address it appended to
 * X-Forwarded-For (the last entry); otherwise the socket's own address, which our server
 * (app/cli/serve.ts) hands every request in its load context — a header the client wrote is never
 * believed. Null only when neither is there (a route called directly, as in unit tests).
 */
export function clientAddress(request: Request, context?: AppLoadContext): string | null {
  const raw = env().trustProxy ? request.headers.get("x-forwarded-for")?.split(",").pop() : (context?.peerAddress as string | undefined);
  return raw ? addressKey(raw) : null;
}

/**
 * An address as limits and the monitor count it: IPv4 as it is (and as it arrives mapped into
 * IPv6), IPv6 by its /64 — one household or phone is handed a whole /64 and can use a fresh
 * address from it for every request. Anything that is not an address is no address.
 */
export function addressKey(raw: string): string | null {
  let address = raw.trim().toLowerCase();
  if (address.startsWith("::ffff:") && net.isIPv4(address.slice(7))) address = address.slice(7);
  if (net.isIPv4(address)) return address;
  if (!net.isIPv6(address)) return null;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
