import { sql } from "kysely";
import type { DB } from "~db";

/**
 * The version of what the union's figures (the dashboard's) are counted from: the newest `data_change` row a trigger
 * on one of those tables added as the writing transaction committed (migrations 0035, 0036). The rows take their ids
 * in commit order (a lock held through the commit), so the newest id seen names every change committed before it; it
 * moves when such a write commits, never before, and not for writes elsewhere (a job queued, a session opened,
 * ANALYZE, another database on the same server), which PostgreSQL's snapshot counts too.
 */
export const countedDataVersionSql = sql<string>`'data:' || coalesce((select max(id) from data_change where moves_figures), 0)::text`;

/**
 * The version of what a user's own work is read from (the home page, the to-do list, the badges, a studio's yearly
 * figures): the newest `data_change` row of any table but those no remembered figure reads and the app writes all
 * the time — the sign-in machinery, the queue, the outbox, the vote's codes (migration 0036 names them).
 */
export const workDataVersionSql = sql<string>`'work:' || coalesce((select max(id) from data_change), 0)::text`;

/** Both versions in a statement of their own, for a caller without a signed-in request (see versionsFor in auth/session.server). */
export async function readDataVersions(db: DB): Promise<{ figures: string; work: string }> {
  const { rows } = await sql<{ figures: string; work: string }>`select ${countedDataVersionSql} as figures, ${workDataVersionSql} as work`.execute(db);
  return rows[0];
}

/**
 * Only the newest row of each version is ever read: the rest go in the daily purge (one statement, whatever their
 * number). The dashboard's newest row is kept even when rows of other tables came after it, or its version would
 * fall back to one an older figure was remembered under.
 */
export async function pruneDataChanges(db: DB): Promise<number> {
  const { numAffectedRows } = await sql`
    delete from data_change
    where id < (select max(id) from data_change where moves_figures)
       or (not moves_figures and id < (select max(id) from data_change))`.execute(db);
  return Number(numAffectedRows ?? 0);
}
