import { describe, expect, it, vi } from "vitest";
import * as codeLogin from "../../app/routes/login_.code";
import * as home from "../../app/routes/home/route";
import * as inbox from "../../app/routes/inbox";
import * as mentorshipPage from "../../app/routes/mentorships.$mentorshipId/route";
import * as eventPage from "../../app/routes/events.$eventId/route";
import * as peopleList from "../../app/routes/people._index";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import { CODE_SENT } from "../../app/modules/apprentices/sign-in.server";
import { useTestDb } from "../db";
import { makeApprentice, makeEvent, makeLedStudio, makePairing } from "../factories";
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
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0];

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
