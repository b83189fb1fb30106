import crypto from "node:crypto";
import pg from "pg";

/**
 * The real PostgreSQL as the scripts and the browser tests use it beside the app: a statement as
 * the administrator, and databases of their own (created for one run, dropped after it).
 */
export const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function adminQuery<T extends pg.QueryResultRow>(statement: string, params: unknown[] = [], url = ADMIN_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(statement, params)).rows;
  } finally {
    await client.end();
  }
}

/** The same server's connection string for another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database named `<prefix>_<random>`; `drop` removes it, connections and all. */
export async function scratchDatabase(prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  return { name, url: withDatabase(ADMIN_URL, name), drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)) };
}
