import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type * as RemixReact from "@remix-run/react";
import * as account from "../../app/routes/account";
import * as userPage from "../../app/routes/users.$userId";
import * as users from "../../app/routes/users._index";
import { NO_PASSWORD } from "../../app/auth/password.server";
import type { SessionUser } from "../../app/auth/roles";
import { getUser } from "../../app/auth/session.server";
import { useTestDb } from "../db";
import { cookieFor, makeApprentice, makeLedStudio, makePerson, makeUser } from "../factories";
import { call, jsonOf, ORIGIN } from "../http";

// The page is rendered as the server renders it, with the loader's answer as its data (as prints.test.tsx).
const rendering = vi.hoisted(() => ({ data: null as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...(await original<typeof RemixReact>()),
  useLoaderData: () => rendering.data,
  useActionData: () => undefined,
  useNavigation: () => ({ state: "idle" }),
  useSearchParams: () => [new URLSearchParams()],
  Form: ({ children }: { children: ReactNode }) => createElement("form", { method: "post" }, children),
  Link: ({ to, children }: { to: string; children: ReactNode }) => createElement("a", { href: to }, children),
}));

const t = useTestDb();

/** The page's text as a user reads it, from its loader's answer. */
async function pageText(response: Response, page: ComponentType): Promise<string> {
  expect(response.status).toBe(200);
  rendering.data = await jsonOf(response);
  return renderToString(createElement(page))
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

/** An apprentice with their account, and the city officer who manages accounts. */
async function apprenticeAccount() {
  const { studio, city } = await makeLedStudio(t.db, "账号师傅");
  const { user, personId } = await makeApprentice(t.db, studio.id, { name: "小学徒" });
  return { city, apprentice: user, personId };
}

const onPage = (as: SessionUser, userId: string, form: Record<string, string>) => ({
  db: t.db,
  path: `/users/${userId}`,
  params: { userId },
  as,
  form,
});

describe("an apprentice's account on the city's user page", () => {
  it("is shown as 学徒 bound to their person record, and listed under its role", async () => {
    const { city, apprentice, personId } = await apprenticeAccount();
    const text = await pageText(await call(userPage.loader, onPage(city, apprentice.id, {})), userPage.default);
    expect(text).toContain("角色 学徒");
    expect(text).toContain("人员档案 小学徒");
    expect(text).toContain("停用账号");
    expect(text).not.toContain("重置密码");
    expect(rendering.data).toMatchObject({ user: { person_id: personId } });
    const listed = await jsonOf(await call(users.loader, { db: t.db, path: "/users?role=apprentice", as: city }));
    expect(listed.filter.role).toBe("apprentice");
    expect(listed.rows.map((r: { id: string }) => r.id)).toEqual([apprentice.id]);
  });

  it("refuses a password reset with a 409 in Chinese and leaves the account without a password", async () => {
    const { city, apprentice } = await apprenticeAccount();
    const reset = await call(userPage.action, onPage(city, apprentice.id, { intent: "reset-password", password: "Reset-2026a" }));
    expect(reset.status).toBe(409);
    expect((await jsonOf(reset)).message).toContain("学徒账号用手机验证码登录");
    const row = await t.db.selectFrom("app_user").select("password_hash").where("id", "=", apprentice.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toBe(NO_PASSWORD);
    const history = await t.db.selectFrom("audit_log").select("action").where("entity_type", "=", "user").where("entity_id", "=", apprentice.id).execute();
    expect(history.map((h) => h.action)).not.toContain("reset_password");
  });

  it("refuses the edit form (role, name, binding) for an apprentice's account", async () => {
    const { city, apprentice } = await apprenticeAccount();
    const other = await makePerson(t.db);
    const edit = await call(
      userPage.action,
      onPage(city, apprentice.id, { intent: "update", displayName: "改名", role: "craftsman", personId: String(other.id), active: "on" }),
    );
    expect(edit.status).toBe(409);
    const row = await t.db.selectFrom("app_user").selectAll().where("id", "=", apprentice.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: "apprentice", display_name: "小学徒" });
  });

  it("deactivates (ending their sessions) and activates the account, each in the history", async () => {
    const { city, apprentice } = await apprenticeAccount();
    const cookie = await cookieFor(t.db, apprentice);
    const deactivated = await call(userPage.action, onPage(city, apprentice.id, { intent: "deactivate" }));
    expect(deactivated.status).toBe(200);
    expect(await getUser(new Request(`${ORIGIN}/home`, { headers: { cookie } }), t.db)).toBeNull();
    const again = await call(userPage.action, onPage(city, apprentice.id, { intent: "deactivate" }));
    expect(again.status).toBe(409);
    expect((await call(userPage.action, onPage(city, apprentice.id, { intent: "activate" }))).status).toBe(200);
    const row = await t.db.selectFrom("app_user").select("active").where("id", "=", apprentice.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(true);
    const history = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "user")
      .where("entity_id", "=", apprentice.id)
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.action)).toEqual(["deactivate", "activate"]);
  });

  it("offers no apprentice (nor expert) role on the user forms", async () => {
    const { city } = await apprenticeAccount();
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const text = await pageText(await call(userPage.loader, onPage(city, officer.id, {})), userPage.default);
    expect(text).toContain("县级总工会");
    expect(text).not.toContain("学徒");
    expect(text).not.toContain("评审专家");
  });
});

describe("an apprentice's own account page", () => {
  it("says they sign in by code and refuses a posted password change with a 409", async () => {
    const { apprentice } = await apprenticeAccount();
    const text = await pageText(await call(account.loader, { db: t.db, path: "/account", as: apprentice }), account.default);
    expect(text).toContain("角色 学徒");
    expect(text).toContain("验证码登录");
    expect(text).not.toContain("修改密码");
    const change = await call(account.action, {
      db: t.db,
      path: "/account",
      as: apprentice,
      form: { currentPassword: "anything1", newPassword: "Newpass-2026", confirmPassword: "Newpass-2026" },
    });
    expect(change.status).toBe(409);
    expect((await jsonOf(change)).message).toBe("学徒账号用手机验证码登录，没有密码可修改");
    const row = await t.db.selectFrom("app_user").select("password_hash").where("id", "=", apprentice.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toBe(NO_PASSWORD);
  });
});
