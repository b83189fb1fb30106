import type { DB } from "~db";
import { DEFAULT_MENTORING_POLICY, type MentoringPolicy } from "~/modules/apprentices/policy";

/** The mentoring policy in force for a year: the city's row for it, else the defaults. */
export async function mentoringPolicyFor(db: DB, year: number): Promise<MentoringPolicy & { saved: boolean }> {
  const row = await db.selectFrom("mentoring_policy").selectAll().where("year", "=", year).executeTakeFirst();
  if (!row) return { ...DEFAULT_MENTORING_POLICY, saved: false };
  return {
    reviewEveryMonths: row.review_every_months,
    allowancePerYearFen: Number(row.allowance_per_year_fen),
    passedPercent: row.passed_percent,
    extendedPercent: row.extended_percent,
    terminatedPercent: row.terminated_percent,
    technicianRewardFen: Number(row.technician_reward_fen),
    placingRewardFen: Number(row.placing_reward_fen),
    saved: true,
  };
}
