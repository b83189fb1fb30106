import { sql } from "kysely";
import type { DB } from "~db";
import type { AssessmentResult, MentorPaymentKind } from "~db/types";
import { ownRowsOf } from "~/auth/scope.server";
import { can, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { paginate, PAGE_SIZE, type Page } from "~/lib/sql";
import { refuse, type Result } from "~/lib/result";
import { everyRow, sheet, workbook } from "~/lib/workbook.server";
import { owedAmount, parseOwedKey, TECHNICIAN_LEVELS, type OwedSource } from "~/modules/apprentices/allowance";
import { MENTOR_PAYMENT_AUDIT, PAYMENT_KIND_LABELS } from "~/modules/apprentices/assessment-labels";
import type { PayableFilter, PaymentInput } from "~/modules/apprentices/assessment-schema.server";
import { mentoringPoliciesFor } from "~/modules/apprentices/policy.server";

/**
 * What mentors are owed and what they were paid. The items are found in one set-based statement
 * (assessments, verified upgrades to 技师 or above, verified placings, in the viewer's scope, each
 * beside its payment if any) and a page of them is priced by allowance.ts under each item's year's
 * policy. A payment is inserted by the item's key: whatever races, one row, the second told so.
 */

export interface OwedRow {
  key: string;
  kind: MentorPaymentKind;
  mentorshipId: number;
  studioId: number;
  studioName: string;
  orgUnitId: number;
  mentorId: number | null;
  mentorName: string | null;
  apprenticeName: string;
  on: string;
  basis: string;
  /** What the policy computes now; a paid item keeps what was paid (`paid.amountFen`). */
  amountFen: number;
  paid: { amountFen: number; paidOn: string; payer: string; reference: string } | null;
}

/** The owed items of the user's scope as one relation: a union of the three kinds, each named by its key. */
function owedItems(db: DB, user: SessionUser, only?: { kind: MentorPaymentKind; id: number }) {
  const base = () =>
    db
      .selectFrom("mentorship")
      .innerJoin("studio", "studio.id", "mentorship.studio_id")
      .innerJoin("person", "person.id", "mentorship.apprentice_id")
      .where(ownRowsOf(user, { unit: "studio.org_unit_id", person: "studio.person_id" }))
      .select([
        "mentorship.id as mentorship_id",
        "studio.id as studio_id",
        "studio.name as studio_name",
        "studio.org_unit_id",
        "studio.person_id as mentor_id",
        "person.name as apprentice_name",
        sql<string | null>`(select mentor.name from person mentor where mentor.id = studio.person_id)`.as("mentor_name"),
      ]);
  const wanted = (kind: MentorPaymentKind) => (only ? only.kind === kind : true);
  const allowance = base()
    .innerJoin("mentorship_assessment as a", "a.mentorship_id", "mentorship.id")
    .select([
      sql<string>`'allowance:' || a.id`.as("key"),
      sql<MentorPaymentKind>`'allowance'`.as("kind"),
      "a.assessed_on as on_date",
      // The years an assessment pays for run from the extension before it, else from the start.
      sql<string>`coalesce((select max(e.assessed_on) from mentorship_assessment e where e.mentorship_id = a.mentorship_id and e.result = 'extended' and (e.assessed_on, e.id) < (a.assessed_on, a.id)), mentorship.start_date)`.as(
        "from_date",
      ),
      sql<AssessmentResult | null>`a.result`.as("result"),
      sql<Record<string, string> | null>`null::jsonb`.as("details"),
    ])
    .$if(!wanted("allowance"), (q) => q.where(sql<boolean>`false`))
    .$if(!!only, (q) => q.where("a.id", "=", only!.id));
  const milestones = (kind: "technician" | "placing") =>
    base()
      .innerJoin("milestone as ms", "ms.mentorship_id", "mentorship.id")
      .select([
        sql<string>`${kind}::text || ':' || ms.id`.as("key"),
        sql<MentorPaymentKind>`${kind}::text`.as("kind"),
        "ms.occurred_on as on_date",
        sql<string>`null::date`.as("from_date"),
        sql<AssessmentResult | null>`null::text`.as("result"),
        sql<Record<string, string> | null>`ms.details`.as("details"),
      ])
      .where("ms.status", "=", "verified")
      .$if(!wanted(kind), (q) => q.where(sql<boolean>`false`))
      .$if(kind === "technician", (q) => q.where("ms.kind", "=", "skill_upgrade").where(sql`ms.details->>'toLevel'`, "in", TECHNICIAN_LEVELS))
      .$if(kind === "placing", (q) => q.where("ms.kind", "=", "competition").where(sql`coalesce(trim(ms.details->>'placing'), '')`, "<>", ""))
      .$if(!!only, (q) => q.where("ms.id", "=", only!.id));
  const union = allowance.unionAll(milestones("technician")).unionAll(milestones("placing"));
  return db.selectFrom(union.as("o")).leftJoin("mentor_payment as p", "p.key", "o.key");
}

function sourceOf(row: {
  kind: MentorPaymentKind;
  key: string;
  on_date: string;
  from_date: string | null;
  result: AssessmentResult | null;
  details: Record<string, string> | null;
}): OwedSource {
  const id = parseOwedKey(row.key)!.id;
  if (row.kind === "allowance") return { kind: "allowance", id, on: row.on_date, from: row.from_date!, result: row.result! };
  if (row.kind === "technician") return { kind: "technician", id, on: row.on_date, toLevel: String(row.details?.toLevel ?? "") };
  return { kind: "placing", id, on: row.on_date, competition: String(row.details?.competitionName ?? ""), placing: String(row.details?.placing ?? "") };
}

/** A page of the owed items in the user's scope (the county its unit's studios, the city all, a craftsman their own), priced. */
export async function owedPage(
  db: DB,
  user: SessionUser,
  filter: Partial<PayableFilter> & { only?: { kind: MentorPaymentKind; id: number } },
  pageSize = PAGE_SIZE,
): Promise<Page<OwedRow>> {
  const filtered = () =>
    owedItems(db, user, filter.only)
      .$if(filter.paid === "paid", (q) => q.where("p.id", "is not", null))
      .$if(filter.paid === "unpaid", (q) => q.where("p.id", "is", null));
  const page = await paginate(
    filtered().selectAll("o").select(["p.amount_fen as paid_fen", "p.paid_on", "p.payer", "p.reference"]).orderBy("o.on_date", "desc").orderBy("o.key"),
    filtered(),
    filter.page ?? 1,
    pageSize,
  );
  const policyOf = await mentoringPoliciesFor(
    db,
    page.rows.map((r) => Number(r.on_date.slice(0, 4))),
  );
  return {
    ...page,
    rows: page.rows.map((r) => {
      const { amountFen, basis } = owedAmount(sourceOf(r), policyOf(Number(r.on_date.slice(0, 4))));
      return {
        key: r.key,
        kind: r.kind,
        mentorshipId: r.mentorship_id,
        studioId: r.studio_id,
        studioName: r.studio_name,
        orgUnitId: r.org_unit_id,
        mentorId: r.mentor_id,
        mentorName: r.mentor_name,
        apprenticeName: r.apprentice_name,
        on: r.on_date,
        basis,
        amountFen,
        paid: r.paid_on === null ? null : { amountFen: Number(r.paid_fen), paidOn: r.paid_on, payer: r.payer!, reference: r.reference! },
      };
    }),
  };
}

export const PAYMENT_OFFICERS_ONLY = "只有县级总工会或市总工会可以登记支付";

/**
 * Records that an owed item was paid: by the officers of its studio's unit or the city, the amount
 * the policy computes (the form posts none), once — the key is unique, and a second payment of the
 * same item, at the same moment or later, is told it was paid.
 */
export async function recordPayment(db: DB, actor: SessionUser, input: PaymentInput): Promise<Result<{ id: number }>> {
  if (!can(actor, "mentoring.pay")) return refuse(PAYMENT_OFFICERS_ONLY, { status: 403 });
  const only = parseOwedKey(input.key);
  const item = only ? (await owedPage(db, actor, { only }, 1)).rows[0] : undefined;
  // The officer's scope is the list's: another county's item is as unknown as a missing one.
  if (!item) return refuse("应付项目不存在", { status: 404, field: "key" });
  if (item.paid) return refuse("该项已支付", { status: 409, field: "key" });
  if (item.mentorId === null) return refuse("该工作室没有领衔工匠，不能登记支付", { status: 409, field: "key" });
  if (item.amountFen === 0) return refuse("该项按政策应付金额为0，无需登记支付", { status: 409, field: "key" });
  return db.transaction().execute(async (tx): Promise<Result<{ id: number }>> => {
    const row = await tx
      .insertInto("mentor_payment")
      .values({
        key: item.key,
        studio_id: item.studioId,
        mentor_id: item.mentorId!,
        mentorship_id: item.mentorshipId,
        kind: item.kind,
        amount_fen: item.amountFen,
        paid_on: input.paidOn,
        payer: input.payer,
        reference: input.reference,
        recorded_by: actor.id,
      })
      // The key decides: a payment of the same item committed first leaves nothing to insert.
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) return refuse("该项已支付", { status: 409, field: "key" });
    await recordAudit(tx, MENTOR_PAYMENT_AUDIT, {
      actor,
      id: row.id,
      unit: item.orgUnitId,
      action: "pay",
      after: {
        key: item.key,
        kind: item.kind,
        mentorshipId: item.mentorshipId,
        amountFen: item.amountFen,
        basis: item.basis,
        paidOn: input.paidOn,
        payer: input.payer,
        reference: input.reference,
      },
    });
    return { ok: true, id: row.id };
  });
}

