import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useTestDb } from "../../test/db";
import { makeUser, TEST_PASSWORD } from "../../test/factories";
import { ORIGIN } from "../../test/http";
import { DEVICE_SESSION_DAYS, DEVICE_SESSION_MAX_DAYS, SESSION_COOKIE, SESSION_LIFETIME_HOURS } from "~/auth/lucia.server";
import type { SessionUser } from "~/auth/roles";
import { changePassword, failedSignInsBeforeThisOne, getUser, openSession, signIn, signOut, takeExtendedSessionCookie } from "~/auth/session.server";
import { setActive, updateUser } from "~/modules/users/users.server";

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

/**
 * Issue 36, item 3: a sign-in by phone code (or WeChat) on the person's own phone lasts a month
 * since it was last used, at most three, and only in that browser. Time moves by the clock (Date
 * alone is faked): the session's own sliding reads it, as a request on that day would.
 */
describe("sessions on a phone", () => {
  const start = new Date("2026-12-01T00:00:00Z");
  const day = (n: number) => vi.setSystemTime(new Date(start.getTime() + n * 86_400_000));
  const hours = (n: number) => vi.setSystemTime(new Date(start.getTime() + n * 3600_000));
  const browserOf = (opened: { cookie: string; deviceCookie: string | null }) => [opened.cookie, opened.deviceCookie ?? ""].map(cookieOf).join("; ");
  const accountOf = (user: SessionUser) => ({ id: user.id, display_name: user.displayName, org_unit_id: user.orgUnitId, role: user.role });
  const onPhone = async (user: SessionUser) => {
    const opened = await openSession(t.db, request(), accountOf(user), null, { onDevice: true });
    return { ...opened, browser: browserOf(opened) };
  };
  const seen = (cookie: string) => getUser(request(cookie), t.db);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    day(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lasts 30 days since last used and slides, never past 90 days; the cookie's Max-Age is the session's and is sent again when it slides", async () => {
    const user = await makeUser(t.db, "craftsman");
    const phone = await onPhone(user);
    expect(phone.cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=.*Max-Age=${DEVICE_SESSION_DAYS * 86_400}`));
    expect(phone.deviceCookie).toMatch(/^jx_device=.*Max-Age=31536000; HttpOnly; SameSite=Lax/);

    // Two days later: still in, and slid to thirty days from now (a month-long session slides once a
    // day at most, not only in its second half), the cookie sent again for as long.
    day(2);
    expect(await seen(phone.browser)).toMatchObject({ id: user.id });
    expect(takeExtendedSessionCookie(t.db, request(phone.browser))).toMatch(new RegExp(`^${SESSION_COOKIE}=.*Max-Age=${30 * 86_400};`));
    // The same day again: no second write, no second cookie.
    hours(2 * 24 + 5);
    expect(await seen(phone.browser)).toMatchObject({ id: user.id });
    expect(takeExtendedSessionCookie(t.db, request(phone.browser))).toBeNull();
    // 29 days without use: still in (and slid again). 31: out.
    day(31);
    expect(await seen(phone.browser)).toMatchObject({ id: user.id });
    takeExtendedSessionCookie(t.db, request(phone.browser));
    day(62);
    expect(await seen(phone.browser)).toBeNull();
  });

  it("used every few weeks, still ends 90 days after the code was entered: the last slide's cookie lives only until then", async () => {
    const user = await makeUser(t.db, "craftsman");
    const phone = await onPhone(user);
    for (const n of [20, 40]) {
      day(n);
      expect(await seen(phone.browser)).toMatchObject({ id: user.id });
      takeExtendedSessionCookie(t.db, request(phone.browser));
    }
    day(65);
    expect(await seen(phone.browser)).toMatchObject({ id: user.id });
    expect(takeExtendedSessionCookie(t.db, request(phone.browser))).toMatch(new RegExp(`Max-Age=${(DEVICE_SESSION_MAX_DAYS - 65) * 86_400};`));
    // Used again: no slide past the 90th day, so no cookie either.
    day(80);
    expect(await seen(phone.browser)).toMatchObject({ id: user.id });
    expect(takeExtendedSessionCookie(t.db, request(phone.browser))).toBeNull();
    day(DEVICE_SESSION_MAX_DAYS - 0.01);
    expect(await seen(phone.browser)).toMatchObject({ id: user.id });
    day(DEVICE_SESSION_MAX_DAYS);
    expect(await seen(phone.browser)).toBeNull();
  });

  it("opens nothing without its device cookie, or with another's: a copied session cookie ends the session", async () => {
    const user = await makeUser(t.db, "craftsman");
    const other = await onPhone(await makeUser(t.db, "craftsman"));
    const phone = await onPhone(user);
    const sessionOnly = cookieOf(phone.cookie);
    const withOthersDevice = `${sessionOnly}; ${cookieOf(other.deviceCookie!)}`;
    expect(await seen(withOthersDevice)).toBeNull();
    // The copy was seen: the session is over on the phone too, and a new code is asked for.
    expect(await seen(phone.browser)).toBeNull();

    const again = await onPhone(user);
    expect(await seen(cookieOf(again.cookie))).toBeNull();
    expect(await t.db.selectFrom("user_session").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
  });

  it("reuses the browser's device token for the same person, binding the new session to it", async () => {
    const user = await makeUser(t.db, "craftsman");
    const first = await onPhone(user);
    const second = await openSession(t.db, request(first.browser), accountOf(user), null, { onDevice: true });
    expect(second.deviceCookie).toBeNull();
    expect(await seen(`${cookieOf(second.cookie)}; ${cookieOf(first.deviceCookie!)}`)).toMatchObject({ id: user.id });
    // Rotation: the session the browser carried before is gone.
    expect(await seen(first.browser)).toBeNull();
  });

  it("keeps officers and experts at 12 hours, on a device or not, and a craftsman's password sign-in too", async () => {
    const officer = await makeUser(t.db, "county_officer");
    const opened = await openSession(t.db, request(), accountOf(officer), null, { onDevice: true });
    expect(opened.cookie).toMatch(new RegExp(`Max-Age=${SESSION_LIFETIME_HOURS * 3600}`));
    expect(opened.deviceCookie).toBeNull();
    const craftsman = await makeUser(t.db, "craftsman");
    const byPassword = await signIn(t.db, request(), { username: craftsman.username, password: TEST_PASSWORD });
    if (byPassword.ok !== true) throw new Error("sign-in failed");
    expect(byPassword.cookie).toMatch(new RegExp(`Max-Age=${SESSION_LIFETIME_HOURS * 3600}`));
    hours(SESSION_LIFETIME_HOURS - 1);
    expect(await seen(cookieOf(opened.cookie))).toMatchObject({ id: officer.id });
    hours(2 * SESSION_LIFETIME_HOURS);
    expect(await seen(cookieOf(opened.cookie))).toBeNull();
    expect(await seen(`${cookieOf(byPassword.cookie)}; ${cookieOf(byPassword.deviceCookie!)}`)).toBeNull();
  });

  it("is ended by signing out, a password change, deactivation and a change of role", async () => {
    const admin = await makeUser(t.db, "city_admin");
    const user = await makeUser(t.db, "craftsman");
    const ended = async (end: () => Promise<unknown>) => {
      const phone = await onPhone(user);
      expect(await seen(phone.browser)).toMatchObject({ id: user.id });
      await end();
      return seen(phone.browser);
    };
    const phone = await onPhone(user);
    await signOut(t.db, request(phone.browser));
    expect(await seen(phone.browser)).toBeNull();
    expect(await ended(() => changePassword(t.db, user, { currentPassword: TEST_PASSWORD, newPassword: "Brand-new-99" }))).toBeNull();
    expect(await ended(() => updateUser(t.db, admin, user.id, { displayName: "改了角色", role: "county_officer", orgUnitId: 2, active: true }))).toBeNull();
    expect(await ended(() => setActive(t.db, admin, user.id, false))).toBeNull();
  });
});
