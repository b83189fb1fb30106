import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { idNumberFor, makeSubsidy, makeUser, phoneInbox, publishSubsidies } from "../../../test/factories";
import { engineName } from "~db";
import type { SessionUser } from "~/auth/roles";
import { todayInTaizhou } from "~/lib/time";
import { historyOf } from "~/modules/audit/audit.server";
import { requestSignInCode } from "~/modules/apprentices/sign-in.server";
import {
  fileSubsidyObjection,
  noticeBoard,
  noticeSideOf,
  publishNotice,
  publishPreview,
  requestSubsidyObjectionCode,
  resolveSubsidyObjection,
  revealSubsidyObjector,
  subsidyObjectionOutcome,
} from "~/modules/subsidies/notice.server";
import { offeredSteps } from "~/modules/subsidies/policy";
import { budgetStatus, findApplication, savePolicy, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import type { SubsidyStep } from "~/modules/subsidies/policy";

const t = useTestDb();
const YEAR = 2026;
/** Ten in the morning in Taizhou on a day of the year. */
const at = (date: string, minutes = 0) => new Date(Date.parse(`${date}T02:00:00Z`) + minutes * 60_000);
const OBJECTOR = { name: "欧阳明远", idNumber: idNumberFor("M", "1979-11-23"), phone: "13857612399" };

async function policy(year = YEAR, noticeDays?: number) {
  const city = await makeUser(t.db, "city_admin");
  const saved = await savePolicy(t.db, city, year, {
    budget: 100_000_00,
    sharePercent: 50,
    holdbackPercent: 20,
    yearsAfterAward: 10,
    open: true,
    caps: { 本科: 1_500_000 },
    noticeDays,
  });
  expect(saved).toEqual({ ok: true });
  return city;
}

const publish = (actor: SessionUser, expected: number, now: Date, confirmed = true, year = YEAR) =>
  publishNotice(t.db, actor, year, { expected, confirmed }, now);
// The file's tests share one database: each after the first has a year of its own.

/** The objection form as the public page posts it, parsed. */
const filing = (applicationId: number, code: string, over: Partial<typeof OBJECTOR> = {}) => {
  const who = { ...OBJECTOR, ...over };
  return {
    name: who.name,
    idNumber: { idNumber: who.idNumber, sex: "M" as const, birthDate: "1979-11-23" },
    phone: who.phone,
    code,
    relation: "同事" as const,
    content: "反映其报读的是非学历培训班，不是学历教育。",
    applicationId,
  };
};

const noFiles = async () => [];

/** A code asked for on the public page, as the handset receives it. */
async function codeFor(noticeId: number, now: Date, phone = OBJECTOR.phone, address = "198.51.100.7") {
  const inbox = phoneInbox();
  const sent = await requestSubsidyObjectionCode(t.db, inbox, noticeId, { phone }, { address }, now);
  expect(sent).toMatchObject({ ok: true });
  return inbox.codeFor(phone);
}

const step = (actor: SessionUser, id: number, name: SubsidyStep, expected: string, extra: { reason?: string; confirmed?: boolean } = {}) =>
  takeSubsidyStep(t.db, actor, id, name, {
    expected,
    reason: extra.reason ?? null,
    confirmed: extra.confirmed ?? true,
    date: todayInTaizhou(),
    voucher: name === "disburse" ? "CW-1" : null,
  });

describe(`the 公示 of approved subsidies (${engineName()})`, () => {
  it("publishes exactly the year's approved applications in no 公示 yet, for the policy's days, each in its history", async () => {
    const city = await policy(YEAR, 5);
    await policy(YEAR + 1);
    const a = await makeSubsidy(t.db, YEAR, city.id, { name: "欧阳明远" });
    const b = await makeSubsidy(t.db, YEAR, city.id, { unit: "jiaojiang", approvedFen: 888_800 });
    const waiting = await makeSubsidy(t.db, YEAR, city.id, { status: "county_approved" });
    const nextYear = await makeSubsidy(t.db, YEAR + 1, city.id);
    const county = await makeUser(t.db, "county_officer");

    expect((await publishPreview(t.db, YEAR, at("2026-03-02"))).rows.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(await publish(county, 2, at("2026-03-02"))).toMatchObject({ ok: false, status: 403 });
    expect(await publish(city, 2, at("2026-03-02"), false)).toMatchObject({ ok: false, status: 400, field: "confirmed" });
    // An approval since the list was shown: the count confirmed no longer holds.
    expect(await publish(city, 1, at("2026-03-02"))).toMatchObject({ ok: false, status: 409 });
    const published = await publish(city, 2, at("2026-03-02"));
    expect(published).toMatchObject({ ok: true, count: 2, startsOn: "2026-03-02", endsOn: "2026-03-06" });
    if (!published.ok) throw new Error(published.message);
    const noticeOf = async (id: number) => (await findApplication(t.db, id))!.notice_id;
    expect([await noticeOf(a.id), await noticeOf(b.id), await noticeOf(waiting.id), await noticeOf(nextYear.id)]).toEqual([
      published.noticeId,
      published.noticeId,
      null,
      null,
    ]);
    expect(await publish(city, 0, at("2026-03-03"))).toMatchObject({ ok: false, status: 409, message: "没有待公示的已批准申请" });
    expect((await historyOf(t.db, "subsidy", a.id)).map((h) => h.action)).toContain("notice_publish");
    expect((await historyOf(t.db, "subsidy", waiting.id)).map((h) => h.action)).not.toContain("notice_publish");

    // The public page: the surname only, employer, degree, school and amount — while it is open.
    const open = await noticeBoard(t.db, published.noticeId, at("2026-03-06"));
    expect(open?.state).toBe("open");
    expect(open?.rows).toEqual([
      { id: a.id, name: "欧***", employer: "温岭恒远精密机械有限公司", degree: "本科", institution: "台州学院", amountFen: 1_000_000 },
      expect.objectContaining({ id: b.id, amountFen: 888_800 }),
    ]);
    expect(JSON.stringify(open)).not.toContain("欧阳明远");
    expect(await noticeBoard(t.db, published.noticeId, at("2026-03-07"))).toMatchObject({ state: "after", rows: [] });
    expect(await noticeBoard(t.db, published.noticeId, at("2026-03-01"))).toMatchObject({ state: "before", rows: [] });
  });

  it("takes a verified real-name objection: the code goes to the number given, a wrong one is refused, and the limits hold", async () => {
    const city = await policy(2025);
    const app = await makeSubsidy(t.db, 2025, city.id);
    const other = await makeSubsidy(t.db, 2025, city.id);
    const published = await publish(city, 2, at("2025-03-02"), true, 2025);
    if (!published.ok) throw new Error(published.message);
    const notice = published.noticeId;
    const later = await makeSubsidy(t.db, 2025, city.id);
    const now = at("2025-03-03");

    // The objector is on no record, yet the code reaches them; sign-in still sends nothing to such a number.
    const inbox = phoneInbox();
    expect(await requestSignInCode(t.db, inbox, OBJECTOR.phone, null, now)).toMatchObject({ ok: true });
    expect(inbox.sent).toEqual([]);
    const code = await codeFor(notice, now);
    expect(code).toMatch(/^\d{6}$/);

    const wrong = code === "000000" ? "111111" : "000000";
    expect(await fileSubsidyObjection(t.db, notice, filing(app.id, wrong), noFiles, { address: "198.51.100.7" }, now)).toMatchObject({
      ok: false,
      field: "code",
      message: "验证码不正确",
    });
    // Not on this 公示 (published after it): refused at its field.
    expect(await fileSubsidyObjection(t.db, notice, filing(later.id, code), noFiles, { address: "198.51.100.7" }, now)).toMatchObject({
      ok: false,
      field: "applicationId",
    });
    const filed = await fileSubsidyObjection(
      t.db,
      notice,
      filing(app.id, code),
      async () => [{ name: "证明.pdf", bytes: PDF }],
      { address: "198.51.100.7" },
      now,
    );
    expect(filed).toMatchObject({ ok: true, lookup: expect.stringMatching(/^YY[A-Z0-9]{8}$/) });
    if (!filed.ok) throw new Error(filed.message);
    // The code is spent by the filing.
    expect(await fileSubsidyObjection(t.db, notice, filing(other.id, code), noFiles, { address: "198.51.100.7" }, now)).toMatchObject({
      ok: false,
      field: "code",
    });
    const stored = await t.db.selectFrom("subsidy_objection").selectAll().executeTakeFirstOrThrow();
    for (const secret of [OBJECTOR.name, OBJECTOR.idNumber, OBJECTOR.phone]) expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored).toMatchObject({ objector_masked: "欧***", phone_masked: "138****2399", outcome: "pending", address: "198.51.100.7" });
    expect(await t.db.selectFrom("subsidy_objection_file").select("filename").execute()).toEqual([{ filename: "证明.pdf" }]);
    expect(await subsidyObjectionOutcome(t.db, notice, filed.lookup)).toMatchObject({ outcome: "待处理", handling: "" });
    expect(await subsidyObjectionOutcome(t.db, notice + 1, filed.lookup)).toBeNull();

    // The officers: the county reads what it says, the city also who filed it, revealed with a reason in the history.
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const owner = await makeUser(t.db, "craftsman", { personId: app.personId });
    const appRow = (await findApplication(t.db, app.id))!;
    const countySide = await noticeSideOf(t.db, county, appRow);
    expect(countySide.objections).toMatchObject([{ relation: "同事", content: expect.stringContaining("非学历"), objector: null }]);
    expect((await noticeSideOf(t.db, owner, appRow)).objections).toEqual([]);
    expect((await noticeSideOf(t.db, city, appRow)).objections[0].objector).toMatchObject({
      name: "欧***",
      phone: "138****2399",
      files: [{ filename: "证明.pdf" }],
    });
    expect(await revealSubsidyObjector(t.db, county, app.id, stored.id, "联系异议人核实")).toMatchObject({ ok: false, status: 403 });
    expect(await revealSubsidyObjector(t.db, city, other.id, stored.id, "联系异议人核实")).toMatchObject({ ok: false, status: 404 });
    expect(await revealSubsidyObjector(t.db, city, app.id, stored.id, "联系异议人核实")).toEqual({
      ok: true,
      name: OBJECTOR.name,
      idNumber: OBJECTOR.idNumber,
      phone: OBJECTOR.phone,
    });
    const history = await historyOf(t.db, "subsidy", app.id);
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(["objection_received", "reveal_objector"]));
    expect(JSON.stringify(history)).not.toContain("非学历");

    // Three filings a day per number: the fourth code is not even sent.
    for (const minute of [2, 4]) {
      const next = await codeFor(notice, at("2025-03-03", minute));
      expect(await fileSubsidyObjection(t.db, notice, filing(other.id, next), noFiles, { address: "198.51.100.7" }, at("2025-03-03", minute))).toMatchObject({
        ok: true,
      });
    }
    expect(await requestSubsidyObjectionCode(t.db, phoneInbox(), notice, { phone: OBJECTOR.phone }, { address: null }, at("2025-03-03", 6))).toMatchObject({
      ok: false,
      status: 429,
      field: "phone",
    });
    // Ten in the 公示 per person, whatever number they use.
    for (let i = 0; i < 7; i++) {
      const phone = `1385761${String(2400 + i)}`;
      const next = await codeFor(notice, at("2025-03-04", i), phone, `198.51.100.${20 + i}`);
      expect(
        await fileSubsidyObjection(t.db, notice, filing(other.id, next, { phone }), noFiles, { address: `198.51.100.${20 + i}` }, at("2025-03-04", i)),
      ).toMatchObject({ ok: true });
    }
    const eleventh = await codeFor(notice, at("2025-03-04", 30), "13857612500", "198.51.100.40");
    expect(
      await fileSubsidyObjection(
        t.db,
        notice,
        filing(other.id, eleventh, { phone: "13857612500" }),
        noFiles,
        { address: "198.51.100.40" },
        at("2025-03-04", 30),
      ),
    ).toMatchObject({ ok: false, status: 429, field: "idNumber" });

    // Once the 公示 is over, no code and no filing.
    expect(await requestSubsidyObjectionCode(t.db, phoneInbox(), notice, { phone: "13857612600" }, { address: null }, at("2025-03-09"))).toMatchObject({
      ok: false,
      status: 409,
      message: "公示期已结束，不能再提出异议",
    });
  });
});

