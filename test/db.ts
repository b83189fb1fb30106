import crypto from "node:crypto";
import pg from "pg";
import fs from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, migrateToLatest, type CreateDbOptions, type DB } from "../db";
import { setDb } from "../app/db.server";

/**
 * A migrated database of this test file's own: in-memory PGlite by default, or, with
 * DATABASE_URL set, a fresh database created next to the one DATABASE_URL names (dropped after).
 * Each starts as a copy of the run's migrated template (test/template-db.ts) where there is one;
 * migrating it again then finds nothing to do.
 */
export async function createTestDb(options: Pick<CreateDbOptions, "wrapDialect" | "onQuery"> = {}): Promise<{ db: DB; drop: () => Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  const template = inject("migratedTemplate");
  if (!baseUrl) {
    const pgliteStartFrom = template?.engine === "pglite" ? await fs.openAsBlob(template.file) : undefined;
    const db = createDb({ ...options, pgliteDir: "memory://", pgliteStartFrom });
    await migrateToLatest(db);
    return { db, drop: () => db.destroy() };
  }
  const url = new URL(baseUrl);
  const name = `${url.pathname.slice(1) || "jiangxin"}_t${crypto.randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database "${name}"${template?.engine === "postgres" ? ` template "${template.database}"` : ""}`);
  await admin.end();
  url.pathname = `/${name}`;
  const db = createDb({ ...options, databaseUrl: url.toString() });
  await migrateToLatest(db);
  return {
    db,
    drop: async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

/** Gives the test file its database and installs it as the app's, for loaders and actions. */
export function useTestDb(options: Pick<CreateDbOptions, "wrapDialect" | "onQuery"> = {}): { readonly db: DB } {
  const holder = {} as { db: DB; drop: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(holder, await createTestDb(options));
    setDb(holder.db);
  });
  afterAll(async () => {
    setDb(undefined);
    await holder.drop?.();
  });
  return {
    get db() {
      return holder.db;
    },
  };
}
