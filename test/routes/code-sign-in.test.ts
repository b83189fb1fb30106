import { afterEach, describe, expect, it, vi } from "vitest";
import * as codeLogin from "../../app/routes/login_.code";
import * as accountPage from "../../app/routes/account";
import * as home from "../../app/routes/home/route";
import * as inbox from "../../app/routes/inbox";
import * as mentorshipPage from "../../app/routes/mentorships.$mentorshipId/route";
import * as eventPage from "../../app/routes/events.$eventId/route";
import * as peopleList from "../../app/routes/people._index";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import { CODE_SENT } from "../../app/modules/apprentices/sign-in.server";
import { CODE_LIMITS } from "../../app/modules/voting/voting.server";
import { useTestDb } from "../db";
import { makeApprentice, makeEvent, makeLedStudio, makePairing, makePerson, makeUser } from "../factories";
import { call, jsonOf } from "../http";

/**
 * Issue 33, item 1: an apprentice signs in at /login/code with their phone and the code sent to
 * it (read here off the SMS outbox's console line, as a developer would), and then sees their
 * own pairing, the events they are on and their messages — and nothing of the studio's.
 */
const t = useTestDb();

/** Asks for a code and reads it off the outbox's console line. */
async function askCode(phone: string, peer = "198.51.100.30") {
  const printed = vi.spyOn(console, "log").mockImplementation(() => {});
  const response = await call(codeLogin.action, { db: t.db, path: "/login/code", form: { intent: "code", phone }, peer });
  const code = printed.mock.calls.map((c) => String(c[0]).match(/登录验证码是 (\d{6})/)?.[1]).find(Boolean);
  printed.mockRestore();
  return { response, code };
}

/** What the browser sends back after a sign-in's Set-Cookie headers: the session and the device token. */
const browserCookies = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("signing in by code at /login/code", () => {
  it("signs the apprentice in, back to where they were going, to their own pairing, events and messages only", async () => {
    const { studio, leader } = await makeLedStudio(t.db, "路由码甲");
    const { studio: other } = await makeLedStudio(t.db, "路由码乙");
    const { mentorshipId, personId, phone } = await makeApprentice(t.db, studio.id, { account: false });
    const { mentorshipId: notTheirs } = await makeApprentice(t.db, other.id);
    const when = { starts_at: new Date("2026-04-01T01:00:00Z"), ends_at: new Date("2026-04-01T04:00:00Z") };
    const { id: event } = await makeEvent(t.db, leader.id, { title: "学徒参加的培训", checkin_code: "TCODE1", ...when });
    await t.db
      .insertInto("event_participant")
      .values({ event_id: event, person_id: personId, registered_by: leader.id, attended: true, certificate_code: "JXZM-T-001" })
      .execute();
    const { id: elsewhere } = await makeEvent(t.db, leader.id, { title: "学徒不在名单的培训", checkin_code: "TCODE2", ...when });

    const { response: asked, code } = await askCode(`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`);
    expect(asked.status).toBe(200);
    expect(await jsonOf(asked)).toMatchObject({ ok: true, message: CODE_SENT, data: { phone } });
    expect(code).toMatch(/^\d{6}$/);

    const signedIn = await call(codeLogin.action, {
      db: t.db,
      path: `/login/code?redirectTo=${encodeURIComponent(`/mentorships/${mentorshipId}`)}`,
      form: { intent: "sign-in", phone, code: code!, redirectTo: `/mentorships/${mentorshipId}` },
    });
    expect([signedIn.status, signedIn.headers.get("location")]).toEqual([302, `/mentorships/${mentorshipId}`]);
    const cookie = browserCookies(signedIn);

    const page = (fn: Parameters<typeof call>[0], path: string, params: Record<string, string> = {}) => call(fn, { db: t.db, path, params, cookie });
    const own = await page(mentorshipPage.loader, `/mentorships/${mentorshipId}`, { mentorshipId: String(mentorshipId) });
    expect(own.status).toBe(200);
    expect(await jsonOf(own)).toMatchObject({ m: { id: mentorshipId, apprentice_id: personId }, viewer: "apprentice", canAdd: false, canEnd: false });
    expect((await page(mentorshipPage.loader, `/mentorships/${notTheirs}`, { mentorshipId: String(notTheirs) })).status).toBe(403);
    expect((await page(eventPage.loader, `/events/${event}`, { eventId: String(event) })).status).toBe(200);
    expect((await page(eventPage.loader, `/events/${elsewhere}`, { eventId: String(elsewhere) })).status).toBe(403);
    expect((await page(studioPage.loader, `/studios/${studio.id}`, { studioId: String(studio.id) })).status).toBe(403);
    expect((await page(peopleList.loader, "/people")).status).toBe(403);
    expect((await page(inbox.loader, "/inbox")).status).toBe(200);

    const mine = await jsonOf(await page(home.loader, "/home"));
    expect(mine.pairings.map((p: { id: number }) => p.id)).toEqual([mentorshipId]);
    expect(mine.events.map((e: { title: string; certificate_code: string }) => [e.title, e.certificate_code])).toEqual([["学徒参加的培训", "JXZM-T-001"]]);
  });

  it("answers a number nobody registered the same, and a made-up code by its field", async () => {
    const { response, code } = await askCode("13657698888");
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ ok: true, message: CODE_SENT });
    expect(code).toBeUndefined();
    const tried = await call(codeLogin.action, { db: t.db, path: "/login/code", form: { intent: "sign-in", phone: "13657698888", code: "123456" } });
    expect(tried.status).toBe(400);
    expect(await jsonOf(tried)).toMatchObject({ field: "code", message: "验证码不正确" });
    expect(tried.headers.get("set-cookie")).toBeNull();
  });

  it("sends someone already signed in to their home page", async () => {
    const { studio } = await makeLedStudio(t.db, "路由码丙");
    const { user } = await makeApprentice(t.db, studio.id);
    const response = await call(codeLogin.loader, { db: t.db, path: "/login/code", as: user });
    expect([response.status, response.headers.get("location")]).toEqual([302, "/home"]);
  });
});

