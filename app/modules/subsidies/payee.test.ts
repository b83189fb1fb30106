import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { CARD_NUMBER, unitId } from "../../../test/factories";
import { subsidyScene } from "../../../test/subsidy-scene";
import { engineName } from "~db";
import type { SubsidyStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { historyOf } from "~/modules/audit/audit.server";
import { decrypt } from "~/modules/people/pii.server";
import { cardNumberProblem, maskCardNumber, normaliseCardNumber, passesLuhn } from "~/modules/subsidies/payee";
import { payeeOf, revealPayee, savePayee } from "~/modules/subsidies/payee.server";
import { paymentBlockers } from "~/modules/subsidies/payment-gate.server";
import { payeeSchema } from "~/modules/subsidies/schema.server";
import { findApplication, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import { fanOut, todosFor } from "~/worker.server";

const t = useTestDb();
const YEAR = 2026;

/** A card that fails its check digit: the valid one with its last digit changed. */
const MISTYPED = CARD_NUMBER.slice(0, -1) + "9";

const form = (over: Record<string, string | undefined> = {}) => ({
  kind: "bank_card",
  accountName: "某工匠",
  bankName: "中国农业银行温岭支行",
  number: "6228 4804 0256 4890 018",
  ...over,
});

const errorsOf = (input: Record<string, string | undefined>) => {
  const parsed = payeeSchema.safeParse(input);
  return parsed.success ? null : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
};

let shared: Awaited<ReturnType<typeof subsidyScene>> | undefined;

/** A named craftsman's application standing at `status` (no account yet), with 温岭's officer and the city. */
async function scene(status: SubsidyStatus, heldFen = 0) {
  shared ??= await subsidyScene(t.db, YEAR);
  const made = await shared.application(status, { heldFen, payee: false });
  return { ...made, county: shared.county, city: shared.city, app: async () => (await findApplication(t.db, made.id))! };
}

describe("a payee's card number, as typed", () => {
  it("takes 12 to 19 digits, spaces and full-width digits as typed on a phone, and says what is wrong otherwise", () => {
    expect(normaliseCardNumber(" 6228 4804\u30000256 4890 018 ")).toBe(CARD_NUMBER);
    expect(normaliseCardNumber("６２２８４８０４０２５６４８９００１８")).toBe(CARD_NUMBER);
    expect(cardNumberProblem("62284804025")).toBe("卡号应为12到19位数字，您填写的是11位");
    expect(cardNumberProblem("62284804025648900181")).toBe("卡号应为12到19位数字，您填写的是20位");
    expect(cardNumberProblem("6228ABCD02564890018")).toBe("卡号只能是数字（空格可以保留，会自动去掉）");
    expect(cardNumberProblem("")).toBe("请填写卡号");
    expect([CARD_NUMBER, "6226095711989751", "79927398713"].map(passesLuhn)).toEqual([true, true, true]);
    expect([MISTYPED, "6226095711989752"].map(passesLuhn)).toEqual([false, false]);
  });

  it("masks all but the first and last four digits, in groups of four", () => {
    expect(maskCardNumber("6222021202001234")).toBe("6222 **** **** 1234");
    expect(maskCardNumber(CARD_NUMBER)).toBe("6228 **** **** *** 0018");
    expect(maskCardNumber("123456789012")).toBe("1234 **** 9012");
  });

  it("refuses 11 digits, letters and a failed check digit by the number field; a checked number is taken as it is", () => {
    expect(errorsOf(form({ number: "622 848 040 25" }))).toEqual({ number: "卡号应为12到19位数字，您填写的是11位" });
    expect(errorsOf(form({ number: "6228 4804 O256 4890 018" }))).toEqual({ number: "卡号只能是数字（空格可以保留，会自动去掉）" });
    expect(errorsOf(form({ number: MISTYPED }))).toEqual({
      number: "卡号未通过校验，可能有一位抄错了，请对照卡面核对；若确认无误，请勾选“卡号已核对无误”后再保存",
    });
    // Some genuine UnionPay cards fail the check: once the applicant has looked again, it is theirs to confirm.
    expect(payeeSchema.parse(form({ number: MISTYPED, numberChecked: "1" }))).toMatchObject({ number: MISTYPED, numberChecked: true });
    // A 12–15 digit account number carries no check digit.
    expect(payeeSchema.parse(form({ number: "1234 5678 9013" })).number).toBe("123456789013");
    expect(errorsOf(form({ bankName: "  ", accountName: "" }))).toEqual({ accountName: "请填写户名", bankName: "请填写开户银行" });
    expect(errorsOf(form({ kind: "alipay" }))).toEqual({ kind: "请选择账户类别" });
  });
});

describe(`the applicant's account (${engineName()})`, () => {
  it("is stored encrypted and masked — the database never holds the plain number — and refused in another's name", async () => {
    const s = await scene("draft");
    expect(await savePayee(t.db, s.craftsman, await s.app(), payeeSchema.parse(form({ accountName: "王某某" })))).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { accountName: [`户名应为申请人本人姓名“${s.name}”：补助只发放到申请人本人的账户`] },
    });
    expect(await payeeOf(t.db, s.id)).toBeUndefined();
    expect(await savePayee(t.db, s.craftsman, await s.app(), payeeSchema.parse(form({ accountName: ` ${s.name} ` })))).toEqual({ ok: true });
    expect(await payeeOf(t.db, s.id)).toMatchObject({
      kind: "bank_card",
      account_name: s.name,
      bank_name: "中国农业银行温岭支行",
      number_masked: "6228 **** **** *** 0018",
    });
    const row = await t.db.selectFrom("subsidy_payee").selectAll().where("application_id", "=", s.id).executeTakeFirstOrThrow();
    expect(decrypt(row.number_cipher)).toBe(CARD_NUMBER);
    // Nowhere in the database: not the payee row, not the history, not any table's text.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select row_to_json(p)::text as t from subsidy_payee p
        union all select row_to_json(a)::text from audit_log a
        union all select row_to_json(s)::text from subsidy_application s) everything
      where t like ${`%${CARD_NUMBER}%`} or t like ${`%${CARD_NUMBER.slice(4, 15)}%`}`.execute(t.db);
    expect(rows[0].n).toBe(0);
    const history = await historyOf(t.db, "subsidy", s.id);
    expect(history.find((h) => h.action === "payee")).toBeTruthy();
    expect(JSON.stringify(history)).toContain("6228 **** **** *** 0018");
  });

  it("is the applicant's to record while theirs to edit or approved and unpaid, not while under review nor once on a batch", async () => {
    const account = payeeSchema.parse(form());
    const draft = await scene("draft");
    const save = (actor: SessionUser, s: Awaited<ReturnType<typeof scene>>) =>
      s.app().then((app) => savePayee(t.db, actor, app, { ...account, accountName: app.name }));
    expect(await save(draft.county, draft)).toMatchObject({ ok: false, status: 403 });
    expect(await save(draft.city, draft)).toMatchObject({ ok: false, status: 403 });
    const other = await scene("draft");
    expect(await save(other.craftsman, draft)).toMatchObject({ ok: false, status: 403 });
    for (const status of ["submitted", "county_approved", "closed", "rejected"] as const) {
      const s = await scene(status);
      expect(await save(s.craftsman, s), status).toMatchObject({ ok: false, status: 403, message: "当前状态下不能修改收款账户" });
    }
    const returned = await scene("returned");
    expect(await save(returned.craftsman, returned)).toEqual({ ok: true });
    // Paid but for the holdback: the final payment is still owed, so the account may still change.
    const held = await scene("disbursed", 200_000);
    expect(await save(held.craftsman, held)).toEqual({ ok: true });
    const paidInFull = await scene("disbursed", 0);
    expect(await save(paidInFull.craftsman, paidInFull)).toMatchObject({ ok: false, status: 403 });
    // Once the payment is on a batch, its file may be with the bank: the account stays as it is.
    const approved = await scene("approved");
    expect(await save(approved.craftsman, approved)).toEqual({ ok: true });
    const batch = await t.db
      .insertInto("subsidy_payment_batch")
      .values({ year: YEAR, stage: "first", count: 1, total_fen: 800_000, created_by: approved.city.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db.insertInto("subsidy_payment_line").values({ batch_id: batch.id, application_id: approved.id, stage: "first", amount_fen: 800_000 }).execute();
    expect(await save(approved.craftsman, approved)).toMatchObject({ ok: false, status: 403 });
  });

  it("changed after approval: in the history as such, and the county is told", async () => {
    const s = await scene("approved");
    await fanOut(t.db);
    // Approved with no account: the applicant's to-do, gone once it is recorded.
    expect((await todosFor(t.db, s.craftsman)).map((x) => x.label)).toContain("登记补助收款账户，以便拨付");
    expect(await savePayee(t.db, s.craftsman, await s.app(), payeeSchema.parse(form({ accountName: s.name, number: MISTYPED, numberChecked: "1" })))).toEqual({
      ok: true,
    });
    expect((await todosFor(t.db, s.craftsman)).map((x) => x.label)).not.toContain("登记补助收款账户，以便拨付");
    const change = (await historyOf(t.db, "subsidy", s.id)).find((h) => h.action === "payee_change")!;
    expect(change).toBeTruthy();
    expect(change.after).toMatchObject({ accountName: s.name, accountNumber: "6228 **** **** *** 0019", checkDigit: "未通过校验，申请人确认无误" });
    await fanOut(t.db);
    const told = await t.db
      .selectFrom("message")
      .innerJoin("audit_log", "audit_log.id", "message.audit_id")
      .select(["message.user_id", "message.text"])
      .where("audit_log.entity_id", "=", String(s.id))
      .where("audit_log.action", "=", "payee_change")
      .execute();
    // Every 温岭 officer of the file's scenes hears of it; nobody outside the county.
    expect(told).toContainEqual({ user_id: s.county.id, text: `${s.name}在补助批准后变更了收款账户，请留意核对` });
    const officers = await t.db
      .selectFrom("app_user")
      .select("id")
      .where("org_unit_id", "=", await unitId(t.db, "wenling"))
      .execute();
    expect(told.every((m) => officers.some((o) => o.id === m.user_id))).toBe(true);
  });

  it("is revealed in full to the city only, and each reveal is recorded: who, when, which application, why", async () => {
    const s = await scene("draft");
    const app = await s.app();
    expect(await revealPayee(t.db, s.city, app, "核对银行退票")).toMatchObject({ ok: false, status: 409, message: "收款账户尚未登记" });
    await savePayee(t.db, s.craftsman, app, payeeSchema.parse(form({ accountName: s.name })));
    for (const who of [s.county, s.craftsman]) expect(await revealPayee(t.db, who, app, "想看看")).toMatchObject({ ok: false, status: 403 });
    const before = new Date();
    expect(await revealPayee(t.db, s.city, app, "核对银行退票")).toEqual({ ok: true, number: CARD_NUMBER });
    const reveals = await t.db.selectFrom("audit_log").selectAll().where("entity_type", "=", "subsidy").where("action", "=", "reveal_payee").execute();
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({ actor_user_id: s.city.id, entity_id: String(s.id), comment: "核对银行退票" });
    expect(new Date(reveals[0].at).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it("is asked for before any payment: no account, no 登记拨付", async () => {
    const s = await scene("approved");
    expect(await t.db.transaction().execute((tx) => paymentBlockers(tx, { id: s.id }, new Date()))).toEqual(["收款账户尚未登记"]);
    const pay = () =>
      takeSubsidyStep(t.db, s.city, s.id, "disburse", { expected: "approved", reason: null, confirmed: true, date: "2026-06-01", voucher: "CW-1" });
    expect(await pay()).toMatchObject({ ok: false, status: 409, message: "暂不能拨付", reasons: ["收款账户尚未登记"] });
    expect((await s.app()).status).toBe("approved");
    await savePayee(t.db, s.craftsman, await s.app(), payeeSchema.parse(form({ accountName: s.name })));
    expect(await t.db.transaction().execute((tx) => paymentBlockers(tx, { id: s.id }, new Date()))).toEqual([]);
    expect(await pay()).toEqual({ ok: true, to: "disbursed" });
  });
});
