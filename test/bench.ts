/**
 * `npm run bench`: the city-scale benchmark (a script, not a test).
 *
 * Seeds a database of its own with `--scale 10`, builds and starts the production server on it,
 * signs in as the city officer and drives each page with autocannon (10 connections), after a
 * trivial route of the same server as the baseline. Prints requests per second, median and
 * 97.5 % latency, the throughput as a share of the baseline and the SQL statements each page
 * sends (counted by running the root's loader and its own from the same build against the same
 * database, once cold and once warm),
 * and writes them all to data/bench-results.json (or --out).
 *
 * Engine: the real PostgreSQL by default (DATABASE_URL, or postgres@127.0.0.1:5432, is only used
 * to create and drop a database `jiangxin_bench_…`); `--pglite` measures the embedded engine.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { adminQuery, ADMIN_URL, withDatabase } from "./pg";
import { createDb } from "../db";
import { signInOverHttp, waitForHealth } from "./browser/server";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const usePglite = args.includes("--pglite");
const scale = Number(option("--scale") ?? 10);
const duration = Number(option("--duration") ?? 10);
const outFile = path.resolve(option("--out") ?? "data/bench-results.json");
const connections = 10;

const port = 41000 + Math.floor(Math.random() * 9000);
const baseUrl = `http://127.0.0.1:${port}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-bench-"));
const benchDb = `jiangxin_bench_${process.pid}`;
const databaseUrl = usePglite ? undefined : withDatabase(ADMIN_URL, benchDb);

// Seeding and serving share one key: the seeded personal data is encrypted with it.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
  DATA_DIR: scratch,
  PGLITE_DIR: path.join(scratch, "pglite"),
  PORT: String(port),
  SEED_DEMO: "0",
};
if (databaseUrl) env.DATABASE_URL = databaseUrl;
else delete env.DATABASE_URL;

function run(command: string, commandArgs: string[]) {
  const result = spawnSync(path.join(root, "node_modules", ".bin", command), commandArgs, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed`);
}

interface Target {
  name: string;
  path: string;
  route: string;
  params?: Record<string, string>;
}

/**
 * Runs a page's loader twice from the production build against the bench database, counting
 * statements: the first run is cold, the second finds whatever the page remembers (the dashboard).
 */
async function queriesPerRequest(target: Target, cookie: string): Promise<{ cold: number; warm: number }> {
  const build = await import(pathToFileURL(path.join(root, "build", "index.js")).href);
  let count = 0;
  const db = createDb({ databaseUrl, pgliteDir: env.PGLITE_DIR, onQuery: () => count++ });
  const previous = globalThis.__jiangxinDb;
  globalThis.__jiangxinDb = db;
  try {
    const loader = build.routes[target.route]?.module.loader;
    if (!loader) throw new Error(`no loader for ${target.route}`);
    // A document request runs the root's loader (the session, the navigation's counts) and the page's.
    const rootLoader = build.routes.root.module.loader;
    const run = async () => {
      const before = count;
      const args = { request: new Request(baseUrl + target.path, { headers: { cookie } }), params: target.params ?? {}, context: {} };
      await Promise.all([rootLoader(args), loader(args)]);
      return count - before;
    };
    return { cold: await run(), warm: await run() };
  } finally {
    globalThis.__jiangxinDb = previous;
    await db.destroy();
  }
}

async function load(target: Target, cookie: string) {
  const result = await autocannon({ url: baseUrl + target.path, connections, duration, headers: { cookie } });
  if (result.non2xx || result.errors) throw new Error(`${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, medianMs: result.latency.p50, p97_5Ms: result.latency.p97_5, requests: result.requests.total };
}

let server: ChildProcess | undefined;
try {
  if (databaseUrl) await adminQuery(`create database ${benchDb}`);
  console.log(`Seeding ×${scale} on ${usePglite ? "PGlite" : "PostgreSQL"}…`);
  run("tsx", ["seeds/run.ts", "--scale", String(scale)]);
  run("remix", ["build"]);
  server = spawn(path.join(root, "node_modules", ".bin", "remix-serve"), ["build/index.js"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  await waitForHealth(baseUrl, server);
  const { cookie } = await signInOverHttp(baseUrl, "admin");

  const sample = await fetch(`${baseUrl}/studios?status=active`, { headers: { cookie } });
  const studioId = (await sample.text()).match(/href="\/studios\/(\d+)"/)?.[1];
  if (!studioId) throw new Error("no studio found on the studio list");
  const targets: Target[] = [
    { name: "dashboard", path: "/dashboard", route: "routes/dashboard" },
    { name: "studio list", path: "/studios", route: "routes/studios._index" },
    { name: "studio page", path: `/studios/${studioId}`, route: "routes/studios.$studioId._index", params: { studioId } },
    { name: "subsidy queue", path: "/subsidies", route: "routes/subsidies._index" },
  ];
  for (const t of targets) {
    const response = await fetch(baseUrl + t.path, { headers: { cookie } });
    if (!response.ok) throw new Error(`${t.name} answered ${response.status}`);
  }

  console.log(`\nBaseline /healthz, then each page: ${connections} connections, ${duration} s each`);
  const baseline = await load({ name: "baseline", path: "/healthz", route: "routes/healthz" }, cookie);
  const measured = [];
  for (const t of targets) measured.push({ name: t.name, path: t.path, ...(await load(t, cookie)) });

  // Counted after the server has stopped: PGlite allows one process on a data directory.
  server.kill("SIGTERM");
  await new Promise((r) => server!.once("exit", r));
  server = undefined;
  const pages = [];
  for (const [i, t] of targets.entries()) {
    pages.push({ ...measured[i], ratio: measured[i].requestsPerSecond / baseline.requestsPerSecond, queries: await queriesPerRequest(t, cookie) });
  }
  const rows = [{ name: "baseline", path: "/healthz", ...baseline, ratio: 1, queries: { cold: 1, warm: 1 } }, ...pages];
  console.log(
    `\n${"page".padEnd(14)}${"req/s".padStart(9)}${"median ms".padStart(11)}${"p97.5 ms".padStart(10)}${"× baseline".padStart(12)}${"SQL/req".padStart(9)}${"cold".padStart(6)}`,
  );
  for (const r of rows) {
    const ratio = r.ratio.toFixed(2);
    console.log(
      `${r.name.padEnd(14)}${r.requestsPerSecond.toFixed(0).padStart(9)}${String(r.medianMs).padStart(11)}${String(r.p97_5Ms).padStart(10)}${ratio.padStart(12)}${String(r.queries.warm).padStart(9)}${String(r.queries.cold).padStart(6)}`,
    );
  }
  const results = {
    date: new Date().toISOString(),
    engine: usePglite ? "pglite" : "postgres",
    scale,
    connections,
    durationSeconds: duration,
    cpus: os.cpus().length,
    node: process.version,
    pages: rows,
    targetsMet: pages.every((p) => p.p97_5Ms < 100 && p.requestsPerSecond >= baseline.requestsPerSecond / 2),
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
  console.log(`\nWritten to ${outFile}. Targets (p97.5 < 100 ms, ≥ half the baseline): ${results.targetsMet ? "met" : "not met"}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (server) {
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
  }
  if (databaseUrl) await adminQuery(`drop database if exists ${benchDb}`).catch((e) => console.error(`could not drop ${benchDb}: ${e.message}`));
  fs.rmSync(scratch, { recursive: true, force: true });
}
