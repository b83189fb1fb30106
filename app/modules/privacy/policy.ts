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

/**
 * The bounds of the answer period the city may set, in working days. The law fixes no number; the city's practice is
 * 15, and 30 (about six weeks) is the most a promise to answer "promptly" can stretch to (see the README).
 */
export const ANSWER_DAYS = { min: 1, max: 30 } as const;

/** The fewest letters or digits an answer must hold: "." or "同意" says neither a reason nor what was done. */
const ANSWER_MIN_CHARACTERS = 4;

/**
 * What is wrong with the city's answer, if anything: a refusal gives its reason and a grant says what was done, in
 * words — punctuation and symbols alone, or fewer than four letters, are no answer (it is sent to the requester as
 * written, by SMS too).
 */
export function answerProblem(outcome: "granted" | "refused", text: string): string | null {
  const what = outcome === "refused" ? "不予同意须写明理由" : "请写明办理情况";
  if (!text.trim()) return what;
  const words = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  return words < ANSWER_MIN_CHARACTERS ? `${what}（至少${ANSWER_MIN_CHARACTERS}个字，不能只有标点或符号）` : null;
}
