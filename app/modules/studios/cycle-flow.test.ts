import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF, PNG } from "../../../test/files";
import { makeAwardee, makeStudio, makeUser } from "../../../test/factories";
import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { yearInTaizhou } from "~/lib/time";
import { excellentCap, reconfirmationAdvice, reconfirmationPeriods, returnBySource } from "~/modules/studios/cycle";
import { spendingSchema } from "~/modules/studios/cycle-schema.server";
import {
  acceptStudioYear,
  decideReconfirmation,
  excellentQuota,
  filePlan,
  findStudioYear,
  reconfirmationsOf,
  reviewReport,
  revocationReviewOf,
  saveChecklist,
  submitReport,
  yearlyFigures,
} from "~/modules/studios/cycle.server";
import { addGrant, addSpending, addTranche, ledgerOf, reviewSpending, saveCyclePolicy, statementOf } from "~/modules/studios/funds.server";
import { studioCycleTodos } from "~/modules/studios/cycle-todos.server";

const t = useTestDb();
const THIS_YEAR = yearInTaizhou();
const LAST = THIS_YEAR - 1;
const receipt = [{ name: "发票.pdf", bytes: PDF }];

let serial = 0;
/** A running studio of 温岭 (or another unit), its leader, its county's officer and the city. */
async function running(db: DB, unit = "wenling", accreditedOn = `${LAST - 1}-03-01`) {
  const { person, user: leader } = await makeAwardee(db, unit, `周期工匠${++serial}`);
  const city = await makeUser(db, "city_admin");
  const county = await makeUser(db, "county_officer", { unit });
  const row = await makeStudio(db, person.id, city.id, { unit, accredited_on: accreditedOn, plaque_number: `TZ-CYCLE-${serial}` });
  const studio = await db.selectFrom("studio").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
  return { studio, leader, city, county };
}

const spend = (amount: string, spentOn = `${THIS_YEAR}-01-02`, category = "equipment") =>
  spendingSchema.parse({ category, description: "数控夹具", amount, spentOn });

async function funded(db: DB, fen: number) {
  const s = await running(db);
  const grant = await addGrant(db, s.city, s.studio, { source: "city", documentNumber: "台总工〔2025〕8号", amount: fen, decidedOn: `${LAST}-03-01` });
  if (!grant.ok) throw new Error(grant.message);
  const tranche = await addTranche(db, s.county, s.studio, { grantId: grant.id, amount: fen, receivedOn: `${LAST}-03-10`, voucher: "记-001" });
  expect(tranche).toEqual({ ok: true });
  return { ...s, grantId: grant.id };
}

