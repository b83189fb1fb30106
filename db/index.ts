import fs from "node:fs";
import path from "node:path";
import {
  Kysely,
  sql,
  PostgresDialect,
  type AbortableOperationOptions,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Transaction,
} from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import { env, type Env } from "./env";
import type { Database } from "./types";
import { migrations } from "./migrations";

export type { Database } from "./types";
export type DB = Kysely<Database>;
/** A database inside a transaction: what every write that keeps history is given. */
export type Tx = Transaction<Database>;

// Both drivers are made to return the same JavaScript values: `date` as 'YYYY-MM-DD' text
// (no time-zone shift), int8 (counts, bigserial ids) as numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
pg.types.setTypeParser(DATE_OID, (v: string) => v);
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

export function defaultDataDir(): string {
  return path.resolve(env().dataDir);
}

/** Where `npm run db:backup` writes by default, and where the retention schedule purges old backups. */
export function backupDir(): string {
  return path.join(defaultDataDir(), "backups");
}

/** The server's daily access-log files. */
export function logDir(): string {
  return path.resolve(env().logDir ?? path.join(defaultDataDir(), "logs"));
}

export function pgliteDir(): string {
  return env().pgliteDir ?? path.join(defaultDataDir(), "pglite");
}

export interface CreateDbOptions {
  /** A PostgreSQL connection string; defaults to DATABASE_URL. */
  databaseUrl?: string;
  /** PGlite data directory or `memory://`; defaults to PGLITE_DIR or ./data/pglite. */
  pgliteDir?: string;
  /** PGlite: a dumped data directory (`dumpDataDir`) a new one starts as; the tests' files start from one migrated database. */
  pgliteStartFrom?: Blob;
  /** Called once per SQL statement sent, with its text; the benchmark counts queries per request with it. */
  onQuery?: (sql: string) => void;
  /** Lets tests put a layer between Kysely and the driver (see test/rollback.ts). */
  wrapDialect?: (dialect: Dialect) => Dialect;
  /** Whose timeouts the connections get: a page's short ones (the default) or the long work's (jobs, exports). */
  purpose?: DbPurpose;
  /** Connections in the pool; defaults to DB_POOL_SIZE. */
  poolSize?: number;
  /** What to throw instead of a DatabaseUnavailableError (the app throws a 503 response). */
  unavailable?: (error: DatabaseUnavailableError) => unknown;
}

export type DbPurpose = keyof Env["dbTimeouts"];

export function createDb(options: CreateDbOptions = {}): DB {
  const inner = createDialect(options);
  const dialect = new TrackedDialect(options.wrapDialect ? options.wrapDialect(inner) : inner, options.unavailable);
  const onQuery = options.onQuery;
  const db = new Kysely<Database>({ dialect, log: onQuery ? (event) => onQuery(event.query.sql) : undefined });
  trackers.set(db, dialect);
  return db;
}

export function engineName(options: CreateDbOptions = {}): "postgres" | "pglite" {
  return (options.databaseUrl ?? env().databaseUrl) ? "postgres" : "pglite";
}

function createDialect(options: CreateDbOptions): Dialect {
  const databaseUrl = options.databaseUrl ?? env().databaseUrl;
  if (databaseUrl) {
    const timeouts = env().dbTimeouts[options.purpose ?? "page"];
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: options.poolSize ?? env().dbPoolSize,
      // Every wait is bounded: for a free connection (also the time to open one), for one statement,
      // for a lock, and for a transaction left open by code that stopped half-way.
      connectionTimeoutMillis: timeouts.acquireMs,
      statement_timeout: timeouts.statementMs,
      lock_timeout: timeouts.lockMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      // A peer that vanished without a word (a network cut) is found out, not waited on forever.
      keepAlive: true,
    });
    // A connection dropped by the server (a restart, pg_terminate_backend, a failover) must never
    // end the process. pg emits 'error' on the client whether it sits idle in the pool or is held by
    // a request, a transaction or the job claim; the pool listens only while it is idle, so each
    // client gets a listener of its own for its whole life. The query it was running fails (and its
    // request gets a 503); the pool drops the broken client on release and opens a new one.
    pool.on("connect", (client) => {
      client.on("error", (error) => console.error(`database connection lost: ${error.message}`));
    });
    // The pool's own idle listener re-emits here; the client's listener above has said it already.
    pool.on("error", () => {});
    return new PostgresDialect({ pool });
  }
  const dir = options.pgliteDir ?? pgliteDir();
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, {
    loadDataDir: options.pgliteStartFrom,
    parsers: {
      [pgliteTypes.DATE]: (v: string) => v,
    },
  });
  return new PGliteDialect(client);
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** A dialect that is another one with a different driver in front. */
export abstract class DialectWrapper implements Dialect {
  constructor(protected readonly inner: Dialect) {}
  createAdapter() {
    return this.inner.createAdapter();
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return this.inner.createIntrospector(db);
  }
  abstract createDriver(): Driver;
}

