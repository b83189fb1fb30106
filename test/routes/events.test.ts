import { describe, expect, it } from "vitest";
import * as certificate from "../../app/routes/certificates.$code";
import * as checkin from "../../app/routes/checkin";
import * as eventPage from "../../app/routes/events.$eventId/route";
import * as editEvent from "../../app/routes/events.$eventId_.edit";
import * as list from "../../app/routes/events._index";
import * as exportRoute from "../../app/routes/events.export";
import * as newEvent from "../../app/routes/events.new";
import * as verify from "../../app/routes/verify";
import * as qrScreen from "../../app/routes/events.$eventId_.qr";
import { checkinToken } from "../../app/modules/events/events.server";
import { historyOf } from "../../app/modules/audit/audit.server";
import { useTestDb } from "../db";
import { makeEvent, makePerson, makeUser, unitId } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

function localNow(offsetMinutes: number): string {
  // datetime-local in Beijing time
  return new Date(Date.now() + offsetMinutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

describe("events through the pages", () => {
  it("lets a county organise for its unit, keeps other counties out, and checks people in by code", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const form = {
      title: "技能交流",
      kind: "skill_exchange",
      organiser: `unit:${await unitId(t.db, "wenling")}`,
      startsAt: localNow(-10),
      endsAt: localNow(120),
      channel: "wechat",
      place: "微信群",
    };
    expect((await call(newEvent.action, { db: t.db, path: "/events/new", as: jiaojiang, form })).status).toBe(400);
    const bad = await call(newEvent.action, { db: t.db, path: "/events/new", as: wenling, form: { ...form, endsAt: localNow(-20), capacity: "-3" } });
    expect(bad.status).toBe(400);
    expect(Object.keys((await jsonOf(bad)).form.error).sort()).toEqual(["capacity", "endsAt"]);
    const created = await call(newEvent.action, { db: t.db, path: "/events/new", as: wenling, form });
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("location")!.split("/").pop());
    const params = { eventId: String(id) };

    expect((await call(eventPage.loader, { db: t.db, path: `/events/${id}`, params, as: jiaojiang })).status).toBe(403);
    expect(
      (await call(eventPage.action, { db: t.db, path: `/events/${id}`, params, as: jiaojiang, form: { intent: "checkin", participantId: "1" } })).status,
    ).toBe(403);
    const page = await jsonOf(await call(eventPage.loader, { db: t.db, path: `/events/${id}`, params, as: wenling }));
    const code = page.event.checkin_code as string;
    expect(code).toMatch(/^[A-Z0-9]{6}$/);

    const person = await makePerson(t.db, { unit: "luqiao" });
    const craftsman = await makeUser(t.db, "craftsman", { personId: person.id });
    expect((await call(eventPage.loader, { db: t.db, path: `/events/${id}`, params, as: craftsman })).status).toBe(403);
    expect((await call(checkin.action, { db: t.db, path: "/checkin", as: craftsman, form: { code: "12" } })).status).toBe(400);
    expect((await call(checkin.action, { db: t.db, path: "/checkin", as: craftsman, form: { code: "ZZZZZ9" } })).status).toBe(404);
    // A 路桥 craftsman is outside a 温岭 event's audience: the code alone earns nothing until the
    // city puts them on the list.
    expect((await call(checkin.action, { db: t.db, path: "/checkin", as: craftsman, form: { code } })).status).toBe(403);
    const city = await makeUser(t.db, "city_admin");
    expect(
      (await call(eventPage.action, { db: t.db, path: `/events/${id}`, params, as: city, form: { intent: "add-person", idNumber: person.idNumber } })).status,
    ).toBe(200);
    const ok = await call(checkin.action, { db: t.db, path: "/checkin", as: craftsman, form: { code: code.toLowerCase() } });
    expect(await jsonOf(ok)).toMatchObject({ ok: true, message: "签到成功", data: { eventId: id } });
    expect(await jsonOf(await call(checkin.action, { db: t.db, path: "/checkin", as: craftsman, form: { code } }))).toMatchObject({
      message: "您已经签到过了",
    });
    // Now a participant: they see the event, but only their own line and not the code.
    const theirs = await jsonOf(await call(eventPage.loader, { db: t.db, path: `/events/${id}`, params, as: craftsman }));
    expect(theirs.event.checkin_code).toBeNull();
    expect(theirs.participants).toHaveLength(1);
    expect(
      (await call(eventPage.action, { db: t.db, path: `/events/${id}`, params, as: craftsman, form: { intent: "add-person", idNumber: person.idNumber } }))
        .status,
    ).toBe(403);
    // Certificates only after the end.
    const [line] = theirs.participants;
    expect(
      (
        await call(eventPage.action, {
          db: t.db,
          path: `/events/${id}`,
          params,
          as: craftsman,
          form: { intent: "certificate", participantId: String(line.id) },
        })
      ).status,
    ).toBe(409);

    // Editing is for the organiser side only.
    expect((await call(editEvent.loader, { db: t.db, path: `/events/${id}/edit`, params, as: jiaojiang })).status).toBe(403);
    expect((await call(editEvent.loader, { db: t.db, path: `/events/${id}/edit`, params, as: craftsman })).status).toBe(403);
    const edited = await call(editEvent.action, { db: t.db, path: `/events/${id}/edit`, params, as: wenling, form: { ...form, title: "技能交流（改）" } });
    expect(edited.status).toBe(302);
    expect(await t.db.selectFrom("event").select(["title", "checkin_code"]).where("id", "=", id).executeTakeFirstOrThrow()).toEqual({
      title: "技能交流（改）",
      checkin_code: code,
    });

    const listed = await jsonOf(await call(list.loader, { db: t.db, path: "/events", as: craftsman }));
    expect(listed.rows.map((r: { id: number }) => r.id)).toEqual([id]);
    const exported = await call(exportRoute.loader, { db: t.db, path: "/events/export", as: wenling });
    expect(exported.headers.get("content-type")).toContain("spreadsheetml");
  });

  it("answers the public check for real certificate numbers only", async () => {
    const forged = await call(verify.loader, { db: t.db, path: "/verify?code=JXAAAAAAAAAA" });
    expect(forged.status).toBe(404);
    expect((await jsonOf(forged)).result).toBeNull();
    const injected = await call(verify.loader, { db: t.db, path: `/verify?code=${encodeURIComponent("' OR '1'='1")}` });
    expect(injected.status).toBe(404);
    expect((await call(certificate.loader, { db: t.db, path: "/certificates/JXNOPE", params: { code: "JXNOPE" } })).status).toBe(404);

    const organiser = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const person = await makePerson(t.db, { unit: "wenling", name: "持证人" });
    const event = await makeEvent(t.db, organiser.id, {
      title: "已结束的培训",
      starts_at: new Date(Date.now() - 5 * 3_600_000),
      ends_at: new Date(Date.now() - 3 * 3_600_000),
      checkin_code: "ABCDEF",
    });
    const p = await t.db
      .insertInto("event_participant")
      .values({ event_id: event.id, person_id: person.id, attended: true, hours: 2, registered_by: organiser.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    const issued = await call(eventPage.action, {
      db: t.db,
      path: `/events/${event.id}`,
      params: { eventId: String(event.id) },
      as: organiser,
      form: { intent: "certificate", participantId: String(p.id) },
    });
    expect(issued.status).toBe(200);
    const { certificate_code } = await t.db.selectFrom("event_participant").select("certificate_code").where("id", "=", p.id).executeTakeFirstOrThrow();
    const checked = await jsonOf(await call(verify.loader, { db: t.db, path: `/verify?code=${certificate_code}` }));
    expect(checked.result).toMatchObject({ name: "持证人", title: "已结束的培训", hours: 2 });
    expect(JSON.stringify(checked)).not.toContain(person.idNumber);
    const printed = await call(certificate.loader, { db: t.db, path: `/certificates/${certificate_code}`, params: { code: certificate_code! } });
    expect(printed.status).toBe(200);
    // The printed certificate carries the check address, written out and as a QR code.
    const sheet = await jsonOf(printed);
    // On the configured public address (PUBLIC_URL, here its default), not the request's host.
    expect(sheet.face.checkAt).toBe(`http://localhost:${process.env.PORT || "3000"}/verify?code=${certificate_code}`);
    expect(sheet.qr).toMatch(/^<svg[^>]*>.*<\/svg>\s*$/s);
    expect(sheet.qr).not.toMatch(/<script|href=/);
  });
});

describe("checking in by the organiser's QR code", () => {
  it("shows the organiser a changing code, and checks in the craftsman who scans it with one tap", async () => {
    const organiser = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const craftsman = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { unit: "wenling" })).id });
    const event = await makeEvent(t.db, organiser.id, {
      title: "正在进行的培训",
      starts_at: new Date(Date.now() - 3_600_000),
      ends_at: new Date(Date.now() + 3_600_000),
      checkin_code: "QRCODE",
    });
    const params = { eventId: String(event.id) };
    const screen = await jsonOf(await call(qrScreen.loader, { db: t.db, path: `/events/${event.id}/qr`, params, as: organiser }));
    expect(screen).toMatchObject({ title: "正在进行的培训", code: "QRCODE" });
    expect(screen.qr).toMatch(/^<svg/);
    expect(screen.changesAt - Date.now()).toBeLessThanOrEqual(30_000);
    expect((await call(qrScreen.loader, { db: t.db, path: `/events/${event.id}/qr`, params, as: other })).status).toBe(403);

    const { token } = checkinToken(event.id);
    const landing = await jsonOf(await call(checkin.loader, { db: t.db, path: `/checkin?e=${event.id}&t=${token}`, as: craftsman }));
    expect(landing.scan).toEqual({ e: event.id, t: token });
    const done = await call(checkin.action, { db: t.db, path: "/checkin", as: craftsman, form: { intent: "scan", e: String(event.id), t: token } });
    expect(await jsonOf(done)).toMatchObject({ ok: true, message: "签到成功", data: { title: "正在进行的培训" } });
    const forged = await call(checkin.action, {
      db: t.db,
      path: "/checkin",
      as: craftsman,
      form: { intent: "scan", e: String(event.id), t: "1.0123456789abcdef" },
    });
    expect(forged.status).toBe(409);
    // Not signed in: to the sign-in page, and back to the scanned address after it.
    const anonymous = await call(checkin.loader, { db: t.db, path: `/checkin?e=${event.id}&t=${token}` });
    expect(anonymous.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/checkin?e=${event.id}&t=${token}`)}`);
  });
});

