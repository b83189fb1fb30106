import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { GrantSource, SpendingCategory } from "~db/types";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { isOfficerOf, relationTo } from "~/auth/relation";
import { recordAudit } from "~/lib/audit.server";
import { checkEvidenceFiles } from "~/lib/files";
import { formatFen } from "~/lib/money";
import type { Refusal, Result } from "~/lib/result";
import { storedFileColumns } from "~/lib/upload.server";
import { todayInTaizhou } from "~/lib/time";
import { DEFAULT_CYCLE_POLICY, GRANT_SOURCE_LABELS, returnBySource, SPENDING_CATEGORY_LABELS, type CyclePolicy } from "~/modules/studios/cycle";
import type { GrantInput, SpendingInput, TrancheInput } from "~/modules/studios/cycle-schema.server";
import { CYCLE_POLICY_AUDIT } from "~/modules/studios/labels";
import { recordStudioAudit } from "~/modules/studios/history.server";
import { studioWorking, type StudioRef, isRunning } from "~/modules/studios/policy";

/**
 * A studio's funding ledger: grants by source with the tranches that arrived, the leader's
 * spending with its receipts. The balance lives in studio_fund, moved by one conditional update
 * per entry: two entries at once each see the other's, and the table's check refuses a negative
 * balance even if a query here were wrong.
 */

type Studio = StudioRef & { id: number };

export async function cyclePolicyFor(db: DB, year: number): Promise<CyclePolicy & { saved: boolean }> {
  const row = await db.selectFrom("studio_cycle_policy").selectAll().where("year", "=", year).executeTakeFirst();
  if (!row) return { ...DEFAULT_CYCLE_POLICY, saved: false };
  return {
    approvalThresholdFen: Number(row.approval_threshold_fen),
    excellentCapPercent: row.excellent_cap_percent,
    reconfirmYears: row.reconfirm_years,
    saved: true,
  };
}

export async function saveCyclePolicy(db: DB, actor: SessionUser, year: number, policy: CyclePolicy): Promise<Result> {
  if (!isCityAdmin(actor)) return { ok: false, status: 403, message: "只有市总工会可以设定工作室政策" };
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("studio_cycle_policy").selectAll().where("year", "=", year).forUpdate().executeTakeFirst();
    const row = {
      approval_threshold_fen: policy.approvalThresholdFen,
      excellent_cap_percent: policy.excellentCapPercent,
      reconfirm_years: policy.reconfirmYears,
      updated_at: new Date(),
    };
    await tx
      .insertInto("studio_cycle_policy")
      .values({ year, ...row })
      .onConflict((oc) => oc.column("year").doUpdateSet(row))
      .execute();
    await recordAudit(tx, CYCLE_POLICY_AUDIT, {
      actor,
      id: year,
      action: before ? "update" : "create",
      before: before
        ? {
            approvalThresholdFen: Number(before.approval_threshold_fen),
            excellentCapPercent: before.excellent_cap_percent,
            reconfirmYears: before.reconfirm_years,
          }
        : null,
      after: policy,
    });
    return { ok: true as const };
  });
}

async function fundOf(db: DB, studioId: number) {
  const row = await db.selectFrom("studio_fund").select(["received_fen", "spent_fen"]).where("studio_id", "=", studioId).executeTakeFirst();
  const received = Number(row?.received_fen ?? 0);
  const spent = Number(row?.spent_fen ?? 0);
  return { received, spent, balance: received - spent };
}