/** The payable list as the enterprise or the union pays from it: every item of the filter, mentor by mentor. */
export async function payableWorkbook(db: DB, user: SessionUser, filter: Partial<PayableFilter>): Promise<Buffer> {
  const rows = await everyRow((page, pageSize) => owedPage(db, user, { ...filter, page }, pageSize));
  return workbook(
    sheet<OwedRow>(
      "应付清单",
      "带徒津贴及奖励应付清单",
      [
        { header: "领衔工匠（师傅）", value: (r) => r.mentorName },
        { header: "工作室", width: 24, value: (r) => r.studioName },
        { header: "学徒", value: (r) => r.apprenticeName },
        { header: "项目", value: (r) => PAYMENT_KIND_LABELS[r.kind] },
        { header: "计算依据", width: 48, value: (r) => r.basis },
        { header: "金额（元）", kind: "money", value: (r) => r.paid?.amountFen ?? r.amountFen },
        { header: "状态", value: (r) => (r.paid ? "已支付" : "未支付") },
        { header: "支付日期", value: (r) => r.paid?.paidOn },
        { header: "支付单位", value: (r) => r.paid?.payer },
        { header: "凭证号", value: (r) => r.paid?.reference },
        { header: "编号", value: (r) => r.key },
      ],
      rows,
    ),
  );
}
