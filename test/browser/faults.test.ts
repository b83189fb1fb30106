import { describe, expect, it } from "vitest";
import { signInOverHttp, startServer, type RunningServer } from "./server";

/**
 * A fault on a production server of its own: a SIGTERM while requests are running. (The database
 * faults — a restart under writes among them — are in the fault suite, test/faults, on a PostgreSQL
 * server of its own: the shared one is never restarted.)
 */

async function signIn(server: RunningServer, username: string): Promise<string> {
  return (await signInOverHttp(server.url, username)).cookie;
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
    // Exits by itself once they are answered (a server that waited on idle keep-alive sockets would never end, and the
    // test would fail at its time limit). How long that takes is the machine's load, not something to assert here.
    expect(await server.exited).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 120_000);
});
