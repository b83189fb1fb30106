import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeAwardee, makePerson, makeUser, unitId } from "../../../test/factories";
import { studioYearFigures } from "~/modules/studios/figures.server";
import {
  addParticipant,
  checkInByCode,
  checkInByOrganiser,
  checkInByToken,
  checkinToken,
  createEvent,
  eventForViewer,
  eventsOfPerson,
  findEvent,
  issueCertificate,
  joinEvent,
  listEvents,
  participantsOf,
  reachOf,
  verifyCertificate,
} from "~/modules/events/events.server";
import { eventSchema } from "~/modules/events/schema.server";
import { listMessages } from "~/modules/notifications/inbox.server";
import { historyOf } from "~/modules/audit/audit.server";
import { fanOut } from "~/worker.server";

const t = useTestDb();

describe("a cross-region exchange", () => {
  it("checks people in from three counties by code, computes its reach, and issues certificates the public can check", async () => {
    const wenlingOfficer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiangOfficer = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const start = new Date("2026-05-01T06:00:00Z"); // 14:00 in Taizhou
    const input = eventSchema.parse({
      title: "泵业精密加工技艺切磋会",
      kind: "skill_exchange",
      organiser: `unit:${await unitId(t.db, "wenling")}`,
      startsAt: "2026-05-01T14:00",
      endsAt: "2026-05-01T17:00",
      channel: "offline",
      place: "温岭市职工服务中心",
      capacity: "50",
      newSeries: "温岭每月技能交流",
    });
    expect(input.startsAt.toISOString()).toBe(start.toISOString());
    expect(await createEvent(t.db, jiaojiangOfficer, input)).toMatchObject({ ok: false, fieldErrors: { organiser: [expect.any(String)] } });
    const created = await createEvent(t.db, wenlingOfficer, input);
    if (!created.ok) throw new Error(JSON.stringify(created));
    const event = (await findEvent(t.db, created.id))!;
    expect(event.series_title).toBe("温岭每月技能交流");

    const people = [
      { unit: "wenling", employer: "温岭东海泵业有限公司", industry: "泵与电机" },
      { unit: "jiaojiang", employer: "椒江华科信息技术有限公司", industry: "信息技术" },
      { unit: "huangyan", employer: "黄岩精诚模塑有限公司", industry: "模具与塑料" },
    ];
    const users: Array<Awaited<ReturnType<typeof makeUser>>> = [];
    const guests: Array<Awaited<ReturnType<typeof makePerson>>> = [];
    for (const p of people) {
      const person = await makePerson(t.db, { unit: p.unit, employer: p.employer, industry: p.industry });
      guests.push(person);
      users.push(await makeUser(t.db, "craftsman", { personId: person.id }));
    }
    const during = new Date(start.getTime() + 60 * 60_000);
    const tooEarly = new Date(start.getTime() - 90 * 60_000);
    const after = new Date(start.getTime() + 4 * 60 * 60_000);

    expect(await checkInByCode(t.db, users[0], event.checkin_code, tooEarly)).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("尚未开始"),
    });
    expect(await checkInByCode(t.db, users[0], "ZZZZZZ", during)).toMatchObject({ ok: false, status: 404 });
    // A 温岭 event is 温岭's: the 椒江 and 黄岩 guests come on the list the city puts them on (温岭's
    // officer cannot reach them by number); the 温岭 craftsman walks in (现场报名).
    const city = await makeUser(t.db, "city_admin");
    expect(await checkInByCode(t.db, users[1], event.checkin_code, during)).toMatchObject({ ok: false, status: 403 });
    for (const guest of guests.slice(1)) expect(await addParticipant(t.db, city, event, { idNumber: guest.idNumber })).toEqual({ ok: true });
    for (const user of users) {
      expect(await checkInByCode(t.db, user, event.checkin_code, during)).toMatchObject({ ok: true, already: false });
    }
    // The same person again: nothing new; after the end the code is dead.
    expect(await checkInByCode(t.db, users[0], event.checkin_code, during)).toMatchObject({ ok: true, already: true });
    const late = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { unit: "linhai" })).id });
    expect(await checkInByCode(t.db, late, event.checkin_code, after)).toEqual({ ok: false, status: 409, message: "活动已结束，签到码已失效" });
    expect(await checkInByCode(t.db, wenlingOfficer, event.checkin_code, during)).toMatchObject({ ok: false, status: 403 });

    // An outsider registered at the door, and a no-show.
    expect(
      await addParticipant(t.db, wenlingOfficer, event, {
        outsideName: "外单位来宾",
        outsideEmployer: "温岭东海泵业有限公司",
        outsideIndustry: "泵与电机",
        outsideUnitId: await unitId(t.db, "wenling"),
      }),
    ).toEqual({ ok: true });
    const noShow = await makePerson(t.db, { unit: "sanmen", employer: "三门船舶修造有限公司", industry: "船舶修造" });
    expect(await addParticipant(t.db, jiaojiangOfficer, event, { idNumber: noShow.idNumber })).toMatchObject({ ok: false, status: 403 });
    // Wenling's officer cannot reach a 三门 person by number (answered like no one), the city can.
    expect(await addParticipant(t.db, wenlingOfficer, event, { idNumber: noShow.idNumber })).toEqual({
      ok: false,
      status: 404,
      message: "本单位没有该身份证号码的人员，请按外部人员登记",
    });
    expect(await addParticipant(t.db, city, event, { idNumber: noShow.idNumber })).toEqual({ ok: true });
    const list = await participantsOf(t.db, event.id);
    const outsider = list.find((p) => p.name === "外单位来宾")!;
    expect(await checkInByOrganiser(t.db, wenlingOfficer, event, outsider.id)).toEqual({ ok: true });

    // Reach from those who came: 3 employers, 3 industries, 2 systems, 3 counties; the no-show does not count.
    // (What the counts make cross-this-or-that is reach.test's business.)
    expect(await reachOf(t.db, event.id)).toMatchObject({ attendees: 4, employers: 3, industries: 3, systems: 2, regions: 3, crossRegion: true });
    const filtered = await listEvents(t.db, wenlingOfficer, { reach: "region" });
    expect(filtered.rows.map((r) => [r.id, Number(r.attendees), Number(r.regions)])).toEqual([[event.id, 4, 3]]);

    // Certificates once it is over; a forged code finds nothing.
    const mine = (await participantsOf(t.db, event.id)).find((p) => p.person_id === users[1].personId)!;
    expect(await issueCertificate(t.db, event, mine.id, during)).toEqual({ ok: false, message: "活动结束后才能开具证书" });
    const absent = (await participantsOf(t.db, event.id)).find((p) => p.person_id === noShow.id)!;
    expect(await issueCertificate(t.db, event, absent.id, after)).toMatchObject({ ok: false });
    const certificate = await issueCertificate(t.db, event, mine.id, after);
    if (!certificate.ok) throw new Error(certificate.message);
    expect(await issueCertificate(t.db, event, mine.id, after)).toEqual(certificate);
    expect(await verifyCertificate(t.db, certificate.code)).toMatchObject({ title: "泵业精密加工技艺切磋会", hours: "3.0" });
    expect(await verifyCertificate(t.db, "JXAAAAAAAAAA")).toBeNull();
    expect(await verifyCertificate(t.db, "' or 1=1 --")).toBeNull();

    // Who may see it: the organiser's unit and the people who attended; not another county's officer.
    expect((await eventForViewer(t.db, wenlingOfficer, event.id)).status).toBe(200);
    expect((await eventForViewer(t.db, users[2], event.id)).status).toBe(200);
    expect((await eventForViewer(t.db, jiaojiangOfficer, event.id)).status).toBe(403);
    expect((await eventsOfPerson(t.db, users[1].personId!)).hours).toBe(3);
  });

  it("counts in the organising studio's scorecard", async () => {
    const { person, user: leader } = await makeAwardee(t.db, "wenling");
    const studio = await t.db
      .insertInto("studio")
      .values({
        person_id: person.id,
        award_id: (await t.db.selectFrom("award").select("id").where("person_id", "=", person.id).executeTakeFirstOrThrow()).id,
        org_unit_id: await unitId(t.db, "wenling"),
        name: "测试工作室",
        host_enterprise: "企业",
        industry: "泵与电机",
        focus_sector: "advanced_manufacturing",
        address: "地址",
        focus_areas: "方向",
        founding_plan: "方案",
        status: "active",
        plaque_number: "P-EV-1",
        accredited_on: "2025-01-01",
        created_by: leader.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const created = await createEvent(
      t.db,
      leader,
      eventSchema.parse({
        title: "带徒授课",
        kind: "teaching",
        organiser: `studio:${studio.id}`,
        startsAt: "2026-03-01T09:00",
        endsAt: "2026-03-01T11:00",
        channel: "offline",
        place: "车间",
      }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    const event = (await findEvent(t.db, created.id))!;
    expect(await addParticipant(t.db, leader, event, { idNumber: person.idNumber })).toEqual({ ok: true });
    const [self] = await participantsOf(t.db, event.id);
    expect(await checkInByOrganiser(t.db, leader, event, self.id)).toEqual({ ok: true });
    const figures = await studioYearFigures(t.db, studio.id, 2026);
    expect(figures.eventsHeld).toBe(1);
    expect(figures.eventsAttended).toBe(1);
    const otherLeader = await makeUser(t.db, "craftsman");
    expect((await eventForViewer(t.db, otherLeader, event.id)).status).toBe(403);
    expect((await eventForViewer(t.db, leader, event.id)).status).toBe(200);
  });
});

describe("the rotating check-in QR code", () => {
  it("checks a craftsman in for two minutes after the code was shown, for its own event only, inside the window", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const input = (title: string) =>
      eventSchema.parse({
        title,
        kind: "training",
        organiser: `unit:${officer.orgUnitId}`,
        startsAt: "2026-07-01T09:00",
        endsAt: "2026-07-01T12:00",
        channel: "offline",
        place: "温岭市职工服务中心",
      });
    const created = await createEvent(t.db, officer, input("扫码签到的培训"));
    const other = await createEvent(t.db, officer, input("另一场培训"));
    if (!created.ok || !other.ok) throw new Error("not created");
    const craftsman = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { unit: "wenling" })).id });
    const shown = new Date("2026-07-01T09:10:00+08:00");
    const { token, changesAt } = checkinToken(created.id, shown);
    expect(changesAt.getTime() - shown.getTime()).toBeLessThanOrEqual(30_000);
    // Stale after two minutes; no good for another event; a forged signature is nothing.
    expect(await checkInByToken(t.db, craftsman, created.id, token, new Date(shown.getTime() + 150_000))).toMatchObject({ ok: false, status: 409 });
    expect(await checkInByToken(t.db, craftsman, other.id, token, shown)).toMatchObject({ ok: false, status: 409 });
    expect(await checkInByToken(t.db, craftsman, created.id, `${token.split(".")[0]}.0000000000000000`, shown)).toMatchObject({ ok: false, status: 409 });
    // Shown at 07:50, before the window opens at 08:00: the code is fresh but the door is not open.
    const early = new Date("2026-07-01T07:50:00+08:00");
    expect(await checkInByToken(t.db, craftsman, created.id, checkinToken(created.id, early).token, early)).toMatchObject({
      ok: false,
      message: "签到尚未开始，2026/07/01 08:00 起开放（活动开始前1小时）",
    });
    expect(await checkInByToken(t.db, craftsman, created.id, token, new Date(shown.getTime() + 90_000))).toMatchObject({ ok: true, already: false });
    expect(await checkInByToken(t.db, craftsman, created.id, token, new Date(shown.getTime() + 95_000))).toMatchObject({ ok: true, already: true });
    const checkins = (await historyOf(t.db, "event", created.id)).filter((h) => h.action === "checkin");
    expect(checkins.map((h) => (h.after as { via: string }).via)).toEqual(["qr"]);
  });

  it("shows a craftsman the coming events of their county and of the city, lets them join once, and tells the organiser (a county, or the city)", async () => {
    const wenlingOfficer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiangOfficer = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const city = await makeUser(t.db, "city_admin");
    const craftsman = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { unit: "wenling" })).id });
    const soon = new Date(Date.now() + 7 * 24 * 3600_000);
    const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
    const make = async (actor: typeof city, unit: string, title: string, startsAt: Date, capacity = "") => {
      const input = eventSchema.parse({
        title,
        kind: "training",
        organiser: `unit:${await unitId(t.db, unit)}`,
        startsAt: local(startsAt),
        endsAt: local(new Date(startsAt.getTime() + 3 * 3600_000)),
        channel: "offline",
        place: "职工服务中心",
        capacity,
      });
      const created = await createEvent(t.db, actor, input);
      if (!created.ok) throw new Error(JSON.stringify(created));
      return created.id;
    };
    const own = await make(wenlingOfficer, "wenling", "温岭数控培训", soon, "1");
    const cityWide = await make(city, "city", "全市工匠论坛", soon);
    const elsewhere = await make(jiaojiangOfficer, "jiaojiang", "椒江焊工培训", soon);
    const past = await make(wenlingOfficer, "wenling", "温岭往期培训", new Date(Date.now() - 30 * 24 * 3600_000));

    const listed = (await listEvents(t.db, craftsman, {})).rows.map((e) => e.id);
    expect(listed).toEqual(expect.arrayContaining([own, cityWide]));
    expect(listed).not.toContain(elsewhere);
    expect(listed).not.toContain(past);
    expect((await eventForViewer(t.db, craftsman, elsewhere)).status).toBe(403);

    expect(await joinEvent(t.db, craftsman, own)).toEqual({ ok: true });
    expect(await joinEvent(t.db, craftsman, own)).toMatchObject({ ok: false, status: 403 });
    expect(await joinEvent(t.db, craftsman, elsewhere)).toMatchObject({ ok: false, status: 403 });
    expect(await joinEvent(t.db, craftsman, past)).toMatchObject({ ok: false, status: 403 });
    // A capacity of one: the next craftsman of 温岭 finds it full.
    const second = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { unit: "wenling" })).id });
    expect(await joinEvent(t.db, second, own)).toMatchObject({ ok: false, status: 409, message: "已达到人数上限" });
    expect(await joinEvent(t.db, second, cityWide)).toEqual({ ok: true });

    expect((await participantsOf(t.db, own)).map((p) => p.person_id)).toEqual([craftsman.personId]);
    while (await fanOut(t.db)) {
      // the history is turned into messages in batches
    }
    const told = (await listMessages(t.db, wenlingOfficer)).rows.filter((m) => m.link === `/events/${own}`);
    expect(told.map((m) => m.text)).toEqual([expect.stringContaining("有工匠报名参加“温岭数控培训”")]);
    expect((await listMessages(t.db, jiaojiangOfficer)).rows.filter((m) => m.link === `/events/${own}`)).toEqual([]);
    // The city's own event: the city's officers hear of the join, no county does.
    const cityTold = (await listMessages(t.db, city)).rows.filter((m) => m.link === `/events/${cityWide}`);
    expect(cityTold.map((m) => m.text)).toEqual([expect.stringContaining("有工匠报名参加“全市工匠论坛”")]);
    expect((await listMessages(t.db, wenlingOfficer)).rows.filter((m) => m.link === `/events/${cityWide}`)).toEqual([]);
  });
});
