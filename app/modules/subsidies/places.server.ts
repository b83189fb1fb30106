import { sql, type ExpressionBuilder } from "kysely";
import type { DB, Tx } from "~db";
import type { Database, SubsidyPlace, SubsidyStatus } from "~db/types";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Refusal } from "~/lib/result";
import { SUBSIDY_AUDIT } from "~/modules/subsidies/labels";

/**
 * Places in order (issue 34): a year's policy may limit how many applications are taken up; they are
 * ranked by the server's time of their first submission, and those past the limit wait on a list and
 * move up, in that order, when a place frees. Every function here runs inside the caller's
 * transaction, after the year's policy row is locked: submissions, steps and the policy form queue on
 * that lock, so the count of places given is never read stale.
 */

/** The statuses in which an application keeps its place (or its turn on the waiting list). */
const HOLDING: SubsidyStatus[] = ["submitted", "returned", "county_approved", "approved", "disbursed", "closed"];

/** Places given and applications waiting in the year, in one statement. */
export async function placeCounts(db: DB, year: number): Promise<{ placed: number; waiting: number }> {
  const row = await db
    .selectFrom("subsidy_application")
    .where("year", "=", year)
    .where("status", "in", HOLDING)
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere("place", "=", "placed").as("placed"),
      eb.fn.countAll<number>().filterWhere("place", "=", "waiting").as("waiting"),
    ])
    .executeTakeFirstOrThrow();
  return { placed: Number(row.placed), waiting: Number(row.waiting) };
}

/**
 * An application's rank among the year's placed or among its waiting (1 = earliest submitted, then
 * the lower id), computed in the same statement as the row; null when it holds neither or the year
 * has no limit (then the order would mean nothing to anyone).
 */
export function placeRank(eb: ExpressionBuilder<Database, "subsidy_application">) {
  const ahead = eb
    .selectFrom("subsidy_application as o")
    .select(sql<number>`count(*)::int`.as("n"))
    .whereRef("o.year", "=", "subsidy_application.year")
    .whereRef("o.place", "=", "subsidy_application.place")
    .where("o.status", "in", HOLDING)
    .where(sql<boolean>`(o.submitted_at, o.id) <= (subsidy_application.submitted_at, subsidy_application.id)`);
  const limit = eb.selectFrom("subsidy_policy as p").select("p.places").whereRef("p.year", "=", "subsidy_application.year");
  return eb
    .case()
    .when(eb.and([eb("subsidy_application.place", "is not", null), eb("subsidy_application.status", "in", HOLDING), eb(limit, "is not", null)]))
    .then(ahead)
    .end()
    .as("place_rank");
}

/**
 * A submission's place. The first submission is stamped with the database's clock as the lock is
 * held (clock_timestamp, not now(): a transaction's start time would put one that waited for the lock
 * before the one it waited for). Back from 退回, it keeps its time and its place or turn: a return is
 * for correction, not a new application.
 */
export async function placeOnSubmit(
  tx: Tx,
  app: { year: number; place: SubsidyPlace | null; submitted_at: Date | null },
  places: number | null,
): Promise<{ submitted_at?: unknown; place?: SubsidyPlace }> {
  if (app.place !== null) return {};
  const { placed } = await placeCounts(tx, app.year);
  return {
    ...(app.submitted_at === null ? { submitted_at: sql`clock_timestamp()` } : {}),
    place: places === null || placed < places ? "placed" : "waiting",
  };
}

/** Approval is for those within the limit: one still waiting is told where it stands. */
export function waitingRefusal(app: { place: SubsidyPlace | null; place_rank: number | null }): Refusal | null {
  return app.place === "waiting" ? refuse(`名额已满，申请在候补名单第${app.place_rank ?? "?"}位`, { status: 409 }) : null;
}

/**
 * After a step that takes the application out of the holding statuses (a rejection, a later
 * revocation, 撤回): its place or turn goes. 撤回 gives up the submission time too, so submitting
 * again joins the end of the queue. A place given up goes to the earliest waiting.
 */
export async function releasePlace(
  tx: Tx,
  app: { id: number; year: number; place: SubsidyPlace | null },
  to: SubsidyStatus,
  places: number | null,
): Promise<void> {
  if (app.place === null || HOLDING.includes(to)) return;
  await tx
    .updateTable("subsidy_application")
    .set({ place: null, ...(to === "draft" ? { submitted_at: null } : {}) })
    .where("id", "=", app.id)
    .execute();
  if (app.place === "placed") await fillPlaces(tx, app.year, places, "有名额空出，按提交时间递补");
}

/** The policy's limit may not fall below the places already given: a place given is not taken back. */
export async function placesLimitProblem(tx: Tx, year: number, places: number | null): Promise<Refusal | null> {
  if (places === null) return null;
  const { placed } = await placeCounts(tx, year);
  return places < placed ? refuse(`名额不能少于已给出的${placed}个（已给出的名额不收回）`, { field: "places" }) : null;
}

/**
 * Gives the free places (all of them when the limit is lifted) to the waiting, earliest first; each
 * one moved up is recorded, and the history row tells the applicant and their county. The rule moves
 * it, not the officer whose step freed the place (that step has its own row): recorded as 系统, so
 * that officer hears of it too.
 */
export async function fillPlaces(tx: Tx, year: number, places: number | null, cause: string): Promise<void> {
  const { placed } = await placeCounts(tx, year);
  if (places !== null && placed >= places) return;
  const next = await tx
    .selectFrom("subsidy_application")
    .select(["id", "org_unit_id"])
    .where("year", "=", year)
    .where("place", "=", "waiting")
    .where("status", "in", HOLDING)
    .orderBy("submitted_at")
    .orderBy("id")
    .$if(places !== null, (q) => q.limit(places! - placed))
    .execute();
  for (const app of next) {
    // The county's review clock starts now: until this moment it could not approve.
    await tx.updateTable("subsidy_application").set({ place: "placed", updated_at: new Date() }).where("id", "=", app.id).execute();
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor: null,
      id: app.id,
      unit: app.org_unit_id,
      action: "place_given",
      before: { place: "waiting" },
      after: { place: "placed" },
      comment: cause,
    });
  }
}
