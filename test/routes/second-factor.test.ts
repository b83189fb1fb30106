import { describe, expect, it } from "vitest";
import * as account from "../../app/routes/account";
import * as login from "../../app/routes/login";
import * as verify from "../../app/routes/login_.verify";
import * as userPage from "../../app/routes/users.$userId";
import { base32Decode, hotp, stepAt } from "../../app/auth/totp.server";
import type { SessionUser } from "../../app/auth/roles";
import { fanOut } from "../../app/worker.server";
import { useTestDb } from "../db";
import { getUser } from "../../app/auth/session.server";
import { cookieFor, makeUser, TEST_PASSWORD } from "../factories";
import { call, jsonOf } from "../http";

/**
 * Issue 36, item 1: a city officer's one-time code (RFC 6238) as a second factor on the password sign-in — set up on
 * /account with the code an authenticator app makes from the secret shown, asked on /login/verify before any session
 * opens, reset by another city officer.
 */
const t = useTestDb();

const cookieNamed = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1) ?? null;

/** The code the officer's app shows `steps` steps from now. */
const codeOf = (secret: string, steps = 0) => hotp(base32Decode(secret), stepAt(new Date()) + steps);

const onAccount = (user: SessionUser, form: Record<string, string>) => call(account.action, { db: t.db, path: "/account", as: user, form });

/** Sets the code up as the officer does: ask for a secret, scan it (read it off the page), give back a code. */
async function setUp(user: SessionUser): Promise<string> {
  expect((await onAccount(user, { intent: "code-start" })).status).toBe(200);
  const page = await jsonOf(await call(account.loader, { db: t.db, path: "/account", as: user }));
  expect(page.factor.state).toBe("pending");
  expect(page.factor.uri).toBe(
    `otpauth://totp/%E5%8C%A0%E5%BF%83:${user.username}?secret=${page.factor.secret}&issuer=%E5%8C%A0%E5%BF%83&algorithm=SHA1&digits=6&period=30`,
  );
  expect(page.qr).toMatch(/^<svg/);
  // A wrong code leaves it off (a secret scanned wrong never locks its owner out).
  const wrong = await onAccount(user, { intent: "code-enable", code: codeOf(page.factor.secret, 5), currentPassword: TEST_PASSWORD });
  expect(wrong.status).toBe(400);
  expect((await jsonOf(wrong)).form.error.code[0]).toMatch(/动态验证码不正确/);
  expect((await onAccount(user, { intent: "code-enable", code: codeOf(page.factor.secret, -1), currentPassword: TEST_PASSWORD })).status).toBe(200);
  expect((await jsonOf(await call(account.loader, { db: t.db, path: "/account", as: user }))).factor.state).toBe("on");
  return page.factor.secret;
}

const withPassword = (user: SessionUser) =>
  call(login.action, { db: t.db, path: "/login", form: { username: user.username, password: TEST_PASSWORD, redirectTo: "/audit" } });
const withCode = (challenge: string | null, code: string) =>
  call(verify.action, { db: t.db, path: "/login/verify", cookie: challenge, form: { code, redirectTo: "/audit" } });