describe(`payment after the 公示 (${engineName()})`, () => {
  it("is refused before publishing and during the 公示, then with a pending objection, and allowed once it is dismissed", async () => {
    const city = await policy(2028);
    const app = await makeSubsidy(t.db, 2028, city.id);
    const unpublished = await step(city, app.id, "disburse", "approved");
    expect(unpublished).toMatchObject({ ok: false, status: 409, message: "暂不能拨付" });
    expect(!unpublished.ok && unpublished.reasons).toEqual(["尚未网上公示：批准的补助须经公示、期满无异议后才能拨付"]);

    // Published today: its last day is still ahead.
    const today = await publish(city, 1, new Date(), true, 2028);
    if (!today.ok) throw new Error(today.message);
    const during = await step(city, app.id, "disburse", "approved");
    expect(!during.ok && during.reasons).toEqual([`公示期至 ${today.endsOn}，期满后才能拨付`]);

    // Another, published three weeks ago, objected to on its second day.
    const earlier = await makeSubsidy(t.db, 2028, city.id);
    const published = await publishSubsidies(t.db, city, 2028, 21);
    const filedAt = new Date(Date.now() - 20 * 86_400_000);
    const code = await codeFor(published.noticeId, filedAt);
    expect(await fileSubsidyObjection(t.db, published.noticeId, filing(earlier.id, code), noFiles, { address: null }, filedAt)).toMatchObject({ ok: true });
    const pending = await step(city, earlier.id, "disburse", "approved");
    expect(!pending.ok && pending.reasons).toEqual(["有 1 件公示异议尚未处理，处理完毕后才能拨付"]);

    const objection = await t.db.selectFrom("subsidy_objection").select("id").where("application_id", "=", earlier.id).executeTakeFirstOrThrow();
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const dismiss = { outcome: "dismissed" as const, handling: "经向院校核实，系学历教育", confirmed: true };
    expect(await resolveSubsidyObjection(t.db, county, earlier.id, objection.id, dismiss)).toMatchObject({ ok: false, status: 403 });
    expect(await resolveSubsidyObjection(t.db, city, earlier.id, objection.id, { ...dismiss, confirmed: false })).toMatchObject({
      ok: false,
      field: "confirmed",
    });
    expect(await resolveSubsidyObjection(t.db, city, app.id, objection.id, dismiss)).toMatchObject({ ok: false, status: 404 });
    expect(await resolveSubsidyObjection(t.db, city, earlier.id, objection.id, dismiss)).toEqual({ ok: true });
    expect(await resolveSubsidyObjection(t.db, city, earlier.id, objection.id, { ...dismiss, outcome: "upheld" })).toMatchObject({ ok: false, status: 409 });
    expect(await step(city, earlier.id, "disburse", "approved")).toEqual({ ok: true, to: "disbursed" });
  });

  it("is refused for good with an upheld objection, and the city may then revoke the approval with a reason", async () => {
    const city = await policy(2029);
    const app = await makeSubsidy(t.db, 2029, city.id);
    const clean = await makeSubsidy(t.db, 2029, city.id);
    const published = await publishSubsidies(t.db, city, 2029, 21);
    const filedAt = new Date(Date.now() - 20 * 86_400_000);
    const phone = "13857612700";
    const code = await codeFor(published.noticeId, filedAt, phone);
    const filed = await fileSubsidyObjection(t.db, published.noticeId, filing(app.id, code, { phone }), noFiles, { address: null }, filedAt);
    if (!filed.ok) throw new Error(filed.message);
    const objection = await t.db.selectFrom("subsidy_objection").select("id").where("application_id", "=", app.id).executeTakeFirstOrThrow();

    // Revoking needs an upheld objection: not offered, and refused if posted.
    expect(offeredSteps(city, (await findApplication(t.db, app.id))!, false).map((s) => s.step)).toEqual(["disburse"]);
    expect(await step(city, app.id, "revoke", "approved", { reason: "异议属实" })).toMatchObject({ ok: false, status: 409 });

    const handling = "经向院校核实，所报读为非学历培训";
    expect(await resolveSubsidyObjection(t.db, city, app.id, objection.id, { outcome: "upheld", handling, confirmed: true })).toEqual({ ok: true });
    expect(await subsidyObjectionOutcome(t.db, published.noticeId, filed.lookup)).toMatchObject({ outcome: "经核查属实", handling });
    const refused = await step(city, app.id, "disburse", "approved");
    expect(!refused.ok && refused.reasons).toEqual(["公示异议经核查属实，不能拨付"]);
    const side = await noticeSideOf(t.db, city, (await findApplication(t.db, app.id))!);
    expect(side.upheld).toBe(true);
    expect(offeredSteps(city, (await findApplication(t.db, app.id))!, side.upheld).map((s) => s.step)).toEqual(["revoke", "disburse"]);

    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await step(county, app.id, "revoke", "approved", { reason: handling })).toMatchObject({ ok: false, status: 403 });
    expect(await step(city, app.id, "revoke", "approved")).toMatchObject({ ok: false, status: 400, field: "reason" });
    expect(await step(city, app.id, "revoke", "approved", { reason: handling, confirmed: false })).toMatchObject({ ok: false, field: "confirmed" });
    expect(await budgetStatus(t.db, 2029)).toMatchObject({ committed: 2_000_000 });
    expect(await step(city, app.id, "revoke", "approved", { reason: handling })).toEqual({ ok: true, to: "rejected" });
    expect(await findApplication(t.db, app.id)).toMatchObject({ status: "rejected", status_reason: handling });
    // The approved amount goes back to the year's budget; the other application pays as usual.
    expect(await budgetStatus(t.db, 2029)).toMatchObject({ committed: 1_000_000 });
    expect((await historyOf(t.db, "subsidy", app.id)).map((h) => h.action)).toContain("subsidy_revoke");
    expect(await step(city, clean.id, "disburse", "approved")).toEqual({ ok: true, to: "disbursed" });
  });
});
