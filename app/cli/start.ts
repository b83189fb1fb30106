import { spawnSync } from "node:child_process";
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

serveInProcesses(env().webConcurrency);

/**
 * This process stays the primary and forks the server processes (app/cli/serve.ts) (WEB_CONCURRENCY, one by
 * default) with node:cluster, which share the one port (the primary accepts and hands connections
 * round). One process is supervised like several: if it dies (a bug, memory), another is started,
 * so the site never stays down; a process that dies within seconds of starting again and again is
 * restarted after a growing pause (up to 30 s), not in a tight loop. Each process has its own
 * database pool; everything shared — sessions, throttles, the job queue, vote limits, the
 * version the remembered figures are keyed on (app/lib/data-version.server) — lives in the database.
 * SIGTERM/SIGINT is passed on to every process, each finishes its requests in flight, and the
 * primary exits when the last has gone.
 */
function serveInProcesses(count: number) {
  cluster.setupPrimary({ exec: serverScript, execArgv: ["--import", "tsx"], args: [serverBuild] });
  let stopping = false;
  const started = new Map<number, number>();
  let quickDeaths = 0;
  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  for (let i = 0; i < count; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    quickDeaths = lived < 10_000 ? quickDeaths + 1 : 0;
    const pause = quickDeaths ? Math.min(30_000, 500 * 2 ** (quickDeaths - 1)) : 0;
    console.error(`server process ${worker.process.pid} ended (${signal ?? code}); starting another${pause ? ` in ${pause / 1000} s` : ""}`);
    setTimeout(fork, pause);
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (!workers.length) process.exit(0);
      for (const worker of workers) worker?.process.kill(signal);
    });
  }
  if (count > 1) console.log(`${count} server processes`);
}
