import { sql } from "kysely";
import type { DB } from "~db";
import type { ReviewParty } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { pairingSubject } from "~/modules/apprentices/notices.server";
import { DEFAULT_MENTORING_POLICY, partyTo, type MentorshipRef } from "~/modules/apprentices/policy";
import { mentoringPolicyFor } from "~/modules/apprentices/policy.server";
import {
  MENTORSHIP_REVIEW_AUDIT,
  REVIEW_PARTIES,
  REVIEW_PARTY_LABELS,
  REVIEWABLE_STATUSES,
  reviewPartyOf,
  reviewSchedule,
  reviewsToShow,
  withSignedDates,
} from "~/modules/apprentices/reviews";
import type { ReviewSignInput } from "~/modules/apprentices/reviews-schema.server";
import { declareNotices, type TodoSource, type Waiting } from "~/modules/notifications/sources";

/**
 * Three-party reviews of a pairing (issue 33 item 4): on the schedule of reviews.ts, the mentor,
 * the apprentice and the host (the studio's county officer, or the city) each record a view and
 * sign once; each may leave a private rating that only the county and the city see, and only as a
 * studio's average.
 */

/** The pairing as a review needs it: who stands where, its dates and state. */
export interface ReviewedMentorship extends MentorshipRef {
  id: number;
  status: string;
  start_date: string;
  planned_end: string;
  ended_on: string | null;
}

/** The pairing's schedule under its start year's interval, its signed periods at their stored dates. */
async function scheduleOf(db: DB, m: ReviewedMentorship) {
  const [policy, signed] = await Promise.all([
    mentoringPolicyFor(db, Number(m.start_date.slice(0, 4))),
    db.selectFrom("mentorship_review").select(["period", "due_on"]).where("mentorship_id", "=", m.id).execute(),
  ]);
  return withSignedDates(reviewSchedule(m, policy.reviewEveryMonths), signed);
}

export interface ReviewSignShown {
  view: string;
  signer: string;
  signedAt: Date;
}

/**
 * The reviews the pairing's page shows its three parties: every review due and the next, each
 * party's view and signature. Never the ratings — not even the signer's own: a rating is private
 * from the moment it is given. Anyone else (a craftsman looking at another studio) gets nothing.
 */
export async function reviewsFor(db: DB, user: SessionUser, m: ReviewedMentorship, today = todayInTaizhou()) {
  const mine = reviewPartyOf(partyTo(user, m));
  if (!mine) return null;
  const [schedule, signs] = await Promise.all([
    scheduleOf(db, m),
    db
      .selectFrom("mentorship_review as r")
      .innerJoin("mentorship_review_sign as g", "g.review_id", "r.id")
      .innerJoin("app_user as u", "u.id", "g.signed_by")
      .select(["r.period", "g.party", "g.view", "g.signed_at", "u.display_name"])
      .where("r.mentorship_id", "=", m.id)
      .execute(),
  ]);
  const open = (REVIEWABLE_STATUSES as readonly string[]).includes(m.status);
  return {
    party: mine,
    rows: reviewsToShow(schedule, today)
      .reverse()
      .map((r) => {
        const signed = Object.fromEntries(
          REVIEW_PARTIES.map((party) => {
            const s = signs.find((x) => x.period === r.period && x.party === party);
            return [party, s ? { view: s.view, signer: s.display_name, signedAt: s.signed_at } : null];
          }),
        ) as Record<ReviewParty, ReviewSignShown | null>;
        return { ...r, signed, overdue: r.dueOn < today && REVIEW_PARTIES.some((p) => !signed[p]), canSign: open && r.opensOn <= today && !signed[mine] };
      }),
  };
}

/**
 * Signs a period's review as the user's party: once per party and period (the key says so, so two
 * presses at once sign once), from 15 days before its due date, while the pairing runs. The review
 * row is made by its first signature; the third one completes it and the other two parties hear.
 */
