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

/**
 * A keep-alive connection the server closed as the request went out (its timers fire late when
 * long work held its event loop): asked again on a new one, as a browser does.
 */
async function retriedOnReset<T>(ask: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await ask();
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (code !== "ECONNRESET" || tries === 3) throw error;
    }
  }
}

async function until(what: string, check: () => Promise<boolean>, limitMs = 600_000) {
  const deadline = Date.now() + limitMs;
  while (!(await retriedOnReset(check))) {
    if (Date.now() > deadline) throw new Error(`${what} did not finish in ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A county's sheet uploaded as the officer does it; the batch page's address. */
async function upload(baseUrl: string, cookie: string, campaignId: number, sheet: Uint8Array, unitId?: number): Promise<string> {
  const form = new FormData();
  if (unitId) form.append("unitId", String(unitId));
  form.append("file", new File([Buffer.from(sheet)], "温岭市汇总表.xlsx"));
  const response = await fetch(`${baseUrl}/campaigns/${campaignId}/import/upload`, {
    method: "POST",
    body: form,
    headers: { cookie, origin: baseUrl, accept: "application/json" },
  });
  // The action's reply (lib/reply.ts): the batch page's address in its data, or why not in its message.
  const answer = (await response.json()) as { data?: { url?: string } | null; message?: string | null };
  if (!answer.data?.url) throw new Error(`the upload answered ${response.status}: ${answer.message}`);
  return answer.data.url;
}

/** A batch's status, as its page reports it to the county officer. */
/** Presses 确认导入 on a previewed batch as its officer would. */
async function pressCommit(baseUrl: string, cookie: string, url: string) {
  const pressed = await fetch(`${baseUrl}${url}`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, origin: baseUrl },
    body: new URLSearchParams({ intent: "commit" }),
  });
  if (pressed.status !== 302) throw new Error(`确认导入 answered ${pressed.status}`);
}

async function batchStatus(baseUrl: string, cookie: string, url: string): Promise<string> {
  const response = await fetch(`${baseUrl}${url}?_data=${encodeURIComponent("routes/campaigns.$campaignId.import.$batchId")}`, { headers: { cookie } });
  return ((await response.json()) as { batch: { status: string } }).batch.status;
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
  const status = (url: string) => batchStatus(baseUrl, county, url);
  // Others are at work already: their pages are warm (compiled, connected, their figures counted) before anything is measured.
  const warmOthers = () =>
    autocannon({
      url: baseUrl,
      connections: 4,
      amount: 200,
      headers: { cookie: cityCookie },
      requests: [{ path: "/home" }, { path: "/studios" }, { path: "/subsidies" }],
    });
  await warmOthers();
  let url = "";
  // Issue 28's target: a 12-row list previewed in about a second, the first upload included.
  const small = await db
    .insertInto("campaign")
    .values({ number: 96, year: 2027, title: "首次导入测试", nomination_deadline: "2099-03-31", quota_per_unit: 20, title_count: 20, status: "nominating" })
    .returning("id")
    .executeTakeFirstOrThrow();
  results.push(
    await measured("import: first 12-row list, upload to preview", baseUrl, cityCookie, serverPid, async () => {
      const previewed = await upload(baseUrl, county, small.id, options.smallSheet);
      await until("the check", async () => (await status(previewed)) === "previewed");
    }),
  );
  results.push(
    await measured("import: upload and read 10,000 rows", baseUrl, cityCookie, serverPid, async () => {
      url = await upload(baseUrl, county, campaign.id, options.sheet, unit.id);
    }),
  );
  results.push(
    await measured("import: check 10,000 rows", baseUrl, cityCookie, serverPid, () => until("the check", async () => (await status(url)) === "previewed")),
  );
  results.push(
    await measured("import: commit 10,000 rows", baseUrl, cityCookie, serverPid, async () => {
      await pressCommit(baseUrl, county, url);
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
  // That write changed what the others' pages count (a year's worth of applications at once): they count it again now,
  // not during the export, whose own effect on them is what is measured (it was 274–338 ms with their recount in it).
  await warmOthers();
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

/** Someone signing in over and over, each sign-in after the last, while `work` runs: how many, and their p99. */
async function signInsDuring(name: string, baseUrl: string, pid: number, work: () => Promise<void>): Promise<LongWorkResult> {
  const memory = watchMemory(pid);
  const started = performance.now();
  let done = false;
  const working = work().finally(() => (done = true));
  const signIns: number[] = [];
  while (!done) {
    const before = performance.now();
    await retriedOnReset(() => signInOverHttp(baseUrl, "admin"));
    signIns.push(performance.now() - before);
  }
  await working;
  const durationMs = performance.now() - started;
  signIns.sort((a, b) => a - b);
  const p99 = signIns[Math.min(signIns.length - 1, Math.floor(signIns.length * 0.99))] ?? 0;
  return { name, durationMs, peakRssMb: memory(), othersP99Ms: Math.round(p99), othersRequests: signIns.length };
}

/**
 * The embedded engine (one connection, one process): a county's 3,000-row list checked, then
 * committed, while someone signs in. The campaign is made before the server starts (the server
 * holds the data directory); timed from the upload's answer to the preview, and from 确认导入 to
 * the batch written. The commit is one transaction (all or nothing): the sign-ins wait for it.
 */
export async function measureSignInsDuringImport(options: { baseUrl: string; serverPid: number; campaignId: number; sheet: Uint8Array }) {
  const { baseUrl, serverPid } = options;
  const county = (await signInOverHttp(baseUrl, "wenling")).cookie;
  const url = await upload(baseUrl, county, options.campaignId, options.sheet);
  const untilStatus = (status: string) => until(`the batch ${status}`, async () => (await batchStatus(baseUrl, county, url)) === status);
  const check = await signInsDuring("import: check 3,000 rows (others: sign-ins)", baseUrl, serverPid, () => untilStatus("previewed"));
  const commit = await signInsDuring("import: commit 3,000 rows (others: sign-ins)", baseUrl, serverPid, async () => {
    await pressCommit(baseUrl, county, url);
    await untilStatus("committed");
  });
  return [check, commit];
}