describe("the agreement's phone code on the pairing page", () => {
  it("is never sent back in the reply, whether the code is malformed, wrong or right", async () => {
    const p = await makePairing(t.db, "协议验证码师傅");
    const params = { mentorshipId: String(p.mentorshipId) };
    const path = `/mentorships/${p.mentorshipId}`;
    const post = (form: Record<string, string>) => call(mentorshipPage.action, { db: t.db, path, params, as: p.apprenticeUser, form, peer: "198.51.100.31" });
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    expect((await post({ intent: "agreement-code" })).status).toBe(200);
    const code = printed.mock.calls.map((c) => String(c[0]).match(/验证码是 (\d{6})/)?.[1]).find(Boolean)!;
    printed.mockRestore();
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === "246813" ? "135792" : "246813";
    for (const [typed, status] of [
      ["24a813", 400],
      [wrong, 400],
      [code, 200],
    ] as const) {
      const response = await post({ intent: "agreement-apprentice", code: typed });
      expect(response.status, typed).toBe(status);
      const text = await response.text();
      expect(text).not.toContain(typed);
      expect(JSON.parse(text).form.initialValue).not.toHaveProperty("code");
    }
    expect(
      (await t.db.selectFrom("mentorship").select("apprentice_confirmed_at").where("id", "=", p.mentorshipId).executeTakeFirstOrThrow())
        .apprentice_confirmed_at,
    ).not.toBeNull();
  });
});

/**
 * Issue 36, item 3: a craftsman signs in by phone and code like an apprentice; an unknown number is
 * answered as a known one; the vote's limits hold for sign-in codes, each answered 429 by the field.
 */
