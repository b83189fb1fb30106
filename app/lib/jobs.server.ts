import crypto from "node:crypto";
import { sql } from "kysely";
import { DatabaseUnavailableError, unavailability, type DB, type Tx } from "~db";

/**
 * A job queue on the application's own PostgreSQL: jobs are rows, claimed with FOR UPDATE SKIP
 * LOCKED so several app processes share the work and each job runs once; a failed job is tried
 * again later (backoff) until its attempts run out; a job that must exist once (a day's digest)
 * carries a unique key. Considered: pg-boss and graphile-worker — both want their own schema and
 * LISTEN/NOTIFY on a server connection, which the embedded engine does not offer.
 */

export interface Job {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/**
 * Runs one job. `gaveUp`, if given, is told when the job will not be tried again (its attempts are
 * spent, by errors or by processes that died running it), so the record it works on never stays
 * "in progress" for ever.
 */
export type JobHandler = ((db: DB, job: Job) => Promise<void>) & { gaveUp?: (db: DB, job: Job, error: string) => Promise<void> };

/**
 * How long a claimed job is its worker's without news: the worker renews the lease every
 * HEARTBEAT_MS while it holds the job, so a job of any length stays its own, and a process that
 * died lets go of its jobs within LEASE_MS (another process takes them over).
 */
export const LEASE_MS = 30_000;
const HEARTBEAT_MS = 10_000;

export async function enqueue(
  db: DB | Tx,
  kind: string,
  payload: Record<string, unknown>,
  options: { runAt?: Date; uniqueKey?: string; maxAttempts?: number } = {},
): Promise<void> {
  const queued = await db
    .insertInto("job")
    .values({
      kind,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? new Date(),
      unique_key: options.uniqueKey ?? null,
      max_attempts: options.maxAttempts ?? 5,
    })
    .onConflict((oc) => oc.column("unique_key").doNothing())
    .executeTakeFirst();
  // Only a job really added and due now: the tick plans tomorrow's digest every time (a no-op by its key).
  const added = Number(queued.numInsertedOrUpdatedRows ?? 0) > 0;
  if (added && (!options.runAt || options.runAt.getTime() <= Date.now())) nudge?.();
}

/**
 * A job queued by this process is started soon, not at the next tick: someone is usually
 * watching its progress. Soon, not at once, so that the transaction queuing it has committed.
 */
let nudge: (() => void) | null = null;
const NUDGE_MS = 250;

/** Seconds before the next try: 30 s, 2 min, 8 min, 32 min… */
export const backoffMs = (attempts: number) => 30_000 * 4 ** Math.max(0, attempts - 1);

async function claim(db: DB, worker: string, kinds: string[], limit: number, now: Date): Promise<Job[]> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom("job")
      .select("id")
      .where("done_at", "is", null)
      .where("failed_at", "is", null)
      .where("run_at", "<=", now)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
      .where((eb) => eb("attempts", "<", eb.ref("max_attempts")))
      // Only what this worker can run: a process without a kind's handler leaves its jobs to others.
      .where("kind", "in", kinds)
      .orderBy("run_at")
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (!due.length) return [];
    const rows = await tx
      .updateTable("job")
      .set({ locked_by: worker, locked_until: new Date(now.getTime() + LEASE_MS), attempts: sql`attempts + 1` })
      .where(
        "id",
        "in",
        due.map((d) => d.id),
      )
      .returning(["id", "kind", "payload", "attempts", "max_attempts"])
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  });
}

/** The database was unreachable, too slow or full: worth trying again later, unlike an error in the work itself. */
export function databaseAway(error: unknown): boolean {
  return (error instanceof Response && error.status === 503) || error instanceof DatabaseUnavailableError || unavailability(error) !== null;
}

/** A thrown value as a line for the job's record (a 503 response from the database layer included). */
function describe(error: unknown): string {
  if (error instanceof Response) return `数据库暂时不可用（${error.status}）`;
  return String((error as Error)?.message ?? error).slice(0, 500);
}

