/**
 * Taizhou time, written once. Deadlines, "today", years of figures and typed date-times are all
 * calendar facts of Taizhou (UTC+8, no daylight saving), whatever zone the server runs in.
 */
export const TAIZHOU_TIME_ZONE = "Asia/Shanghai";
const OFFSET = "+08:00";
const DAY_MS = 86_400_000;

const dateFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TAIZHOU_TIME_ZONE });

/** The Taizhou calendar date of an instant, as YYYY-MM-DD. */
export function dateInTaizhou(instant: Date | string | number): string {
  return dateFormat.format(new Date(instant));
}

/** A calendar date as `YYYY-MM-DD` that exists (Date alone accepts 2 月 30 日 and rolls it over). */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * A date recorded in a workflow step (accreditation, payment, closing): a real day from the
 * platform's first year to a few years ahead — 9999-12-31 is a typing accident, not a plan.
 */
export function isRecordDate(value: string, now: Date = new Date()): boolean {
  return isRealDate(value) && inDateRange(value, DATE_RANGES.record, now);
}

/**
 * The span a kind of date may fall in (computed when asked: "today" moves). A year typed as 0230
 * or 9999 is a slip of the keyboard, never a date anyone means; each field says what it means.
 */
export interface DateRange {
  earliest: (now?: Date) => string;
  latest: (now?: Date) => string;
  /** What is said of a date past the latest, after the field's label, when "不能晚于 <date>" is not the reason. */
  tooLate?: string;
}

export const DATE_RANGES = {
  /** A living worker or apprentice: born after 1930, at least 16 years old. */
  birth: { earliest: () => "1930-01-01", latest: (now) => `${yearInTaizhou(now) - 16}-12-31` },
  /** Something that has happened (a competition, an upgrade, a signature, a report): not in the future. */
  past: { earliest: () => "1980-01-01", latest: (now) => todayInTaizhou(now), tooLate: "不能晚于今天" },
  /** A step of the platform's own work (a deadline, a notice, a payment): from its first year to five years ahead. */
  record: { earliest: () => `${FIRST_YEAR}-01-01`, latest: (now) => `${yearInTaizhou(now) + 5}-12-31` },
  /** A campaign's deadline: its own year checks it further (a campaign of 2027 closes in 2026 or 2027). */
  deadline: { earliest: () => `${FIRST_YEAR}-01-01`, latest: () => `${LAST_YEAR}-12-31` },
  /** A plan of study or mentoring: started since 1990, ending within ten years. */
  plan: { earliest: () => "1990-01-01", latest: (now) => `${yearInTaizhou(now) + 10}-12-31` },
} satisfies Record<string, DateRange>;

/** Whether a real date lies within a range, both ends included. */
export function inDateRange(value: string, range: DateRange, now: Date = new Date()): boolean {
  return value >= range.earliest(now) && value <= range.latest(now);
}

/**
 * An instant as ExcelJS should write it: a cell has no time zone and ExcelJS writes a Date's UTC
 * fields, so the Date handed over carries Taizhou's wall clock in them (14:00 there, not 06:00).
 */
export function excelTaizhouTime(instant: Date | string): Date {
  return new Date(new Date(instant).getTime() + 8 * 3_600_000);
}

/** Today's date in Taizhou, as YYYY-MM-DD: deadlines are calendar days there. */
export function todayInTaizhou(now: Date = new Date()): string {
  return dateInTaizhou(now);
}

/** This year in Taizhou (on 31 December at 20:00 UTC it is already next year there). */
export function yearInTaizhou(now: Date = new Date()): number {
  return Number(todayInTaizhou(now).slice(0, 4));
}

/** The years the platform keeps records for: a year outside them in a query is no year at all. */
export const FIRST_YEAR = 2018;
export const LAST_YEAR = 2100;

/** A year from a query string (?year=2024), or this year in Taizhou when it is missing or not a year of the platform. */
export function yearParam(raw: string | null | undefined): number {
  const year = raw && /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  return year >= FIRST_YEAR && year <= LAST_YEAR ? year : yearInTaizhou();
}

/** The instant a Taizhou calendar day (YYYY-MM-DD) starts. */
export function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00${OFFSET}`);
}

/**
 * `date` plus `months` calendar months, the day kept or clamped to the month's last (31 Jan + 3 →
 * 30 Apr), as Postgres's `date + interval` does. Each due date is counted from the start, never
 * from the previous due date, so a clamp does not drift (31 Jan → 30 Apr → 31 Jul, not 30 Jul).
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The instant after a Taizhou calendar day ends: the bound of a "to this day, inclusive" filter. */
export function endOfDay(date: string): Date {
  return new Date(startOfDay(date).getTime() + DAY_MS);
}

/** The instant a Taizhou year starts. */
export function startOfYear(year: number): Date {
  return startOfDay(`${year}-01-01`);
}

/** A stored instant as the value of an `<input type="datetime-local">`, in Taizhou time. */
export function toDateTimeLocal(instant: Date | string): string {
  return new Date(new Date(instant).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** The value of an `<input type="datetime-local">`, read as Taizhou time; null when it is not one. */
export function fromDateTimeLocal(value: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [, , hours, minutes] = match;
  if (Number(hours) > 23 || Number(minutes) > 59) return null;
  const instant = new Date(`${value}:00${OFFSET}`);
  // A day that does not exist (2 月 30 日) rolls over in Date; refuse it instead.
  return Number.isNaN(instant.getTime()) || toDateTimeLocal(instant) !== value ? null : instant;
}

/** The hour of the day on a Taizhou clock (0–23). */
export function hourInTaizhou(now: Date = new Date()): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCHours();
}

/** The next instant a Taizhou clock shows `hour`:00 (today's, if still ahead). */
export function nextTaizhouHour(hour: number, now: Date = new Date()): Date {
  const today = startOfDay(todayInTaizhou(now)).getTime() + hour * 3_600_000;
  return new Date(today > now.getTime() ? today : today + DAY_MS);
}

/** A Taizhou date `days` calendar days after (or before) `date`. */
export function addDays(date: string, days: number): string {
  return dateInTaizhou(startOfDay(date).getTime() + days * DAY_MS);
}

/** A Taizhou date `days` working days (Monday to Friday) after `date`. Public holidays are not known here. */
export function addWorkingDays(date: string, days: number): string {
  let t = startOfDay(date).getTime();
  for (let left = days; left > 0;) {
    t += DAY_MS;
    const weekday = new Date(t + 8 * 3_600_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return dateInTaizhou(t);
}
