import { addDays, startOfDay } from "~/lib/time";

/**
 * The rights desk's rules, pure: when an answer is due, and what a request must carry. Working days are
 * Monday to Friday, less the weekdays the city lists as holidays, plus the weekend days it lists as 调休
 * make-up working days (the State Council's calendar, kept by the city as data).
 */

/** The city's calendar: a date it lists, and whether that date is worked (调休) or not (a holiday). */
export type WorkingCalendar = ReadonlyMap<string, boolean>;

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const listed = calendar.get(date);
  if (listed !== undefined) return listed;
  // The weekday on a Taizhou clock (its midnight is 16:00 UTC the day before).
  const weekday = new Date(startOfDay(date).getTime() + 8 * 3_600_000).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The date `days` working days after `date` (the day of filing is not counted). */
export function dueAfter(date: string, days: number, calendar: WorkingCalendar): string {
  let day = date;
  for (let left = days; left > 0;) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) left--;
  }
  return day;
}

/** A correction says what is wrong and what it should be; the other kinds only what is asked. */
export const needsCorrection = (kind: string) => kind === "correct";

/** Withdrawal of consent takes effect when filed: the request is answered by the filing itself. */
export const answeredAtOnce = (kind: string) => kind === "withdraw";
