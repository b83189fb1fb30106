import type { DB } from "~db";

type Entry = { version: string; value: Promise<unknown> };
const memos = new WeakMap<DB, Map<string, Entry>>();

/**
 * A figure remembered until the data it is counted from changes: `version` names that data's state
 * (lib/data-version.server: the newest change to the tables it reads, kept by triggers, the same on
 * every server process), read before the figure is computed — so it can only be older than what the
 * figure shows, never newer, and a stale answer is never kept. Requests arriving while a figure is
 * being computed wait for that computation. At most `limit` keys per database are kept, the least
 * recently asked for going first.
 */
export function untilDataChanges<T>(db: DB, key: string, compute: () => Promise<T>, options: { version: string; limit?: number }): Promise<T> {
  const limit = options.limit ?? 1000;
  let entries = memos.get(db);
  if (!entries) memos.set(db, (entries = new Map()));
  const known = entries.get(key);
  if (known?.version === options.version) {
    entries.delete(key);
    entries.set(key, known);
    return known.value as Promise<T>;
  }
  const value = compute();
  const entry = { version: options.version, value };
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
