import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { CARD_NUMBER, makePayee } from "../../../test/factories";
import { subsidyScene } from "../../../test/subsidy-scene";
import { engineName } from "~db";
import { isUniqueViolation } from "~/modules/people/people.server";
import { historyOf } from "~/modules/audit/audit.server";
import { batchFile, cancelBatch, createBatch, paymentsOf, recordBatchPaid } from "~/modules/subsidies/payments.server";
import { budgetStatus, findApplication, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";

const t = useTestDb();

/** Each test its own year (past ones: payment dates must be real days of the platform's years), so each sees only its own applications. */
let nextYear = 2019;
const scene = () => subsidyScene(t.db, nextYear++);

const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);
const ready = (rows: Array<{ id: number; blockers: string[] }>) => ids(rows.filter((r) => !r.blockers.length));
const appOf = async (id: number) => (await findApplication(t.db, id))!;

describe(`payment batches (${engineName()})`, () => {
  it("list exactly what each stage may pay: approved with an account, and the held part of the graduated", async () => {
    const s = await scene();
    const year = nextYear - 1;
    const payable = await s.application("approved", { approvedFen: 1_234_567 });
    const noAccount = await s.application("approved", { payee: false });
    await s.application("county_approved");
    // Another year's is that year's to pay.
    await (await subsidyScene(t.db, 2090)).application("approved");
    const graduated = await s.application("disbursed", { heldFen: 200_000, graduated: true });
    // The certificate in, but no graduation 学信网 report checked: 结案 would refuse it, so it waits.
    const unverified = await s.application("disbursed", { heldFen: 200_000, graduated: true });
    await t.db.deleteFrom("subsidy_chsi_report").where("application_id", "=", unverified.id).where("stage", "=", "graduation").execute();
    await s.application("disbursed", { heldFen: 200_000 });
    await s.application("disbursed", { heldFen: 0, graduated: true });
    await s.application("closed", { graduated: true });

    const page = await paymentsOf(t.db, year);
    expect(ready(page.first)).toEqual([payable.id]);
    // Paid as 登记拨付 would pay it: the approved amount less the policy's 20 % holdback, to the fen.
    expect(page.first.find((r) => r.id === payable.id)).toMatchObject({ amountFen: 1_234_567 - 246_913, payee: { number: "6228 **** **** *** 0018" } });
    expect(page.first.find((r) => r.id === noAccount.id)).toMatchObject({ blockers: ["收款账户尚未登记"], payee: null });
    expect(ready(page.final)).toEqual([graduated.id]);
    expect(page.final[0].amountFen).toBe(200_000);
    expect(page.final.find((r) => r.id === unverified.id)?.blockers).toEqual(["申请人尚未填写毕业的学信网验证码（学历在线验证报告或备案表）"]);
    expect(page.batches).toEqual([]);
  });

  it("are the city's, confirmed, of exactly the list the page showed; once on a batch an application leaves the list", async () => {
    const s = await scene();
    const year = nextYear - 1;
    const a = await s.application("approved");
    const b = await s.application("approved");
    const make = (actor = s.city, expected = [a.id, b.id], confirmed = true) => createBatch(t.db, actor, { year, stage: "first", expected, confirmed });
    expect(await make(s.county)).toMatchObject({ ok: false, status: 403 });
    expect(await make(a.craftsman)).toMatchObject({ ok: false, status: 403 });
    expect(await make(s.city, [a.id, b.id], false)).toMatchObject({ ok: false, status: 400, field: "confirmed" });
    // A list that changed since the page was shown (another became payable, or one was paid) is refused.
    expect(await make(s.city, [a.id])).toMatchObject({ ok: false, status: 409, message: "可拨付的名单已变化，请刷新页面核对后重新生成" });
    expect(await createBatch(t.db, s.city, { year: 2099, stage: "first", expected: [], confirmed: true })).toMatchObject({ ok: false, status: 404 });

    const made = await make();
    if (!made.ok) throw new Error(made.message);
    const lines = await t.db.selectFrom("subsidy_payment_line").selectAll().where("batch_id", "=", made.id).orderBy("application_id").execute();
    expect(lines.map((l) => [l.application_id, Number(l.amount_fen), l.stage])).toEqual([
      [a.id, 800_000, "first"],
      [b.id, 800_000, "first"],
    ]);
    expect(ready((await paymentsOf(t.db, year)).first)).toEqual([]);
    expect(await make()).toMatchObject({ ok: false, status: 409, message: "没有可以拨付的申请" });
    const page = await paymentsOf(t.db, year);
    expect(page.batches).toEqual([expect.objectContaining({ id: made.id, stage: "first", count: 2, total_fen: 1_600_000, paid: null })]);

    // Taken back before the bank paid it: its applications are payable again, and the history says so.
    expect(await cancelBatch(t.db, s.county, { batchId: made.id, confirmed: true })).toMatchObject({ ok: false, status: 403 });
    expect(await cancelBatch(t.db, s.city, { batchId: made.id, confirmed: false })).toMatchObject({ ok: false, field: "confirmed" });
    expect(await cancelBatch(t.db, s.city, { batchId: made.id, confirmed: true })).toEqual({ ok: true });
    expect(ready((await paymentsOf(t.db, year)).first)).toEqual([a.id, b.id]);
    expect((await historyOf(t.db, "subsidy_payment_batch", made.id)).map((h) => h.action).sort()).toEqual(["cancel", "create"]);
  });

  it("never put one application on two batches, however many officers press at once", async () => {
    const s = await scene();
    const year = nextYear - 1;
    const apps = [];
    for (let i = 0; i < 6; i++) apps.push(await s.application("approved"));
    const expected = ids(apps);
    const results = await Promise.all(Array.from({ length: 6 }, () => createBatch(t.db, s.city, { year, stage: "first", expected, confirmed: true })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.status === 409)).toBe(true);
    const lines = await t.db.selectFrom("subsidy_payment_line").select(["application_id", "batch_id"]).where("application_id", "in", expected).execute();
    expect(lines.map((l) => l.application_id).sort()).toEqual([...expected].sort());
    expect(new Set(lines.map((l) => l.batch_id)).size).toBe(1);
    expect(await t.db.selectFrom("subsidy_payment_batch").select("id").where("year", "=", year).execute()).toHaveLength(1);

    // And below the lock, the primary key: a second line for the same application and stage cannot exist.
    const other = await t.db
      .insertInto("subsidy_payment_batch")
      .values({ year, stage: "first", count: 1, total_fen: 800_000, created_by: s.city.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    const second = await t.db
      .insertInto("subsidy_payment_line")
      .values({ batch_id: other.id, application_id: apps[0].id, stage: "first", amount_fen: 800_000 })
      .execute()
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isUniqueViolation(second)).toBe(true);
  });

  it("recorded paid take 登记拨付 for each line once, with the holdback, in one transaction — and nothing if one line cannot", async () => {
    const s = await scene();
    const year = nextYear - 1;
    const a = await s.application("approved", { approvedFen: 1_234_567 });
    const b = await s.application("approved", { approvedFen: 1_000_001 });
    const made = await createBatch(t.db, s.city, { year, stage: "first", expected: [a.id, b.id], confirmed: true });
    if (!made.ok) throw new Error(made.message);
    const paid = { batchId: made.id, date: `${year}-06-01`, voucher: "YH-DF-0601", confirmed: true };

    // One by one, an application on a batch is refused: the bank has (or will have) the file.
    const single = await takeSubsidyStep(t.db, s.city, a.id, "disburse", {
      expected: "approved",
      reason: null,
      confirmed: true,
      date: `${year}-06-01`,
      voucher: "X",
    });
    expect(single).toMatchObject({ ok: false, status: 409, message: `已列入第 ${made.id} 号拨付批次，请在“补助拨付”页按批次登记` });
    expect(await recordBatchPaid(t.db, s.county, paid)).toMatchObject({ ok: false, status: 403 });
    expect(await recordBatchPaid(t.db, s.city, { ...paid, confirmed: false })).toMatchObject({ ok: false, field: "confirmed" });
    expect(await recordBatchPaid(t.db, s.city, { ...paid, batchId: 999_999 })).toMatchObject({ ok: false, status: 404 });

    // One line that cannot be paid (its application was sent back meanwhile) stops the whole batch.
    await t.db.updateTable("subsidy_application").set({ status: "returned" }).where("id", "=", b.id).execute();
    const stopped = await recordBatchPaid(t.db, s.city, paid);
    expect(stopped).toMatchObject({ ok: false, status: 409 });
    expect(!stopped.ok && stopped.message).toContain(`未能登记，整批未作改动。${b.name}：`);
    expect((await appOf(a.id)).status).toBe("approved");
    await t.db.updateTable("subsidy_application").set({ status: "approved" }).where("id", "=", b.id).execute();

    // Pressed at once by several officers: paid once.
    const results = await Promise.all(Array.from({ length: 4 }, () => recordBatchPaid(t.db, s.city, paid)));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, count: 2 }]);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.status === 409 && r.message === "该批次已登记拨付")).toBe(true);
    expect(await appOf(a.id)).toMatchObject({
      status: "disbursed",
      paid_fen: 987_654,
      held_fen: 246_913,
      first_voucher: "YH-DF-0601",
      disbursed_on: `${year}-06-01`,
    });
    expect(await appOf(b.id)).toMatchObject({ status: "disbursed", paid_fen: 800_001, held_fen: 200_000 });
    expect(await budgetStatus(t.db, year)).toMatchObject({ committed: 2_234_568, paid: 1_787_655 });
    for (const app of [a, b]) {
      const moves = (await historyOf(t.db, "subsidy", app.id)).filter((h) => h.action === "subsidy_disburse");
      expect(moves).toHaveLength(1);
      expect(moves[0].after).toMatchObject({ batchId: made.id, voucher: "YH-DF-0601" });
    }
    expect((await paymentsOf(t.db, year)).batches[0].paid).toEqual({ on: `${year}-06-01`, voucher: "YH-DF-0601" });
    expect(await cancelBatch(t.db, s.city, { batchId: made.id, confirmed: true })).toMatchObject({
      ok: false,
      status: 409,
      message: "已登记拨付的批次不能撤销",
    });
  });

  it("pay the held part of the graduated by the 结案 step", async () => {
    const s = await scene();
    const year = nextYear - 1;
    const g = await s.application("disbursed", { approvedFen: 1_000_000, heldFen: 200_000, graduated: true });
    const made = await createBatch(t.db, s.city, { year, stage: "final", expected: [g.id], confirmed: true });
    if (!made.ok) throw new Error(made.message);
    expect(await recordBatchPaid(t.db, s.city, { batchId: made.id, date: `${year + 2}-07-20`, voucher: "YH-WK-1", confirmed: true })).toEqual({
      ok: true,
      count: 1,
    });
    expect(await appOf(g.id)).toMatchObject({ status: "closed", paid_fen: 1_000_000, held_fen: 0, final_voucher: "YH-WK-1", closed_on: `${year + 2}-07-20` });
  });

  it("come out as the bank's file: the full account number as text, the total to the fen, the download recorded", async () => {
    const s = await scene();
    const year = nextYear - 1;
    const a = await s.application("approved", { approvedFen: 1_234_567 });
    const b = await s.application("approved", { approvedFen: 333, payee: false });
    const unionCard = "6217001234567890122";
    await makePayee(t.db, b.id, unionCard);
    const made = await createBatch(t.db, s.city, { year, stage: "first", expected: [a.id, b.id], confirmed: true });
    if (!made.ok) throw new Error(made.message);
    expect(await batchFile(t.db, s.county, made.id)).toMatchObject({ ok: false, status: 403 });
    expect(await batchFile(t.db, s.city, 999_999)).toMatchObject({ ok: false, status: 404 });
    const file = await batchFile(t.db, s.city, made.id);
    if (!file.ok) throw new Error(file.message);
    expect(file.filename).toBe(`学历提升补助代发第${made.id}批.xlsx`);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    const rows = (sheet.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
    expect(rows[0]).toEqual(["序号", "收款人户名", "收款账号", "开户银行", "金额（元）", "用途/附言", "备注"]);
    expect(rows[1]).toEqual([1, a.name, CARD_NUMBER, "中国农业银行温岭支行", 9876.54, `${year}年学历提升补助`, `申请编号${a.id}`]);
    expect(rows[2]).toEqual([2, b.name, unionCard, "中国农业银行温岭支行", 2.67, `${year}年学历提升补助`, `申请编号${b.id}`]);
    // A text cell, formatted as text: Excel keeps all nineteen digits.
    expect(sheet.getCell("C2").type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell("C2").numFmt).toBe("@");
    const total = rows[3];
    expect(total.slice(0, 2)).toEqual(["合计", "2笔"]);
    expect(Math.round((total[4] as number) * 100)).toBe(987_654 + 267);
    expect(Math.round((total[4] as number) * 100)).toBe((await paymentsOf(t.db, year)).batches[0].total_fen);

    const downloads = await historyOf(t.db, "subsidy_payment_batch", made.id);
    expect(downloads.find((h) => h.action === "download")).toMatchObject({ actor_user_id: s.city.id, after: { applications: [a.id, b.id] } });
  });
});
