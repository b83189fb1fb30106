import { spawn, spawnSync } from "node:child_process";
import cluster from "node:cluster";
import fs from "node:fs";
import path from "node:path";
import { createDb, engineName, migrateToLatest } from "~db";
import { assertEncryptionKey } from "~/modules/people/pii.server";
import { printLogins, seedDemo } from "../../seeds/demo";
import { env } from "~db/env";

/**
 * `npm start`: build when the sources are newer than the build, migrate, fill an empty
 * database with demo data (on the embedded engine, or when SEED_DEMO=1), then hand over to
 * our server (app/cli/serve.ts).
 */

// npm start is the production path: the same rules as the server it starts (e.g. no generated
// encryption key on PostgreSQL) apply to the migration and seeding done here.
process.env.NODE_ENV = "production";
try {
  env();
  assertEncryptionKey();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const root = process.cwd();
const serverBuild = path.join(root, "build", "index.js");

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function buildIsStale(): boolean {
  if (!fs.existsSync(serverBuild) || !fs.existsSync(path.join(root, "public", "build"))) return true;
  const built = fs.statSync(serverBuild).mtimeMs;
  const sources = ["app", "db", "remix.config.js", "package-lock.json"].map((p) => path.join(root, p)).filter(fs.existsSync);
  return sources.some((p) => newestMtime(p) > built);
}

if (buildIsStale()) {
  console.log("Building the app…");
  // Built under NODE_ENV=production (set above): a test or development build uses React's dev
  // JSX runtime and fails under the production server.
  const result = spawnSync(path.join(root, "node_modules", ".bin", "remix"), ["build"], {
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const db = createDb();
try {
  const applied = await migrateToLatest(db);
  if (applied.length) console.log(`Applied ${applied.length} migration(s) on ${engineName()}.`);
  const hasUsers = await db.selectFrom("app_user").select("id").limit(1).executeTakeFirst();
  const seedWanted = env().seedDemo ?? engineName() === "pglite";
  if (!hasUsers && seedWanted) {
    console.log("Empty database: adding demo data…");
    printLogins(await seedDemo(db));
  } else if (!hasUsers) {
    console.log("No users yet. Create the first administrator with: npm run user:create -- --username admin --role city_admin");
  }
} finally {
  await db.destroy();
}

// The server is TypeScript, run through tsx's loader in each process.
const serverScript = path.join(root, "app", "cli", "serve.ts");
const serverArgs = ["--import", "tsx", serverScript];

const processes = env().webConcurrency;
if (processes === 1) {
  const child = spawn(process.execPath, [...serverArgs, serverBuild], {
    stdio: "inherit",
    env: process.env,
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
} else {
  serveInProcesses(processes);
}

/**
 * WEB_CONCURRENCY > 1: this process stays the primary and forks that many server workers with
 * node:cluster, which share the one port (the primary accepts and hands connections round). Each
 * worker has its own database pool; everything shared — sessions, throttles, the job queue, vote
 * limits, the dashboard's remembered figures (keyed on PostgreSQL's snapshot) — lives in the database.
 * A worker that dies is replaced; SIGTERM/SIGINT is passed on to every worker, each finishes its
 * requests in flight, and the primary exits when the last has gone.
 */
function serveInProcesses(count: number) {
  cluster.setupPrimary({ exec: serverScript, execArgv: ["--import", "tsx"], args: [serverBuild] });
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`server process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
  console.log(`${count} server processes`);
}