describe("a craftsman signs in by phone code (issue 36)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens the craftsman's own account, for a month on this phone: the session cookie lives 30 days, with the device's", async () => {
    const phone = "13657697001";
    const craftsman = await makePerson(t.db, { phone });
    const account = await makeUser(t.db, "craftsman", { personId: craftsman.id });
    await makeUser(t.db, "craftsman"); // another craftsman, whose account this is not
    const { code } = await askCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    const signedIn = await call(codeLogin.action, { db: t.db, path: "/login/code", form: { intent: "sign-in", phone, code: code! } });
    expect([signedIn.status, signedIn.headers.get("location")]).toEqual([302, "/home"]);
    const [session, device] = signedIn.headers.getSetCookie();
    expect(session).toMatch(new RegExp(`^jx_session=.*Max-Age=${30 * 86_400}`));
    expect(device).toMatch(/^jx_device=.*HttpOnly/);
    const mine = await jsonOf(await call(accountPage.loader, { db: t.db, path: "/account", cookie: browserCookies(signedIn) }));
    expect(mine.user).toMatchObject({ id: account.id, role: "craftsman", personId: craftsman.id });
    expect(mine.devices).toMatchObject([{ bound: true, current: true }]);
  });

  it("answers an unknown number exactly as a craftsman's, and sends it nothing", async () => {
    const known = "13657697002";
    await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { phone: known })).id });
    const unknown = "13657697003";
    const [forKnown, forUnknown] = [await askCode(known), await askCode(unknown)];
    expect(forKnown.code).toMatch(/^\d{6}$/);
    expect(forUnknown.code).toBeUndefined();
    expect(forUnknown.response.status).toBe(forKnown.response.status);
    const { data: knownData, ...knownReply } = await jsonOf(forKnown.response);
    const { data: unknownData, ...unknownReply } = await jsonOf(forUnknown.response);
    expect(unknownReply).toEqual(knownReply);
    expect(unknownData).toEqual({ ...knownData, phone: unknown });
    expect(knownReply).toMatchObject({ ok: true, message: CODE_SENT });
  });

  it("holds the vote's limits for sign-in codes: per number a minute, an hour and a day, per network an hour and a day, each a 429 by the number", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-11-02T00:00:00Z");
    const at = (minutes: number) => vi.setSystemTime(new Date(start.getTime() + minutes * 60_000));
    const ask = async (phone: string, peer: string) => {
      const printed = vi.spyOn(console, "log").mockImplementation(() => {});
      const response = await call(codeLogin.action, { db: t.db, path: "/login/code", form: { intent: "code", phone }, peer });
      printed.mockRestore();
      return { status: response.status, ...(await jsonOf(response)) };
    };
    const phone = "13657697004";
    await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { phone })).id });
    const [minute, hour, day] = CODE_LIMITS.phone;
    const refused = (limit: { message: string }) => ({ status: 429, ok: false, field: "phone", message: limit.message });

    // One a minute.
    at(0);
    expect(await ask(phone, "198.51.100.40")).toMatchObject({ status: 200, ok: true });
    at(0.5);
    expect(await ask(phone, "198.51.100.40")).toMatchObject(refused(minute));
    // Five an hour: four more a minute apart are sent, the sixth within the hour is refused.
    for (let i = 1; i < hour.max; i++) {
      at(i * 2);
      expect(await ask(phone, "198.51.100.40")).toMatchObject({ status: 200 });
    }
    at(hour.max * 2);
    expect(await ask(phone, "198.51.100.40")).toMatchObject(refused(hour));
    // Ten a day: after the hour, five more, thirteen minutes apart (never five within an hour); the eleventh is refused.
    for (let i = 0; i < day.max - hour.max; i++) {
      at(61 + i * 13);
      expect(await ask(phone, "198.51.100.40")).toMatchObject({ status: 200 });
    }
    at(61 + (day.max - hour.max) * 13);
    expect(await ask(phone, "198.51.100.40")).toMatchObject(refused(day));
    // The next day the number may ask again.
    at(24 * 60 + 1);
    expect(await ask(phone, "198.51.100.40")).toMatchObject({ status: 200 });

    // One network: thirty numbers an hour (known or not, each counts), then refused; a hundred a day.
    const [networkHour, networkDay] = CODE_LIMITS.address;
    const network = "203.0.113.77";
    let n = 0;
    const nextNumber = () => `1365769${String(8000 + ++n).padStart(4, "0")}`;
    const day2 = 2 * 24 * 60;
    for (let i = 0; i < networkHour.max; i++) {
      at(day2 + i);
      expect(await ask(nextNumber(), network)).toMatchObject({ status: 200 });
    }
    at(day2 + networkHour.max);
    expect(await ask(nextNumber(), network)).toMatchObject(refused(networkHour));
    // Another network is not held up by this one.
    expect(await ask(nextNumber(), "203.0.113.78")).toMatchObject({ status: 200 });
    let hourStart = day2;
    let sent = networkHour.max;
    while (sent < networkDay.max) {
      hourStart += 61;
      for (let i = 0; i < networkHour.max && sent < networkDay.max; i++, sent++) {
        at(hourStart + i);
        expect(await ask(nextNumber(), network)).toMatchObject({ status: 200 });
      }
    }
    at(hourStart + 61);
    expect(await ask(nextNumber(), network)).toMatchObject(refused(networkDay));
  }, 120_000);
});
