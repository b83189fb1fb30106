import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db";
import { countyListOf } from "../county-files";
import { scratchDatabase } from "../pg";
import { signInOverHttp, startServer, type RunningServer } from "./server";

/**
 * WEB_CONCURRENCY=2 on PostgreSQL: two server processes on one port. Every request below goes on a
 * connection of its own, so the primary hands them to both processes in turn.
 */
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let server: RunningServer;
beforeAll(async () => {
  scratch = await scratchDatabase("jiangxin_processes");
  server = await startServer({ DATABASE_URL: scratch.url, APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"), WEB_CONCURRENCY: "2" });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await scratch?.drop();
});

/** One request on a new connection (no keep-alive, so no process keeps it). */
function request(
  path: string,
  options: { method?: string; cookie?: string; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}${path}`,
      {
        agent: false,
        method: options.method ?? "GET",
        headers: {
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.body ? { "content-type": "application/x-www-form-urlencoded", origin: server.url } : {}),
        },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("two server processes on one port", () => {
  it("answers from both, with sessions, throttling and the dashboard's remembered figures shared through the database", async () => {
    const served = new Set<number>();
    // New connections until both have answered: the primary spreads them, but the second process may still be
    // starting (on a busy machine, seconds after the first answers), so ask for up to half a minute, not a fixed count.
    const until = Date.now() + 30_000;
    while (served.size < 2 && Date.now() < until) {
      served.add(JSON.parse((await request("/healthz")).body).process);
      if (served.size < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(served.size).toBe(2);

    // A session made by one process holds in the other.
    const { cookie } = await signInOverHttp(server.url, "admin");
    for (let i = 0; i < 6; i++) expect((await request("/home", { cookie })).status).toBe(200);

    // Five wrong passwords spread over both processes lock the account for both.
    const attempt = (password: string) => request("/login", { method: "POST", body: new URLSearchParams({ username: "wenling", password }).toString() });
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`)).status).toBeGreaterThanOrEqual(400);
    for (let i = 0; i < 2; i++) expect((await attempt("Jiangxin-2026")).status).toBe(429);

    // The plan changed through one process shows on the dashboard of both at once.
    const board = async () => JSON.parse((await request("/dashboard?_data=routes%2Fdashboard", { cookie })).body).board.plan.target;
    const before = await board();
    expect(await board()).toBe(before);
    const saved = await request("/dashboard?_data=routes%2Fdashboard", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ target: String(before + 7), startYear: "2024", endYear: "2028" }).toString(),
    });
    expect(saved.status).toBe(200);
    for (let i = 0; i < 4; i++) expect(await board()).toBe(before + 7);
  });

  it("checks and writes an upload once through either process's job queue, its progress read by both", async () => {
    const db = createDb({ databaseUrl: scratch.url });
    try {
      const campaign = await db.selectFrom("campaign").select("id").where("status", "=", "nominating").executeTakeFirstOrThrow();
      await db.updateTable("campaign").set({ quota_per_unit: 50 }).where("id", "=", campaign.id).execute();
      const before = await db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute();
      // 椒江's officer: the test above locked 温岭's account.
      const { cookie } = await signInOverHttp(server.url, "jiaojiang");
      const form = new FormData();
      form.append("file", new File([Buffer.from(await countyListOf(30, "椒江区"))], "椒江区汇总表.xlsx"));
      const uploaded = await fetch(`${server.url}/campaigns/${campaign.id}/import/upload`, {
        method: "POST",
        body: form,
        headers: { cookie, origin: server.url, accept: "application/json" },
      });
      // The upload answers as every action does (lib/reply.ts): the batch's page is in its data.
      const { url } = ((await uploaded.json()) as { data: { url: string } }).data;
      // Asked on new connections, the batch page is answered by both processes in turn: all of them see one state.
      const batch = async () =>
        JSON.parse((await request(`${url}?_data=${encodeURIComponent("routes/campaigns.$campaignId.import.$batchId")}`, { cookie })).body).batch;
      await expect.poll(async () => (await batch()).status, { timeout: 20_000 }).toBe("previewed");
      const pressed = await request(url, { method: "POST", cookie, body: "intent=commit" });
      expect(pressed.status).toBe(302);
      await expect.poll(async () => (await batch()).status, { timeout: 20_000 }).toBe("committed");
      expect((await batch()).summary).toEqual({ created: 30, updated: 0, unchanged: 0 });
      const after = await db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute();
      expect(after.length - before.length).toBe(30);
      const jobs = await db.selectFrom("job").select(["kind", "attempts", "done_at"]).where("kind", "like", "import.%").execute();
      expect(jobs.map((j) => [j.kind, j.attempts, !!j.done_at]).sort()).toEqual([
        ["import.check", 1, true],
        ["import.commit", 1, true],
      ]);
    } finally {
      await db.destroy();
    }
  });

  it("stops both on SIGTERM", async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 8; i++) pids.add(JSON.parse((await request("/healthz")).body).process);
    expect(await server.stop()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
