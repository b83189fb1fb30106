import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/db";
import { makeUser, TEST_PASSWORD } from "../../test/factories";
import { ORIGIN } from "../../test/http";
import { SESSION_COOKIE, SESSION_LIFETIME_HOURS } from "~/auth/lucia.server";
import { changePassword, failedSignInsBeforeThisOne, getUser, signIn, signOut, takeExtendedSessionCookie } from "~/auth/session.server";

const t = useTestDb();

const request = (cookie?: string, headers: Record<string, string> = {}) =>
  new Request(`${ORIGIN}/login`, { method: "POST", headers: { ...(cookie ? { cookie } : {}), ...headers } });

/** The cookie a browser would send back after a Set-Cookie header. */
const cookieOf = (setCookie: string) => setCookie.split(";")[0];

describe("sign-in", () => {
  it("opens an HttpOnly, SameSite=Lax session for the right password", async () => {
    const user = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const result = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(result.cookie).toMatch(/HttpOnly/i);
    expect(result.cookie).toMatch(/SameSite=Lax/i);
    const seen = await getUser(request(cookieOf(result.cookie)), t.db);
    expect(seen).toMatchObject({ id: user.id, role: "county_officer", orgUnitId: user.orgUnitId });
  });

  it("ignores case and spaces in the username", async () => {
    const user = await makeUser(t.db, "city_admin");
    const result = await signIn(t.db, request(), { username: `  ${user.username.toUpperCase()} `, password: TEST_PASSWORD });
    expect(result.ok).toBe(true);
  });

  it("refuses a wrong password and an unknown user with the same message", async () => {
    const user = await makeUser(t.db, "city_admin");
    const wrong = await signIn(t.db, request(), { username: user.username, password: "nope-12345" });
    const unknown = await signIn(t.db, request(), { username: "nobody-here", password: "nope-12345" });
    expect(wrong).toEqual({ ok: false, status: 401, message: "用户名或密码不正确" });
    expect(unknown).toEqual(wrong);
  });

  it("refuses a deactivated account", async () => {
    const user = await makeUser(t.db, "city_admin");
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", user.id).execute();
    const result = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    expect(result.ok).toBe(false);
  });

  it("rotates the session: the id the browser had before stops working", async () => {
    const user = await makeUser(t.db, "city_admin");
    const first = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    if (!first.ok) throw new Error("sign-in failed");
    const second = await signIn(t.db, request(cookieOf(first.cookie)), { username: user.username, password: TEST_PASSWORD });
    if (!second.ok) throw new Error("sign-in failed");
    expect(cookieOf(second.cookie)).not.toBe(cookieOf(first.cookie));
    expect(await getUser(request(cookieOf(first.cookie)), t.db)).toBeNull();
    expect(await getUser(request(cookieOf(second.cookie)), t.db)).not.toBeNull();
  });
});

