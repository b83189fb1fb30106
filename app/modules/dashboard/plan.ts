/** The five-year plan against what happened: the straight line to the target, and where the current pace leads. */

export interface Plan {
  target: number;
  start_year: number;
  end_year: number;
}

/** How far ahead a pace is turned into a year; beyond it the target is "not reached at this pace". */
export const FORECAST_HORIZON_YEARS = 20;

/** `target` is the scope's own: the city's plan, a county's share of it, or none set for that county. */
export function planProgress(accreditedByYear: Map<number, number>, plan: Pick<Plan, "start_year" | "end_year">, target: number | null, currentYear: number) {
  const lastYear = Math.max(plan.end_year, currentYear);
  const span = plan.end_year - plan.start_year + 1;
  let cumulative = 0;
  const rows = [];
  for (let year = plan.start_year; year <= lastYear; year++) {
    if (year <= currentYear) cumulative += accreditedByYear.get(year) ?? 0;
    rows.push({
      year,
      accredited: year <= currentYear ? (accreditedByYear.get(year) ?? 0) : null,
      cumulative: year <= currentYear ? cumulative : null,
      planned: target === null ? null : Math.round((target * Math.min(year - plan.start_year + 1, span)) / span),
    });
  }
  // Studios accredited before the plan began count towards it too.
  const before = [...accreditedByYear].filter(([y]) => y < plan.start_year).reduce((s, [, n]) => s + n, 0);
  const total = before + cumulative;
  const yearsElapsed = Math.max(1, Math.min(currentYear, lastYear) - plan.start_year + 1);
  const pace = cumulative / yearsElapsed;
  const projected = target === null ? null : total >= target ? currentYear : pace > 0 ? currentYear + Math.ceil((target - total) / pace) : null;
  // A year generations away ("2917年可达成") is no forecast: past the horizon it is "not at this pace".
  const reachedIn = projected !== null && projected - currentYear <= FORECAST_HORIZON_YEARS ? projected : null;
  return {
    rows: rows.map((r) => ({ ...r, cumulative: r.cumulative === null ? null : r.cumulative + before })),
    total,
    pace: Math.round(pace * 10) / 10,
    reachedIn,
    onTrack: reachedIn !== null && reachedIn <= plan.end_year,
    /** The plan's window is over: the city owes the next plan. */
    ended: currentYear > plan.end_year,
  };
}
