import type { DB } from "~db";
import { verifyPassword } from "~/auth/password.server";
import type { SessionUser } from "~/auth/roles";
import { accountKey, checkThrottle, clearThrottle, PAIR_RULE, recordFailure } from "~/auth/throttle.server";
import { refuse, type Result } from "~/lib/result";

/**
 * Re-entering the current password before a step that changes how the account is signed in to (a new password, the
 * one-time code turned on). It is a password check like signing in: a stolen session must not become a way to guess it
 * at full speed, so it is throttled — one budget for every such step, since it is one password.
 */
export async function reenterPassword(db: DB, user: Pick<SessionUser, "id" | "username">, password: string, now = new Date()): Promise<Result> {
  const keys = [{ key: `${accountKey(user.username)}#change`, rule: PAIR_RULE }];
  const verdict = await checkThrottle(db, keys, now);
  if (!verdict.allowed) return refuse(verdict.message, { status: 429, field: "currentPassword" });
  const row = await db.selectFrom("app_user").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, password))) {
    await recordFailure(db, keys, now);
    return refuse("当前密码不正确", { field: "currentPassword" });
  }
  await clearThrottle(db, keys[0].key);
  return { ok: true };
}
