import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { adminQuery, scratchDatabase } from "../pg";
import { describe, expect, it } from "vitest";
import { signInOverHttp, startServer, type RunningServer } from "./server";

/**
 * Faults on production servers of their own: a SIGTERM while requests are running, and the
 * PostgreSQL server restarted under a stream of writes.
 */

async function signIn(server: RunningServer, username: string): Promise<string> {
  return (await signInOverHttp(server.url, username)).cookie;
}

function restartPostgres() {
  const version = fs.readdirSync("/etc/postgresql")[0];
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { stdio: "pipe" });
}

describe("faults", () => {
  it("finishes the requests in flight on SIGTERM, then exits", async () => {
    const server = await startServer();
    const cookie = await signIn(server, "admin");
    // Connections opened first, so the requests below are on sockets the server has accepted.
    await Promise.all(Array.from({ length: 8 }, () => fetch(`${server.url}/healthz`).then((r) => r.text())));
    const pages = ["/dashboard", "/studios", "/people", "/events", "/subsidies", "/campaigns", "/dashboard/export", "/audit"];
    const inFlight = pages.map((path) =>
      fetch(server.url + path, { headers: { cookie } }).then(async (r) => ({
        path,
        status: r.status,
        size: (await r.arrayBuffer()).byteLength,
        at: Date.now(),
      })),
    );
    await new Promise((r) => setTimeout(r, 60));
    const started = Date.now();
    server.child.kill("SIGTERM");
    const answers = await Promise.all(inFlight);
    // The signal really came while pages were still being answered.
    expect(answers.filter((a) => a.at > started).length).toBeGreaterThan(0);
    for (const a of answers) {
      expect(a.status, a.path).toBe(200);
      expect(a.size, a.path).toBeGreaterThan(500);
    }
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(12_000);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 120_000);

  it("rides out a PostgreSQL restart under writes, without a restart of its own, losing nothing committed", async () => {
    const scratch = await scratchDatabase("jiangxin_fault");
    const server = await startServer({ DATABASE_URL: scratch.url, APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64") });
    try {
      const cookie = await signIn(server, "wenling");
      const unit = (await adminQuery<{ id: number }>("select id from org_unit where code = 'wenling'", [], scratch.url))[0].id;
      const committed: string[] = [];
      const failed: string[] = [];
      let stop = false;
      const writer = async (lane: number) => {
        for (let i = 0; !stop; i++) {
          const title = `故障演练 ${lane}-${i}`;
          const body = new URLSearchParams({
            title,
            kind: "training",
            organiser: `unit:${unit}`,
            startsAt: "2027-03-01T09:00",
            endsAt: "2027-03-01T11:00",
            channel: "offline",
            place: "温岭市职工服务中心",
          });
          try {
            const r = await fetch(`${server.url}/events/new`, { method: "POST", body, redirect: "manual", headers: { cookie, origin: server.url } });
            (r.status === 302 ? committed : failed).push(title);
          } catch {
            failed.push(title);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const lanes = [0, 1, 2].map(writer);
      await new Promise((r) => setTimeout(r, 1500));
      const before = committed.length;
      const [{ since }] = await adminQuery<{ since: Date }>("select pg_postmaster_start_time() as since");
      restartPostgres();
      // Keep writing for a while after the database is back.
      await new Promise((r) => setTimeout(r, 3000));
      stop = true;
      await Promise.all(lanes);

      expect(before).toBeGreaterThan(0);
      const [{ since: now }] = await adminQuery<{ since: Date }>("select pg_postmaster_start_time() as since");
      expect(now.getTime()).toBeGreaterThan(since.getTime());
      expect(committed.length).toBeGreaterThan(before);
      // The app answers again on its own, and a new write goes through.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.child.exitCode).toBeNull();
      const rows = await adminQuery<{ title: string; n: number }>(
        "select title, count(*)::int as n from event where title like '故障演练%' group by title",
        [],
        scratch.url,
      );
      const stored = new Map(rows.map((r) => [r.title, r.n]));
      for (const title of committed) expect(stored.get(title), title).toBe(1);
      // Nothing is stored twice, and nothing appears that nobody sent.
      expect([...stored.values()].every((n) => n === 1)).toBe(true);
      expect([...stored.keys()].every((t) => committed.includes(t) || failed.includes(t))).toBe(true);
    } finally {
      await server.stop();
      await scratch.drop();
    }
  }, 180_000);
});
