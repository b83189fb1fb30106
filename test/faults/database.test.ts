import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, startServer, type RunningServer } from "../browser/server";
import { startOwnPostgres, type OwnPostgres } from "./postgres";

/**
 * The production server (one process, as `npm start` runs by default on a small machine) on a
 * PostgreSQL of the suite's own, while the database restarts, loses its connections, holds a lock
 * and stops answering.
 */

let pg: OwnPostgres;
let server: RunningServer;

beforeAll(async () => {
  pg = await startOwnPostgres();
  server = await startServer({
    DATABASE_URL: pg.url,
    APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    WEB_CONCURRENCY: "1",
    BACKGROUND_WORK: "0",
  });
});

afterAll(async () => {
  await server?.stop();
  pg?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of the server process that answers (the supervisor's child). */
async function answeringProcess(): Promise<number> {
  const r = await fetch(`${server.url}/healthz`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { process: number }).process;
}

/** How long until `path` answers 200 again, polling every 100 ms for at most `limitMs`. */
async function answersAgainWithin(path: string, headers: Record<string, string>, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const r = await fetch(server.url + path, { headers }).catch(() => null);
    await r?.arrayBuffer();
    if (r?.status === 200) return Date.now() - started;
    await sleep(100);
  }
  return Infinity;
}

describe("a database that restarts and drops connections", () => {
  it("keeps the process up under writes, keeps every acknowledged write exactly once, and answers again within seconds", async () => {
    const { cookie } = await signInOverHttp(server.url, "wenling");
    const unit = (await pg.query<{ id: number }>("select id from org_unit where code = 'wenling'"))[0].id;
    const before = await answeringProcess();
    const acknowledged: string[] = [];
    const refused: Array<{ title: string; status: number | string }> = [];
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
          const text = await r.text();
          if (r.status === 302) acknowledged.push(title);
          else refused.push({ title, status: r.status === 503 && /请稍后重试/.test(text) ? 503 : `${r.status} ${text.slice(0, 200)}` });
        } catch (error) {
          refused.push({ title, status: String(error) });
        }
        await sleep(10);
      }
    };
    const readers = async () => {
      while (!stop) {
        await fetch(`${server.url}/events`, { headers: { cookie } })
          .then((r) => r.arrayBuffer())
          .catch(() => null);
      }
    };
    const load = [writer(0), writer(1), writer(2), writer(3), readers(), readers()];
    await sleep(1500);
    const beforeFaults = acknowledged.length;

    // An ordinary restart (fast: every session is cut mid-statement).
    pg.restart();
    const afterRestart = await answersAgainWithin("/events", { cookie }, 10_000);
    await sleep(1000);
    // Then every connection the app holds is killed from the database's side, twice.
    for (let round = 0; round < 2; round++) {
      await pg.query("select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()");
      await sleep(700);
    }
    const afterKill = await answersAgainWithin("/events", { cookie }, 10_000);
    await sleep(1500);
    stop = true;
    await Promise.all(load);

    expect(beforeFaults).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(beforeFaults);
    expect(afterRestart).toBeLessThan(5_000);
    expect(afterKill).toBeLessThan(5_000);
    // The same process answers: it was never replaced, let alone ended.
    expect(server.child.exitCode).toBeNull();
    expect(await answeringProcess()).toBe(before);
    expect(server.output()).not.toMatch(/server process \d+ ended/);
    // A write that was refused was refused with the Chinese 503, never a 500 or a dropped connection.
    expect(refused.filter((r) => r.status !== 503)).toEqual([]);

    const rows = await pg.query<{ title: string; n: number }>("select title, count(*)::int as n from event where title like '故障演练%' group by title");
    const stored = new Map(rows.map((r) => [r.title, r.n]));
    for (const title of acknowledged) expect(stored.get(title), title).toBe(1);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    // Nothing appears that nobody sent; a refused write may have committed (its answer was lost), never twice.
    const sent = new Set([...acknowledged, ...refused.map((r) => r.title)]);
    expect([...stored.keys()].filter((t) => !sent.has(t))).toEqual([]);
  });
});

describe("waits on the database are bounded", () => {
  it("answers a signed-in user with a Chinese 503 within the lock timeout while the sessions table is locked, and /healthz still says ok", async () => {
    const { cookie } = await signInOverHttp(server.url, "admin");
    const holder = await pg.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table user_session in access exclusive mode");
      const started = Date.now();
      const answer = await fetch(`${server.url}/home`, { headers: { cookie } });
      const waited = Date.now() - started;
      const page = await answer.text();
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(page).toContain("请稍后重试");
      // DB_LOCK_TIMEOUT_MS is 5 s by default: the user hears within it (and a little rendering), not after 30 s or more.
      expect(waited).toBeGreaterThan(4_000);
      expect(waited).toBeLessThan(8_000);
      // The database itself answers: /healthz says so, at once.
      const health = Date.now();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(Date.now() - health).toBeLessThan(1_000);
    } finally {
      await holder.query("rollback");
      await holder.end();
    }
    expect(await answersAgainWithin("/home", { cookie }, 5_000)).toBeLessThan(5_000);
  });

  it("says 503 on /healthz within about a second when the database stops answering, and recovers when it does", async () => {
    await answeringProcess();
    const stopped = pg.freeze();
    try {
      const started = Date.now();
      const r = await fetch(`${server.url}/healthz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ status: "error" });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      stopped.thaw();
    }
    expect(await answersAgainWithin("/healthz", {}, 5_000)).toBeLessThan(5_000);
  });
});

describe("a server process that dies", () => {
  it("is replaced by another under the same supervisor, and the site answers again within seconds", async () => {
    const before = await answeringProcess();
    process.kill(before, "SIGKILL");
    const back = await answersAgainWithin("/healthz", {}, 15_000);
    expect(back).toBeLessThan(15_000);
    // Another process answers, started by `npm start`'s own process, which is still there.
    expect(await answeringProcess()).not.toBe(before);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).toMatch(new RegExp(`server process ${before} ended`));
  });
});