describe("throttling", () => {
  it("slows an account's sign-ins after five failures but never locks its owner out", async () => {
    const user = await makeUser(t.db, "city_admin");
    const start = new Date("2026-11-25T08:00:00Z");
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const attempt = (seconds: number, password = "wrong-pass-1") => signIn(t.db, request(), { username: user.username, password }, at(seconds));
    // Anyone can type the administrator's username, fifty times over.
    let s = 0;
    for (let i = 0; i < 50; i++, s += 31) expect(await attempt(s)).toMatchObject({ status: 401 });
    // Right after a failure the account is slowed (the password is not even checked)…
    const slowed = await attempt(s - 30, TEST_PASSWORD);
    expect(slowed).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/请在 \d+ 秒后再试/) });
    expect((slowed as { message: string }).message).not.toContain("锁定");
    // …but for half a minute at most: then the owner is in, and the count starts again.
    expect(await attempt(s, TEST_PASSWORD)).toMatchObject({ ok: true });
    expect(await attempt(s + 1)).toMatchObject({ status: 401 });
  });

  it("locks the guessing address on the account, not the owner elsewhere, behind a trusted proxy", async () => {
    process.env.TRUST_PROXY = "1";
    try {
      const user = await makeUser(t.db, "city_admin");
      const start = new Date("2026-11-25T10:00:00Z");
      const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
      const attacker = { "x-forwarded-for": "203.0.113.66" };
      const attempt = (seconds: number, from: Record<string, string>, password = "wrong-pass-1") =>
        signIn(t.db, request(undefined, from), { username: user.username, password }, at(seconds));
      for (const s of [0, 10, 30, 70, 150]) expect(await attempt(s, attacker)).toMatchObject({ status: 401 });
      const locked = await attempt(400, attacker, TEST_PASSWORD);
      expect(locked).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("已暂时锁定") });
      expect(await attempt(401, { "x-forwarded-for": "198.51.100.20" }, TEST_PASSWORD)).toMatchObject({ ok: true });
    } finally {
      delete process.env.TRUST_PROXY;
    }
  });

  it("does not believe X-Forwarded-For without a trusted proxy", async () => {
    const user = await makeUser(t.db, "county_officer");
    const start = new Date("2026-11-25T11:00:00Z");
    // Rotating a made-up address does not escape the account's slowing.
    for (let i = 0; i < 6; i++) {
      await signIn(
        t.db,
        request(undefined, { "x-forwarded-for": `192.0.2.${i}` }),
        { username: user.username, password: "wrong-pass-1" },
        new Date(start.getTime() + i * 40_000),
      );
    }
    const next = await signIn(
      t.db,
      request(undefined, { "x-forwarded-for": "192.0.2.99" }),
      { username: user.username, password: "wrong-pass-1" },
      new Date(start.getTime() + 201_000),
    );
    expect(next).toMatchObject({ status: 429 });
  });

  it("tells the owner, at their next sign-in, how many failed attempts were made since the last one", async () => {
    const user = await makeUser(t.db, "city_admin");
    const start = new Date("2026-11-25T13:00:00Z");
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    expect(await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD }, at(0))).toMatchObject({ ok: true });
    expect(await failedSignInsBeforeThisOne(t.db, user.id)).toBe(0);
    for (let i = 1; i <= 3; i++) await signIn(t.db, request(), { username: user.username, password: "wrong-pass-1" }, at(i));
    expect(await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD }, at(10))).toMatchObject({ ok: true });
    expect(await failedSignInsBeforeThisOne(t.db, user.id)).toBe(3);
    // Told once: the sign-in after that starts from zero.
    expect(await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD }, at(20))).toMatchObject({ ok: true });
    expect(await failedSignInsBeforeThisOne(t.db, user.id)).toBe(0);
  });

  it("throttles re-entering the current password on the account page", async () => {
    const user = await makeUser(t.db, "county_officer");
    const start = new Date("2026-11-25T12:00:00Z");
    const change = (seconds: number, currentPassword: string) =>
      changePassword(t.db, user, { currentPassword, newPassword: "Another-2026x" }, new Date(start.getTime() + seconds * 1000));
    for (let i = 0; i < 3; i++) expect(await change(i, "wrong-pass-1")).toMatchObject({ ok: false, message: "当前密码不正确" });
    expect(await change(3, TEST_PASSWORD)).toMatchObject({ ok: false, message: expect.stringMatching(/请在 \d+ 秒后再试/) });
    expect(await change(60, TEST_PASSWORD)).toMatchObject({ ok: true });
  });

  it("counts failures from one client address across accounts (behind the proxy)", async () => {
    process.env.TRUST_PROXY = "1";
    const now = new Date("2026-11-25T09:00:00Z");
    const from = { "x-forwarded-for": "203.0.113.9" };
    for (let i = 0; i < 30; i++) {
      await signIn(t.db, request(undefined, from), { username: `guess${i}`, password: "x" }, new Date(now.getTime() + i * 60_000));
    }
    const user = await makeUser(t.db, "city_admin");
    const blocked = await signIn(t.db, request(undefined, from), { username: user.username, password: TEST_PASSWORD }, new Date(now.getTime() + 30 * 60_000));
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    const elsewhere = await signIn(
      t.db,
      request(undefined, { "x-forwarded-for": "198.51.100.7" }),
      { username: user.username, password: TEST_PASSWORD },
      new Date(now.getTime() + 30 * 60_000),
    );
    expect(elsewhere).toMatchObject({ ok: true });
    delete process.env.TRUST_PROXY;
  });
});