/**
 * Jobs whose worker died during their last attempt: nobody will run them again, so they are
 * failed (and their handler told) instead of staying claimed for ever.
 */
async function failAbandoned(db: DB, handlers: Record<string, JobHandler>, now: Date): Promise<void> {
  const abandoned = await db
    .updateTable("job")
    .set({ failed_at: now, locked_until: null, last_error: "执行该任务的进程中断，重试次数已用完" })
    .where("done_at", "is", null)
    .where("failed_at", "is", null)
    .where("locked_until", "<", now)
    .where((eb) => eb("attempts", ">=", eb.ref("max_attempts")))
    .returning(["id", "kind", "payload", "attempts", "max_attempts", "last_error"])
    .execute();
  for (const job of abandoned) await handlers[job.kind]?.gaveUp?.(db, { ...job, id: Number(job.id) }, job.last_error ?? "");
}

/**
 * Keeps the leases of the jobs a worker holds alive until `stop` is called. A renewal that fails
 * (the database restarting) is tried again at the next beat; the lease is long enough for several.
 */
function heartbeat(db: DB, worker: string, ids: number[], offsetMs: number): () => void {
  const timer = setInterval(() => {
    db.updateTable("job")
      .set({ locked_until: new Date(Date.now() + offsetMs + LEASE_MS) })
      .where("id", "in", ids)
      .where("locked_by", "=", worker)
      .where("done_at", "is", null)
      .where("failed_at", "is", null)
      .execute()
      .catch((error) => console.error(`后台任务续租失败：${describe(error)}`));
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs what is due now, once: claims a batch, runs each job, records the outcome. Returns how
 * many jobs ran. A handler that throws is retried later; past its attempts the job is failed.
 */
export async function runDueJobs(db: DB, handlers: Record<string, JobHandler>, options: { worker?: string; limit?: number; now?: Date } = {}): Promise<number> {
  const worker = options.worker ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const now = options.now ?? new Date();
  await failAbandoned(db, handlers, now);
  const kinds = Object.keys(handlers);
  if (!kinds.length) return 0;
  const jobs = await claim(db, worker, kinds, options.limit ?? 20, now);
  if (!jobs.length) return 0;
  const stopBeating = heartbeat(
    db,
    worker,
    jobs.map((j) => j.id),
    now.getTime() - Date.now(),
  );
  try {
    for (const job of jobs) {
      const handler = handlers[job.kind];
      try {
        await handler(db, job);
        await db.updateTable("job").set({ done_at: new Date(), locked_until: null, last_error: null }).where("id", "=", job.id).execute();
      } catch (error) {
        const message = describe(error);
        const last = job.attempts >= job.max_attempts;
        await db
          .updateTable("job")
          .set({
            locked_until: null,
            last_error: message,
            failed_at: last ? new Date() : null,
            run_at: new Date(now.getTime() + backoffMs(job.attempts)),
          })
          .where("id", "=", job.id)
          .execute();
        if (last) await handler.gaveUp?.(db, job, message);
      }
    }
  } finally {
    stopBeating();
  }
  return jobs.length;
}

/**
 * The worker inside each app process: every few seconds it runs what is due. Several processes
 * may run one each; the claim keeps them from doing a job twice. A tick never overlaps the last.
 */
export function startWorker(db: DB, tick: (db: DB) => Promise<unknown>, everyMs = 3000): () => void {
  let running = false;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = true;
    tick(db)
      .catch((error) => console.error("后台任务出错：", error))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  let nudged: NodeJS.Timeout | undefined;
  nudge = () => {
    nudged ??= setTimeout(() => {
      nudged = undefined;
      run();
    }, NUDGE_MS).unref();
  };
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(nudged);
    nudge = null;
  };
  // A stopping server closes its database after the requests in flight: no new tick may start then.
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return stop;
}
