import type { DB } from "~db";
import type { Role } from "~db/types";
import { endAllSessions, newUserId } from "~/auth/session.server";
import { hashPassword } from "~/auth/password.server";
import type { SessionUser } from "~/auth/roles";
import { escapeLike, paginate } from "~/lib/sql";
import { recordAudit } from "~/lib/audit.server";
import type { CreateUserInput, UpdateUserInput } from "~/modules/users/schema.server";
import { USER_AUDIT } from "~/modules/users/labels";
import { fieldsRefused, refuse, type Result, type SaveResult } from "~/lib/result";

type UserSaveResult = SaveResult<{ id: string }>;

interface Binding {
  role: Role;
  orgUnitId?: number;
  personId?: number;
}

/** Checks the unit or person a user is bound to, and drops the binding the role does not use. */
async function resolveBinding(
  db: DB,
  input: Binding,
  userId: string | null,
): Promise<{ error: Record<string, string[]> } | { org_unit_id: number | null; person_id: number | null }> {
  const { orgUnitId, personId } = input;
  // The schema already asks for the unit or person the role needs; without one there is nothing to find.
  if (input.role === "county_officer") {
    const unit = orgUnitId === undefined ? undefined : await db.selectFrom("org_unit").select(["id", "kind"]).where("id", "=", orgUnitId).executeTakeFirst();
    if (!unit || unit.kind !== "county") return { error: { orgUnitId: ["请选择县级总工会"] } };
    return { org_unit_id: unit.id, person_id: null };
  }
  if (input.role === "craftsman") {
    const person = personId === undefined ? undefined : await db.selectFrom("person").select("id").where("id", "=", personId).executeTakeFirst();
    if (!person) return { error: { personId: ["找不到该人员档案"] } };
    const taken = await db
      .selectFrom("app_user")
      .select("username")
      .where("person_id", "=", person.id)
      .$if(userId !== null, (q) => q.where("id", "!=", userId!))
      .executeTakeFirst();
    if (taken) return { error: { personId: [`该人员已有账号（${taken.username}）`] } };
    return { org_unit_id: null, person_id: person.id };
  }
  return { org_unit_id: null, person_id: null };
}

export async function createUser(db: DB, actor: SessionUser | null, input: CreateUserInput): Promise<UserSaveResult> {
  const existing = await db.selectFrom("app_user").select("id").where("username", "=", input.username).executeTakeFirst();
  if (existing) return fieldsRefused({ username: ["该用户名已被使用"] });
  const binding = await resolveBinding(db, input, null);
  if ("error" in binding) return fieldsRefused(binding.error);
  const id = newUserId();
  const passwordHash = await hashPassword(input.password);
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto("app_user")
        .values({
          id,
          username: input.username,
          display_name: input.displayName,
          password_hash: passwordHash,
          role: input.role,
          org_unit_id: binding.org_unit_id,
          person_id: binding.person_id,
        })
        .execute();
      await recordAudit(tx, USER_AUDIT, {
        actor,
        id,
        unit: binding.org_unit_id,
        action: "create",
        after: { username: input.username, displayName: input.displayName, role: input.role, ...binding },
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      return fieldsRefused({ username: ["该用户名或人员已有账号"] });
    }
    throw error;
  }
  return { ok: true, id };
}

/**
 * An apprentice's account is made by their first code sign-in and follows their person record: it
 * has no password, and its name, role and binding are not the administrator's to edit — only
 * whether it may sign in (setActive).
 */
const APPRENTICE_FIXED = "学徒账号用手机验证码登录，没有密码；其姓名和角色随人员档案，只能停用或启用";

