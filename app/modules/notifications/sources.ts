import type { DB, Tx } from "~db";
import type { SessionUser, UserOfRole } from "~/auth/roles";
import type { WorkflowStep } from "~/auth/workflow";
import type { AuditTrail } from "~/lib/audit";
import { render, type Notice } from "~/lib/notices";

/**
 * What the notifications module is told by the domains, never looks up itself: each domain
 * declares who hears of its history actions (`declareNotices`, with `stepNotices` for the notices
 * its workflow steps carry), who and what a history row of its records is about (its subject
 * resolver), and what waits for whom (`TodoSource`). The domains import these types; the worker
 * (app/worker.server.ts) gathers the declarations and hands them to fan-out and to-do list alike,
 * so this module reads no other domain's tables and imports no other domain.
 */

/** Who and what a history row is about. */
export interface Subject {
  /** The craftsman the record is about, and its county-level unit (a campaign has neither). */
  personId: number | null;
  unitId: number | null;
  subject: string;
  owner: string | null;
  unit: string | null;
  /** The unit is the city itself (an event the city organises): the city's officers answer for it. */
  unitIsCity?: boolean;
  stage?: string;
  /** An event's start, and the people registered for it (the "participants" audience). */
  when?: string;
  participants?: readonly number[];
  /** A pairing's apprentice (the "apprentice" audience): heard through their account, if they have one. */
  apprenticeId?: number | null;
  /** The one account the row concerns (the "account" audience): an officer whose sign-in the city changed. */
  accountId?: string | null;
  link: string;
}

/** Reads a history row's subject in the fan-out's transaction; `after` is the row's recorded change. */
export type SubjectResolver = (tx: Tx, id: number, after: Record<string, unknown> | null) => Promise<Subject | undefined>;

/** One kind of record's notices: its history entity, its subject resolver, and per action who hears what. */
export interface NoticeSource {
  entity: string;
  subject: SubjectResolver;
  notices: Readonly<Record<string, readonly Notice[]>>;
}

/**
 * A domain's notices for one audit trail. Every key must be an action the trail names — a
 * misspelt or unknown action does not compile — so the stored action names stay the only names.
 */
export function declareNotices<T extends AuditTrail, const D extends Readonly<Record<string, readonly Notice[]>>>(
  trail: T,
  subject: SubjectResolver,
  notices: D & NoInfer<Record<Exclude<keyof D, keyof T["actions"]>, never>>,
): NoticeSource {
  return { entity: trail.entity, subject, notices };
}

/** The steps of a workflow that declare notices. */
type Noticed<T> = Extract<{ [K in keyof T]: T[K] extends { notices: readonly Notice[] } ? K : never }[keyof T], string>;

/**
 * The notices a workflow's steps declare, under their audit actions: a step's action is the
 * workflow's prefix and the step's name (`step_` + `accredit`, `subsidy_` + `disburse`,
 * `report_` + `county_pass`), the names the history has always stored.
 */
export function stepNotices<const P extends string, T extends Record<string, object>>(
  prefix: P,
  steps: T,
): { [K in Noticed<T> as `${P}${K}`]: readonly Notice[] } {
  return Object.fromEntries(
    Object.entries(steps).flatMap(([name, step]: [string, Pick<WorkflowStep<string>, "notices">]) =>
      step.notices ? [[`${prefix}${name}`, step.notices]] : [],
    ),
  ) as never;
}

/** Policy as data: how long each kind of review may take, in working days, before it is overdue. */
export const DUE_WORKING_DAYS = { countyReview: 10, cityReview: 10, payment: 15 } as const;

/** Something waiting for a user, as a domain finds it; the to-do list sets its dates. */
export interface Waiting {
  label: string;
  link: string;
  since: Date | string;
  /** Working days allowed (DUE_WORKING_DAYS), or a fixed date; neither for the user's own corrections. */
  dueDays?: number;
  due?: string | null;
}

/** The moment the list is computed for, and its date in Taizhou. */
export interface TodoNow {
  instant: Date;
  today: string;
}

/** One kind of work waiting, for the roles it concerns: the records in the user's scope that wait for them. */
export interface TodoSource {
  roles: readonly SessionUser["role"][];
  list: (db: DB, user: SessionUser, now: TodoNow) => Promise<Waiting[]>;
}

/**
 * The to-dos of one role: the user the source lists for is of that role by type (a county
 * officer's unit, a craftsman's person), so a source never asserts what the role binds.
 */
export function todosOf<R extends SessionUser["role"]>(role: R, list: (db: DB, user: UserOfRole<R>, now: TodoNow) => Promise<Waiting[]>): TodoSource {
  const mine = (user: SessionUser): user is UserOfRole<R> => user.role === role;
  return { roles: [role], list: async (db, user, now) => (mine(user) ? list(db, user, now) : []) };
}

/** Rows found waiting, each labelled and linked, with the same review window. */
export const waiting = <R extends { id: number; since: Date | string }>(
  rows: R[],
  label: (r: R) => string,
  link: (id: number) => string,
  due: { dueDays?: number; due?: string } = {},
): Waiting[] => rows.map((r) => ({ label: label(r), link: link(r.id), since: r.since, ...due }));

/**
 * Rows waiting on what a step left (`todo` on a workflow step), labelled as the step declares it
 * with the row's name (and the reason it was returned): the text lives with the step, the query
 * for what waits with the domain's to-do source.
 */
export const waitingOn = <R extends { id: number; name: string; since: Date | string; status_reason?: string | null }>(
  todo: { text: string },
  rows: R[],
  link: (id: number) => string,
  due: { dueDays?: number; due?: string } = {},
): Waiting[] => waiting(rows, (r) => render(todo.text, { subject: r.name, reason: r.status_reason }), link, due);

export const countyReview = { dueDays: DUE_WORKING_DAYS.countyReview };
export const cityReview = { dueDays: DUE_WORKING_DAYS.cityReview };

/** Where a user's SMS goes: their phone on record (sealed) and unit, and how to open the sealed number. */
export interface PhoneBook {
  phoneOf(
    db: DB,
    userId: string,
  ): Promise<{ phone_cipher: string | null; phone_hash: string | null; phone_masked: string | null; org_unit_id: number | null } | undefined>;
  open(cipher: string): string;
}
