import { sql } from "kysely";
import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { ownRowsOf } from "~/auth/scope.server";
import { PAGE_SIZE, paginate } from "~/lib/sql";
import { versionsFor } from "~/auth/session.server";
import { untilDataChanges } from "~/lib/memo.server";

/**
 * Outcomes of mentoring, counted in one grouped statement per view:
 *   出师率 = pairings completed (出师, by assessment or the earlier 按期出师) / pairings that ended;
 *   留存率 = pairings not ended early / pairings started.
 * A rate over nothing is null (shown as "—"), never 0%.
 */
export interface OutcomeCounts {
  started: number;
  ended: number;
  passed: number;
  endedEarly: number;
}

export interface Outcome extends OutcomeCounts {
  passRate: number | null;
  retention: number | null;
}

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

export function outcomeOf(c: OutcomeCounts): Outcome {
  return { ...c, passRate: percent(c.passed, c.ended), retention: percent(c.started - c.endedEarly, c.started) };
}

const COUNTS = [
  sql<number>`count(*)`.as("started"),
  sql<number>`count(*) filter (where mentorship.status in ('completed', 'ended_early'))`.as("ended"),
  sql<number>`count(*) filter (where mentorship.status = 'completed')`.as("passed"),
  sql<number>`count(*) filter (where mentorship.status = 'ended_early')`.as("ended_early"),
] as const;

const counts = (r: { started: number | string; ended: number | string; passed: number | string; ended_early: number | string }) =>
  outcomeOf({ started: Number(r.started), ended: Number(r.ended), passed: Number(r.passed), endedEarly: Number(r.ended_early) });

/** The pairings in the user's scope, narrowed to a unit when the view is (the city's dashboard filtered to a county). */
function inScope(db: DB, user: SessionUser, unitId: number | null) {
  return db
    .selectFrom("mentorship")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .where(ownRowsOf(user, { unit: "studio.org_unit_id", person: "studio.person_id" }))
    .$if(unitId !== null, (q) => q.where("studio.org_unit_id", "=", unitId!));
}

/** Per county-level unit, in the user's scope (a county officer: their own). */
export async function outcomesByUnit(db: DB, user: SessionUser, unitId: number | null = null) {
  const rows = await inScope(db, user, unitId)
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .select(["org_unit.id as unitId", "org_unit.short_name as unit", ...COUNTS])
    .groupBy(["org_unit.id", "org_unit.short_name"])
    .orderBy("org_unit.id")
    .execute();
  return rows.map((r) => ({ unitId: r.unitId, unit: r.unit, ...counts(r) }));
}

/** The studios the dashboard names beside the units (the most pairings first); all of them are a list of their own. */
const OUTCOME_STUDIOS_SHOWN = 10;

/** Per studio, in the user's scope, the studios with the most pairings first: one page of them and how many there are. */
export async function outcomesByStudio(
  db: DB,
  user: SessionUser,
  { unitId = null, page = 1, pageSize = PAGE_SIZE }: { unitId?: number | null; page?: number; pageSize?: number } = {},
) {
  const found = await paginate(
    inScope(db, user, unitId)
      .select(["studio.id as studioId", "studio.name as studio", ...COUNTS])
      .groupBy(["studio.id", "studio.name"])
      .orderBy(sql`count(*)`, "desc")
      .orderBy("studio.id"),
    db.selectFrom(inScope(db, user, unitId).select("studio.id").groupBy("studio.id").as("studios")),
    page,
    pageSize,
  );
  return { ...found, rows: found.rows.map((r) => ({ studioId: r.studioId, studio: r.studio, ...counts(r) })) };
}

/**
 * The dashboard's outcomes (per county, and the studios with most pairings): remembered, as the dashboard's other
 * figures are, until a counted table changes (`countedDataVersionSql`: mentorships among them). Counted in every
 * request they were two grouped statements over every pairing (30 ms of PostgreSQL at city×10) for figures that
 * change a few times a day.
 */
export async function dashboardOutcomes(db: DB, user: SessionUser, unitId: number | null) {
  const key = ["outcomes", user.role, user.orgUnitId ?? "-", user.personId ?? "-", unitId ?? "all"].join("|");
  const { figures: version } = await versionsFor(db, user);
  return untilDataChanges(
    db,
    key,
    async () => {
      const [units, studios] = await Promise.all([outcomesByUnit(db, user, unitId), outcomesByStudio(db, user, { unitId, pageSize: OUTCOME_STUDIOS_SHOWN })]);
      return { units, studios: studios.rows, studioCount: studios.total, unitId };
    },
    { limit: 64, version },
  );
}

/** A studio's satisfaction: the average of the private ratings all parties gave in its pairings' reviews (one decimal), and how many. */
export interface Satisfaction {
  average: number | null;
  count: number;
}

/**
 * One studio's outcomes (its page: whoever may see the studio) and, for the officers over it
 * (`ratings`), its satisfaction — in the one statement, as the page's budget of statements asks.
 */
export async function studioOutcome(db: DB, studioId: number, options: { ratings: boolean }): Promise<Outcome & { satisfaction: Satisfaction | null }> {
  const rated = (aggregate: "avg" | "count") =>
    db
      .selectFrom("mentorship_review_sign as g")
      .innerJoin("mentorship_review as r", "r.id", "g.review_id")
      .innerJoin("mentorship as m", "m.id", "r.mentorship_id")
      .select(aggregate === "avg" ? sql<string | null>`round(avg(g.rating), 1)`.as("v") : sql<string>`count(g.rating)`.as("v"))
      .where("m.studio_id", "=", studioId)
      .where("g.rating", "is not", null);
  const row = await db
    .selectFrom("mentorship")
    .select([...COUNTS])
    .$if(options.ratings, (q) => q.select([rated("avg").as("rating_average"), rated("count").as("rating_count")]))
    .where("mentorship.studio_id", "=", studioId)
    .executeTakeFirstOrThrow();
  const ratings = row as { rating_average?: string | null; rating_count?: string | number };
  return {
    ...counts(row),
    satisfaction: options.ratings
      ? { average: ratings.rating_average == null ? null : Number(ratings.rating_average), count: Number(ratings.rating_count) }
      : null,
  };
}
