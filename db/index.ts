import fs from "node:fs";
import path from "node:path";
import { Kysely, sql, PostgresDialect, type DatabaseConnection, type Dialect, type Driver, type Transaction } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import { env } from "./env";
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

export function pgliteDir(): string {
  return env().pgliteDir ?? path.join(defaultDataDir(), "pglite");
}

export interface CreateDbOptions {
  /** A PostgreSQL connection string; defaults to DATABASE_URL. */
  databaseUrl?: string;
  /** PGlite data directory or `memory://`; defaults to PGLITE_DIR or ./data/pglite. */
  pgliteDir?: string;
  /** Called once per SQL statement sent; the benchmark counts queries per request with it. */
  onQuery?: () => void;
  /** Lets tests put a layer between Kysely and the driver (see test/rollback.ts). */
  wrapDialect?: (dialect: Dialect) => Dialect;
}

export function createDb(options: CreateDbOptions = {}): DB {
  const inner = createDialect(options);
  const dialect = new TrackedDialect(options.wrapDialect ? options.wrapDialect(inner) : inner);
  const onQuery = options.onQuery;
  const db = new Kysely<Database>({ dialect, log: onQuery ? () => onQuery() : undefined });
  trackers.set(db, dialect);
  return db;
}

export function engineName(options: CreateDbOptions = {}): "postgres" | "pglite" {
  return (options.databaseUrl ?? env().databaseUrl) ? "postgres" : "pglite";
}

function createDialect(options: CreateDbOptions): Dialect {
  const databaseUrl = options.databaseUrl ?? env().databaseUrl;
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: env().dbPoolSize });
    // An idle connection dropped by the server (a restart, a failover) must not crash the process;
    // the pool opens a new one on the next query.
    pool.on("error", (error) => console.error(`database connection lost: ${error.message}`));
    return new PostgresDialect({ pool });
  }
  const dir = options.pgliteDir ?? pgliteDir();
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, {
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

/**
 * Wraps a dialect so shutdown can wait for connections that requests are still using.
 */
class TrackedDialect extends DialectWrapper {
  active = 0;
  createDriver(): Driver {
    const driver = this.inner.createDriver();
    return {
      init: () => driver.init(),
      acquireConnection: async () => {
        const connection = await driver.acquireConnection();
        this.active++;
        return connection;
      },
      releaseConnection: async (connection: DatabaseConnection) => {
        this.active--;
        await driver.releaseConnection(connection);
      },
      beginTransaction: (c, s) => driver.beginTransaction(c, s),
      commitTransaction: (c) => driver.commitTransaction(c),
      rollbackTransaction: (c) => driver.rollbackTransaction(c),
      destroy: () => driver.destroy(),
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