describe("a city officer's one-time code", () => {
  it("is set up on /account and then asked after the password, before any session opens; no code is taken twice", async () => {
    const city = await makeUser(t.db, "city_admin");
    const secret = await setUp(city);

    const first = await withPassword(city);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/login/verify?redirectTo=%2Faudit");
    expect(cookieNamed(first, "jx_session")).toBeNull();
    const challenge = cookieNamed(first, "jx_code");
    expect(challenge).not.toBeNull();
    expect((await call(verify.loader, { db: t.db, path: "/login/verify", cookie: challenge })).status).toBe(200);
    // Without this browser's challenge there is nothing to answer.
    expect((await withCode(null, codeOf(secret))).status).toBe(401);

    // A wrong code: refused by its field, counted as a failed sign-in, in the history.
    const wrong = await withCode(challenge, codeOf(secret, 7));
    expect(wrong.status).toBe(401);
    expect((await jsonOf(wrong)).form.error.code).toEqual(["动态验证码不正确"]);
    expect(
      await t.db.selectFrom("audit_log").select("action").where("entity_id", "=", city.id).where("action", "=", "second_factor_failed").execute(),
    ).toHaveLength(1);
    expect(await t.db.selectFrom("sign_in_throttle").select("key").where("failures", ">", 0).execute()).not.toEqual([]);

    // The right one (the step after the one that turned it on) opens the session, where it was going.
    const right = codeOf(secret, 0);
    const opened = await withCode(challenge, right);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe("/audit");
    expect(cookieNamed(opened, "jx_session")).not.toBeNull();

    // The same code again, on a fresh password sign-in: refused (within its 90 seconds it is still "current").
    const second = cookieNamed(await withPassword(city), "jx_code");
    expect((await withCode(second, right)).status).toBe(401);
    expect((await withCode(second, codeOf(secret, 1))).status).toBe(302);
  });

  it("allows five tries per password, then the password again", async () => {
    const city = await makeUser(t.db, "city_admin");
    const secret = await setUp(city);
    const challenge = cookieNamed(await withPassword(city), "jx_code");
    for (let i = 0; i < 4; i++) expect((await withCode(challenge, "000000")).status).toBe(401);
    const fifth = await withCode(challenge, "000000");
    expect((await jsonOf(fifth)).form.error.code[0]).toMatch(/重新输入用户名和密码/);
    // Spent: even the right code opens nothing now.
    const late = await withCode(challenge, codeOf(secret));
    expect(late.status).toBe(401);
    expect(cookieNamed(late, "jx_session")).toBeNull();
  });

  it("is turned off with a current code, and reset by another city officer (confirmed, told to its owner)", async () => {
    const owner = await makeUser(t.db, "city_admin");
    const other = await makeUser(t.db, "city_admin");
    const secret = await setUp(owner);
    // Off: never without a current code.
    expect((await onAccount(owner, { intent: "code-disable", code: "123" })).status).toBe(400);
    expect((await onAccount(owner, { intent: "code-disable", code: codeOf(secret, 9) })).status).toBe(400);
    expect((await onAccount(owner, { intent: "code-disable", code: codeOf(secret, 1) })).status).toBe(200);
    expect((await withPassword(owner)).headers.get("location")).toBe("/audit");

    // On again; the phone is lost; another city officer resets it.
    await setUp(owner);
    const reset = (as: SessionUser, form: Record<string, string>) =>
      call(userPage.action, { db: t.db, path: `/users/${owner.id}`, params: { userId: owner.id }, as, form: { intent: "reset-code", ...form } });
    expect((await reset(other, {})).status).toBe(400);
    expect((await reset(owner, { confirmed: "1" })).status).toBe(409);
    expect((await reset(other, { confirmed: "1" })).status).toBe(200);
    expect((await withPassword(owner)).headers.get("location")).toBe("/audit");
    await fanOut(t.db);
    expect(await t.db.selectFrom("message").select("text").where("user_id", "=", owner.id).execute()).toEqual([
      { text: "市总工会已重置您的动态验证码，目前仅凭密码即可登录，请在“我的账号”中重新设置" },
    ]);
    // The owner's page shows the whole story in its history.
    const page = await jsonOf(await call(userPage.loader, { db: t.db, path: `/users/${owner.id}`, params: { userId: owner.id }, as: other }));
    expect(page.history.map((h: { action: string }) => h.action)).toEqual(expect.arrayContaining(["enable", "disable", "reset"]));
  });

  it("asks for the current password to turn it on, and ends the owner's other sessions when it is turned on or off (security review)", async () => {
    const city = await makeUser(t.db, "city_admin");
    const here = await cookieFor(t.db, city);
    const elsewhere = await cookieFor(t.db, city);
    const signedIn = async (cookie: string) => (await getUser(new Request("http://localhost:3000/account", { headers: { cookie } }), t.db))?.id ?? null;
    const post = (form: Record<string, string>) => call(account.action, { db: t.db, path: "/account", cookie: here, form });
    expect((await post({ intent: "code-start" })).status).toBe(200);
    const { factor } = await jsonOf(await call(account.loader, { db: t.db, path: "/account", cookie: here }));
    const state = async () => (await jsonOf(await call(account.loader, { db: t.db, path: "/account", cookie: here }))).factor.state;

    // A session alone (no password, or a wrong one) cannot turn it on, even with a right code; the code is not spent.
    const bare = await post({ intent: "code-enable", code: codeOf(factor.secret) });
    expect(bare.status).toBe(400);
    expect((await jsonOf(bare)).form.error.currentPassword).toEqual(["请输入当前密码"]);
    const guessed = await post({ intent: "code-enable", code: codeOf(factor.secret), currentPassword: "Wrong-horse-41" });
    expect(guessed.status).toBe(400);
    expect((await jsonOf(guessed)).form.error.currentPassword).toEqual(["当前密码不正确"]);
    // Throttled with the password change's re-entry: one password, one budget.
    expect(await t.db.selectFrom("sign_in_throttle").select("failures").where("key", "like", "%#change").execute()).toEqual([{ failures: 1 }]);
    expect(await state()).toBe("pending");
    expect(await signedIn(elsewhere)).toBe(city.id);

    // With the password: on, and the other device signed out; this browser stays signed in.
    expect((await post({ intent: "code-enable", code: codeOf(factor.secret), currentPassword: TEST_PASSWORD })).status).toBe(200);
    expect(await state()).toBe("on");
    expect(await signedIn(elsewhere)).toBeNull();
    expect(await signedIn(here)).toBe(city.id);

    // Off again (with a current code): another device's session ends as well.
    const another = await cookieFor(t.db, city);
    expect((await post({ intent: "code-disable", code: codeOf(factor.secret, 1) })).status).toBe(200);
    expect(await state()).toBe("off");
    expect(await signedIn(another)).toBeNull();
    expect(await signedIn(here)).toBe(city.id);
    const history = await t.db.selectFrom("audit_log").select(["action", "comment"]).where("entity_type", "=", "second_factor").orderBy("id").execute();
    expect(history.slice(-2)).toEqual([
      { action: "enable", comment: "其他1处登录已退出" },
      { action: "disable", comment: "其他1处登录已退出" },
    ]);
  });

  it("is for city officers only", async () => {
    const county = await makeUser(t.db, "county_officer");
    expect((await onAccount(county, { intent: "code-start" })).status).toBe(403);
    expect((await jsonOf(await call(account.loader, { db: t.db, path: "/account", as: county }))).factor).toBeNull();
  });
});