type Unavailability = "connection" | "timeout" | "lock" | "disk_full";

const UNAVAILABLE_TEXT: Record<Unavailability, string> = {
  connection: "暂时无法连接数据库，请稍后重试。已保存的内容不受影响。",
  timeout: "系统繁忙，数据库未能及时响应，请稍后重试。",
  lock: "这条记录正被其他操作占用，请稍后重试。",
  disk_full: "服务器存储空间已满，暂时无法保存，请联系系统管理员。此次操作未保存任何内容。",
};

/**
 * The database did not answer in time, was unreachable, or could not store (a full disk): the
 * request is refused with a Chinese message and a 503, not a 500. Nothing of the failed
 * statement's transaction is kept (PostgreSQL rolls it back), so a retry is safe.
 */
export class DatabaseUnavailableError extends Error {
  readonly status = 503;
  constructor(
    readonly reason: Unavailability,
    readonly cause: unknown,
  ) {
    super(UNAVAILABLE_TEXT[reason]);
    this.name = "DatabaseUnavailableError";
  }
}

// SQLSTATEs that say "not now", not "wrong": class 08 (connection exceptions) besides these.
const UNAVAILABLE_STATES: Record<string, Unavailability> = {
  "57P01": "connection", // admin_shutdown: a restart, pg_terminate_backend
  "57P02": "connection", // crash_shutdown
  "57P03": "connection", // cannot_connect_now: still starting
  "53300": "connection", // too_many_connections
  "57014": "timeout", // query_canceled: statement_timeout
  "25P03": "timeout", // idle_in_transaction_session_timeout
  "55P03": "lock", // lock_not_available: lock_timeout
  "53100": "disk_full",
};
const UNAVAILABLE_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND"]);

/** Why an error from the driver means the database is unavailable, or null for any other error. */
export function unavailability(error: unknown): Unavailability | null {
  if (!error || typeof error !== "object") return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (UNAVAILABLE_STATES[code]) return UNAVAILABLE_STATES[code];
    if (code.startsWith("08")) return "connection";
    if (UNAVAILABLE_ERRNOS.has(code)) return "connection";
    if (code === "ENOSPC") return "disk_full";
  }
  if (typeof message !== "string") return null;
  if (/timeout exceeded when trying to connect/i.test(message)) return "timeout";
  if (/Connection terminated|not queryable|Connection ended|terminating connection/i.test(message)) return "connection";
  if (/No space left on device|could not extend file/i.test(message)) return "disk_full";
  return null;
}

/**
 * Wraps a dialect so shutdown can wait for connections that requests are still using, and so a
 * database that is unavailable surfaces as one kind of error (see DatabaseUnavailableError).
 */
class TrackedDialect extends DialectWrapper {
  active = 0;
  constructor(
    inner: Dialect,
    private readonly unavailable?: (error: DatabaseUnavailableError) => unknown,
  ) {
    super(inner);
  }

  private classify = (error: unknown): never => {
    const reason = error instanceof DatabaseUnavailableError ? null : unavailability(error);
    if (!reason) throw error;
    const wrapped = new DatabaseUnavailableError(reason, error);
    throw this.unavailable ? this.unavailable(wrapped) : wrapped;
  };

