import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../browser/server";

/**
 * The production server with two upload slots (UPLOAD_CONCURRENCY=2: one per client address).
 * Bodies sent without a length (chunked) are read whole by the server before the app sees them, so
 * they take an upload slot there, as a large body of declared length does in the app — or a script
 * sending many at once would hold them all in memory — and one address holds at most half the
 * slots, so a client trickling its bodies cannot keep everyone else's uploads waiting.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ WEB_CONCURRENCY: "1", BACKGROUND_WORK: "0", UPLOAD_CONCURRENCY: "2" });
});

afterAll(async () => {
  await server?.stop();
});

/** A POST without a length whose body starts and then stalls: it holds what it takes until destroyed. */
function stalledUpload(url: URL): http.ClientRequest {
  const req = http.request(url, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked" } });
  req.on("error", () => undefined);
  req.write(Buffer.alloc(1024, "a"));
  return req;
}

function chunkedUpload(url: URL): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, body }));
    });
    req.on("error", reject);
    req.write(Buffer.alloc(1024, "b"));
    req.end("--x--\r\n");
  });
}

describe("uploads of unknown length", () => {
  it("take an upload slot before the server reads them: an address holding its share is told to retry, unread, and another gets in", async () => {
    const url = new URL("/campaigns/1/import/upload", server.url);
    url.hostname = "127.0.0.1";
    const stalled = stalledUpload(url);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    try {
      const answer = await chunkedUpload(url);
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe("10");
      expect(JSON.parse(answer.body).error).toBe("服务器正在接收较多的大文件，请稍等片刻后重新上传");
      // Another address (IPv6 loopback) takes the other slot: read, and answered by the app (no session here).
      const other = new URL(url);
      other.hostname = "[::1]";
      expect((await chunkedUpload(other)).status).not.toBe(503);
    } finally {
      stalled.destroy();
    }
    // Once the first client is gone, its address is read again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await chunkedUpload(url)).status).not.toBe(503);
  });
});
