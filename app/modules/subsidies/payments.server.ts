import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { PaymentStage } from "~db/types";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Refusal, type Result } from "~/lib/result";
import { decrypt } from "~/modules/people/pii.server";
import { isUniqueViolation } from "~/modules/people/people.server";
import { PAYMENT_STAGE_LABELS, SUBSIDY_PAYMENT_AUDIT } from "~/modules/subsidies/labels";
import { chsiApprovalProblem } from "~/modules/subsidies/chsi.server";
import { paymentBlockers } from "~/modules/subsidies/payment-gate.server";
import { holdbackFen } from "~/modules/subsidies/policy";
import { takeSubsidyStepIn } from "~/modules/subsidies/subsidies.server";

/**
 * Payment batches (批量代发): the city gathers the year's payable applications into a batch,
 * downloads it as the bank's file, and once the bank has paid records the whole batch paid — each
 * line by the workflow's own 登记拨付 (or, for the held part, 结案) step, in one transaction.
 * A line's primary key (application, stage) pays each application once per stage, whoever presses.
 */

const ONLY_CITY = "只有市总工会可以办理补助拨付";

/** The step that records a stage paid, and the state it is taken from. */
const STAGE_STEP = { first: { step: "disburse", from: "approved" }, final: { step: "close", from: "disbursed" } } as const;

export interface PayableRow {
  id: number;
  name: string;
  unit: string;
  amountFen: number;
  payee: { bank: string; number: string } | null;
  blockers: string[];
}

/**
 * The year's applications waiting for one stage's payment and on no batch yet: each with what it
 * would be paid and what still stops it. First: approved, paid but for the holdback (as 登记拨付
 * computes it), stopped by paymentBlockers. Final: the held part of a paid application whose
 * graduation certificate is in — the 结案 step's own condition — stopped by a missing account or by
 * a graduation 学信网 report not yet checked as matching (结案 refuses it, so no batch may list it).
 */
async function waitingFor(tx: Tx, year: number, stage: PaymentStage): Promise<PayableRow[]> {
  const rows = await tx
    .selectFrom("subsidy_application as a")
    .innerJoin("person", "person.id", "a.person_id")
    .innerJoin("org_unit", "org_unit.id", "a.org_unit_id")
    .innerJoin("subsidy_policy as p", "p.year", "a.year")
    .leftJoin("subsidy_payee as payee", "payee.application_id", "a.id")
    .select([
      "a.id",
      "person.name",
      "org_unit.short_name as unit",
      "a.approved_fen",
      "a.held_fen",
      "p.holdback_percent",
      "payee.bank_name",
      "payee.number_masked",
    ])
    .where("a.year", "=", year)
    .where((eb) =>
      stage === "first"
        ? eb("a.status", "=", "approved")
        : eb.and([
            eb("a.status", "=", "disbursed"),
            eb("a.held_fen", ">", 0),
            eb.exists(eb.selectFrom("subsidy_attachment as f").select("f.id").whereRef("f.application_id", "=", "a.id").where("f.kind", "=", "graduation")),
          ]),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("subsidy_payment_line as l").select("l.batch_id").whereRef("l.application_id", "=", "a.id").where("l.stage", "=", stage))),
    )
    .orderBy("a.id")
    .execute();
  const now = new Date();
  const result: PayableRow[] = [];
  // One gate question per application: the year's approved applications, tens or a few hundred.
  for (const r of rows) {
    const approved = Number(r.approved_fen);
    result.push({
      id: r.id,
      name: r.name,
      unit: r.unit,
      amountFen: stage === "first" ? approved - holdbackFen(approved, r.holdback_percent) : Number(r.held_fen),
      payee: r.number_masked ? { bank: r.bank_name!, number: r.number_masked } : null,
      blockers: stage === "first" ? await paymentBlockers(tx, r, now) : await finalBlockers(tx, r.id, !!r.number_masked),
    });
  }
  return result;
}

/** What stops the held part's payment: the account, and the graduation report 结案 asks for. */
async function finalBlockers(tx: Tx, applicationId: number, hasPayee: boolean): Promise<string[]> {
  const unverified = await chsiApprovalProblem(tx, applicationId, "graduation");
  return [...(hasPayee ? [] : ["收款账户尚未登记"]), ...(unverified ? [unverified] : [])];
}

/** The payments page: both stages' waiting applications and the year's batches, read in one snapshot. */
export async function paymentsOf(db: DB, year: number) {
  return db.transaction().execute(async (tx) => {
    const [first, final, batches] = [await waitingFor(tx, year, "first"), await waitingFor(tx, year, "final"), await batchesOf(tx, year)];
    return { first, final, batches };
  });
}

/** A batch is paid once its lines' step is taken; they are taken together, so its first line tells. */
const paidColumns = (tx: Tx) =>
  tx
    .selectFrom("subsidy_payment_line as l")
    .innerJoin("subsidy_application as a", "a.id", "l.application_id")
    .select([
      "l.batch_id",
      sql<string | null>`case when l.stage = 'first' then a.disbursed_on else a.closed_on end`.as("paid_on"),
      sql<string | null>`case when l.stage = 'first' then a.first_voucher else a.final_voucher end`.as("voucher"),
    ]);

