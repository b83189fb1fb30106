import { spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { adminQuery, ADMIN_URL, withDatabase } from "./pg";

export const root = path.resolve(import.meta.dirname, "..");

/**
 * Where a benchmark runs the production server: a scratch directory, a PostgreSQL database of its
 * own (none with `pglite`: the embedded engine in the scratch directory), a random port, and the
 * environment that seeding, building and serving all share (the seeded personal data is encrypted
 * with its key). `cleanUp` stops the server and removes the database and the directory.
 */
export function benchEnv({
  name,
  firstPort,
  pglite = false,
  env: extra = {},
}: {
  name: string;
  firstPort: number;
  pglite?: boolean;
  env?: Record<string, string>;
}) {
  const port = firstPort + Math.floor(Math.random() * 9000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `jiangxin-${name}-`));
  const benchDb = `jiangxin_${name.replaceAll("-", "_")}_${process.pid}`;
  const databaseUrl = pglite ? undefined : withDatabase(ADMIN_URL, benchDb);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    DATA_DIR: scratch,
    PGLITE_DIR: path.join(scratch, "pglite"),
    PORT: String(port),
    SEED_DEMO: "0",
    ...extra,
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;

  /** Runs one of node_modules/.bin's commands in the bench's environment, and throws if it fails. */
  function run(command: string, args: string[]) {
    const result = spawnSync(path.join(root, "node_modules", ".bin", command), args, { cwd: root, env, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
  }

  async function createDatabase() {
    if (databaseUrl) await adminQuery(`create database ${benchDb}`);
  }

  async function cleanUp(server: ChildProcess | undefined) {
    if (server) await stopServer(server);
    if (databaseUrl) {
      await adminQuery(`drop database if exists ${benchDb} with (force)`).catch((e) => console.error(`could not drop ${benchDb}: ${e.message}`));
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  return { baseUrl, scratch, databaseUrl, env, run, createDatabase, cleanUp };
}

/** Stops a server the bench started and waits until it has exited (PGlite allows one process on a directory). */
export async function stopServer(server: ChildProcess) {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
}
