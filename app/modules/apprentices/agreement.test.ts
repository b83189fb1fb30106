import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makePairing, makeUser, phoneInbox } from "../../../test/factories";
import { historyOf } from "~/modules/audit/audit.server";
import { findMentorship, endMentorship } from "~/modules/studios/mentorships.server";
import { ACTIVE_MENTORSHIPS } from "~/modules/studios/studios.server";
import { confirmAsApprentice, confirmAsMentor, pauseMentorship, resumeMentorship, sendAgreementCode } from "~/modules/apprentices/agreement.server";
import { addLogEntry } from "~/modules/apprentices/log.server";
import { agreementCodeSchema } from "~/modules/apprentices/schema.server";
import { fanOut } from "~/worker.server";

const t = useTestDb();

const pairing = async (id: number) => (await findMentorship(t.db, id))!;
const state = (id: number) =>
  t.db
    .selectFrom("mentorship")
    .select(["status", "apprentice_confirmed_at", "mentor_confirmed_at", "mentor_confirmed_by"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

describe("the 师徒结对协议 confirmed by both", () => {
  it("the apprentice confirms with a code sent to the phone on their record; a wrong code is refused and counted; twice is refused", async () => {
    const p = await makePairing(t.db, "协议甲", { phone: "13912340001" });
    const m = await pairing(p.mentorshipId);
    const phone = phoneInbox();
    // The mentor cannot confirm in the apprentice's place, nor ask for their code.
    expect(await sendAgreementCode(t.db, phone, p.leader, m, null)).toMatchObject({ ok: false, status: 403 });
    expect(await sendAgreementCode(t.db, phone, p.apprenticeUser, m, null)).toEqual({ ok: true, masked: expect.stringContaining("0001") });
    expect(phone.sent.map((s) => s.phone)).toEqual(["13912340001"]);
    const code = phone.codeFor("13912340001");
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await confirmAsApprentice(t.db, p.apprenticeUser, m, wrong)).toMatchObject({ ok: false, status: 400, field: "code", message: "验证码不正确" });
    const tries = await t.db.selectFrom("phone_code").select("attempts").where("person_id", "=", p.apprentice.id).executeTakeFirstOrThrow();
    expect(tries.attempts).toBe(1);
    expect((await state(m.id)).apprentice_confirmed_at).toBeNull();
    expect(await confirmAsApprentice(t.db, p.apprenticeUser, m, code)).toEqual({ ok: true });
    expect((await state(m.id)).apprentice_confirmed_at).toBeInstanceOf(Date);
    expect(await confirmAsApprentice(t.db, p.apprenticeUser, m, code)).toMatchObject({ ok: false, status: 409 });
    expect(await sendAgreementCode(t.db, phone, p.apprenticeUser, m, null)).toMatchObject({ ok: false, status: 409 });
    const history = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_user_id"])
      .where("entity_type", "=", "mentorship_agreement")
      .where("entity_id", "=", String(m.id))
      .execute();
    expect(history).toEqual([{ action: "apprentice_confirm", actor_user_id: p.apprenticeUser.id }]);
  });

  it("the code field answers as every SMS code field does (the vote's, the code sign-in's)", () => {
    const errors = (code: string | undefined) => agreementCodeSchema.safeParse({ code }).error?.issues.map((i) => i.message);
    expect(errors(undefined)).toEqual(["请填写短信验证码"]);
    expect(errors("12345")).toEqual(["验证码是6位数字"]);
    expect(agreementCodeSchema.parse({ code: " 123456 " })).toEqual({ code: "123456" });
  });

  it("an apprentice with no phone on record is told to ask the studio or the county to add it, and nothing is sent", async () => {
    const p = await makePairing(t.db, "协议乙", { phone: null });
    const phone = phoneInbox();
    const sent = await sendAgreementCode(t.db, phone, p.apprenticeUser, await pairing(p.mentorshipId), null);
    expect(sent).toMatchObject({ ok: false, status: 409, field: "code" });
    expect(sent.ok ? "" : sent.message).toContain("没有登记手机号码");
    expect(phone.sent).toEqual([]);
  });

  it("the mentor confirms once with the confirming press; another studio's mentor and the county cannot", async () => {
    const p = await makePairing(t.db, "协议丙");
    const other = await makePairing(t.db, "协议丁");
    const county = await makeUser(t.db, "county_officer");
    const m = await pairing(p.mentorshipId);
    expect(await confirmAsMentor(t.db, other.leader, m, { confirmed: true })).toMatchObject({ ok: false, status: 403 });
    expect(await confirmAsMentor(t.db, county, m, { confirmed: true })).toMatchObject({ ok: false, status: 403 });
    expect(await confirmAsMentor(t.db, p.leader, m, { confirmed: false })).toMatchObject({ ok: false, status: 400, field: "confirmed" });
    expect((await state(m.id)).mentor_confirmed_at).toBeNull();
    expect(await confirmAsMentor(t.db, p.leader, m, { confirmed: true })).toEqual({ ok: true });
    expect(await state(m.id)).toMatchObject({ mentor_confirmed_by: p.leader.id, mentor_confirmed_at: expect.any(Date) });
    expect(await confirmAsMentor(t.db, p.leader, m, { confirmed: true })).toMatchObject({ ok: false, status: 409 });
    const labelled = await historyOf(t.db, "mentorship_agreement", String(m.id));
    expect(labelled.map((h) => h.action)).toEqual(["mentor_confirm"]);
  });
});

describe("the other party hears of it", () => {
  it("the mentor hears of the apprentice's confirmation, the apprentice's account of the mentor's and of a pause; an apprentice without an account hears nothing", async () => {
    const p = await makePairing(t.db, "通知甲", { phone: "13912340009" });
    const m = await pairing(p.mentorshipId);
    const phone = phoneInbox();
    await sendAgreementCode(t.db, phone, p.apprenticeUser, m, null);
    expect(await confirmAsApprentice(t.db, p.apprenticeUser, m, phone.codeFor("13912340009"))).toEqual({ ok: true });
    expect(await confirmAsMentor(t.db, p.leader, m, { confirmed: true })).toEqual({ ok: true });
    expect(await pauseMentorship(t.db, p.leader, m, { pausedOn: "2026-06-01", reason: "企业停产检修" })).toEqual({ ok: true });
    await fanOut(t.db);
    const inbox = (userId: string) => t.db.selectFrom("message").select("text").where("user_id", "=", userId).orderBy("id").execute();
    expect((await inbox(p.leader.id)).map((x) => x.text)).toEqual([expect.stringMatching(/^学徒已用手机验证码确认“通知甲与.+的师徒结对”协议$/)]);
    expect((await inbox(p.apprenticeUser.id)).map((x) => x.text)).toEqual([
      expect.stringContaining("师傅已确认"),
      expect.stringMatching(/已暂停：企业停产检修$/),
    ]);
    // Without an account, the apprentice is simply not told; the mentor's step goes through.
    const q = await makePairing(t.db, "通知乙");
    await t.db.deleteFrom("app_user").where("id", "=", q.apprenticeUser.id).execute();
    expect(await confirmAsMentor(t.db, q.leader, await pairing(q.mentorshipId), { confirmed: true })).toEqual({ ok: true });
    await fanOut(t.db);
    const told = await t.db
      .selectFrom("message")
      .innerJoin("audit_log", "audit_log.id", "message.audit_id")
      .select("message.user_id")
      .where("audit_log.entity_id", "=", String(q.mentorshipId))
      .where("audit_log.entity_type", "=", "mentorship_agreement")
      .execute();
    expect(told).toEqual([]);
  });

  it("a pairing's apprentice is told through their apprentice account only: a craftsman's account on the same person, to whom the pairing is not open, hears nothing", async () => {
    const p = await makePairing(t.db, "通知丙");
    await t.db.deleteFrom("app_user").where("id", "=", p.apprenticeUser.id).execute();
    const craftsman = await makeUser(t.db, "craftsman", { personId: p.apprentice.id });
    expect(await pauseMentorship(t.db, p.leader, await pairing(p.mentorshipId), { pausedOn: "2026-06-01", reason: "企业停产检修" })).toEqual({ ok: true });
    await fanOut(t.db);
    expect(await t.db.selectFrom("message").select("text").where("user_id", "=", craftsman.id).execute()).toEqual([]);
  });
});

describe("pausing and resuming", () => {
  it("two pauses at once make one; while paused no log entry; resumed not before the pause; a paused pairing still counts and can be ended", async () => {
    const p = await makePairing(t.db, "暂停甲");
    const m = await pairing(p.mentorshipId);
    expect(await pauseMentorship(t.db, p.apprenticeUser, m, { pausedOn: "2026-06-01", reason: "外出培训" })).toMatchObject({ ok: false, status: 403 });
    expect(await pauseMentorship(t.db, p.leader, m, { pausedOn: "2026-02-01", reason: "外出培训" })).toMatchObject({ ok: false, field: "pausedOn" });
    const results = await Promise.all([
      pauseMentorship(t.db, p.leader, m, { pausedOn: "2026-06-01", reason: "企业停产检修" }),
      pauseMentorship(t.db, p.leader, m, { pausedOn: "2026-06-02", reason: "学徒生病" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(await t.db.selectFrom("mentorship_pause").select("resumed_on").where("mentorship_id", "=", m.id).execute()).toHaveLength(1);
    expect((await state(m.id)).status).toBe("paused");
    const paused = await pairing(m.id);
    expect(await addLogEntry(t.db, p.apprenticeUser, paused, { onDate: "2026-06-03", hours: 2, kind: "practice", content: "车削练习" }, [])).toMatchObject({
      ok: false,
      status: 409,
    });
    // Still the studio's apprentice.
    const counted = await t.db.selectFrom("studio").select(ACTIVE_MENTORSHIPS.as("n")).where("id", "=", p.studio.id).executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(1);
    const pausedOn = (await t.db.selectFrom("mentorship_pause").select("paused_on").where("mentorship_id", "=", m.id).executeTakeFirstOrThrow()).paused_on;
    const before = pausedOn === "2026-06-01" ? "2026-05-31" : "2026-06-01";
    expect(await resumeMentorship(t.db, p.leader, m, { resumedOn: before })).toMatchObject({ ok: false, status: 400, field: "resumedOn" });
    const county = await makeUser(t.db, "county_officer");
    expect(await resumeMentorship(t.db, county, m, { resumedOn: "2026-07-01" })).toEqual({ ok: true });
    expect(await resumeMentorship(t.db, county, m, { resumedOn: "2026-07-01" })).toMatchObject({ ok: false, status: 409 });
    expect((await state(m.id)).status).toBe("active");
    expect(await t.db.selectFrom("mentorship_pause").select(["resumed_on", "resumed_by"]).where("mentorship_id", "=", m.id).execute()).toEqual([
      { resumed_on: "2026-07-01", resumed_by: county.id },
    ]);
    // Paused again, then ended: a paused pairing is still a pairing to end.
    expect(await pauseMentorship(t.db, county, m, { pausedOn: "2026-08-01", reason: "工作调动" })).toEqual({ ok: true });
    expect(
      await endMentorship(t.db, p.leader, await pairing(m.id), { outcome: "ended_early", endedOn: "2026-09-01", reason: "调离", confirmed: true }),
    ).toEqual({ ok: true });
    expect(await resumeMentorship(t.db, county, m, { resumedOn: "2026-09-02" })).toMatchObject({ ok: false, status: 409 });
    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "mentorship_agreement")
      .where("entity_id", "=", String(m.id))
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(["pause", "resume", "pause"]);
  });
});
