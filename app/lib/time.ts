/** Today's date in Taizhou, as YYYY-MM-DD: deadlines are calendar days there. */
export function todayInTaizhou(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(now);
}
