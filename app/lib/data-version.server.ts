import { sql } from "kysely";
import type { DB } from "~db";

/**
 * The version of what the union's figures are counted from: the newest row of `data_change`, which a trigger adds
 * in the same transaction as every statement writing one of those tables (migration 0035). It moves when such a
 * write commits, never before, and not for writes elsewhere (a job queued, a session opened, ANALYZE, another
 * database on the same server), which PostgreSQL's snapshot counts too.
 */
export const countedDataVersionSql = sql<string>`'data:' || coalesce((select max(id) from data_change), 0)::text`;

/** The version in a statement of its own; a signed-in request has it already (see dataVersionSeenBy in auth/session.server). */
export async function countedDataVersion(db: DB): Promise<string> {
  const { rows } = await sql<{ version: string }>`select ${countedDataVersionSql} as version`.execute(db);
  return rows[0].version;
}

/** Only the newest row is ever read: the rest go in the daily purge (one statement, whatever their number). */
export async function pruneDataChanges(db: DB): Promise<number> {
  const deleted = await db
    .deleteFrom("data_change")
    .where("id", "<", (eb) => eb.selectFrom("data_change").select((s) => s.fn.max("id").as("newest")))
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
