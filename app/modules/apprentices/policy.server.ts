import type { Selectable } from "kysely";
import type { DB } from "~db";
import type { MentoringPolicyTable } from "~db/types";
import { can, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";
import { MENTORING_POLICY_AUDIT } from "~/modules/apprentices/assessment-labels";
import { DEFAULT_MENTORING_POLICY, type MentoringPolicy } from "~/modules/apprentices/policy";

function policyOf(row: Selectable<MentoringPolicyTable>): MentoringPolicy {
  return {
    reviewEveryMonths: row.review_every_months,
    allowancePerYearFen: Number(row.allowance_per_year_fen),
    passedPercent: row.passed_percent,
    extendedPercent: row.extended_percent,
    terminatedPercent: row.terminated_percent,
    technicianRewardFen: Number(row.technician_reward_fen),
    placingRewardFen: Number(row.placing_reward_fen),
  };
}

/** The mentoring policy in force for a year: the city's row for it, else the defaults. */
export async function mentoringPolicyFor(db: DB, year: number): Promise<MentoringPolicy & { saved: boolean }> {
  const row = await db.selectFrom("mentoring_policy").selectAll().where("year", "=", year).executeTakeFirst();
  return row ? { ...policyOf(row), saved: true } : { ...DEFAULT_MENTORING_POLICY, saved: false };
}

/** The policies of several years at once (a page of owed items spans a few), each year's row or the defaults. */
export async function mentoringPoliciesFor(db: DB, years: readonly number[]): Promise<(year: number) => MentoringPolicy> {
  const rows = years.length
    ? await db
        .selectFrom("mentoring_policy")
        .selectAll()
        .where("year", "in", [...new Set(years)])
        .execute()
    : [];
  const byYear = new Map(rows.map((r) => [r.year, policyOf(r)]));
  return (year) => byYear.get(year) ?? { ...DEFAULT_MENTORING_POLICY };
}

export const POLICY_CITY_ONLY = "只有市总工会可以设定带徒政策";

/**
 * The city sets a year's mentoring policy; the change and its history row commit together. The
 * review interval is frozen once a pairing that started in the year has a signed review: reviews
 * are kept by period number, and a new interval would move signed periods to other dates (or past
 * the pairing's end). The other fields price what is owed and stay free to change.
 */
export async function saveMentoringPolicy(db: DB, actor: SessionUser, year: number, input: MentoringPolicy): Promise<Result> {
  if (!can(actor, "mentoring.policy")) return refuse(POLICY_CITY_ONLY, { status: 403 });
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("mentoring_policy").selectAll().where("year", "=", year).forUpdate().executeTakeFirst();
    const every = before?.review_every_months ?? DEFAULT_MENTORING_POLICY.reviewEveryMonths;
    if (input.reviewEveryMonths !== every) {
      // A review row is made by its first signature, so any row is a signed review.
      const signed = await tx
        .selectFrom("mentorship_review as r")
        .innerJoin("mentorship as m", "m.id", "r.mentorship_id")
        .select("r.id")
        .where("m.start_date", ">=", `${year}-01-01`)
        .where("m.start_date", "<", `${year + 1}-01-01`)
        .limit(1)
        .executeTakeFirst();
      if (signed) {
        return refuse(`${year}年开始的结对已有签署的三方评议，评议间隔不能再修改（仍为${every}个月）`, { status: 409, field: "reviewEveryMonths" });
      }
    }
    const row = {
      review_every_months: input.reviewEveryMonths,
      allowance_per_year_fen: input.allowancePerYearFen,
      passed_percent: input.passedPercent,
      extended_percent: input.extendedPercent,
      terminated_percent: input.terminatedPercent,
      technician_reward_fen: input.technicianRewardFen,
      placing_reward_fen: input.placingRewardFen,
      updated_by: actor.id,
      updated_at: new Date(),
    };
    await tx
      .insertInto("mentoring_policy")
      .values({ year, ...row })
      .onConflict((oc) => oc.column("year").doUpdateSet(row))
      .execute();
    const was = before ? policyOf(before) : null;
    await recordAudit(tx, MENTORING_POLICY_AUDIT, { actor, id: year, action: before ? "update" : "create", before: was, after: { year, ...input } });
    return { ok: true as const };
  });
}
