import { sql } from "kysely";
import type { DB } from "~db";

type Entry = { snapshot: string; value: Promise<unknown> };
const memos = new WeakMap<DB, Map<string, Entry>>();

/**
 * A figure remembered until anything is committed to the database: PostgreSQL's current snapshot
 * (running and latest transaction ids) changes with every write, so it serves as the version of the
 * data — on every server process alike, since the snapshot is the database's. Read before the
 * figure, it can only be older than what the figure shows, never newer, so a stale answer is never
 * kept. Requests arriving while a figure is being computed wait for that computation. At most
 * `limit` keys per database are kept, the least recently asked for going first. A caller that
 * has read the version already, before computing anything — the snapshot a signed-in request read
 * with its session, or a narrower version of what its figures count (data-version.server.ts) —
 * passes it as `version` and saves the statement.
 */
export async function untilNextWrite<T>(db: DB, key: string, compute: () => Promise<T>, options: { limit?: number; version?: string } = {}): Promise<T> {
  const limit = options.limit ?? 1000;
  // A version already read for this request (with its session) serves as well as a fresh snapshot.
  const snapshot = options.version ?? (await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db)).rows[0].snapshot;
  let entries = memos.get(db);
  if (!entries) memos.set(db, (entries = new Map()));
  const known = entries.get(key);
  if (known?.snapshot === snapshot) {
    entries.delete(key);
    entries.set(key, known);
    return known.value as Promise<T>;
  }
  const value = compute();
  const entry = { snapshot, value };
  entries.delete(key);
  entries.set(key, entry);
  if (entries.size > limit) entries.delete(entries.keys().next().value!);
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return value;
}

const kept = new Map<string, { until: number; value: Promise<unknown> }>();

/**
 * A value that never changes under its key (what a stored file holds, keyed by its ciphertext's
 * nonce and tag), kept `ms` after it was last asked for, at most `limit` of them in this process:
 * a page read again and again while work goes on (an import's preview, polled for its progress)
 * reads the stored file once, not at every poll.
 */
export function keptAWhile<T>(key: string, compute: () => Promise<T>, { limit, ms }: { limit: number; ms: number }): Promise<T> {
  const now = Date.now();
  for (const [k, entry] of kept) if (entry.until < now) kept.delete(k);
  const known = kept.get(key);
  const value = known?.value ?? compute();
  const entry = { until: now + ms, value };
  kept.delete(key);
  kept.set(key, entry);
  if (kept.size > limit) kept.delete(kept.keys().next().value!);
  // A failure (the database away) is not kept: the next request reads again.
  value.catch(() => {
    if (kept.get(key)?.value === value) kept.delete(key);
  });
  return value as Promise<T>;
}
