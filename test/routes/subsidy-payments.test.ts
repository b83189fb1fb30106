import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as detail from "../../app/routes/subsidies.$applicationId._index/route";
import * as payments from "../../app/routes/subsidies.payments/route";
import * as bankFile from "../../app/routes/subsidies.payments.file";
import { useTestDb } from "../db";
import { CARD_NUMBER } from "../factories";
import { subsidyScene } from "../subsidy-scene";
import { call, jsonOf } from "../http";

const t = useTestDb();
const YEAR = 2024;

describe("the payee and the payment batches through the pages", () => {
  it("takes the applicant's own card by its fields, never sends the number back, and shows officers only its mask", async () => {
    const s = await subsidyScene(t.db, YEAR);
    const app = await s.application("approved", { payee: false });
    const params = { applicationId: String(app.id) };
    const post = (as: typeof s.city, form: Record<string, string>) => call(detail.action, { db: t.db, path: `/subsidies/${app.id}`, params, as, form });
    const account = { intent: "payee", kind: "union_card", accountName: app.name, bankName: "中国工商银行台州分行", number: "6228 4804 0256 4890 018" };

    const short = await post(app.craftsman, { ...account, number: "6228 4804 025" });
    expect(short.status).toBe(400);
    expect((await jsonOf(short)).form.error.number).toEqual(["卡号应为12到19位数字，您填写的是11位"]);
    const mistyped = await post(app.craftsman, { ...account, number: "6228 4804 0256 4890 019" });
    expect(mistyped.status).toBe(400);
    expect((await jsonOf(mistyped)).form.error.number[0]).toContain("卡号未通过校验");
    // Neither refusal carries the typed digits back.
    expect(await mistyped.text()).not.toContain("0256");
    const otherName = await post(app.craftsman, { ...account, accountName: "王某某" });
    expect(otherName.status).toBe(400);
    expect((await jsonOf(otherName)).form.error.accountName).toEqual([`户名应为申请人本人姓名“${app.name}”：补助只发放到申请人本人的账户`]);
    expect((await post(s.county, account)).status).toBe(403);
    expect((await post(s.city, account)).status).toBe(403);

    const saved = await post(app.craftsman, account);
    expect(saved.status).toBe(200);
    expect(await saved.text()).not.toContain(CARD_NUMBER);

    for (const viewer of [s.county, s.city, app.craftsman]) {
      const page = await call(detail.loader, { db: t.db, path: `/subsidies/${app.id}`, params, as: viewer });
      const text = await page.text();
      expect(text).not.toContain(CARD_NUMBER);
      expect(JSON.parse(text).payee).toMatchObject({ kind: "union_card", account_name: app.name, number_masked: "6228 **** **** *** 0018" });
      expect(JSON.parse(text).canRevealPayee).toBe(viewer === s.city);
    }

    // The full number: the city's, with a reason, kept in the history and never cached.
    expect((await post(s.county, { intent: "reveal-payee", reason: "核对银行退票" })).status).toBe(403);
    const noReason = await post(s.city, { intent: "reveal-payee", reason: "" });
    expect(noReason.status).toBe(400);
    expect((await jsonOf(noReason)).form.error.reason).toEqual(["请说明查看完整号码的事由"]);
    const revealed = await post(s.city, { intent: "reveal-payee", reason: "核对银行退票" });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get("cache-control")).toBe("no-store");
    expect((await jsonOf(revealed)).data).toEqual({ number: CARD_NUMBER });
    const history = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", String(app.id)).where("action", "=", "reveal_payee").execute();
    expect(history).toEqual([expect.objectContaining({ actor_user_id: s.city.id, comment: "核对银行退票" })]);
  });

  it("lets the city batch the payable, download the bank's file and record it paid; nobody else", async () => {
    const year = YEAR + 1;
    const s = await subsidyScene(t.db, year);
    const a = await s.application("approved", { approvedFen: 1_234_567 });
    const b = await s.application("approved", { payee: false });
    const path = `/subsidies/payments?year=${year}`;
    for (const outsider of [s.county, a.craftsman]) {
      expect((await call(payments.loader, { db: t.db, path, as: outsider })).status).toBe(403);
      expect(
        (
          await call(payments.action, {
            db: t.db,
            path,
            as: outsider,
            form: { intent: "create", year: String(year), stage: "first", expected: String(a.id), confirmed: "1" },
          })
        ).status,
      ).toBe(403);
    }
    const page = await jsonOf(await call(payments.loader, { db: t.db, path, as: s.city }));
    expect(page.first.map((r: { id: number; blockers: string[] }) => [r.id, r.blockers])).toEqual([
      [a.id, []],
      [b.id, ["收款账户尚未登记"]],
    ]);

    const post = (form: Record<string, string>) => call(payments.action, { db: t.db, path, as: s.city, form });
    const unconfirmed = await post({ intent: "create", year: String(year), stage: "first", expected: String(a.id) });
    expect(unconfirmed.status).toBe(400);
    expect((await post({ intent: "create", year: String(year), stage: "first", expected: `${a.id},${b.id}`, confirmed: "1" })).status).toBe(409);
    expect((await post({ intent: "create", year: String(year), stage: "first", expected: String(a.id), confirmed: "1" })).status).toBe(200);
    const [batch] = (await jsonOf(await call(payments.loader, { db: t.db, path, as: s.city }))).batches;
    expect(batch).toMatchObject({ stage: "first", count: 1, total_fen: 987_654, paid: null });

    const download = await call(bankFile.action, { db: t.db, path: "/subsidies/payments/file", as: s.city, form: { batchId: String(batch.id) } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toContain("spreadsheetml");
    expect(download.headers.get("cache-control")).toBe("no-store");
    expect(decodeURIComponent(download.headers.get("content-disposition")!)).toContain(`学历提升补助代发第${batch.id}批.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await download.arrayBuffer());
    expect(book.worksheets[0].getCell("C2").value).toBe(CARD_NUMBER);
    expect(book.worksheets[0].getCell("E3").value).toBe(9876.54);
    expect((await call(bankFile.action, { db: t.db, path: "/subsidies/payments/file", as: s.city, form: { batchId: "999999" } })).status).toBe(404);

    const paid = { intent: "paid", batchId: String(batch.id), date: `${year}-05-20`, voucher: "YH-DF-0520", confirmed: "1" };
    const badDate = await post({ ...paid, date: `${year}-02-30` });
    expect(badDate.status).toBe(400);
    expect((await jsonOf(badDate)).form.error.date).toEqual(["拨付日期不存在"]);
    expect((await post(paid)).status).toBe(200);
    expect((await post(paid)).status).toBe(409);
    const app = await t.db.selectFrom("subsidy_application").selectAll().where("id", "=", a.id).executeTakeFirstOrThrow();
    expect(app).toMatchObject({ status: "disbursed", paid_fen: 987_654, held_fen: 246_913, first_voucher: "YH-DF-0520" });
    expect((await post({ intent: "cancel", batchId: String(batch.id), confirmed: "1" })).status).toBe(409);
  });
});
