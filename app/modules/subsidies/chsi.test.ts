import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { chsiCode } from "../../../test/chsi";
import { makeAwardee, makePayee, makeUser, publishSubsidies } from "../../../test/factories";
import { engineName } from "~db";
import type { SubsidyStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { addDays, addMonths, startOfDay, todayInTaizhou, yearInTaizhou } from "~/lib/time";
import { actionLabel, describeChange } from "~/modules/audit/labels";
import { historyOf } from "~/modules/audit/audit.server";
import { canCheckChsi, canEnterChsi, chsiCodeProblem, chsiLapse, chsiReportUrl, normaliseChsiCode, validUntilProblem } from "~/modules/subsidies/chsi";
import { chsiCard, enterChsiReport, recordChsiCheck } from "~/modules/subsidies/chsi.server";
import { applicationSchema, chsiReportSchema } from "~/modules/subsidies/schema.server";
import { addAttachments, createApplication, findApplication, savePolicy, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import type { SubsidyStep } from "~/modules/subsidies/policy";
import { todosFor } from "~/worker.server";

const t = useTestDb();
const YEAR = yearInTaizhou();
const today = todayInTaizhou();
const sixMonths = addMonths(today, 6);

describe("a 学信网 code and its validity", () => {
  it("takes 12 to 16 letters and digits, forgiving spaces, full-width characters and lower case", () => {
    expect(normaliseChsiCode("  awp6 wyx8 m822 4h2x ")).toBe("AWP6WYX8M8224H2X");
    expect(normaliseChsiCode("ＡＷＰ６ＷＹＸ８Ｍ８２２")).toBe("AWP6WYX8M822");
    expect(chsiCodeProblem("AWP6WYX8M822")).toBeNull();
    expect(chsiCodeProblem("AWP6WYX8M8224H2X")).toBeNull();
    expect(chsiCodeProblem("AWP6WYX8M82")).toBe("在线验证码应为12到16位字母或数字（填写的是11位）");
    expect(chsiCodeProblem("AWP6WYX8M8224H2XY")).toBe("在线验证码应为12到16位字母或数字（填写的是17位）");
    expect(chsiCodeProblem("AWP6-WYX8-M822")).toBe("在线验证码只含字母和数字，请照报告上的在线验证码填写");
    expect(chsiCodeProblem("")).toBe("请填写在线验证码");

    const parsed = (code: string) => chsiReportSchema.safeParse({ code, kind: "enrolment", validUntil: sixMonths });
    expect(parsed(" awp6wyx8m8224h2x").data?.code).toBe("AWP6WYX8M8224H2X");
    for (const bad of ["AWP6WYX8M82", "AWP6WYX8M8224H2XY", "AWP6WYX8M822.", "学信网验证码一二三四五六", "A".repeat(65)]) {
      expect(parsed(bad).success, bad).toBe(false);
    }
  });

  it("is valid one to six months from today, and refuses a date already past", () => {
    const on = "2026-12-06";
    expect(validUntilProblem("2026-12-05", on, 6)).toBe("该验证码已于 2026-12-05 过期，请在学信网重新生成报告，有效期选6个月");
    expect(validUntilProblem("2027-01-05", on, 6)).toBe("有效期不足1个月，审核结束前就会过期；请在学信网重新生成报告，有效期选6个月");
    expect(validUntilProblem("2027-01-06", on, 6)).toBeNull();
    expect(validUntilProblem("2027-06-06", on, 6)).toBeNull();
    expect(validUntilProblem("2027-06-07", on, 6)).toBe("学信网验证报告的有效期最长6个月（至 2027-06-06），请核对有效期");
    expect(chsiLapse("2026-12-05", on)).toBe("lapsed");
    expect(chsiLapse("2026-12-06", on)).toBe("lapsing");
    expect(chsiLapse("2027-01-04", on)).toBe("lapsing");
    expect(chsiLapse("2027-01-05", on)).toBeNull();
    expect(chsiReportUrl("AWP6WYX8M8224H2X")).toBe("https://www.chsi.com.cn/xlcx/bg.do?vcode=AWP6WYX8M8224H2X&srcid=bgcx");
  });

  it("is entered by the applicant and checked by whoever reviews now", () => {
    const users: Record<string, SessionUser> = {
      owner: { id: "a", username: "a", displayName: "a", role: "craftsman", orgUnitId: null, personId: 1 },
      otherCraftsman: { id: "b", username: "b", displayName: "b", role: "craftsman", orgUnitId: null, personId: 2 },
      county: { id: "c", username: "c", displayName: "c", role: "county_officer", orgUnitId: 6, personId: null },
      otherCounty: { id: "o", username: "o", displayName: "o", role: "county_officer", orgUnitId: 2, personId: null },
      city: { id: "x", username: "x", displayName: "x", role: "city_admin", orgUnitId: null, personId: null },
    };
    const valid = { valid_until: sixMonths };
    const lapsing = { valid_until: addDays(today, 10) };
    const enter: Record<SubsidyStatus, string> = {
      draft: "owner",
      returned: "owner",
      submitted: "",
      county_approved: "",
      approved: "",
      disbursed: "owner",
      closed: "",
      rejected: "",
    };
    const check: Record<SubsidyStatus, string> = {
      draft: "",
      returned: "",
      submitted: "county",
      county_approved: "city",
      approved: "",
      disbursed: "city",
      closed: "",
      rejected: "",
    };
    for (const status of Object.keys(enter) as SubsidyStatus[]) {
      const app = { status, org_unit_id: 6, person_id: 1 };
      for (const [who, user] of Object.entries(users)) {
        expect(canEnterChsi(user, app, valid, today), `${who} enters, ${status}`).toBe(enter[status] === who);
        expect(canCheckChsi(user, app), `${who} checks, ${status}`).toBe(check[status] === who);
      }
      // Under review, only a code that lapsed or is lapsing may be replaced (and only by its applicant).
      const underReview = status === "submitted" || status === "county_approved";
      expect(canEnterChsi(users.owner, app, lapsing, today), `owner renews, ${status}`).toBe(underReview || enter[status] === "owner");
      expect(canEnterChsi(users.otherCraftsman, app, lapsing, today)).toBe(false);
    }
  });
});

async function policy() {
  const city = await makeUser(t.db, "city_admin");
  const saved = await savePolicy(t.db, city, YEAR, {
    budget: 100_000_00,
    sharePercent: 50,
    holdbackPercent: 20,
    yearsAfterAward: 10,
    open: true,
    caps: { 本科: 1_500_000 },
  });
  expect(saved).toEqual({ ok: true });
  return city;
}

const form = () =>
  applicationSchema.parse({
    currentEducation: "大专",
    targetDegree: "本科",
    institution: "浙江工业大学",
    programme: "机械工程",
    studyMode: "part_time",
    enrolledOn: `${YEAR}-09-01`,
    expectedGraduation: `${YEAR + 3}-07-01`,
    tuition: "24000",
    requested: "12000",
  });

/** An application with its proof, ready to submit but for the code. */
async function scene(unit = "wenling") {
  const city = await policy();
  const { user: craftsman } = await makeAwardee(t.db, unit, `${unit}学员`);
  const county = await makeUser(t.db, "county_officer", { unit });
  const created = await createApplication(t.db, craftsman, YEAR, form());
  if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
  const id = created.id;
  const app = async () => (await findApplication(t.db, id))!;
  await addAttachments(t.db, craftsman, await app(), "admission", [{ name: "录取.pdf", bytes: PDF }]);
  await addAttachments(t.db, craftsman, await app(), "receipt", [{ name: "收据.pdf", bytes: PDF }]);
  const step = async (actor: SessionUser, name: SubsidyStep, extra: Partial<{ reason: string; amount: string; date: string; voucher: string }> = {}) =>
    takeSubsidyStep(t.db, actor, id, name, {
      expected: (await app()).status,
      reason: extra.reason ?? null,
      confirmed: true,
      amount: extra.amount,
      date: extra.date,
      voucher: extra.voucher ?? null,
      noOtherSchemes: name === "submit",
    });
  const enter = async (actor: SessionUser, input: Partial<{ code: string; kind: "enrolment" | "degree" | "filing"; validUntil: string }> = {}, now?: Date) =>
    enterChsiReport(
      t.db,
      actor,
      await app(),
      { code: input.code ?? chsiCode(), kind: input.kind ?? "enrolment", validUntil: input.validUntil ?? sixMonths },
      now,
    );
  const latestId = async () =>
    (await t.db.selectFrom("subsidy_chsi_report").select("id").where("application_id", "=", id).orderBy("id", "desc").executeTakeFirstOrThrow()).id;
  const record = async (actor: SessionUser, over: Partial<Parameters<typeof recordChsiCheck>[3]> = {}, now?: Date) =>
    recordChsiCheck(
      t.db,
      actor,
      await app(),
      {
        reportId: await latestId(),
        outcome: "matches",
        nameMatches: true,
        idDigitsMatch: true,
        school: "浙江工业大学",
        level: "本科",
        recordStatus: "在籍（注册学籍）",
        graduatedOn: null,
        note: null,
        ...over,
      },
      now,
    );
  return { city, craftsman, county, id, app, step, enter, record };
}

describe(`学信网 verification of an application (${engineName()})`, () => {
  it("is needed to submit, and a checked match is needed for each approval", async () => {
    const { city, craftsman, county, id, step, enter, record } = await scene();
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const { user: otherCraftsman } = await makeAwardee(t.db, "wenling", "另一学员");

    expect(await step(craftsman, "submit")).toMatchObject({ ok: false, reasons: ["请填写学信网学籍在线验证报告的在线验证码"] });
    expect(await enter(otherCraftsman)).toMatchObject({ ok: false, status: 403 });
    expect(await enter(county)).toMatchObject({ ok: false, status: 403, message: "学信网验证码由申请人本人填写" });
    expect(await enter(craftsman, { kind: "filing" })).toMatchObject({ ok: false, fieldErrors: { kind: ["入学时请填写学籍在线验证报告的验证码"] } });
    expect(await enter(craftsman, { validUntil: addDays(today, -1) })).toMatchObject({ ok: false, field: "validUntil" });
    expect(await enter(craftsman, { validUntil: addMonths(today, 7) })).toMatchObject({ ok: false, field: "validUntil" });
    expect(await enter(craftsman, { code: "AWP6WYX8M8224H2X" })).toEqual({ ok: true });
    expect(await step(craftsman, "submit")).toEqual({ ok: true, to: "submitted" });
    // Under review and far from lapsing: the code stays as the county sees it.
    expect(await enter(craftsman)).toMatchObject({ ok: false, status: 403, message: "当前状态下不能填写学信网验证码" });

    expect(await step(county, "county_approve")).toMatchObject({ ok: false, status: 409, message: "请先在学信网核验申请人填写的验证码，并记录核验结果" });
    expect(await record(otherCounty)).toMatchObject({ ok: false, status: 403 });
    expect(await record(city)).toMatchObject({ ok: false, status: 403 });
    expect(await record(craftsman)).toMatchObject({ ok: false, status: 403 });
    // "一致" says what the report showed, and only when the name and the ID's digits both match.
    expect(await record(county, { nameMatches: false, school: null, recordStatus: null })).toMatchObject({
      ok: false,
      fieldErrors: { nameMatches: ["姓名不一致时请记录为“不一致”"], school: ["请填写报告上的学校"], recordStatus: ["请填写报告上的学籍状态"] },
    });
    expect(await record(county, { outcome: "mismatch", idDigitsMatch: false })).toMatchObject({ ok: false, fieldErrors: { note: ["请说明哪里不一致"] } });
    expect(await record(county, { outcome: "mismatch", idDigitsMatch: false, note: "报告上的身份证号后4位不同" })).toEqual({ ok: true });
    expect(await record(county)).toMatchObject({ ok: false, status: 409, message: "该验证码的核验结果已记录" });
    expect(await step(county, "county_approve")).toMatchObject({
      ok: false,
      status: 409,
      message: "学信网核验结果为不一致，不能通过；请退回修改或不予通过，并说明理由",
    });
    expect(await step(county, "county_return", { reason: "学信网报告不是本人的，请填写本人的验证码" })).toEqual({ ok: true, to: "returned" });

    expect(await enter(craftsman)).toEqual({ ok: true });
    expect(await step(craftsman, "submit")).toEqual({ ok: true, to: "submitted" });
    expect(await record(county)).toEqual({ ok: true });
    expect(await step(county, "county_approve")).toEqual({ ok: true, to: "county_approved" });
    // The county's record stands for the city, who may record too before approving but need not.
    expect(await record(county)).toMatchObject({ ok: false, status: 403 });
    expect(await step(city, "city_approve", { amount: "12000" })).toEqual({ ok: true, to: "approved" });

    const history = await historyOf(t.db, "subsidy", id);
    const chsi = history.filter((h) => h.action.startsWith("chsi_"));
    expect(chsi.map((h) => actionLabel(h.action, "subsidy"))).toEqual(["填写学信网验证码", "记录学信网核验结果", "填写学信网验证码", "记录学信网核验结果"]);
    expect(chsi[0].comment).toBe(`学籍在线验证报告，验证码 AWP6WYX8M8224H2X，有效期至 ${sixMonths}`);
    expect(chsi[1].comment).toBe("验证码 AWP6WYX8M8224H2X：不一致，报告上的身份证号后4位不同");
    // The audit log reads them in Chinese too.
    expect(describeChange("subsidy", chsi[0].after)).toBe(
      `在线验证码：AWP6WYX8M8224H2X；阶段：入学（学籍）；报告类型：学籍在线验证报告；有效期至：${sixMonths}`,
    );
    expect(describeChange("subsidy", chsi[1].after)).toBe(
      "在线验证码：AWP6WYX8M8224H2X；报告所示：浙江工业大学，本科，在籍（注册学籍）；核验结论：不一致；姓名一致：是；身份证号后几位一致：否",
    );
    expect(chsi[3].comment).toMatch(/：一致（浙江工业大学，本科，在籍（注册学籍））$/);
  });

  it("refuses another applicant's code, and a record of 一致 for a code that has lapsed", async () => {
    const first = await scene("wenling");
    expect(await first.enter(first.craftsman, { code: "DK4A8M2X7L3GPUFT" })).toEqual({ ok: true });
    const second = await scene("jiaojiang");
    expect(await second.enter(second.craftsman, { code: "DK4A8M2X7L3GPUFT" })).toMatchObject({
      ok: false,
      fieldErrors: { code: ["该验证码已在他人的补助申请中使用，请核对是否为本人的报告"] },
    });
    // The first applicant may enter their own code again (an extended report keeps its code).
    expect(await first.enter(first.craftsman, { code: "DK4A8M2X7L3GPUFT" })).toEqual({ ok: true });

    expect(await first.step(first.craftsman, "submit")).toEqual({ ok: true, to: "submitted" });
    const afterLapse = startOfDay(addDays(sixMonths, 1));
    expect(await first.record(first.county, {}, afterLapse)).toMatchObject({ ok: false, field: "outcome" });
    expect(await first.record(first.county, { outcome: "mismatch", note: "验证码已过期，无法查看" }, afterLapse)).toEqual({ ok: true });
  });

  it("closes only on a checked graduation report, beside the certificate", async () => {
    const { city, craftsman, county, app, step, enter, record } = await scene();
    await enter(craftsman);
    await step(craftsman, "submit");
    await record(county);
    await step(county, "county_approve");
    await step(city, "city_approve", { amount: "12000" });
    // Before payment, the graduation report has no place yet.
    expect(await enter(craftsman, { kind: "filing" })).toMatchObject({ ok: false, status: 403 });
    await makePayee(t.db, (await app()).id);
    await publishSubsidies(t.db, city, YEAR);
    expect(await step(city, "disburse", { date: today, voucher: "CW-1" })).toEqual({ ok: true, to: "disbursed" });
    await addAttachments(t.db, craftsman, await app(), "graduation", [{ name: "毕业证.pdf", bytes: PDF }]);

    const close = () => step(city, "close", { date: today, voucher: "CW-2" });
    expect(await close()).toMatchObject({ ok: false, status: 409, message: "申请人尚未填写毕业的学信网验证码（学历在线验证报告或备案表）" });
    expect(await enter(craftsman, { kind: "enrolment" })).toMatchObject({ ok: false, field: "kind" });
    expect(await enter(craftsman, { kind: "filing" })).toEqual({ ok: true });
    expect(await close()).toMatchObject({ ok: false, status: 409, message: "请先在学信网核验申请人填写的验证码，并记录核验结果" });
    expect(await record(county)).toMatchObject({ ok: false, status: 403 });
    expect(await record(city)).toMatchObject({ ok: false, fieldErrors: { graduatedOn: ["请填写报告上的毕业日期"] } });
    expect(await record(city, { graduatedOn: addDays(today, -3) })).toEqual({ ok: true });
    expect(await close()).toEqual({ ok: true, to: "closed" });
    const graduation = await t.db.selectFrom("subsidy_chsi_report").selectAll().where("stage", "=", "graduation").executeTakeFirstOrThrow();
    expect(graduation).toMatchObject({ kind: "filing", outcome: "matches", graduated_on: addDays(today, -3), record_status: null });
  });

  it("warns of a code lapsing before the review ends, with a to-do for the applicant that a new code clears", async () => {
    const { craftsman, county, id, step, enter } = await scene();
    const inTwoMonths = addMonths(today, 2);
    expect(await enter(craftsman, { validUntil: inTwoMonths })).toEqual({ ok: true });
    await step(craftsman, "submit");
    const renewals = async (at: Date) => (await todosFor(t.db, craftsman, at)).filter((i) => i.link === `/subsidies/${id}`).map((i) => i.label);
    const card = async (viewer: SessionUser, at: Date) => (await chsiCard(t.db, viewer, (await findApplication(t.db, id))!, at)).lapse;

    expect(await renewals(new Date())).toEqual([]);
    expect(await card(county, new Date())).toBeNull();
    const soon = startOfDay(addDays(inTwoMonths, -20));
    expect(await renewals(soon)).toEqual(["学信网验证码即将过期，请重新生成并填写"]);
    expect(await card(county, soon)).toEqual({ lapse: "lapsing", validUntil: inTwoMonths, owner: false });
    expect(await card(craftsman, soon)).toEqual({ lapse: "lapsing", validUntil: inTwoMonths, owner: true });
    const after = startOfDay(addDays(inTwoMonths, 1));
    expect(await renewals(after)).toEqual(["学信网验证码已过期，请重新生成并填写"]);

    // Under review, a lapsing code may be replaced; the county is told, and checks the new one.
    const renewed = await enterChsiReport(
      t.db,
      craftsman,
      (await findApplication(t.db, id))!,
      { code: chsiCode(), kind: "enrolment", validUntil: addMonths(todayInTaizhou(soon), 6) },
      soon,
    );
    expect(renewed).toEqual({ ok: true });
    expect(await renewals(soon)).toEqual([]);
    expect(await card(county, soon)).toBeNull();
    const history = await historyOf(t.db, "subsidy", id);
    expect(history.at(-1)).toMatchObject({ action: "chsi_report_county" });
  });
});