describe("sessions", () => {
  it("ends on sign-out", async () => {
    const user = await makeUser(t.db, "craftsman");
    const result = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    if (!result.ok) throw new Error("sign-in failed");
    const blank = await signOut(t.db, request(cookieOf(result.cookie)));
    expect(blank).toMatch(/Max-Age=0/i);
    expect(await getUser(request(cookieOf(result.cookie)), t.db)).toBeNull();
  });

  it("expires when idle past its lifetime, and slides when used", async () => {
    const user = await makeUser(t.db, "city_admin");
    const result = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    if (!result.ok) throw new Error("sign-in failed");
    const sessionId = cookieOf(result.cookie).split("=")[1];

    // Used in the second half of its life: extended again to the full lifetime.
    await t.db
      .updateTable("user_session")
      .set({ expires_at: new Date(Date.now() + 60 * 60_000) })
      .where("id", "=", sessionId)
      .execute();
    // The cookie lives exactly as long as the session, not until the browser closes or for ever.
    expect(result.cookie).toMatch(new RegExp(`Max-Age=${SESSION_LIFETIME_HOURS * 3600}`));
    expect(takeExtendedSessionCookie(t.db, request(cookieOf(result.cookie)))).toBeNull();
    expect(await getUser(request(cookieOf(result.cookie)), t.db)).not.toBeNull();
    const slid = await t.db.selectFrom("user_session").select("expires_at").where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(new Date(slid.expires_at).getTime()).toBeGreaterThan(Date.now() + 11 * 60 * 60_000);
    // …and when the session slides, the browser is sent the cookie again with the full lifetime, once.
    const resent = takeExtendedSessionCookie(t.db, request(cookieOf(result.cookie)));
    expect(resent).toMatch(new RegExp(`^${SESSION_COOKIE}=${sessionId};.*Max-Age=${SESSION_LIFETIME_HOURS * 3600}`));
    expect(takeExtendedSessionCookie(t.db, request(cookieOf(result.cookie)))).toBeNull();

    await t.db
      .updateTable("user_session")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", sessionId)
      .execute();
    expect(await getUser(request(cookieOf(result.cookie)), t.db)).toBeNull();
  });

  it("ends every other session when the password changes", async () => {
    const user = await makeUser(t.db, "county_officer");
    const phone = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    const desktop = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    if (!phone.ok || !desktop.ok) throw new Error("sign-in failed");

    expect(await changePassword(t.db, user, { currentPassword: "not-it-123", newPassword: "Brand-new-99" })).toEqual({
      ok: false,
      field: "currentPassword",
      message: "当前密码不正确",
    });
    const changed = await changePassword(t.db, user, { currentPassword: TEST_PASSWORD, newPassword: "Brand-new-99" });
    if (!changed.ok) throw new Error("change failed");
    expect(await getUser(request(cookieOf(phone.cookie)), t.db)).toBeNull();
    expect(await getUser(request(cookieOf(desktop.cookie)), t.db)).toBeNull();
    expect(await getUser(request(cookieOf(changed.cookie)), t.db)).toMatchObject({ id: user.id });
    expect(await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD })).toMatchObject({ ok: false });
    expect(await signIn(t.db, request(), { username: user.username, password: "Brand-new-99" })).toMatchObject({ ok: true });
  });

  it("drops the session of an account that was deactivated", async () => {
    const user = await makeUser(t.db, "city_admin");
    const result = await signIn(t.db, request(), { username: user.username, password: TEST_PASSWORD });
    if (!result.ok) throw new Error("sign-in failed");
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", user.id).execute();
    expect(await getUser(request(cookieOf(result.cookie)), t.db)).toBeNull();
  });
});