describe("remote check-in earns hours only within the window and the audience", () => {
  async function eventOf(unit: string, startsIn: number, title: string) {
    const organiser = await makeUser(t.db, unit === "city" ? "city_admin" : "county_officer", unit === "city" ? {} : { unit });
    const created = await call(newEvent.action, {
      db: t.db,
      path: "/events/new",
      as: organiser,
      form: {
        title,
        kind: "skill_exchange",
        organiser: `unit:${await unitId(t.db, unit)}`,
        startsAt: localNow(startsIn),
        endsAt: localNow(startsIn + 120),
        channel: "offline",
        place: "职工服务中心",
      },
    });
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("location")!.split("/").pop());
    const { checkin_code: code } = await t.db.selectFrom("event").select("checkin_code").where("id", "=", id).executeTakeFirstOrThrow();
    return { id, code, organiser };
  }
  const rowsOf = (eventId: number) =>
    t.db.selectFrom("event_participant").select(["person_id", "attended", "hours", "walk_in"]).where("event_id", "=", eventId).orderBy("id").execute();
  const craftsmanOf = async (unit: string) => {
    const person = await makePerson(t.db, { unit });
    return { person, user: await makeUser(t.db, "craftsman", { personId: person.id }) };
  };

  it("refuses a craftsman of another county who is not on the list, with the reason and no hours", async () => {
    const { id, code } = await eventOf("wenling", -10, "温岭技能交流");
    const other = await craftsmanOf("jiaojiang");
    const refused = await call(checkin.action, { db: t.db, path: "/checkin", as: other.user, form: { code } });
    expect(refused.status).toBe(403);
    expect((await jsonOf(refused)).message).toContain("不在本次活动的报名名单中");
    expect(await rowsOf(id)).toEqual([]);
  });

  it("registers a walk-in of the organiser's county on the spot (现场报名) with the hours", async () => {
    const { id, code, organiser } = await eventOf("wenling", -10, "温岭技能交流");
    const own = await craftsmanOf("wenling");
    expect(await jsonOf(await call(checkin.action, { db: t.db, path: "/checkin", as: own.user, form: { code } }))).toMatchObject({
      ok: true,
      message: "签到成功",
    });
    expect(await rowsOf(id)).toEqual([{ person_id: own.person.id, attended: true, hours: "2.0", walk_in: true }]);
    const page = await jsonOf(await call(eventPage.loader, { db: t.db, path: `/events/${id}`, params: { eventId: String(id) }, as: organiser }));
    expect(page.participants).toMatchObject([{ person_id: own.person.id, walk_in: true }]);
    const history = await historyOf(t.db, "event", id);
    expect(history.map((h) => h.action)).toEqual(["create", "participant_walk_in", "checkin"]);
  });

  it("lets every county walk in to a city event, and anyone on the list check in", async () => {
    const { id, code } = await eventOf("city", -10, "全市跨区域交流");
    const far = await craftsmanOf("sanmen");
    expect((await call(checkin.action, { db: t.db, path: "/checkin", as: far.user, form: { code } })).status).toBe(200);
    expect(await rowsOf(id)).toEqual([{ person_id: far.person.id, attended: true, hours: "2.0", walk_in: true }]);
  });

  it("refuses a check-in more than an hour before the start, and takes one within the hour", async () => {
    const { id, code } = await eventOf("wenling", 70, "温岭晚些的交流");
    const own = await craftsmanOf("wenling");
    const early = await call(checkin.action, { db: t.db, path: "/checkin", as: own.user, form: { code } });
    expect(early.status).toBe(409);
    expect((await jsonOf(early)).message).toMatch(/^签到尚未开始，\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 起开放（活动开始前1小时）$/);
    expect(await rowsOf(id)).toEqual([]);
    const soon = await eventOf("wenling", 50, "温岭稍后的交流");
    expect((await call(checkin.action, { db: t.db, path: "/checkin", as: own.user, form: { code: soon.code } })).status).toBe(200);
  });
});
