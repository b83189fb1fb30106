import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "kysely";
import type { DB } from "../db";
import { signInOverHttp } from "./browser/server";

/**
 * The bench's long work, each while other users go on using the site: a county imports a
 * 10,000-row 汇总表 (upload and reading, the check, the commit), the city exports a year's 10,000
 * subsidy rows, and a backup is taken. For each: how long it took, the peak memory of the process
 * doing it, and the other users' p99 meanwhile (a steady 40 requests a second over the city's home,
 * the studio list and the subsidy queue — people at work, not a load test).
 */

export interface LongWorkResult {
  name: string;
  durationMs: number;
  /** Resident memory of the process doing the work, at its highest while it ran. */
  peakRssMb: number;
  othersP99Ms: number;
  othersRequests: number;
}

export const OTHERS_RATE = 40;

/** Resident memory of a process, sampled until stopped; the highest seen. */
function watchMemory(pid: number) {
  let peak = 0;
  const sample = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // The process has ended: its last sample stands.
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

/** Other users' requests at a steady rate until the work ends; their p99. */
function othersMeanwhile(baseUrl: string, cookie: string) {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: baseUrl,
        connections: 4,
        overallRate: OTHERS_RATE,
        duration: 600,
        headers: { cookie },
        requests: [{ path: "/home" }, { path: "/studios" }, { path: "/subsidies" }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  return async () => {
    instance!.stop();
    const result = await finished;
    if (result.non2xx || result.errors) throw new Error(`others meanwhile: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return { othersP99Ms: result.latency.p99, othersRequests: result.requests.total };
  };
}

async function measured(name: string, baseUrl: string, cookie: string, pid: number, work: () => Promise<void>): Promise<LongWorkResult> {
  const memory = watchMemory(pid);
  const others = othersMeanwhile(baseUrl, cookie);
  const started = performance.now();
  await work();
  const durationMs = performance.now() - started;
  return { name, durationMs, peakRssMb: memory(), ...(await others()) };
}

async function until(what: string, check: () => Promise<boolean>, limitMs = 600_000) {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not finish in ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function measureLongWork(options: {
  baseUrl: string;
  db: DB;
  /** The server process (one process: it does the requests, the thread's work and the jobs). */
  serverPid: number;
  sheet: Uint8Array;
  /** A county's usual list (a dozen people), uploaded first: the day's first upload, on a cold server. */
  smallSheet: Uint8Array;
  cityCookie: string;
  backup: { command: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv; out: string };
}): Promise<LongWorkResult[]> {
  const { baseUrl, db, serverPid, cityCookie } = options;
  const results: LongWorkResult[] = [];

  // A campaign of its own, open for nominations, with room for the whole sheet from one county.
  const unit = await db.selectFrom("org_unit").select("id").where("code", "=", "wenling").executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto("campaign")
    .values({ number: 97, year: 2027, title: "长任务测试", nomination_deadline: "2099-03-31", quota_per_unit: 20_000, title_count: 200, status: "nominating" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const county = (await signInOverHttp(baseUrl, "wenling")).cookie;
  const batchPage = (url: string) => `${baseUrl}${url}?_data=${encodeURIComponent("routes/campaigns.$campaignId.import.$batchId")}`;
  const status = async (url: string) =>
    ((await (await fetch(batchPage(url), { headers: { cookie: county } })).json()) as { batch: { status: string } }).batch.status;
  let url = "";
  // Issue 28's target: a 12-row list previewed in about a second, the first upload included.
  const small = await db
    .insertInto("campaign")
    .values({ number: 96, year: 2027, title: "首次导入测试", nomination_deadline: "2099-03-31", quota_per_unit: 20, title_count: 20, status: "nominating" })
    .returning("id")
    .executeTakeFirstOrThrow();
  results.push(
    await measured("import: first 12-row list, upload to preview", baseUrl, cityCookie, serverPid, async () => {
      const form = new FormData();
      form.append("file", new File([Buffer.from(options.smallSheet)], "温岭市汇总表.xlsx"));
      const response = await fetch(`${baseUrl}/campaigns/${small.id}/import/upload`, {
        method: "POST",
        body: form,
        headers: { cookie: county, origin: baseUrl, accept: "application/json" },
      });
      const answer = (await response.json()) as { url?: string; error?: string };
      if (!answer.url) throw new Error(`the upload answered ${response.status}: ${answer.error}`);
      const previewed = answer.url;
      await until("the check", async () => (await status(previewed)) === "previewed");
    }),
  );
  results.push(
    await measured("import: upload and read 10,000 rows", baseUrl, cityCookie, serverPid, async () => {
      const form = new FormData();
      form.append("unitId", String(unit.id));
      form.append("file", new File([Buffer.from(options.sheet)], "温岭市汇总表.xlsx"));
      const response = await fetch(`${baseUrl}/campaigns/${campaign.id}/import/upload`, {
        method: "POST",
        body: form,
        headers: { cookie: county, origin: baseUrl, accept: "application/json" },
      });
      const answer = (await response.json()) as { url?: string; error?: string };
      if (!answer.url) throw new Error(`the upload answered ${response.status}: ${answer.error}`);
      url = answer.url;
    }),
  );
  results.push(
    await measured("import: check 10,000 rows", baseUrl, cityCookie, serverPid, () => until("the check", async () => (await status(url)) === "previewed")),
  );
  results.push(
    await measured("import: commit 10,000 rows", baseUrl, cityCookie, serverPid, async () => {
      const pressed = await fetch(`${baseUrl}${url}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: county, origin: baseUrl },
        body: new URLSearchParams({ intent: "commit" }),
      });
      if (pressed.status !== 302) throw new Error(`确认导入 answered ${pressed.status}`);
      await until("the commit", async () => (await status(url)) === "committed");
    }),
  );
  const written = await db
    .selectFrom("nomination")
    .select(sql<number>`count(*)`.as("n"))
    .where("campaign_id", "=", campaign.id)
    .executeTakeFirstOrThrow();
  if (Number(written.n) !== 10_000) throw new Error(`the import wrote ${written.n} nominations, not 10,000`);

  // The scale's applications, gathered into one year: a year's 10,000 rows for the finance office.
  await db.updateTable("subsidy_application").set({ year: 2025 }).execute();
  results.push(
    await measured("export: a year's 10,000 subsidy rows", baseUrl, cityCookie, serverPid, async () => {
      const response = await fetch(`${baseUrl}/subsidies/export?year=2025`, { headers: { cookie: cityCookie } });
      const bytes = await response.arrayBuffer();
      if (!response.ok || bytes.byteLength < 100_000) throw new Error(`the export answered ${response.status} with ${bytes.byteLength} bytes`);
    }),
  );

  // The backup runs as its own process beside the server (npm run db:backup): its memory is its own.
  const child = spawn(options.backup.command, options.backup.args, {
    cwd: options.backup.cwd,
    env: options.backup.env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  results.push(
    await measured("backup (npm run db:backup)", baseUrl, cityCookie, child.pid!, async () => {
      if ((await exited) !== 0) throw new Error("the backup failed");
      if (!fs.existsSync(options.backup.out)) throw new Error(`no backup at ${path.basename(options.backup.out)}`);
    }),
  );
  return results;
}