async function batchesOf(tx: Tx, year: number) {
  const batches = await tx
    .selectFrom("subsidy_payment_batch as b")
    .innerJoin("app_user as u", "u.id", "b.created_by")
    .select(["b.id", "b.stage", "b.count", "b.total_fen", "b.created_at", "u.display_name as created_by"])
    .where("b.year", "=", year)
    .orderBy("b.id", "desc")
    .execute();
  if (!batches.length) return [];
  const paid = await paidColumns(tx)
    .where(
      "l.batch_id",
      "in",
      batches.map((b) => b.id),
    )
    .execute();
  return batches.map((b) => {
    const line = paid.find((p) => p.batch_id === b.id && p.paid_on);
    return { ...b, total_fen: Number(b.total_fen), paid: line ? { on: line.paid_on!, voucher: line.voucher } : null };
  });
}

async function lockedBatch(tx: Tx, batchId: number) {
  const batch = await tx.selectFrom("subsidy_payment_batch").selectAll().where("id", "=", batchId).forUpdate().executeTakeFirst();
  if (!batch) return null;
  const paid = await paidColumns(tx).where("l.batch_id", "=", batchId).limit(1).executeTakeFirst();
  return { ...batch, total_fen: Number(batch.total_fen), paid: !!paid?.paid_on };
}

/**
 * Puts exactly the applications the page listed as payable on a new batch. The year's policy row
 * is locked first (as approvals and payments lock it), so two officers pressing at once queue: the
 * second finds the list changed and is refused. Should anything slip past the lock, a line's
 * primary key refuses a second batch for the same application and stage.
 */
