import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../browser/server";

/**
 * The production server with one upload slot (UPLOAD_CONCURRENCY=1, so eight may wait): bodies sent
 * without a length (chunked) are read whole by the server before the app sees them, so they must
 * take an upload slot there, as a large body of declared length does in the app — or a script
 * sending many at once would hold them all in memory.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ WEB_CONCURRENCY: "1", BACKGROUND_WORK: "0", UPLOAD_CONCURRENCY: "1" });
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
  it("take an upload slot before the server reads them: with the slot and the queue full, the next is told to retry, unread", async () => {
    const url = new URL("/campaigns/1/import/upload", server.url);
    // One reading, eight waiting: the slot and its queue are full.
    const stalled = Array.from({ length: 9 }, () => stalledUpload(url));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    try {
      const answer = await chunkedUpload(url);
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe("10");
      expect(JSON.parse(answer.body).error).toBe("服务器正在接收较多的大文件，请稍等片刻后重新上传");
    } finally {
      for (const req of stalled) req.destroy();
    }
    // Once they are gone, an upload of unknown length is read again (and answered by the app: no session here).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await chunkedUpload(url)).status).not.toBe(503);
  });
});
