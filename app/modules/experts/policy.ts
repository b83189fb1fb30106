import type { SheetStatus } from "~db/types";
import type { Relation } from "~/auth/relation";
import { isExpert, isCityAdmin, type SessionUser } from "~/auth/roles";
import { defineWorkflow } from "~/auth/workflow";

/** The expert review's pure rules: panel size, the marks a sheet takes, the three rankings, and when experts disagree. */

/** A score sheet as its workflow sees it: its state and the account of the expert whose sheet it is. */
export interface SheetRef {
  status: SheetStatus;
  expert_user_id: string | null;
}

/**
 * A sheet belongs to no unit and no craftsman: it is its expert's own (the "owner" of the
 * workflow), and the city's, who arranges the review; nobody else stands to it.
 */
function sheetRelation(user: SessionUser, sheet: SheetRef): Relation | null {
  if (isExpert(user)) return user.id === sheet.expert_user_id ? "owner" : null;
  return isCityAdmin(user) ? "city" : null;
}

/**
 * An expert's score sheet: saved as a draft until submitted, then locked and counted; the city may
 * send it back with a reason, and it is a draft again (the expert's to-do once more). The step
 * names are the history's actions (`EXPERT_REVIEW_AUDIT`). Nobody is told of either step today.
 */
export const sheetWorkflow = defineWorkflow<SheetStatus, SheetRef>(
  "评分表",
  sheetRelation,
)({
  submit: { label: "提交评分", from: ["draft"], to: "submitted", by: ["owner"] },
  reopen: { label: "退回重评", from: ["submitted"], to: "draft", by: ["city"], needsReason: true, todo: { for: "owner", text: "评审：{subject}" } },
});

/** Chinese practice: five or more, and an odd number, so a split panel still decides. */
export function panelWarnings(size: number): string[] {
  const warnings: string[] = [];
  if (size < 5) warnings.push(`评审组只有 ${size} 人，少于5人`);
  if (size % 2 === 0) warnings.push(`评审组为 ${size} 人（偶数），建议为奇数`);
  return warnings;
}

export interface ScoredSheet {
  expertId: number;
  nominationId: number;
  total: number;
}

export interface Standing {
  nominationId: number;
  count: number;
  mean: number | null;
  /** Dropping the highest and the lowest when five or more scored; the mean otherwise. */
  trimmed: number | null;
  /** The mean of each expert's standardised score: evens out a harsh and a lenient marker. */
  z: number | null;
  spread: number | null;
  disagree: boolean;
}

/** Experts disagree widely when their totals for one nominee lie this many points apart or more. */
export const DISAGREEMENT_POINTS = 20;

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const average = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function standings(sheets: ScoredSheet[], nominationIds: number[]): Standing[] {
  const byExpert = new Map<number, number[]>();
  for (const s of sheets) byExpert.set(s.expertId, [...(byExpert.get(s.expertId) ?? []), s.total]);
  const scale = new Map(
    [...byExpert].map(([expert, totals]) => {
      const mean = average(totals);
      const sd = Math.sqrt(average(totals.map((t) => (t - mean) ** 2)));
      return [expert, { mean, sd }];
    }),
  );
  return nominationIds.map((nominationId) => {
    const mine = sheets.filter((s) => s.nominationId === nominationId);
    if (!mine.length) return { nominationId, count: 0, mean: null, trimmed: null, z: null, spread: null, disagree: false };
    const totals = mine.map((s) => s.total).sort((a, b) => a - b);
    const kept = totals.length >= 5 ? totals.slice(1, -1) : totals;
    const zs = mine.map((s) => {
      const { mean, sd } = scale.get(s.expertId)!;
      return sd === 0 ? 0 : (s.total - mean) / sd;
    });
    const spread = totals[totals.length - 1] - totals[0];
    return {
      nominationId,
      count: mine.length,
      mean: round(average(totals), 2),
      trimmed: round(average(kept), 2),
      z: round(average(zs), 3),
      spread: round(spread, 1),
      disagree: spread >= DISAGREEMENT_POINTS,
    };
  });
}

export type RankingBy = "mean" | "trimmed" | "z";

export const RANKING_LABELS: Record<RankingBy, string> = { mean: "平均分", trimmed: "去掉最高分和最低分后的平均分", z: "标准分（消除评分宽严差异）" };

/** Orders standings by one ranking, the unscored last. */
export function rankBy<T extends Standing>(rows: T[], by: RankingBy): T[] {
  return [...rows].sort((a, b) => (b[by] ?? -Infinity) - (a[by] ?? -Infinity) || a.nominationId - b.nominationId);
}

/**
 * What is wrong with each criterion's mark, by criterion key, each message naming its criterion
 * (the sheet shows it under that field): out of range or finer than half a point; on submitting, unmarked.
 */
export function markErrors(
  rubric: ReadonlyArray<{ key: string; label: string; max_points: number }>,
  marks: Readonly<Record<string, { points: number | null }>>,
  submit: boolean,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const c of rubric) {
    const points = marks[c.key]?.points ?? null;
    if (points === null) {
      if (submit) errors[c.key] = `请为“${c.label}”打分后再提交`;
    } else if (!Number.isFinite(points) || points < 0 || points > c.max_points || Math.round(points * 2) !== points * 2) {
      errors[c.key] = `“${c.label}”的得分应在0到${c.max_points}之间，最小单位0.5分`;
    }
  }
  return errors;
}
