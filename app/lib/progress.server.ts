import { engineName, type DB } from "~db";

/**
 * How far a long piece of work has got (a 汇总表 being checked or written), for the page that
 * waits on it. The work runs in transactions (a commit in one, a check a chunk at a time) whose
 * own writes nobody sees until they end, so progress is written beside them: on PostgreSQL through
 * another of the pool's connections (any process's page reads it); the embedded engine has a single
 * connection, which a transaction holds, and runs in a single process, so there progress stays in
 * that process's memory.
 */
const inMemory = new Map<string, { done: number; total: number }>();

export interface Progress {
  done: number;
  total: number;
}

export async function reportProgress(db: DB, key: string, progress: Progress): Promise<void> {
  if (engineName() === "pglite") {
    inMemory.set(key, progress);
    return;
  }
  await db
    .insertInto("work_progress")
    .values({ key, ...progress })
    .onConflict((oc) => oc.column("key").doUpdateSet({ ...progress, updated_at: new Date() }))
    .execute();
}

export async function progressOf(db: DB, key: string): Promise<Progress | null> {
  if (engineName() === "pglite") return inMemory.get(key) ?? null;
  const row = await db.selectFrom("work_progress").select(["done", "total"]).where("key", "=", key).executeTakeFirst();
  return row ?? null;
}

export async function clearProgress(db: DB, key: string): Promise<void> {
  inMemory.delete(key);
  if (engineName() !== "pglite") await db.deleteFrom("work_progress").where("key", "=", key).execute();
}

/**
 * A reporter for a loop over `total` items: every `every` items (and at the end) it records how
 * many are done. Often enough for a bar to move, rare enough to cost nothing beside the work.
 */
export function progressReporter(db: DB, key: string, total: number, every = 100) {
  return async (done: number) => {
    if (done % every === 0 || done === total) await reportProgress(db, key, { done, total });
  };
}
