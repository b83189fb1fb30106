import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { CARD_NUMBER, makeAwardee, makePayee, makePerson, makeUser, publishSubsidies, unitId } from "../../../test/factories";
import { checkChsi, enterChsi, insertCheckedChsi } from "../../../test/chsi";
import { engineName } from "~db";
import { applicationSchema, payeeSchema } from "~/modules/subsidies/schema.server";
import { savePayee } from "~/modules/subsidies/payee.server";
import { canTakeStep, holdbackFen, maxSubsidyFen, SUBSIDY_STEPS, type SubsidyStep } from "~/modules/subsidies/policy";
import {
  addAttachments,
  budgetStatus,
  createApplication,
  findApplication,
  savePolicy,
  takeSubsidyStep,
  updateApplication,
} from "~/modules/subsidies/subsidies.server";
import type { SubsidyStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { historyOf } from "~/modules/audit/audit.server";

const t = useTestDb();
const YEAR = 2026;

const form = (over: Record<string, string> = {}) =>
  applicationSchema.parse({
    currentEducation: "大专",
    targetDegree: "本科",
    institution: "浙江工业大学",
    programme: "机械工程",
    studyMode: "part_time",
    enrolledOn: "2025-09-01",
    expectedGraduation: "2028-07-01",
    tuition: "¥24,000",
    requested: "12000.00",
    ...over,
  });

async function policy(budget = "100000", holdback = 20, year = YEAR) {
  const city = await makeUser(t.db, "city_admin");
  const saved = await savePolicy(t.db, city, year, {
    budget: Number(budget) * 100,
    sharePercent: 50,
    holdbackPercent: holdback,
    yearsAfterAward: 10,
    open: true,
    caps: { 大专: 800000, 本科: 1500000, 硕士研究生: 3000000 },
  });
  expect(saved).toEqual({ ok: true });
  return city;
}

const step = (
  actor: SessionUser,
  id: number,
  name: SubsidyStep,
  expected: string,
  extra: Partial<{ reason: string; amount: string; date: string; voucher: string; confirmed: boolean }> = {},
) =>
  takeSubsidyStep(t.db, actor, id, name, {
    expected,
    reason: extra.reason ?? null,
    confirmed: extra.confirmed ?? true,
    amount: extra.amount,
    date: extra.date,
    voucher: extra.voucher ?? null,
    // These applicants state at submission that no other scheme pays (other-schemes.test.ts tells the rest).
    noOtherSchemes: name === "submit",
  });

describe("subsidy policy rules", () => {
  it("computes the maximum and the holdback to the fen", () => {
    expect(maxSubsidyFen(2400000, 50, 1500000)).toBe(1200000);
    expect(maxSubsidyFen(4000001, 50, 1500000)).toBe(1500000);
    expect(maxSubsidyFen(333, 50, 1500000)).toBe(166);
    expect(holdbackFen(1200000, 20)).toBe(240000);
    expect(holdbackFen(333, 20)).toBe(66);
  });

  it("gives every step to one side only, from fixed states", () => {
    const all: SubsidyStatus[] = ["draft", "submitted", "returned", "county_approved", "approved", "disbursed", "closed", "rejected"];
    const users: Record<string, SessionUser> = {
      owner: { id: "a", username: "a", displayName: "a", role: "craftsman", orgUnitId: null, personId: 1 },
      county: { id: "c", username: "c", displayName: "c", role: "county_officer", orgUnitId: 6, personId: null },
      otherCounty: { id: "o", username: "o", displayName: "o", role: "county_officer", orgUnitId: 2, personId: null },
      city: { id: "x", username: "x", displayName: "x", role: "city_admin", orgUnitId: null, personId: null },
    };
    for (const [stepName, rule] of Object.entries(SUBSIDY_STEPS) as Array<[SubsidyStep, { from: readonly SubsidyStatus[]; by: readonly string[] }]>) {
      for (const status of all) {
        for (const [who, user] of Object.entries(users)) {
          const expected = rule.from.includes(status) && rule.by.includes(who);
          expect(canTakeStep(user, { status, org_unit_id: 6, person_id: 1 }, stepName), `${who} ${stepName} ${status}`).toBe(expected);
        }
      }
    }
  });
});

describe("an application from the craftsman's phone to closing", () => {
  it("is returned once for a missing receipt, approved at both levels, paid, and closed by the graduation proof", async () => {
    const city = await policy();
    const { user: craftsman } = await makeAwardee(t.db, "wenling");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });

    expect(await createApplication(t.db, craftsman, YEAR, form({ requested: "12000.01" }))).toMatchObject({
      ok: false,
      fieldErrors: { requested: ["按政策最多可申请 12000.00 元（学费的 50%，上限 15000.00 元）"] },
    });
    const created = await createApplication(t.db, craftsman, YEAR, form());
    if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
    const id = created.id;
    const app = async () => (await findApplication(t.db, id))!;
    // The 学信网 code and its checks have their own tests (chsi.test.ts); here they are entered and found to match.
    await enterChsi(t.db, craftsman, id);

    expect(await step(craftsman, id, "submit", "draft")).toMatchObject({ ok: false, reasons: ["请上传录取通知书或入学证明", "请上传学费收据"] });
    expect(
      await addAttachments(t.db, craftsman, await app(), "admission", [{ name: "录取.pdf", bytes: new TextEncoder().encode("GIF89a fake") }]),
    ).toMatchObject({ ok: false, status: 400 });
    expect(await addAttachments(t.db, craftsman, await app(), "admission", [{ name: "录取.pdf", bytes: PDF }])).toEqual({ ok: true });
    // Submitted without the receipt the first time round? Not possible: the check stops it.
    expect(await step(craftsman, id, "submit", "draft")).toMatchObject({ ok: false, reasons: ["请上传学费收据"] });
    await addAttachments(t.db, craftsman, await app(), "receipt", [{ name: "receipt.jpg", bytes: new Uint8Array([0xff, 0xd8, 0xff, 0]) }]);
    expect(await step(craftsman, id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });

    expect(await step(otherCounty, id, "county_approve", "submitted")).toMatchObject({ ok: false, status: 403 });
    expect(await step(county, id, "county_return", "submitted")).toMatchObject({ ok: false, status: 400 });
    expect(await step(county, id, "county_return", "submitted", { reason: "收据不清晰，请重新上传第二学期收据" })).toEqual({ ok: true, to: "returned" });
    await addAttachments(t.db, craftsman, await app(), "receipt", [{ name: "receipt2.pdf", bytes: PDF }]);
    expect(await updateApplication(t.db, craftsman, id, form({ requested: "11500" }))).toEqual({ ok: true, id });
    expect(await step(craftsman, id, "submit", "returned")).toEqual({ ok: true, to: "submitted" });
    await checkChsi(t.db, county, id);
    expect(await step(county, id, "county_approve", "submitted")).toEqual({ ok: true, to: "county_approved" });

    expect(await step(county, id, "city_approve", "county_approved", { amount: "11500" })).toMatchObject({ ok: false, status: 403 });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "12000.01" })).toMatchObject({ ok: false, status: 400 });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "-1" })).toMatchObject({ ok: false, message: "批准金额：金额不能为负数" });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "11,500.50" })).toEqual({ ok: true, to: "approved" });
    expect(await budgetStatus(t.db, YEAR)).toEqual({ budget: 10000000, committed: 1150050, paid: 0, remaining: 8849950, open: true });

    // Paid only after the 公示: here one that ended a while ago.
    expect(await step(city, id, "disburse", "approved", { date: "2026-06-01", voucher: "CW-2026-0601" })).toMatchObject({ ok: false, status: 409 });
    await publishSubsidies(t.db, city, YEAR);
    expect(await step(city, id, "disburse", "approved", { date: "2026-06-01", voucher: "CW-2026-0601", confirmed: false })).toMatchObject({
      ok: false,
      field: "confirmed",
    });
    expect(await step(city, id, "disburse", "approved", { date: "2026-06-01" })).toMatchObject({ ok: false, message: "请填写拨付凭证号" });
    // Not before the applicant has said where to pay it.
    expect(await step(city, id, "disburse", "approved", { date: "2026-06-01", voucher: "CW-2026-0601" })).toMatchObject({
      ok: false,
      status: 409,
      reasons: ["收款账户尚未登记"],
    });
    const account = payeeSchema.parse({ kind: "bank_card", accountName: (await app()).name, bankName: "中国农业银行温岭支行", number: CARD_NUMBER });
    expect(await savePayee(t.db, craftsman, await app(), account)).toEqual({ ok: true });
    expect(await step(city, id, "disburse", "approved", { date: "2026-06-01", voucher: "CW-2026-0601" })).toEqual({ ok: true, to: "disbursed" });
    expect(await app()).toMatchObject({ approved_fen: 1150050, paid_fen: 920040, held_fen: 230010 });

    expect(await step(city, id, "close", "disbursed", { date: "2028-07-10", voucher: "CW-2028-0710" })).toMatchObject({
      ok: false,
      message: "尚未上传毕业证书",
    });
    expect(await addAttachments(t.db, county, await app(), "graduation", [{ name: "毕业证.pdf", bytes: PDF }])).toMatchObject({ ok: false, status: 403 });
    expect(await addAttachments(t.db, craftsman, await app(), "graduation", [{ name: "毕业证.pdf", bytes: PDF }])).toEqual({ ok: true });
    await enterChsi(t.db, craftsman, id, "filing");
    await checkChsi(t.db, city, id);
    expect(await step(city, id, "close", "disbursed", { date: "2028-07-10", voucher: "CW-2028-0710" })).toEqual({ ok: true, to: "closed" });
    expect(await app()).toMatchObject({ status: "closed", paid_fen: 1150050, held_fen: 0 });
    expect(await budgetStatus(t.db, YEAR)).toMatchObject({ committed: 1150050, paid: 1150050 });

    const moves = await historyOf(t.db, "subsidy", id);
    expect(moves.map((m) => m.action).filter((a) => a.startsWith("subsidy_"))).toEqual([
      "subsidy_submit",
      "subsidy_county_return",
      "subsidy_submit",
      "subsidy_county_approve",
      "subsidy_city_approve",
      "subsidy_disburse",
      "subsidy_close",
    ]);
    expect(moves.map((m) => m.action)).toContain("payee_change");

    // A second application for the same level is refused, even in another year.
    expect(await createApplication(t.db, craftsman, YEAR, form())).toMatchObject({
      ok: false,
      fieldErrors: { targetDegree: ["您已申请或获得过该学历层次的补助，每个学历层次只能补助一次"] },
    });
  });

  it("is only for named craftsmen within the policy's years", async () => {
    await policy();
    const plain = await makeUser(t.db, "craftsman");
    expect(await createApplication(t.db, plain, YEAR, form())).toMatchObject({ ok: false, status: 403 });
    const county = await makeUser(t.db, "county_officer");
    expect(await createApplication(t.db, county, YEAR, form())).toMatchObject({ ok: false, status: 403 });
    expect(await createApplication(t.db, plain, 2031, form())).toMatchObject({ ok: false });
  });

  it("checks the degree against the education on file, not only the one the applicant claims", async () => {
    await policy();
    const { person, user } = await makeAwardee(t.db, "wenling");
    await t.db.updateTable("person").set({ education: "大学本科" }).where("id", "=", person.id).execute();
    // Claiming 大专 does not make a 本科 graduate's 本科 study a step up.
    expect(await createApplication(t.db, user, YEAR, form())).toMatchObject({
      ok: false,
      fieldErrors: { targetDegree: ["人员档案记载的学历为“大学本科”，补助只用于报读更高层次的学历"] },
    });
    expect(await createApplication(t.db, user, YEAR, form({ currentEducation: "本科", targetDegree: "硕士研究生", requested: "12000" }))).toMatchObject({
      ok: true,
    });
  });

  it("takes only sensible dates in its steps", async () => {
    const city = await policy();
    const { user } = await makeAwardee(t.db, "wenling");
    const created = await createApplication(t.db, user, YEAR, form());
    if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
    for (const date of ["9999-12-31", "2026-02-30", "1900-01-01", "2026-13-01"]) {
      expect(await step(city, created.id, "disburse", "draft", { date, voucher: "CW-1" }), date).toMatchObject({ ok: false, status: 400, field: "date" });
    }
  });
});

