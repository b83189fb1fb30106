import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./server";

/**
 * What our own server (app/cli/serve.ts) does before the app sees a request, on a production
 * server of its own (its daily access-log files under DATA_DIR/logs): bodies past a path's limit refused unread,
 * by their length or counted as they stream, and no secrets in the access log.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 200_000);

afterAll(async () => {
  await server?.stop();
});

/** A raw POST that announces `headers` and sends `sent` bytes, never more; the status, or "closed". */
function post(path: string, headers: Record<string, string | number>, sent: Buffer, end = false): Promise<number | "closed"> {
  const url = new URL(path, server.url);
  return new Promise((resolve) => {
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { origin: server.url, ...headers } });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", () => resolve("closed"));
    request.write(sent);
    if (end) request.end();
  });
}

describe("our server in front of the app", () => {
  it("refuses a body larger than the path takes with a 413 before reading it, by its length or as it streams", async () => {
    const type = { "content-type": "application/x-www-form-urlencoded" };
    // 8.9 MB announced, 10 bytes sent: answered at once, nothing waited for.
    expect(await post("/login", { ...type, "content-length": 8_900_000 }, Buffer.from("username=a"))).toBe(413);
    expect(await post("/vote/1", { ...type, "content-length": 300_000 }, Buffer.from("intent=code"))).toBe(413);
    expect(await post("/notice/1", { "content-type": "multipart/form-data; boundary=x", "content-length": 33 * 1024 * 1024 }, Buffer.from("--x"))).toBe(413);
    // Chunked, no length: counted as it comes, cut off past 256 kB.
    expect(await post("/login", { ...type, "transfer-encoding": "chunked" }, Buffer.alloc(300_000, 0x61))).toBe(413);
    // A small form still reaches the app (a wrong password: 401).
    const small = Buffer.from("username=admin&password=wrong-one-1");
    expect(await post("/login", { ...type, "content-length": small.length }, small, true)).toBe(401);
  });

  it("takes a POST with no body and no type as an empty form: answered by the form, never a 500", async () => {
    // The forms say what is missing (400); the code step with no code step begun sends back to the sign-in (302).
    const answers: Record<string, number | "closed"> = {};
    for (const path of ["/login", "/login/code", "/privacy", "/login/verify"]) answers[path] = await post(path, { "content-length": 0 }, Buffer.alloc(0), true);
    expect(answers).toEqual({ "/login": 400, "/login/code": 400, "/privacy": 400, "/login/verify": 302 });
  });

  it("keeps ID and phone numbers, receipts and codes out of the access log", async () => {
    for (const path of ["/vote/1/results?receipt=ABCDEFGHJK", "/people?q=330102198506010013", "/notice/1?lookup=YYABCDEFGH", "/verify?code=JXQ7K2M9"]) {
      await fetch(server.url + path, { redirect: "manual" });
    }
    await new Promise((r) => setTimeout(r, 300));
    const log = server.accessLog();
    expect(log).toContain("GET /vote/1/results?receipt=*** ");
    expect(log).toContain("GET /people?q=*** ");
    for (const secret of ["ABCDEFGHJK", "330102198506010013", "YYABCDEFGH", "JXQ7K2M9"]) expect(log).not.toContain(secret);
  });

  it("sends a small data answer as it is and compresses a page and a large one, for a client that takes gzip", async () => {
    /** The headers of a GET that takes gzip, and the length of its body as it came. */
    const get = (path: string) =>
      new Promise<{ encoding: string | undefined; length: string | undefined; bytes: number }>((resolve, reject) => {
        http
          .get(new URL(path, server.url), { headers: { "accept-encoding": "gzip" } }, (response) => {
            let bytes = 0;
            response.on("data", (chunk: Buffer) => (bytes += chunk.length));
            response.on("end", () => resolve({ encoding: response.headers["content-encoding"], length: response.headers["content-length"], bytes }));
          })
          .on("error", reject);
      });
    // The health check's answer, a few dozen bytes: as it is, its length said.
    const small = await get("/healthz");
    expect(small.encoding).toBeUndefined();
    expect(Number(small.length)).toBe(small.bytes);
    expect(small.bytes).toBeLessThan(1024);
    // The showcase's data, kilobytes of it, and its page: compressed as before.
    expect((await get(`/showcase?_data=${encodeURIComponent("routes/showcase._index")}`)).encoding).toBe("gzip");
    expect((await get("/showcase")).encoding).toBe("gzip");
  });
});