export async function ledgerOf(db: DB, studioId: number) {
  const [grants, tranches, spending, receipts, fund] = await Promise.all([
    db.selectFrom("studio_grant").selectAll().where("studio_id", "=", studioId).orderBy("decided_on").orderBy("id").execute(),
    db
      .selectFrom("studio_tranche")
      .innerJoin("studio_grant", "studio_grant.id", "studio_tranche.grant_id")
      .select(["studio_tranche.id", "studio_tranche.grant_id", "studio_tranche.received_on", "studio_tranche.amount_fen", "studio_tranche.voucher"])
      .where("studio_grant.studio_id", "=", studioId)
      .orderBy("studio_tranche.received_on")
      .orderBy("studio_tranche.id")
      .execute(),
    db.selectFrom("studio_spending").selectAll().where("studio_id", "=", studioId).orderBy("spent_on", "desc").orderBy("id", "desc").execute(),
    db
      .selectFrom("studio_file")
      .select(["id", "spending_id", "filename", "content_type"])
      .where("studio_id", "=", studioId)
      .where("kind", "=", "receipt")
      .orderBy("id")
      .execute(),
    fundOf(db, studioId),
  ]);
  return {
    fund,
    pendingFen: spending.filter((s) => s.status === "pending").reduce((sum, s) => sum + Number(s.amount_fen), 0),
    grants: grants.map((g) => {
      const own = tranches.filter((t) => t.grant_id === g.id).map((t) => ({ ...t, amount_fen: Number(t.amount_fen) }));
      return { ...g, amount_fen: Number(g.amount_fen), tranches: own, receivedFen: own.reduce((sum, t) => sum + t.amount_fen, 0) };
    }),
    spending: spending.map((s) => ({ ...s, amount_fen: Number(s.amount_fen), receipts: receipts.filter((r) => r.spending_id === s.id) })),
  };
}

/** Who may record grants and tranches: the officers over the studio, once it is accredited. */
function mayRecordGrants(actor: SessionUser, studio: Studio): Refusal | null {
  if (!isOfficerOf(actor, studio.org_unit_id)) return { ok: false, status: 403, message: "只有市、县总工会可以登记资助" };
  if (!isRunning(studio.status)) return { ok: false, status: 409, message: "工作室授牌后才能登记资助" };
  return null;
}

export async function addGrant(db: DB, actor: SessionUser, studio: Studio, input: GrantInput): Promise<Result<{ id: number }>> {
  const refused = mayRecordGrants(actor, studio);
  if (refused) return refused;
  return db.transaction().execute(async (tx) => {
    const id = await insertGrant(tx, actor, studio, input, "support");
    return { ok: true as const, id };
  });
}