describe("the budget", () => {
  it(`never overspends under fifty concurrent approvals (${engineName()})`, async () => {
    // A year of its own: 10,500 yuan, and fifty applications of 1,000 yuan each competing for it.
    const year = 2027;
    const city = await policy("10500", 0, year);
    const unit = await unitId(t.db, "wenling");
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      const person = await makePerson(t.db, { unit: "wenling" });
      const row = await t.db
        .insertInto("subsidy_application")
        .values({
          year,
          person_id: person.id,
          org_unit_id: unit,
          current_education: "大专",
          target_degree: "本科",
          institution: "台州学院",
          programme: "机械",
          study_mode: "part_time",
          enrolled_on: "2025-09-01",
          expected_graduation: "2028-07-01",
          tuition_fen: 200000,
          requested_fen: 100000,
          max_fen: 100000,
          status: "county_approved",
          created_by: city.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await insertCheckedChsi(t.db, row.id, city.id);
      ids.push(row.id);
    }
    const results = await Promise.all(ids.map((id) => step(city, id, "city_approve", "county_approved", { amount: "1000" })));
    const approved = results.filter((r) => r.ok).length;
    const refused = results.filter((r) => !r.ok);
    const after = await budgetStatus(t.db, year);
    expect(approved).toBe(10);
    expect(after).toMatchObject({ budget: 1050000, committed: 1000000, remaining: 50000 });
    expect(refused).toHaveLength(40);
    expect(refused.every((r) => !r.ok && r.status === 409 && r.message === "年度预算余额不足：剩余 500.00 元")).toBe(true);
  });

  it(`approves and pays one application once, however many clicks arrive together (${engineName()})`, async () => {
    const year = 2028;
    const city = await policy("100000", 20, year);
    const person = await makePerson(t.db, { unit: "wenling" });
    const { id } = await t.db
      .insertInto("subsidy_application")
      .values({
        year,
        person_id: person.id,
        org_unit_id: await unitId(t.db, "wenling"),
        current_education: "大专",
        target_degree: "本科",
        institution: "台州学院",
        programme: "机械",
        study_mode: "part_time",
        enrolled_on: "2027-09-01",
        expected_graduation: "2030-07-01",
        tuition_fen: 2000000,
        requested_fen: 1000000,
        max_fen: 1000000,
        status: "county_approved",
        created_by: city.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await insertCheckedChsi(t.db, id, city.id);
    const twice = <T>(n: number, fn: () => Promise<T>) => Promise.all(Array.from({ length: n }, fn));
    await makePayee(t.db, id);

    const approvals = await twice(8, () => step(city, id, "city_approve", "county_approved", { amount: "10000" }));
    expect(approvals.filter((r) => r.ok)).toHaveLength(1);
    expect(approvals.filter((r) => !r.ok).every((r) => !r.ok && r.status === 409)).toBe(true);
    await publishSubsidies(t.db, city, year);
    const payments = await twice(8, () => step(city, id, "disburse", "approved", { date: "2028-06-01", voucher: "CW-2028-0601" }));
    expect(payments.filter((r) => r.ok)).toHaveLength(1);

    const app = await t.db.selectFrom("subsidy_application").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(app).toMatchObject({ status: "disbursed", approved_fen: 1000000, paid_fen: 800000, held_fen: 200000 });
    expect(await budgetStatus(t.db, year)).toMatchObject({ committed: 1000000, paid: 800000 });
    const moves = await historyOf(t.db, "subsidy", id);
    expect(moves.map((m) => m.action).sort()).toEqual(["notice_publish", "subsidy_city_approve", "subsidy_disburse"]);
  });
});