export async function createBatch(
  db: DB,
  actor: SessionUser,
  input: { year: number; stage: PaymentStage; expected: number[]; confirmed: boolean },
): Promise<Result<{ id: number }>> {
  if (!isCityAdmin(actor)) return refuse(ONLY_CITY, { status: 403 });
  if (!input.confirmed) return refuse("请确认后再生成拨付批次", { field: "confirmed" });
  try {
    return await db.transaction().execute(async (tx): Promise<Result<{ id: number }>> => {
      const policy = await tx.selectFrom("subsidy_policy").select("year").where("year", "=", input.year).forUpdate().executeTakeFirst();
      if (!policy) return refuse(`${input.year}年没有补助政策`, { status: 404 });
      const ready = (await waitingFor(tx, input.year, input.stage)).filter((r) => !r.blockers.length);
      if (!ready.length) return refuse("没有可以拨付的申请", { status: 409 });
      const ids = ready.map((r) => r.id);
      if (ids.length !== input.expected.length || ids.some((id) => !input.expected.includes(id))) {
        return refuse("可拨付的名单已变化，请刷新页面核对后重新生成", { status: 409 });
      }
      const totalFen = ready.reduce((sum, r) => sum + r.amountFen, 0);
      const batch = await tx
        .insertInto("subsidy_payment_batch")
        .values({ year: input.year, stage: input.stage, count: ready.length, total_fen: totalFen, created_by: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("subsidy_payment_line")
        .values(ready.map((r) => ({ batch_id: batch.id, application_id: r.id, stage: input.stage, amount_fen: r.amountFen })))
        .execute();
      await recordAudit(tx, SUBSIDY_PAYMENT_AUDIT, {
        actor,
        id: batch.id,
        action: "create",
        after: { year: input.year, stage: PAYMENT_STAGE_LABELS[input.stage], count: ready.length, totalFen, applications: ids },
      });
      return { ok: true, id: batch.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("其中有申请已列入另一拨付批次，请刷新页面核对", { status: 409 });
    throw error;
  }
}

/** One application's line that could not be recorded paid: the batch's whole transaction is undone. */
class LineRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * Records a batch paid on the day and under the voucher finance gives: each line by the workflow's
 * step (登记拨付 with its holdback, or 结案 for the held part), all or none. Whatever stops one
 * line stops the batch, with that applicant's name and reasons.
 */
export async function recordBatchPaid(
  db: DB,
  actor: SessionUser,
  input: { batchId: number; date: string; voucher: string; confirmed: boolean },
): Promise<Result<{ count: number }>> {
  if (!isCityAdmin(actor)) return refuse(ONLY_CITY, { status: 403 });
  if (!input.confirmed) return refuse("请确认后再登记拨付", { field: "confirmed" });
  try {
    return await db.transaction().execute(async (tx): Promise<Result<{ count: number }>> => {
      const batch = await lockedBatch(tx, input.batchId);
      if (!batch) return refuse("拨付批次不存在", { status: 404 });
      if (batch.paid) return refuse("该批次已登记拨付", { status: 409 });
      const lines = await tx
        .selectFrom("subsidy_payment_line as l")
        .innerJoin("subsidy_application as a", "a.id", "l.application_id")
        .innerJoin("person", "person.id", "a.person_id")
        .select(["l.application_id", "person.name"])
        .where("l.batch_id", "=", batch.id)
        .orderBy("l.application_id")
        .execute();
      const { step, from } = STAGE_STEP[batch.stage];
      for (const line of lines) {
        const taken = await takeSubsidyStepIn(
          tx,
          actor,
          line.application_id,
          step,
          { expected: from, reason: null, confirmed: true, date: input.date, voucher: input.voucher },
          batch.id,
        );
        if (!taken.ok) throw new LineRefused({ ...taken, message: `${line.name}：${taken.message}` });
      }
      await recordAudit(tx, SUBSIDY_PAYMENT_AUDIT, {
        actor,
        id: batch.id,
        action: "paid",
        after: { date: input.date, voucher: input.voucher, count: batch.count, totalFen: batch.total_fen },
      });
      return { ok: true, count: lines.length };
    });
  } catch (error) {
    if (error instanceof LineRefused) return { ...error.refusal, message: `未能登记，整批未作改动。${error.refusal.message}` };
    throw error;
  }
}

/** Takes back a batch not yet paid (the bank refused the file, a line must wait): its applications are payable again. */
export async function cancelBatch(db: DB, actor: SessionUser, input: { batchId: number; confirmed: boolean }): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse(ONLY_CITY, { status: 403 });
  if (!input.confirmed) return refuse("请确认后再撤销拨付批次", { field: "confirmed" });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const batch = await lockedBatch(tx, input.batchId);
    if (!batch) return refuse("拨付批次不存在", { status: 404 });
    if (batch.paid) return refuse("已登记拨付的批次不能撤销", { status: 409 });
    const lines = await tx.deleteFrom("subsidy_payment_line").where("batch_id", "=", batch.id).returning("application_id").execute();
    await tx.deleteFrom("subsidy_payment_batch").where("id", "=", batch.id).execute();
    await recordAudit(tx, SUBSIDY_PAYMENT_AUDIT, {
      actor,
      id: batch.id,
      action: "cancel",
      before: { stage: PAYMENT_STAGE_LABELS[batch.stage], count: batch.count, totalFen: batch.total_fen, applications: lines.map((l) => l.application_id) },
    });
    return { ok: true };
  });
}

/**
 * The batch as the bank's 批量代发 file, with every full account number: the download is recorded
 * like any reveal (who, when, which batch and applications) before a number is decrypted.
 */
export async function batchFile(db: DB, actor: SessionUser, batchId: number): Promise<Result<{ body: Buffer; filename: string }>> {
  if (!isCityAdmin(actor)) return refuse(ONLY_CITY, { status: 403 });
  const found = await db.transaction().execute(async (tx) => {
    const batch = await tx.selectFrom("subsidy_payment_batch").selectAll().where("id", "=", batchId).executeTakeFirst();
    if (!batch) return null;
    const lines = await tx
      .selectFrom("subsidy_payment_line as l")
      .innerJoin("subsidy_payee as p", "p.application_id", "l.application_id")
      .select(["l.application_id", "l.amount_fen", "p.account_name", "p.bank_name", "p.number_cipher"])
      .where("l.batch_id", "=", batchId)
      .orderBy("l.application_id")
      .execute();
    await recordAudit(tx, SUBSIDY_PAYMENT_AUDIT, { actor, id: batchId, action: "download", after: { applications: lines.map((l) => l.application_id) } });
    return { batch, lines };
  });
  if (!found) return refuse("拨付批次不存在", { status: 404 });
  const { batch, lines } = found;
  const purpose = `${batch.year}年学历提升补助${batch.stage === "final" ? "尾款" : ""}`;
  const body = await bankWorkbook(
    lines.map((l) => ({
      name: l.account_name,
      number: decrypt(l.number_cipher),
      bank: l.bank_name,
      amountFen: Number(l.amount_fen),
      purpose,
      note: `申请编号${l.application_id}`,
    })),
  );
  return { ok: true, body, filename: `学历提升补助代发第${batch.id}批.xlsx` };
}

/**
 * The common 批量代发 layout banks import: the header on the first row, one payee a row, a total
 * row at the end. Written here rather than by lib/workbook: a bank's import wants no title row and
 * plain amounts (no ¥), and the total row is the check finance signs. Account numbers are text
 * cells, so Excel neither rounds a 19-digit number nor shows it as 6.22848E+18.
 */
async function bankWorkbook(rows: Array<{ name: string; number: string; bank: string; amountFen: number; purpose: string; note: string }>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("代发明细");
  sheet.addRow(["序号", "收款人户名", "收款账号", "开户银行", "金额（元）", "用途/附言", "备注"]).font = { bold: true };
  rows.forEach((r, i) => sheet.addRow([i + 1, r.name, r.number, r.bank, r.amountFen / 100, r.purpose, r.note]));
  const totalFen = rows.reduce((sum, r) => sum + r.amountFen, 0);
  sheet.addRow(["合计", `${rows.length}笔`, null, null, totalFen / 100, null, null]).font = { bold: true };
  sheet.getColumn(3).numFmt = "@";
  sheet.getColumn(5).numFmt = "0.00";
  sheet.columns.forEach((c, i) => (c.width = [6, 12, 24, 24, 12, 24, 16][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
