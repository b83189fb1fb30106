import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    for (let i = 0; i < 12; i++) served.add(JSON.parse((await request("/healthz")).body).process);
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

  it("stops both on SIGTERM", async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 8; i++) pids.add(JSON.parse((await request("/healthz")).body).process);
    expect(await server.stop()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