export async function insertGrant(tx: Tx, actor: SessionUser, studio: Studio, input: GrantInput, purpose: "support" | "reconfirmation"): Promise<number> {
  const row = await tx
    .insertInto("studio_grant")
    .values({
      studio_id: studio.id,
      source: input.source,
      purpose,
      document_number: input.documentNumber,
      amount_fen: input.amount,
      decided_on: input.decidedOn,
      recorded_by: actor.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordStudioAudit(tx, actor, studio, {
    action: "grant_add",
    after: { grantId: row.id, source: GRANT_SOURCE_LABELS[input.source], documentNumber: input.documentNumber, amountFen: input.amount, purpose },
  });
  return row.id;
}

/** A tranche arrives: never more in all than the grant decided. */
export async function addTranche(db: DB, actor: SessionUser, studio: Studio, input: TrancheInput): Promise<Result> {
  const refused = mayRecordGrants(actor, studio);
  if (refused) return refused;
  return db.transaction().execute(async (tx): Promise<Result> => {
    const grant = await tx
      .selectFrom("studio_grant")
      .select(["id", "amount_fen", "decided_on", "document_number"])
      .where("id", "=", input.grantId)
      .where("studio_id", "=", studio.id)
      .forUpdate()
      .executeTakeFirst();
    if (!grant) return { ok: false, status: 404, message: "资助记录不存在", field: "grantId" };
    if (input.receivedOn < grant.decided_on) return { ok: false, status: 400, message: "到账日期不能早于资助下达日期", field: "receivedOn" };
    const sum = await tx
      .selectFrom("studio_tranche")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_fen"), eb.lit(0)).as("n"))
      .where("grant_id", "=", grant.id)
      .executeTakeFirstOrThrow();
    const left = Number(grant.amount_fen) - Number(sum.n);
    if (input.amount > left) return { ok: false, status: 400, message: `到账合计不能超过资助金额，该笔资助尚可到账 ${formatFen(left)}`, field: "amount" };
    await tx
      .insertInto("studio_tranche")
      .values({ grant_id: grant.id, received_on: input.receivedOn, amount_fen: input.amount, voucher: input.voucher, recorded_by: actor.id })
      .execute();
    await tx
      .insertInto("studio_fund")
      .values({ studio_id: studio.id, received_fen: input.amount })
      .onConflict((oc) => oc.column("studio_id").doUpdateSet({ received_fen: sql`studio_fund.received_fen + ${input.amount}` }))
      .execute();
    await recordStudioAudit(tx, actor, studio, {
      action: "tranche_add",
      after: { grantId: grant.id, documentNumber: grant.document_number, amountFen: input.amount, receivedOn: input.receivedOn, voucher: input.voucher },
    });
    return { ok: true };
  });
}

/**
 * The leader enters a spending with its receipts. Above the year's threshold it waits for the
 * county, its amount held meanwhile, so an approval can never overdraw the fund.
 */
/**
 * A spending is dated within the studio's own open years: not before it was accredited, not before
 * the first money arrived, and not in a year whose 年度总结 is already filed — backdating would
 * change a ledger the county has reviewed, or slip under an earlier year's approval threshold.
 */
async function spendingDateRefused(db: DB, studio: Studio, spentOn: string): Promise<string | null> {
  const dates = await db
    .selectFrom("studio")
    .select((eb) => [
      "studio.accredited_on",
      eb
        .selectFrom("studio_tranche as t")
        .innerJoin("studio_grant as g", "g.id", "t.grant_id")
        .select((e) => e.fn.min("t.received_on").as("first"))
        .whereRef("g.studio_id", "=", "studio.id")
        .as("first_money"),
    ])
    .where("studio.id", "=", studio.id)
    .executeTakeFirstOrThrow();
  if (dates.accredited_on && spentOn < dates.accredited_on) return `支出日期不能早于工作室授牌日期（${dates.accredited_on}）`;
  if (dates.first_money && spentOn < dates.first_money) return `支出日期不能早于第一笔经费到账日期（${dates.first_money}）`;
  const year = await db
    .selectFrom("studio_year")
    .select("status")
    .where("studio_id", "=", studio.id)
    .where("year", "=", Number(spentOn.slice(0, 4)))
    .executeTakeFirst();
  if (year && year.status !== "planned" && year.status !== "returned") return `${spentOn.slice(0, 4)}年度总结已提交，不能再登记该年度的支出`;
  return null;
}

export async function addSpending(
  db: DB,
  actor: SessionUser,
  studio: Studio,
  input: SpendingInput,
  files: Array<{ name: string; bytes: Uint8Array }>,
): Promise<Result<{ pending: boolean }>> {
  if (relationTo(actor, studio.org_unit_id, studio.person_id) !== "owner") return { ok: false, status: 403, message: "经费支出由工作室领衔人登记" };
  if (!studioWorking(studio)) return { ok: false, status: 409, message: "工作室运行期间才能登记经费支出" };
  if (!files.length) return { ok: false, status: 400, message: "请上传票据（发票或收据的照片或 PDF）", field: "receipts" };
  if (files.length > 5) return { ok: false, status: 400, message: "一次最多上传5张票据", field: "receipts" };
  const checked = checkEvidenceFiles(files);
  if (!checked.ok) return { ok: false, status: 400, message: checked.message, field: "receipts" };
  const backdated = await spendingDateRefused(db, studio, input.spentOn);
  if (backdated) return { ok: false, status: 400, message: backdated, field: "spentOn" };
  const { approvalThresholdFen } = await cyclePolicyFor(db, Number(input.spentOn.slice(0, 4)));
  const pending = input.amount > approvalThresholdFen;
  return db.transaction().execute(async (tx): Promise<Result<{ pending: boolean }>> => {
    const taken = await tx
      .updateTable("studio_fund")
      .set({ spent_fen: sql`spent_fen + ${input.amount}` })
      .where("studio_id", "=", studio.id)
      .where(sql<boolean>`received_fen - spent_fen >= ${input.amount}`)
      .returning(["received_fen", "spent_fen"])
      .executeTakeFirst();
    if (!taken) {
      const fund = await fundOf(tx, studio.id);
      return { ok: false, status: 400, message: `经费余额不足：可用余额 ${formatFen(fund.balance)}，本笔 ${formatFen(input.amount)}`, field: "amount" };
    }
    const row = await tx
      .insertInto("studio_spending")
      .values({
        studio_id: studio.id,
        category: input.category,
        description: input.description,
        amount_fen: input.amount,
        spent_on: input.spentOn,
        status: pending ? "pending" : "recorded",
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const file of checked.files) {
      await tx
        .insertInto("studio_file")
        .values({ studio_id: studio.id, kind: "receipt", spending_id: row.id, ...storedFileColumns(file, actor.id) })
        .execute();
    }
    await recordStudioAudit(tx, actor, studio, {
      action: pending ? "spending_pending" : "spending_add",
      after: { spendingId: row.id, category: input.category, amountFen: input.amount, spentOn: input.spentOn, receipts: checked.files.map((f) => f.name) },
      comment: input.description,
    });
    return { ok: true, pending };
  });
}

/** The county approves a spending above the threshold, or refuses it and the held amount returns to the balance. */
export async function reviewSpending(
  db: DB,
  actor: SessionUser,
  studio: Studio,
  input: { spendingId: number; decision: "approved" | "rejected"; comment: string | null },
): Promise<Result> {
  if (relationTo(actor, studio.org_unit_id, null) !== "county") return { ok: false, status: 403, message: "超过限额的支出由所属县级总工会审批" };
  return db.transaction().execute(async (tx): Promise<Result> => {
    const spending = await tx
      .selectFrom("studio_spending")
      .selectAll()
      .where("id", "=", input.spendingId)
      .where("studio_id", "=", studio.id)
      .forUpdate()
      .executeTakeFirst();
    if (!spending) return { ok: false, status: 404, message: "支出记录不存在" };
    if (spending.status !== "pending") return { ok: false, status: 409, message: "该笔支出已审批，请刷新页面" };
    await tx
      .updateTable("studio_spending")
      .set({ status: input.decision, review_comment: input.comment, reviewed_by: actor.id, reviewed_at: new Date() })
      .where("id", "=", spending.id)
      .execute();
    if (input.decision === "rejected") {
      await tx
        .updateTable("studio_fund")
        .set({ spent_fen: sql`spent_fen - ${Number(spending.amount_fen)}` })
        .where("studio_id", "=", studio.id)
        .execute();
    }
    await recordStudioAudit(tx, actor, studio, {
      action: input.decision === "approved" ? "spending_approve" : "spending_reject",
      after: { spendingId: spending.id, amountFen: Number(spending.amount_fen) },
      comment: input.comment,
    });
    return { ok: true };
  });
}

export interface Statement {
  title: string;
  from: string | null;
  to: string;
  openingFen: number;
  received: Array<{ source: GrantSource; label: string; fen: number }>;
  receivedFen: number;
  spent: Array<{ category: SpendingCategory; fen: number }>;
  spentFen: number;
  pendingFen: number;
  closingFen: number;
  /** At closing or revocation: the unspent balance, returned to each source in proportion. */
  toReturn: Array<{ source: GrantSource; label: string; fen: number }> | null;
  entries: Array<{ date: string; kind: "in" | "out"; text: string; fen: number; voucher: string }>;
}

/**
 * The yearly statement (a year's money in and out, opening and closing balance), or the closing
 * statement of a revoked studio (everything to date, and what goes back to whom).
 */
export async function statementOf(db: DB, studio: { id: number; status: string }, period: { year: number } | { closing: true }): Promise<Statement> {
  const ledger = await ledgerOf(db, studio.id);
  const closing = "closing" in period;
  const from = closing ? null : `${period.year}-01-01`;
  const to = closing ? "9999-12-31" : `${period.year}-12-31`;
  const inPeriod = (date: string) => (from === null || date >= from) && date <= to;
  const before = (date: string) => from !== null && date < from;
  const counted = ledger.spending.filter((s) => s.status === "recorded" || s.status === "approved");
  const tranches = ledger.grants.flatMap((g) => g.tranches.map((t) => ({ ...t, source: g.source, document: g.document_number })));
  const openingFen =
    tranches.filter((t) => before(t.received_on)).reduce((sum, t) => sum + t.amount_fen, 0) -
    counted.filter((s) => before(s.spent_on)).reduce((sum, s) => sum + s.amount_fen, 0);
  const bySource = new Map<GrantSource, number>();
  for (const t of tranches.filter((t) => inPeriod(t.received_on))) bySource.set(t.source, (bySource.get(t.source) ?? 0) + t.amount_fen);
  const byCategory = new Map<SpendingCategory, number>();
  for (const s of counted.filter((s) => inPeriod(s.spent_on))) byCategory.set(s.category, (byCategory.get(s.category) ?? 0) + s.amount_fen);
  const receivedFen = [...bySource.values()].reduce((a, b) => a + b, 0);
  const spentFen = [...byCategory.values()].reduce((a, b) => a + b, 0);
  const closingFen = openingFen + receivedFen - spentFen;
  const sourceOrder = Object.keys(GRANT_SOURCE_LABELS);
  const categoryOrder = Object.keys(SPENDING_CATEGORY_LABELS);
  const received = [...bySource]
    .sort(([a], [b]) => sourceOrder.indexOf(a) - sourceOrder.indexOf(b))
    .map(([source, fen]) => ({ source, label: GRANT_SOURCE_LABELS[source], fen }));
  const back = closing ? returnBySource(Object.fromEntries(bySource), closingFen) : null;
  return {
    title: closing ? "工作室经费清算表" : `${period.year}年度工作室经费收支表`,
    from,
    to: closing ? todayInTaizhou() : to,
    openingFen,
    received,
    receivedFen,
    spent: [...byCategory].sort(([a], [b]) => categoryOrder.indexOf(a) - categoryOrder.indexOf(b)).map(([category, fen]) => ({ category, fen })),
    spentFen,
    pendingFen: ledger.pendingFen,
    closingFen,
    toReturn: back ? received.map(({ source, label }) => ({ source, label, fen: back[source] ?? 0 })) : null,
    entries: [
      ...tranches
        .filter((t) => inPeriod(t.received_on))
        .map((t) => ({
          date: t.received_on,
          kind: "in" as const,
          text: `${GRANT_SOURCE_LABELS[t.source]}资助（${t.document}）`,
          fen: t.amount_fen,
          voucher: t.voucher,
        })),
      ...counted
        .filter((s) => inPeriod(s.spent_on))
        .map((s) => ({ date: s.spent_on, kind: "out" as const, text: s.description, fen: s.amount_fen, voucher: `支出 #${s.id}` })),
    ].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** The receipt or 验收 photo, for those who may see the studio. */
export async function studioFile(db: DB, id: number) {
  return db
    .selectFrom("studio_file")
    .innerJoin("studio", "studio.id", "studio_file.studio_id")
    .select(["studio_file.filename", "studio_file.content_type", "studio_file.data", "studio.org_unit_id", "studio.person_id", "studio.status"])
    .where("studio_file.id", "=", id)
    .executeTakeFirst();
}