export async function updateUser(db: DB, actor: SessionUser, id: string, input: UpdateUserInput): Promise<UserSaveResult> {
  const current = await db.selectFrom("app_user").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) return refuse("用户不存在", { status: 404 });
  if (current.role === "apprentice") return refuse(APPRENTICE_FIXED, { status: 409 });
  if (id === actor.id && (!input.active || input.role !== "city_admin")) {
    return fieldsRefused({ role: ["不能停用自己的账号或降低自己的角色"] });
  }
  const binding = await resolveBinding(db, input, id);
  if ("error" in binding) return fieldsRefused(binding.error);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable("app_user")
      .set({ display_name: input.displayName, role: input.role, active: input.active, ...binding })
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, USER_AUDIT, {
      actor,
      id,
      unit: binding.org_unit_id,
      action: "update",
      before: { displayName: current.display_name, role: current.role, active: current.active, org_unit_id: current.org_unit_id, person_id: current.person_id },
      after: { displayName: input.displayName, role: input.role, active: input.active, ...binding },
    });
  });
  // A changed role or a deactivated account must not keep the powers of its open sessions.
  if (!input.active || input.role !== current.role || binding.org_unit_id !== current.org_unit_id) {
    await endAllSessions(db, id);
  }
  return { ok: true, id };
}

export async function resetPassword(db: DB, actor: SessionUser, id: string, password: string): Promise<Result> {
  const passwordHash = await hashPassword(password);
  const result = await db.transaction().execute(async (tx): Promise<Result> => {
    const target = await tx.selectFrom("app_user").select("role").where("id", "=", id).forUpdate().executeTakeFirst();
    if (!target) return refuse("用户不存在", { status: 404 });
    // A hash given to an apprentice's account would open a password sign-in nobody is meant to have.
    if (target.role === "apprentice") return refuse(APPRENTICE_FIXED, { status: 409 });
    await tx.updateTable("app_user").set({ password_hash: passwordHash, password_changed_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(tx, USER_AUDIT, { actor, id, action: "reset_password" });
    return { ok: true };
  });
  if (result.ok) await endAllSessions(db, id);
  return result;
}

/** Deactivates or activates an account (the one change an apprentice's account takes); deactivating ends its sessions. */
export async function setActive(db: DB, actor: SessionUser, id: string, active: boolean): Promise<Result> {
  if (id === actor.id && !active) return refuse("不能停用自己的账号", { status: 409 });
  const result = await db.transaction().execute(async (tx): Promise<Result> => {
    const target = await tx.selectFrom("app_user").select(["active", "org_unit_id"]).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!target) return refuse("用户不存在", { status: 404 });
    if (target.active === active) return refuse(active ? "该账号已是可用状态" : "该账号已停用", { status: 409 });
    await tx.updateTable("app_user").set({ active }).where("id", "=", id).execute();
    await recordAudit(tx, USER_AUDIT, {
      actor,
      id,
      unit: target.org_unit_id,
      action: active ? "activate" : "deactivate",
      before: { active: target.active },
      after: { active },
    });
    return { ok: true };
  });
  if (result.ok && !active) await endAllSessions(db, id);
  return result;
}

export async function listUsers(db: DB, filter: { q?: string; role?: Role; page?: number }) {
  let query = db.selectFrom("app_user").leftJoin("org_unit", "org_unit.id", "app_user.org_unit_id").leftJoin("person", "person.id", "app_user.person_id");
  if (filter.role) query = query.where("app_user.role", "=", filter.role);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) => eb.or([eb("app_user.username", "ilike", like), eb("app_user.display_name", "ilike", like)]));
  }
  return paginate(
    query
      .select([
        "app_user.id",
        "app_user.username",
        "app_user.display_name",
        "app_user.role",
        "app_user.active",
        "app_user.created_at",
        "org_unit.short_name as unit_name",
        "person.name as person_name",
      ])
      .orderBy("app_user.created_at", "desc"),
    query,
    filter.page,
  );
}

/** An account with the name of the person it is bound to (a craftsman's or an apprentice's). */
export async function findUser(db: DB, id: string) {
  return db
    .selectFrom("app_user")
    .leftJoin("person", "person.id", "app_user.person_id")
    .select([
      "app_user.id",
      "app_user.username",
      "app_user.display_name",
      "app_user.role",
      "app_user.org_unit_id",
      "app_user.person_id",
      "app_user.active",
      "app_user.created_at",
      "person.name as person_name",
    ])
    .where("app_user.id", "=", id)
    .executeTakeFirst();
}
