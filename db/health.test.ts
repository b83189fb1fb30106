import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type DatabaseConnection, type Driver } from "kysely";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { checkHealth, createDb, DatabaseUnavailableError, DialectWrapper, unavailability, type DB } from ".";
import { createTestDb } from "../test/db";

/** A driver whose writes fail as PostgreSQL's do on a full disk (SQLSTATE 53100). */
class FullDisk extends DialectWrapper {
  createDriver(): Driver {
    const driver = this.inner.createDriver();
    const failing = (c: DatabaseConnection): DatabaseConnection => ({
      executeQuery: (query, options) =>
        /^\s*insert/i.test(query.sql)
          ? Promise.reject(Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), { code: "53100" }))
          : c.executeQuery(query, options),
      streamQuery: (query, size, options) => c.streamQuery(query, size, options),
    });
    const real = new WeakMap<DatabaseConnection, DatabaseConnection>();
    return {
      init: () => driver.init(),
      acquireConnection: async () => {
        const c = await driver.acquireConnection();
        const wrapped = failing(c);
        real.set(wrapped, c);
        return wrapped;
      },
      releaseConnection: (c) => driver.releaseConnection(real.get(c) ?? c),
      beginTransaction: (c, s) => driver.beginTransaction(real.get(c) ?? c, s),
      commitTransaction: (c) => driver.commitTransaction(real.get(c) ?? c),
      rollbackTransaction: (c) => driver.rollbackTransaction(real.get(c) ?? c),
      destroy: () => driver.destroy(),
    };
  }
}

const opened: DB[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("a database that cannot answer or store", () => {
  it("names the faults that mean 'not now' and leaves the rest alone", () => {
    expect(unavailability({ code: "57P01" })).toBe("connection");
    expect(unavailability({ code: "08006" })).toBe("connection");
    expect(unavailability({ code: "ECONNREFUSED" })).toBe("connection");
    expect(unavailability(new Error("Connection terminated unexpectedly"))).toBe("connection");
    expect(unavailability({ code: "57014" })).toBe("timeout");
    expect(unavailability(new Error("timeout exceeded when trying to connect"))).toBe("timeout");
    expect(unavailability({ code: "55P03" })).toBe("lock");
    expect(unavailability({ code: "53100" })).toBe("disk_full");
    expect(unavailability({ code: "ENOSPC" })).toBe("disk_full");
    expect(unavailability({ code: "23505" })).toBeNull();
    expect(unavailability(new Error("column does not exist"))).toBeNull();
  });

  it.skipIf(!!process.env.DATABASE_URL)(
    "refuses a write on a full disk with the Chinese reason and a 503, and /healthz reports the disk before writes fail",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-health-"));
      vi.stubEnv("PGLITE_DIR", dir);
      const db = createDb({ pgliteDir: "memory://", wrapDialect: (d) => new FullDisk(d) });
      opened.push(db);
      await sql`create table note (text text)`.execute(db);
      const error = await sql`insert into note values ('x')`.execute(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(error).toMatchObject({
        reason: "disk_full",
        status: 503,
        message: "服务器存储空间已满，暂时无法保存，请联系系统管理员。此次操作未保存任何内容。",
      });
      expect((await sql<{ n: number }>`select count(*)::int as n from note`.execute(db)).rows).toEqual([{ n: 0 }]);

      expect(await checkHealth(db)).toEqual({ ok: true });
      const statfs = fs.promises.statfs;
      vi.spyOn(fs.promises, "statfs").mockImplementation(async (p) => ({ ...(await statfs(p)), bavail: 100, bsize: 4096 }) as fs.StatsFs);
      expect(await checkHealth(db)).toMatchObject({ ok: false, db: "disk_full" });
      fs.rmSync(dir, { recursive: true, force: true });
    },
    60_000,
  );
});

describe("every wait on PostgreSQL is bounded (issue 27, item 2)", () => {
  const held = () => {
    let release!: () => void;
    return { until: new Promise<void>((resolve) => (release = resolve)), release: () => release() };
  };
  const failure = (work: Promise<unknown>) =>
    work.then(
      () => "answered",
      (error: unknown) => error,
    );

  it.skipIf(!process.env.DATABASE_URL)(
    "ends a long statement, a wait for a lock, a transaction left idle and a wait for a free connection, each as 'not now' (503)",
    async () => {
      vi.stubEnv("DB_POOL_SIZE", "2");
      vi.stubEnv("DB_ACQUIRE_TIMEOUT_MS", "300");
      vi.stubEnv("DB_STATEMENT_TIMEOUT_MS", "1000");
      vi.stubEnv("DB_LOCK_TIMEOUT_MS", "300");
      vi.stubEnv("DB_IDLE_TX_TIMEOUT_MS", "1000");
      const { db, drop } = await createTestDb();
      try {
        expect(await failure(sql`select pg_sleep(3)`.execute(db))).toMatchObject({ reason: "timeout", status: 503 });

        // A lock held by another transaction: the wait ends at the lock timeout, before the statement's.
        const lockWait = await db.transaction().execute(async (tx) => {
          await sql`lock table org_unit in access exclusive mode`.execute(tx);
          return failure(db.selectFrom("org_unit").select("id").execute());
        });
        expect(lockWait).toMatchObject({ reason: "lock", status: 503 });

        // Code that stopped half-way in its transaction: the server ends the session.
        const idle = await failure(
          db.transaction().execute(async (tx) => {
            await sql`select 1`.execute(tx);
            await new Promise((resolve) => setTimeout(resolve, 2_500));
            await sql`select 1`.execute(tx);
          }),
        );
        expect(idle).toBeInstanceOf(DatabaseUnavailableError);

        // Both connections busy: a third request is told so, not queued for ever.
        const busy = [held(), held()];
        const holding = busy.map((b) => db.connection().execute(() => b.until));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await failure(db.selectFrom("org_unit").select("id").execute())).toMatchObject({ reason: "timeout", status: 503 });
        for (const b of busy) b.release();
        await Promise.all(holding);
        expect(await db.selectFrom("org_unit").select("id").execute()).not.toHaveLength(0);
      } finally {
        await drop();
      }
    },
    30_000,
  );
});