describe("a studio's funding ledger", () => {
  it("takes grants and tranches from the officers, spending with receipts from the leader, and refuses what would overdraw it", async () => {
    const { studio, leader, city, county } = await running(t.db);
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const grantInput = { source: "national" as const, documentNumber: "总工发〔2025〕3号", amount: 10_000_000, decidedOn: `${LAST}-02-01` };
    expect(await addGrant(t.db, leader, studio, grantInput)).toMatchObject({ ok: false, status: 403 });
    expect(await addGrant(t.db, otherCounty, studio, grantInput)).toMatchObject({ ok: false, status: 403 });
    const grant = await addGrant(t.db, city, studio, grantInput);
    if (!grant.ok) throw new Error(grant.message);
    // Tranches: never more than the grant in all, never before it was decided.
    const tranche = (amount: number, receivedOn = `${LAST}-03-01`) =>
      addTranche(t.db, county, studio, { grantId: grant.id, amount, receivedOn, voucher: "记-1" });
    expect(await tranche(6_000_000)).toEqual({ ok: true });
    expect(await tranche(4_000_001)).toMatchObject({ ok: false, status: 400, field: "amount" });
    expect(await tranche(1_000, `${LAST}-01-01`)).toMatchObject({ ok: false, field: "receivedOn" });

    // Spending: the leader only, with a receipt that is one by its content.
    expect(await addSpending(t.db, county, studio, spend("100"), receipt)).toMatchObject({ ok: false, status: 403 });
    expect(await addSpending(t.db, leader, studio, spend("100"), [])).toMatchObject({ ok: false, field: "receipts" });
    const html = [{ name: "发票.pdf", bytes: new TextEncoder().encode("<html><script>alert(1)</script>") }];
    expect(await addSpending(t.db, leader, studio, spend("100"), html)).toMatchObject({ ok: false, status: 400, field: "receipts" });
    // Under the default 5,000 元 threshold it is recorded; above it waits for the county, held from the balance.
    expect(await addSpending(t.db, leader, studio, spend("4,800.50"), receipt)).toEqual({ ok: true, pending: false });
    expect(await addSpending(t.db, leader, studio, spend("¥30000"), receipt)).toEqual({ ok: true, pending: true });
    let ledger = await ledgerOf(t.db, studio.id);
    expect(ledger.fund).toEqual({ received: 6_000_000, spent: 480_050 + 3_000_000, balance: 6_000_000 - 3_480_050 });
    expect(ledger.pendingFen).toBe(3_000_000);
    // More than is left: refused, and nothing written.
    const over = await addSpending(t.db, leader, studio, spend("25200"), receipt);
    expect(over).toMatchObject({ ok: false, status: 400, field: "amount" });
    expect((await ledgerOf(t.db, studio.id)).spending).toHaveLength(2);

    // The county approves or refuses; a refusal gives the held amount back. Not the leader, not another county.
    const pending = ledger.spending.find((s) => s.status === "pending")!;
    expect(await reviewSpending(t.db, leader, studio, { spendingId: pending.id, decision: "approved", comment: null })).toMatchObject({ status: 403 });
    expect(await reviewSpending(t.db, otherCounty, studio, { spendingId: pending.id, decision: "approved", comment: null })).toMatchObject({ status: 403 });
    expect(await reviewSpending(t.db, county, studio, { spendingId: pending.id, decision: "rejected", comment: "超出年度计划" })).toEqual({ ok: true });
    expect(await reviewSpending(t.db, county, studio, { spendingId: pending.id, decision: "approved", comment: null })).toMatchObject({ status: 409 });
    ledger = await ledgerOf(t.db, studio.id);
    expect(ledger.fund.balance).toBe(6_000_000 - 480_050);
    expect(ledger.spending.find((s) => s.id === pending.id)!.status).toBe("rejected");

    // The city raises the threshold for the year: the same amount is now recorded at once.
    expect(await saveCyclePolicy(t.db, city, THIS_YEAR, { approvalThresholdFen: 5_000_000, excellentCapPercent: 20, reconfirmYears: 3 })).toEqual({ ok: true });
    expect(await saveCyclePolicy(t.db, county, THIS_YEAR, { approvalThresholdFen: 1, excellentCapPercent: 20, reconfirmYears: 3 })).toMatchObject({
      status: 403,
    });
    expect(await addSpending(t.db, leader, studio, spend("30000", `${THIS_YEAR}-01-03`, "training"), receipt)).toEqual({ ok: true, pending: false });

    // The year's statement: opening balance from last year, this year's spending by category.
    const statement = await statementOf(t.db, studio, { year: THIS_YEAR });
    expect(statement).toMatchObject({ openingFen: 6_000_000, receivedFen: 0, spentFen: 3_480_050, closingFen: 2_519_950 });
    expect(statement.spent).toEqual([
      { category: "equipment", fen: 480_050 },
      { category: "training", fen: 3_000_000 },
    ]);
    const lastYear = await statementOf(t.db, studio, { year: LAST });
    expect(lastYear).toMatchObject({ openingFen: 0, receivedFen: 6_000_000, spentFen: 0, closingFen: 6_000_000 });
  });

  it("states at revocation what goes back to each source, in proportion and to the fen", async () => {
    expect(returnBySource({ national: 10_000_000, enterprise: 5_000_000 }, 1_000_001)).toEqual({ national: 666_667, enterprise: 333_334 });
    expect(returnBySource({ city: 100 }, 0)).toEqual({ city: 0 });
    const { studio, city, county, leader } = await running(t.db);
    for (const [source, fen] of [
      ["national", 9_000_000],
      ["enterprise", 3_000_000],
    ] as const) {
      const g = await addGrant(t.db, city, studio, { source, documentNumber: `文-${source}`, amount: fen, decidedOn: `${LAST}-01-05` });
      if (!g.ok) throw new Error(g.message);
      await addTranche(t.db, county, studio, { grantId: g.id, amount: fen, receivedOn: `${LAST}-02-01`, voucher: `V-${source}` });
    }
    expect(await addSpending(t.db, leader, studio, spend("4000"), receipt)).toEqual({ ok: true, pending: false });
    await t.db.updateTable("studio").set({ status: "revoked" }).where("id", "=", studio.id).execute();
    const closing = await statementOf(t.db, { ...studio, status: "revoked" }, { closing: true });
    expect(closing.closingFen).toBe(12_000_000 - 400_000);
    expect(closing.toReturn).toEqual([
      { source: "national", label: "全国总工会", fen: 8_700_000 },
      { source: "enterprise", label: "依托企业配套", fen: 2_900_000 },
    ]);
    // A revoked studio takes no more spending.
    expect(await addSpending(t.db, leader, { ...studio, status: "revoked" }, spend("1"), receipt)).toMatchObject({ ok: false, status: 409 });
  });

  it("never lets concurrent entries take the balance below zero", async () => {
    const { studio, leader } = await funded(t.db, 1_000_000);
    // Twelve entries of 1,000 元 at once against 10,000 元: ten go through, two are refused, whatever the order.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => addSpending(t.db, leader, studio, spend("1000", `${THIS_YEAR}-01-0${(i % 9) + 1}`), receipt)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.message)).toEqual([
      expect.stringContaining("经费余额不足"),
      expect.stringContaining("经费余额不足"),
    ]);
    const fund = await t.db.selectFrom("studio_fund").selectAll().where("studio_id", "=", studio.id).executeTakeFirstOrThrow();
    const spent = await t.db
      .selectFrom("studio_spending")
      .select((eb) => eb.fn.sum<number>("amount_fen").as("n"))
      .where("studio_id", "=", studio.id)
      .executeTakeFirstOrThrow();
    expect(Number(fund.spent_fen)).toBe(1_000_000);
    expect(Number(spent.n)).toBe(1_000_000);
    // And the table itself refuses a negative balance, whatever a query asks of it.
    await expect(t.db.updateTable("studio_fund").set({ spent_fen: 1_000_001 }).where("studio_id", "=", studio.id).execute()).rejects.toThrow(
      /studio_fund_balance/,
    );
  });
});

