import type { ReviewParty } from "~db/types";
import type { MentorshipParty } from "~/modules/apprentices/policy";
import { auditTrail } from "~/lib/audit";
import { addDays } from "~/lib/time";

/**
 * The three-party reviews' schedule, as pure rules (the page, the signature and the to-do list all
 * read them; the to-do list's SQL computes the same dates with Postgres's own month arithmetic).
 */

export const REVIEW_PARTIES = ["mentor", "apprentice", "host"] as const satisfies readonly ReviewParty[];

export const REVIEW_PARTY_LABELS: Record<ReviewParty, string> = { mentor: "师傅", apprentice: "学徒", host: "企业或县级总工会" };

/** Policy: a period may be signed from this many days before its due date (the review is held around it). */
export const REVIEW_OPENS_DAYS_BEFORE = 15;

/** The party of a review a user signs as: the officers over the studio sign as its host. */
export function reviewPartyOf(party: MentorshipParty | null): ReviewParty | null {
  if (party === "county" || party === "city") return "host";
  return party;
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

export interface ScheduledReview {
  period: number;
  dueOn: string;
  /** The first day it may be signed. */
  opensOn: string;
}

/**
 * A pairing's reviews: period k is due `k × everyMonths` months after the start, for every due date
 * up to the planned end (or the day it ended, if earlier).
 */
export function reviewSchedule(m: { start_date: string; planned_end: string; ended_on: string | null }, everyMonths: number): ScheduledReview[] {
  const last = m.ended_on && m.ended_on < m.planned_end ? m.ended_on : m.planned_end;
  const schedule: ScheduledReview[] = [];
  for (let period = 1; ; period++) {
    const dueOn = addMonths(m.start_date, period * everyMonths);
    if (dueOn > last) return schedule;
    schedule.push({ period, dueOn, opensOn: addDays(dueOn, -REVIEW_OPENS_DAYS_BEFORE) });
  }
}

/**
 * The schedule with the periods already signed at the dates they were signed for: a review row
 * keeps its due date (`mentorship_review.due_on`), which stands even if the interval the schedule
 * is computed from changed since (one set before the interval was frozen), and a signed period the
 * new schedule no longer reaches stays listed.
 */
export function withSignedDates(schedule: readonly ScheduledReview[], signed: readonly { period: number; due_on: string }[]): ScheduledReview[] {
  const byPeriod = new Map(schedule.map((r) => [r.period, r]));
  for (const r of signed) byPeriod.set(r.period, { period: r.period, dueOn: r.due_on, opensOn: addDays(r.due_on, -REVIEW_OPENS_DAYS_BEFORE) });
  return [...byPeriod.values()].sort((a, b) => a.period - b.period);
}

/** What the page lists: every review already due, and the next one. */
export function reviewsToShow(schedule: readonly ScheduledReview[], today: string): ScheduledReview[] {
  const next = schedule.findIndex((r) => r.dueOn > today);
  return next === -1 ? [...schedule] : schedule.slice(0, next + 1);
}

/** Only a pairing still running — active, or paused for a break — takes signatures. */
export const REVIEWABLE_STATUSES = ["active", "paused"] as const;

/** The reviews' history: each signature, and the one that completes a period (the parties hear of that). */
export const MENTORSHIP_REVIEW_AUDIT = auditTrail("mentorship_review", "师徒三方评议", { sign: "签署评议", complete: "三方评议签署完成" });