export async function signReview(db: DB, actor: SessionUser, m: ReviewedMentorship, input: ReviewSignInput, today = todayInTaizhou()): Promise<Result> {
  const party = reviewPartyOf(partyTo(actor, m));
  if (!party) return refuse("您不是该结对的评议方，不能签署评议", { status: 403 });
  const review = (await scheduleOf(db, m)).find((r) => r.period === input.period);
  if (!review) return refuse("该期评议不在结对期内", { field: "period" });
  if (review.opensOn > today) return refuse(`第${review.period}期评议自${review.opensOn}起才能签署`, { status: 409, field: "period" });
  return db.transaction().execute(async (tx): Promise<Result> => {
    // A share lock: an end or pause taken meanwhile waits for the signature, and the state read holds.
    const current = await tx.selectFrom("mentorship").select("status").where("id", "=", m.id).forShare().executeTakeFirstOrThrow();
    if (!(REVIEWABLE_STATUSES as readonly string[]).includes(current.status)) return refuse("该结对已经结束，不能再签署评议", { status: 409 });
    await tx
      .insertInto("mentorship_review")
      .values({ mentorship_id: m.id, period: review.period, due_on: review.dueOn })
      .onConflict((oc) => oc.columns(["mentorship_id", "period"]).doNothing())
      .execute();
    // Signers of one period take turns from here, so exactly one of them sees the third signature.
    const row = await tx
      .selectFrom("mentorship_review")
      .select("id")
      .where("mentorship_id", "=", m.id)
      .where("period", "=", review.period)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const signed = await tx
      .insertInto("mentorship_review_sign")
      .values({ review_id: row.id, party, view: input.view, rating: input.rating, signed_by: actor.id })
      .onConflict((oc) => oc.columns(["review_id", "party"]).doNothing())
      .returning("party")
      .executeTakeFirst();
    if (!signed) return refuse(`${REVIEW_PARTY_LABELS[party]}已签署第${review.period}期评议，不能重复签署`, { status: 409, field: "view" });
    const count = await tx
      .selectFrom("mentorship_review_sign")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("review_id", "=", row.id)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, MENTORSHIP_REVIEW_AUDIT, {
      actor,
      id: row.id,
      unit: m.org_unit_id,
      action: Number(count.n) === REVIEW_PARTIES.length ? "complete" : "sign",
      // The view stays on the review, the rating nowhere but its own column.
      after: { mentorshipId: m.id, period: review.period, party },
    });
    return { ok: true };
  });
}

/**
 * Overdue reviews waiting on the user: for each pairing in their scope that is active (a paused
 * one asks nobody), its latest review already due, when their party has not signed it. One query
 * over every pairing in scope: the due dates come from Postgres's month arithmetic, which clamps
 * to a month's end as reviews.ts does. Earlier missed periods stay signable on the page but are
 * no longer to-dos: the latest one is what the parties are asked for.
 */
export async function reviewTodos(db: DB, user: SessionUser, today = todayInTaizhou()): Promise<Waiting[]> {
  const scope =
    user.role === "craftsman"
      ? { party: "mentor" as const, where: sql`s.person_id = ${user.personId}` }
      : user.role === "apprentice"
        ? { party: "apprentice" as const, where: sql`m.apprentice_id = ${user.personId}` }
        : user.role === "county_officer"
          ? { party: "host" as const, where: sql`s.org_unit_id = ${user.orgUnitId}` }
          : null;
  if (!scope) return [];
  const every = sql`coalesce(mp.review_every_months, ${DEFAULT_MENTORING_POLICY.reviewEveryMonths})`;
  const rows = await sql<{ id: number; name: string; period: number; due_on: string }>`
    select latest.id, latest.name, latest.period, latest.due_on::text as due_on
    from (
      select distinct on (m.id) m.id, p.name, d.period, d.due_on
      from mentorship m
      join studio s on s.id = m.studio_id
      join person p on p.id = m.apprentice_id
      left join mentoring_policy mp on mp.year = extract(year from m.start_date)::int
      cross join lateral (
        select k as period, (m.start_date + make_interval(months => k * ${every}))::date as due_on
        -- A month has at least 28 days: enough periods to pass today, never an unbounded series.
        from generate_series(1, (${today}::date - m.start_date) / 28 / ${every} + 1) k
      ) d
      where m.status = 'active' and ${scope.where} and d.due_on < ${today}::date and d.due_on <= m.planned_end
      order by m.id, d.period desc
    ) latest
    where not exists (
      select 1 from mentorship_review r join mentorship_review_sign g on g.review_id = r.id
      where r.mentorship_id = latest.id and r.period = latest.period and g.party = ${scope.party}
    )
    order by latest.due_on, latest.id`.execute(db);
  return rows.rows.map((r) => ({
    // The apprentice is not named to themselves in the third person; the others are told whose review it is.
    label: scope.party === "apprentice" ? `签署第${r.period}期师徒三方评议` : `签署${r.name}的第${r.period}期师徒三方评议`,
    link: `/mentorships/${r.id}`,
    since: r.due_on,
    due: r.due_on,
  }));
}

/** The to-do list's source: the mentor, the apprentice and the county officers of the studio's unit. */
export const reviewOverdue: TodoSource = {
  roles: ["craftsman", "apprentice", "county_officer"],
  list: (db, user, now) => reviewTodos(db, user, now.today),
};

/** A review is about its pairing (pairingSubject), within the studio's unit: its county officers sign as the host. */
export const reviewNotices = declareNotices(
  MENTORSHIP_REVIEW_AUDIT,
  async (tx, id) => {
    const r = await tx.selectFrom("mentorship_review").select(["mentorship_id", "period"]).where("id", "=", id).executeTakeFirst();
    return r && pairingSubject(tx, r.mentorship_id, (p) => `${p.apprentice}的第${r.period}期师徒三方评议`);
  },
  { complete: [{ to: ["owner", "apprentice", "unit"], category: "mentoring", text: "“{subject}”已由三方签署完成" }] },
);