  createDriver(): Driver {
    const driver = this.inner.createDriver();
    const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const real = (c: DatabaseConnection) => inner.get(c) ?? c;
    return {
      init: (o) => driver.init(o),
      acquireConnection: async (o) => {
        const connection = await driver.acquireConnection(o).catch(this.classify);
        this.active++;
        const wrapped: DatabaseConnection = {
          executeQuery: <R>(query: CompiledQuery, qo?: AbortableOperationOptions) => connection.executeQuery<R>(query, qo).catch(this.classify),
          streamQuery: (query, chunkSize, qo) => connection.streamQuery(query, chunkSize, qo),
        };
        inner.set(wrapped, connection);
        return wrapped;
      },
      releaseConnection: async (connection, o) => {
        this.active--;
        await driver.releaseConnection(real(connection), o);
      },
      beginTransaction: (c, s) => driver.beginTransaction(real(c), s).catch(this.classify),
      commitTransaction: (c) => driver.commitTransaction(real(c)).catch(this.classify),
      rollbackTransaction: (c) => driver.rollbackTransaction(real(c)).catch(this.classify),
      destroy: (o) => driver.destroy(o),
    };
  }
}

const trackers = new WeakMap<Kysely<any>, TrackedDialect>();

/**
 * On SIGTERM/SIGINT: let the queries of in-flight requests finish (remix-serve stops accepting
 * new connections on the same signal), then close the database. PGlite otherwise keeps the
 * event loop alive and the server never exits.
 */
export function closeOnSignals(db: Kysely<any>, graceMs = 10_000): void {
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), graceMs).unref();
    const tracker = trackers.get(db);
    // Idle for a short quiet period, so a request between two queries is not cut off.
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 50));
      quiet = tracker && tracker.active > 0 ? 0 : quiet + 1;
    }
    await db.destroy();
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

/** One round trip: whether the database answers at all. */
export async function pingDatabase(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}

let healthPool: pg.Pool | undefined;

/** Below this much free space the embedded engine's disk counts as full: a write may fail half-way through a page. */
const DISK_RESERVE_BYTES = 32 * 1024 * 1024;

export type Health = { ok: true } | { ok: false; db: "unreachable" | "timeout" | "disk_full"; detail: string };

/**
 * Whether the database answers within `timeoutMs`. On PostgreSQL the check has a connection of its
 * own (a pool of one, outside the pages' pool), so it never waits behind a full pool and says what
 * the database says, not what the app's queue says. On the embedded engine it also checks the
 * free space of the data directory: a full disk is reported before writes fail.
 */
/** The directory itself, or the nearest one above it that exists: the disk it is (or will be) written to. */
function existingAncestor(dir: string): string {
  let at = path.resolve(dir);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

export async function checkHealth(db: Kysely<any>, timeoutMs = env().healthTimeoutMs): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Health>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, db: "timeout", detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const check = async (): Promise<Health> => {
    const databaseUrl = env().databaseUrl;
    if (databaseUrl) {
      if (!healthPool) {
        healthPool = new pg.Pool({
          connectionString: databaseUrl,
          max: 1,
          connectionTimeoutMillis: timeoutMs,
          statement_timeout: timeoutMs,
          idleTimeoutMillis: 60_000,
        });
        // A dropped connection is what this check reports, not a reason to stop.
        healthPool.on("error", () => {});
      }
      await healthPool.query("select 1");
      return { ok: true };
    }
    const dir = pgliteDir();
    if (!dir.startsWith("memory://")) {
      const disk = await fs.promises.statfs(existingAncestor(dir));
      if (disk.bavail * disk.bsize < DISK_RESERVE_BYTES) return { ok: false, db: "disk_full", detail: `${disk.bavail * disk.bsize} bytes free in ${dir}` };
    }
    await pingDatabase(db);
    return { ok: true };
  };
  try {
    return await Promise.race([check().catch((error: Error): Health => ({ ok: false, db: "unreachable", detail: error.message })), late]);
  } finally {
    clearTimeout(timer);
  }
}
