import type { AssessmentResult, MentorPaymentKind } from "~db/types";
import type { MentoringPolicy } from "~/modules/apprentices/policy";
import { ASSESSMENT_RESULT_LABELS } from "~/modules/apprentices/assessment-labels";

/**
 * What a mentor is owed, as arithmetic on the year's policy (mentoring_policy), nothing read here:
 * the allowance per 出师考核 that ends or extends a pairing, a reward per verified skill upgrade to
 * 技师 or above, a reward per verified competition placing. Each item has a key that names it once
 * (allowance:<assessment>, technician:<milestone>, placing:<milestone>): mentor_payment's unique key.
 */

/** The levels whose reaching earns the mentor the 技师 reward. */
export const TECHNICIAN_LEVELS: readonly string[] = ["技师", "高级技师"];

/**
 * The years of mentoring an assessment pays for: the years begun from `from` (the pairing's start,
 * or the previous assessment that extended it) to the assessment's day — a whole year counts once,
 * any part of a further year counts as that year — and at least one.
 */
export function yearsMentored(from: string, assessedOn: string): number {
  const [fy, fm, fd] = from.split("-").map(Number);
  const [ty, tm, td] = assessedOn.split("-").map(Number);
  let full = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) full--;
  const onAnniversary = tm === fm && td === fd;
  return Math.max(1, onAnniversary ? full : full + 1);
}

const RESULT_PERCENT = { passed: "passedPercent", extended: "extendedPercent", terminated: "terminatedPercent" } as const;

/** The allowance an assessment earns: per year × years × the result's percent, rounded to the fen. */
export function allowanceFen(policy: MentoringPolicy, years: number, result: AssessmentResult): number {
  return Math.round((policy.allowancePerYearFen * years * policy[RESULT_PERCENT[result]]) / 100);
}

/** Where an owed item comes from: an assessment (with its result and the years it covers) or a milestone. */
export type OwedSource =
  | { kind: "allowance"; id: number; on: string; from: string; result: AssessmentResult }
  | { kind: "technician"; id: number; on: string; toLevel: string }
  | { kind: "placing"; id: number; on: string; competition: string; placing: string };

/** An owed item's key read back: its kind and its record's id, or null for anything else. */
export function parseOwedKey(key: string): { kind: MentorPaymentKind; id: number } | null {
  const match = /^(allowance|technician|placing):(\d{1,9})$/.exec(key);
  return match ? { kind: match[1] as MentorPaymentKind, id: Number(match[2]) } : null;
}

/** The amount an item is owed, under the policy of its year (the assessment's or the milestone's), and the basis said in words. */
export function owedAmount(source: OwedSource, policy: MentoringPolicy): { amountFen: number; basis: string } {
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  switch (source.kind) {
    case "allowance": {
      const years = yearsMentored(source.from, source.on);
      const percent = policy[RESULT_PERCENT[source.result]];
      return {
        amountFen: allowanceFen(policy, years, source.result),
        basis: `${yuan(policy.allowancePerYearFen)}元/年 × ${years}年 × ${percent}%（${ASSESSMENT_RESULT_LABELS[source.result]}，${source.from}至${source.on}）`,
      };
    }
    case "technician":
      return { amountFen: policy.technicianRewardFen, basis: `晋升${source.toLevel}（${source.on}）` };
    case "placing":
      return { amountFen: policy.placingRewardFen, basis: `${source.competition} ${source.placing}（${source.on}）` };
  }
}