describe("a spending's date", () => {
  it("is refused before the studio was accredited or its first money arrived, and into a year whose report is filed", async () => {
    const { studio, leader } = await funded(t.db, 1_000_000);
    expect(await addSpending(t.db, leader, studio, spend("1", "1980-01-01"), receipt)).toMatchObject({
      ok: false,
      field: "spentOn",
      message: expect.stringContaining("授牌日期"),
    });
    expect(await addSpending(t.db, leader, studio, spend("1", `${LAST}-03-09`), receipt)).toMatchObject({
      ok: false,
      field: "spentOn",
      message: expect.stringContaining("到账日期"),
    });
    expect(await addSpending(t.db, leader, studio, spend("1", `${LAST}-03-10`), receipt)).toEqual({ ok: true, pending: false });
    await t.db
      .insertInto("studio_year")
      .values({ studio_id: studio.id, year: LAST, status: "submitted", plan: JSON.stringify({}) })
      .execute();
    expect(await addSpending(t.db, leader, studio, spend("1", `${LAST}-12-31`), receipt)).toMatchObject({
      ok: false,
      field: "spentOn",
      message: expect.stringContaining("年度总结已提交"),
    });
  });
});

describe("a studio's year: plan, report, review, 验收", () => {
  const checklist = [
    { key: "site", label: "场地设施与挂牌", points: 40, needsPhoto: true },
    { key: "mentoring", label: "师带徒成效", points: 60, needsPhoto: false },
  ];
  const accept = (
    actor: SessionUser,
    studio: { id: number; status: string; org_unit_id: number; person_id: number; accredited_on: string | null },
    grade: "excellent" | "pass" | "fail",
    photo = true,
  ) =>
    acceptStudioYear(t.db, actor, studio, LAST, {
      expected: "county_passed",
      grade,
      comment: grade === "fail" ? "未达标" : null,
      points: { site: "35", mentoring: "50" },
      photos: photo ? { site: [{ name: "现场.png", bytes: PNG }] } : {},
    });
  const report = { summary: "全年带徒五名，完成两项攻关。", selfAssessment: "基本完成计划", outreach: 4 };

  async function passedByCounty(s: Awaited<ReturnType<typeof running>>) {
    expect(await submitReport(t.db, s.leader, s.studio, LAST, { ...report, expected: "planned" })).toEqual({ ok: true });
    expect(await reviewReport(t.db, s.county, s.studio, LAST, "county_pass", { expected: "submitted", reason: null })).toEqual({ ok: true });
  }

  it("runs from the leader's plan to the city's graded 验收, with the county's return in between", async () => {
    const s = await running(t.db);
    const { studio, leader, county, city } = s;
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const plan = { apprentices: 5, apprenticeHours: 100, trainingSessions: 4, trainingPeople: 40, projects: 2, patents: 1, outreach: 6 };
    expect(await filePlan(t.db, county, studio, LAST, plan)).toMatchObject({ status: 403 });
    expect(await filePlan(t.db, leader, studio, LAST - 5, plan)).toMatchObject({ status: 400 });
    expect(await filePlan(t.db, leader, studio, LAST, plan)).toEqual({ ok: true });
    // The report is filed with the figures of the records as they stood.
    expect(await submitReport(t.db, county, studio, LAST, { ...report, expected: "planned" })).toMatchObject({ status: 403 });
    expect(await submitReport(t.db, leader, studio, THIS_YEAR + 1, { ...report, expected: "planned" })).toMatchObject({ status: 400 });
    expect(await submitReport(t.db, leader, studio, LAST, { ...report, expected: "planned" })).toEqual({ ok: true });
    const filed = await findStudioYear(t.db, studio.id, LAST);
    expect(filed).toMatchObject({ status: "submitted", outreach: 4, plan });
    expect(filed!.filed).toMatchObject({ actual: { apprentices: 0, outreach: 4 }, money: { receivedFen: 0 } });
    // The plan is closed once the report is in.
    expect(await filePlan(t.db, leader, studio, LAST, plan)).toMatchObject({ status: 409 });

    // The county returns it once, with a reason; the leader hears, corrects and files again.
    expect(await reviewReport(t.db, otherCounty, studio, LAST, "county_return", { expected: "submitted", reason: "补充经费说明" })).toMatchObject({
      status: 403,
    });
    expect(await reviewReport(t.db, county, studio, LAST, "county_return", { expected: "submitted", reason: null })).toMatchObject({
      status: 400,
      field: "reason",
    });
    expect(await reviewReport(t.db, county, studio, LAST, "county_return", { expected: "submitted", reason: "补充经费说明" })).toEqual({ ok: true });
    expect(await studioCycleTodos(t.db, leader, `${THIS_YEAR}-02-01`)).toContainEqual(expect.objectContaining({ label: `修改${LAST}年度总结：补充经费说明` }));
    expect(await submitReport(t.db, leader, studio, LAST, { ...report, expected: "returned" })).toEqual({ ok: true });
    expect((await studioCycleTodos(t.db, county, `${THIS_YEAR}-02-01`)).map((x) => x.label)).toContain(`审核${LAST}年度总结：${studio.name}`);
    expect(await reviewReport(t.db, county, studio, LAST, "county_pass", { expected: "submitted", reason: null })).toEqual({ ok: true });
    expect((await studioCycleTodos(t.db, city, `${THIS_YEAR}-02-01`)).map((x) => x.label)).toEqual(
      expect.arrayContaining([`验收${LAST}年度：${studio.name}`, `设定${LAST}年度验收清单`]),
    );

    // 验收: the city only, against the year's checklist, with the photo the site item asks for.
    expect(await accept(city, studio, "pass")).toMatchObject({ ok: false, message: expect.stringContaining("验收清单") });
    expect(await saveChecklist(t.db, county, LAST, checklist)).toMatchObject({ status: 403 });
    expect(await saveChecklist(t.db, city, LAST, checklist)).toEqual({ ok: true });
    expect(await accept(county, studio, "pass")).toMatchObject({ ok: false, status: 403 });
    expect(await accept(city, studio, "pass", false)).toMatchObject({ ok: false, field: "photo-site" });
    const tooMany = await acceptStudioYear(t.db, city, studio, LAST, {
      expected: "county_passed",
      grade: "pass",
      comment: null,
      points: { site: "41", mentoring: "1" },
      photos: {},
    });
    expect(tooMany).toMatchObject({ ok: false, field: "points-site" });
    expect(await accept(city, studio, "fail")).toEqual({ ok: true, score: 85 });
    const evaluation = await t.db
      .selectFrom("studio_evaluation")
      .selectAll()
      .where("studio_id", "=", studio.id)
      .where("year", "=", LAST)
      .executeTakeFirstOrThrow();
    expect(evaluation).toMatchObject({ grade: "fail", checklist: { site: 35, mentoring: 50 } });
    expect(Number(evaluation.score)).toBe(85);
    expect((await findStudioYear(t.db, studio.id, LAST))!.status).toBe("accepted");
    // The checklist is frozen once the year has a 验收.
    expect(await saveChecklist(t.db, city, LAST, checklist)).toMatchObject({ status: 409 });
    const rows = await yearlyFigures(t.db, county, LAST);
    expect(rows.find((r) => r.id === studio.id)).toMatchObject({ report_status: "accepted", grade: "fail", score: 85, plan });
    expect((await yearlyFigures(t.db, otherCounty, LAST)).find((r) => r.id === studio.id)).toBeUndefined();
  });

  it("caps 优秀 at the year's share and refuses one too many, even when two are graded at once", async () => {
    expect(excellentCap(5, 20)).toBe(1);
    expect(excellentCap(4, 20)).toBe(0);
    const city = await makeUser(t.db, "city_admin");
    const before = await excellentQuota(t.db, LAST);
    // Enough studios that the cap allows exactly one more 优秀 than has been given.
    const studios = [];
    while (true) {
      const q = await excellentQuota(t.db, LAST);
      if (q.cap >= q.given + 1 && studios.length >= 2) break;
      studios.push(await running(t.db, "linhai"));
    }
    expect(before.percent).toBe(20);
    for (const s of studios.slice(0, 3)) await passedByCounty(s);
    const [a, b, c] = studios;
    // Two officers grade 优秀 at the same moment: one gets the last place, the other is told the cap is full.
    const both = await Promise.all([accept(city, a.studio, "excellent"), accept(city, b.studio, "excellent")]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    const refused = both.find((r) => !r.ok)!;
    expect(refused).toMatchObject({ ok: false, status: 409, field: "grade", message: expect.stringContaining("“优秀”名额已满") });
    const loser = both[0].ok ? b : a;
    expect(await accept(city, loser.studio, "pass")).toMatchObject({ ok: true });
    if (c) expect(await accept(city, c.studio, "excellent")).toMatchObject({ ok: false, status: 409 });
    // Re-grading the one 优秀 as 优秀 again is not one too many.
    const winner = both[0].ok ? a : b;
    expect(
      await acceptStudioYear(t.db, city, winner.studio, LAST, {
        expected: "accepted",
        grade: "excellent",
        comment: null,
        points: { site: "40", mentoring: "60" },
        photos: {},
      }),
    ).toMatchObject({ ok: true, score: 100 });
  });
});

describe("re-confirmation", () => {
  it("re-confirms a studio for a period that is over, with its grant, and sends a declined one to the revocation review", async () => {
    expect(reconfirmationPeriods(2019, 3, 2025)).toEqual([
      { from: 2019, to: 2021 },
      { from: 2022, to: 2024 },
    ]);
    expect(reconfirmationAdvice(["pass", "excellent", "pass"])).toBe("reconfirm");
    expect(reconfirmationAdvice(["pass", null, "pass"])).toBe("incomplete");
    expect(reconfirmationAdvice(["pass", "fail", null])).toBe("decline");
    const from = THIS_YEAR - 3;
    const s = await running(t.db, "wenling", `${from}-01-10`);
    const t2 = await running(t.db, "wenling", `${from}-01-10`);
    for (const [studio, grades] of [
      [s.studio, ["pass", "excellent", "pass"]],
      [t2.studio, ["pass", "fail", "fail"]],
    ] as const) {
      for (const [i, grade] of grades.entries()) {
        await t.db
          .insertInto("studio_evaluation")
          .values({ studio_id: studio.id, year: from + i, figures: "{}", score: 60, grade, comment: null, graded_by: s.city.id })
          .execute();
      }
    }
    const periods = await reconfirmationsOf(t.db, s.studio);
    expect(periods).toEqual([expect.objectContaining({ from, to: from + 2, advice: "reconfirm", decision: null })]);
    expect((await studioCycleTodos(t.db, s.city, `${THIS_YEAR}-02-01`)).map((x) => x.label)).toEqual(
      expect.arrayContaining([`重新确认：${s.studio.name}（${from}–${from + 2}年）`, `摘牌审查：${t2.studio.name}连续两年考核不合格`]),
    );
    const decide = (actor: SessionUser, studio: typeof s.studio, outcome: "reconfirmed" | "declined", comment: string | null = null) =>
      decideReconfirmation(t.db, actor, studio, {
        periodEnd: from + 2,
        outcome,
        comment,
        grant: outcome === "reconfirmed" ? { amountFen: 3_000_000, documentNumber: "台总工〔2026〕30号" } : null,
      });
    expect(await decide(s.county, s.studio, "reconfirmed")).toMatchObject({ status: 403 });
    expect(await decideReconfirmation(t.db, s.city, s.studio, { periodEnd: THIS_YEAR + 2, outcome: "reconfirmed", comment: null, grant: null })).toMatchObject({
      status: 400,
    });
    expect(await decide(s.city, s.studio, "reconfirmed")).toEqual({ ok: true });
    expect(await decide(s.city, s.studio, "reconfirmed")).toMatchObject({ status: 409 });
    const grants = (await ledgerOf(t.db, s.studio.id)).grants;
    expect(grants).toEqual([expect.objectContaining({ source: "city", purpose: "reconfirmation", amount_fen: 3_000_000 })]);
    expect(await revocationReviewOf(t.db, s.studio.id)).toBe(false);
    // Two 不合格 years in a row lead to the revocation review, and so does a declined re-confirmation.
    expect(await revocationReviewOf(t.db, t2.studio.id)).toBe(true);
    expect(await decide(s.city, t2.studio, "reconfirmed")).toMatchObject({ status: 400, field: "comment" });
    expect(await decide(s.city, t2.studio, "declined", "连续两年不合格")).toEqual({ ok: true });
    expect(await revocationReviewOf(t.db, t2.studio.id)).toBe(true);
    expect((await studioCycleTodos(t.db, s.city, `${THIS_YEAR}-02-01`)).map((x) => x.label).filter((l) => l.includes(t2.studio.name))).toEqual([]);
  });
});
