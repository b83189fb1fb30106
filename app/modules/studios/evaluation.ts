import type { EvaluationGrade } from "~db/types";

/** The yearly scorecard: figures from verified records, weighed by criteria the city sets per year. */

export const FIGURE_LABELS = {
  apprenticesMentored: "带徒人数",
  skillUpgrades: "技能等级提升（人次）",
  competitionPlacings: "技能竞赛获奖（人次）",
  backbones: "成为技能骨干（人）",
  innovations: "技术创新成果（项）",
  eventsHeld: "举办交流培训（场）",
  eventsAttended: "参加交流培训（人次）",
} as const;

export type FigureKey = keyof typeof FIGURE_LABELS;
export type Figures = Record<FigureKey, number> & { benefitFen: number };

export interface Criterion {
  key: string;
  label: string;
  weight: number;
  target: number;
}

/** Only a starting point for a year with no criteria yet; once saved, the year's own rows count. */
export const SUGGESTED_CRITERIA: Criterion[] = [
  { key: "apprenticesMentored", label: FIGURE_LABELS.apprenticesMentored, weight: 20, target: 5 },
  { key: "skillUpgrades", label: FIGURE_LABELS.skillUpgrades, weight: 25, target: 3 },
  { key: "competitionPlacings", label: FIGURE_LABELS.competitionPlacings, weight: 20, target: 2 },
  { key: "backbones", label: FIGURE_LABELS.backbones, weight: 15, target: 1 },
  { key: "innovations", label: FIGURE_LABELS.innovations, weight: 10, target: 2 },
  { key: "eventsHeld", label: FIGURE_LABELS.eventsHeld, weight: 10, target: 4 },
];

export const GRADE_LABELS: Record<EvaluationGrade, string> = { excellent: "优秀", pass: "合格", fail: "不合格" };

/** Each criterion gives its weight in full once its target is met, and a share of it below. */
export function scoreOf(figures: Partial<Record<string, number>>, criteria: Criterion[]) {
  const parts = criteria.map((c) => {
    const figure = figures[c.key] ?? 0;
    const points = Math.round(c.weight * Math.min(1, figure / c.target) * 100) / 100;
    return { ...c, figure, points };
  });
  return {
    parts,
    total: Math.round(parts.reduce((sum, p) => sum + p.points, 0) * 100) / 100,
    max: criteria.reduce((sum, c) => sum + c.weight, 0),
  };
}

/** Two 不合格 years in a row put the studio up for a revocation review. */
export function needsRevocationReview(evaluations: Array<{ year: number; grade: EvaluationGrade }>): boolean {
  const failed = new Set(evaluations.filter((e) => e.grade === "fail").map((e) => e.year));
  return [...failed].some((year) => failed.has(year - 1));
}
