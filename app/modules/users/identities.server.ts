import type { DB } from "~db";
import { IDENTITY_AUDIT, SECOND_FACTOR_AUDIT } from "~/auth/labels";
import type { SessionUser } from "~/auth/roles";
import { endAllSessions } from "~/auth/session.server";
import { SSO_ROLES } from "~/auth/sso.server";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";

/**
 * The city's side of the officers' single sign-on and second factor (issue 36): the identities that signed in and
 * wait to be bound, binding one to an active officer's account, unbinding it, and resetting an officer's one-time
 * code when their phone is lost. Each step is one transaction with its history row, which tells the officer.
 */

const actorOf = (user: SessionUser) => ({ id: user.id, displayName: user.displayName });

/** Identities that signed in and are bound to no account, the latest first (the city recognises them by name and time). */
export async function waitingIdentities(db: DB) {
  return db
    .selectFrom("external_identity")
    .select(["id", "display_name", "subject", "first_seen_at", "last_seen_at"])
    .where("user_id", "is", null)
    .orderBy("last_seen_at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
}

/** The identity bound to the account, if any. */
export async function identityOf(db: DB, userId: string) {
  return db
    .selectFrom("external_identity")
    .leftJoin("app_user as binder", "binder.id", "external_identity.bound_by")
    .select([
      "external_identity.id",
      "external_identity.display_name",
      "external_identity.subject",
      "external_identity.bound_at",
      "external_identity.last_seen_at",
      "binder.display_name as bound_by_name",
    ])
    .where("external_identity.user_id", "=", userId)
    .executeTakeFirst();
}

/** Whether the account's one-time code is on (the city's page shows it and offers the reset). */
export async function secondFactorEnabled(db: DB, userId: string): Promise<boolean> {
  const row = await db.selectFrom("second_factor").select("id").where("user_id", "=", userId).where("enabled_at", "is not", null).executeTakeFirst();
  return !!row;
}

/**
 * Binds a waiting identity to an account: only an active officer's (city or county) — a craftsman, an expert or an
 * apprentice signs in otherwise — and one identity to one account at a time.
 */
export async function bindIdentity(db: DB, actor: SessionUser, userId: string, identityId: number, now = new Date()): Promise<Result> {
  return db.transaction().execute(async (tx): Promise<Result> => {
    const account = await tx.selectFrom("app_user").select(["id", "role", "active", "org_unit_id"]).where("id", "=", userId).forUpdate().executeTakeFirst();
    if (!account) return refuse("用户不存在", { status: 404 });
    if (!(SSO_ROLES as readonly string[]).includes(account.role)) return refuse("统一身份认证只能绑定市、县级总工会的工作人员账号", { status: 409 });
    if (!account.active) return refuse("该账号已停用，不能绑定", { status: 409 });
    const identity = await tx
      .selectFrom("external_identity")
      .select(["id", "user_id", "display_name"])
      .where("id", "=", identityId)
      .forUpdate()
      .executeTakeFirst();
    if (!identity) return refuse("找不到该统一身份账号", { field: "identityId" });
    if (identity.user_id) return refuse("该统一身份账号已绑定其他平台账号，请先解除", { status: 409, field: "identityId" });
    const held = await tx.selectFrom("external_identity").select("id").where("user_id", "=", userId).executeTakeFirst();
    if (held) return refuse("该账号已绑定一个统一身份账号，请先解除", { status: 409, field: "identityId" });
    await tx.updateTable("external_identity").set({ user_id: userId, bound_by: actor.id, bound_at: now }).where("id", "=", identity.id).execute();
    await recordAudit(tx, IDENTITY_AUDIT, {
      actor: actorOf(actor),
      id: identity.id,
      unit: account.org_unit_id,
      action: "bind",
      after: { account: userId, name: identity.display_name },
    });
    return { ok: true };
  });
}

/**
 * Unbinds the account's identity (confirmed): it opens nothing any more and waits again in the list. The account's
 * sessions end — one of them may be the identity's, and an identity is unbound because it should not open this account.
 */
export async function unbindIdentity(db: DB, actor: SessionUser, userId: string, confirmed: boolean): Promise<Result> {
  const result = await db.transaction().execute(async (tx): Promise<Result> => {
    const identity = await tx.selectFrom("external_identity").select(["id", "display_name"]).where("user_id", "=", userId).forUpdate().executeTakeFirst();
    if (!identity) return refuse("该账号没有绑定统一身份账号", { status: 409 });
    if (!confirmed) return refuse("解除绑定后，该统一身份账号不能再登录此账号，请确认", { field: "confirmed" });
    const account = await tx.selectFrom("app_user").select("org_unit_id").where("id", "=", userId).executeTakeFirstOrThrow();
    await tx.updateTable("external_identity").set({ user_id: null, bound_by: null, bound_at: null }).where("id", "=", identity.id).execute();
    await recordAudit(tx, IDENTITY_AUDIT, {
      actor: actorOf(actor),
      id: identity.id,
      unit: account.org_unit_id,
      action: "unbind",
      after: { account: userId, name: identity.display_name },
    });
    return { ok: true };
  });
  if (result.ok) await endAllSessions(db, userId);
  return result;
}

/**
 * Another city officer resets an officer's one-time code (a lost phone; confirmed): the password alone signs them in
 * until they set it up again. Their own code they turn off themselves, with a current code.
 */
export async function resetSecondFactor(db: DB, actor: SessionUser, userId: string, confirmed: boolean): Promise<Result> {
  if (userId === actor.id) return refuse("自己的动态验证码请在“我的账号”中用当前验证码关闭", { status: 409 });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const row = await tx
      .selectFrom("second_factor")
      .select("id")
      .where("user_id", "=", userId)
      .where("enabled_at", "is not", null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return refuse("该账号没有开启动态验证码", { status: 409 });
    if (!confirmed) return refuse("重置后该账号仅凭密码即可登录，直到本人重新设置动态验证码，请确认", { field: "confirmed" });
    await tx.deleteFrom("second_factor").where("id", "=", row.id).execute();
    await recordAudit(tx, SECOND_FACTOR_AUDIT, { actor: actorOf(actor), id: row.id, action: "reset", after: { account: userId } });
    return { ok: true };
  });
}
