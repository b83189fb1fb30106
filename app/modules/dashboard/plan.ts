/** The five-year plan against what happened: the straight line to the target, and where the current pace leads. */

export interface Plan {
  target: number;
  start_year: number;
  end_year: number;
}

export function planProgress(accreditedByYear: Map<number, number>, plan: Plan, currentYear: number) {
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
      planned: Math.round((plan.target * Math.min(year - plan.start_year + 1, span)) / span),
    });
  }
  // Studios accredited before the plan began count towards it too.
  const before = [...accreditedByYear].filter(([y]) => y < plan.start_year).reduce((s, [, n]) => s + n, 0);
  const total = before + cumulative;
  const yearsElapsed = Math.max(1, Math.min(currentYear, lastYear) - plan.start_year + 1);
  const pace = cumulative / yearsElapsed;
  const reachedIn = total >= plan.target ? currentYear : pace > 0 ? currentYear + Math.ceil((plan.target - total) / pace) : null;
  return {
    rows: rows.map((r) => ({ ...r, cumulative: r.cumulative === null ? null : r.cumulative + before })),
    total,
    pace: Math.round(pace * 10) / 10,
    reachedIn,
    onTrack: reachedIn !== null && reachedIn <= plan.end_year,
  };
}
