import "./preload";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { createReadableStreamFromReadable, createRequestHandler, installGlobals, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { inUploadSlot } from "~/lib/body-gate.server";
import { bodyLimitFor, tooLarge } from "~/lib/form-guard.server";
import { loggedPath } from "~/lib/access-log";
import { dailyLogWriter } from "~/lib/access-log-file.server";
import { logDir } from "~db";

/**
 * The HTTP server `npm start` runs (in place of remix-serve): static files, then the app. Ours
 * because three things must happen before the app sees a request, and remix-serve does none:
 * - a body larger than its path takes is refused with a 413 before a byte of it is read (by its
 *   Content-Length, or counted as it streams when it has none);
 * - the socket's address reaches the app in the load context (the per-address limits work
 *   without a proxy), never from a header the client wrote;
 * - the access log leaves out query strings that carry ID or phone numbers, receipts or codes.
 * The access log goes to one file per day under LOG_DIR (data/logs), which the retention schedule deletes when due.
 */
const root = process.cwd();
const buildPath = path.resolve(process.argv[2] ?? "build/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
installGlobals({ nativeFetch: build.future.v3_singleFetch });
const handle = createRequestHandler(build, process.env.NODE_ENV);
const port = Number(process.env.PORT || 3000);
const accessLog = dailyLogWriter(logDir());

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
};
const publicDir = path.join(root, "public");
const assetsDir = path.resolve(build.assetsBuildDirectory);

/** A file under public/ (fingerprinted build output kept a year, the rest an hour), or false. */
function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (decoded.includes("\0")) return false;
  const file = path.join(publicDir, path.normalize(decoded));
  if (!file.startsWith(publicDir + path.sep)) return false;
  // Asked for every request, and most are not files: no exception (and its stack trace) for a missing one. A path
  // below a file (/favicon.svg/x: ENOTDIR) or too long a name (ENAMETOOLONG) is no file of ours either: the app's 404.
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return false;
  }
  if (!stat?.isFile()) return false;
  const type = TYPES[path.extname(file)] ?? "application/octet-stream";
  const immutable = file.startsWith(assetsDir + path.sep);
  res.setHeader("Content-Type", type);
  res.setHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600");
  res.setHeader("X-Content-Type-Options", "nosniff");
  const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(type);
  const encoding = compressible ? acceptedEncoding(req) : null;
  if (encoding) {
    res.setHeader("Content-Encoding", encoding);
    res.setHeader("Vary", "Accept-Encoding");
  } else res.setHeader("Content-Length", stat.size);
  res.statusCode = 200;
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  const stream = fs.createReadStream(file);
  if (encoding) stream.pipe(compressor(encoding)).pipe(res);
  else stream.pipe(res);
  return true;
}

function acceptedEncoding(req: http.IncomingMessage): "br" | "gzip" | null {
  const accepted = String(req.headers["accept-encoding"] ?? "");
  return /\bbr\b/.test(accepted) ? "br" : /\bgzip\b/.test(accepted) ? "gzip" : null;
}

function compressor(encoding: "br" | "gzip", flushEach = false) {
  return encoding === "br"
    ? zlib.createBrotliCompress({
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 },
        ...(flushEach ? { flush: zlib.constants.BROTLI_OPERATION_FLUSH } : {}),
      })
    : zlib.createGzip(flushEach ? { flush: zlib.constants.Z_SYNC_FLUSH } : {});
}

function refuse(res: http.ServerResponse, status: number, error: string) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", Connection: "close", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ error }));
}

/** The body, read only up to `limit` bytes: past that, or if the client leaves, null (and the connection is closed after the 413). */
function readBounded(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        req.removeAllListeners("data");
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    // A client gone before the end (its slot must come back): nothing to read. After "end" this changes nothing.
    req.on("close", () => resolve(null));
    if (req.destroyed) resolve(null);
  });
}

/**
 * Whether a request's Origin names another host than the one it was sent to, as Remix 2 judges it
 * (@remix-run/server-runtime's throwIfPotentialCSRFAttack: the forwarded host if any, else Host; an
 * Origin of "null" is no host of ours), and an Origin that is no address at all.
 */
function foreignOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return false;
  let domain: string;
  try {
    domain = origin === "null" ? origin : new URL(origin).host;
  } catch {
    return true;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return !host || domain !== host;
}

async function serveApp(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    for (const v of [value ?? []].flat()) headers.append(key, v);
  }
  // A bare POST with nothing in it and no type (curl -X POST; a sign-out button's fetch) is an empty form: the
  // routes read it as one, and say what is missing, instead of failing to parse a body of no kind (a 500).
  if (req.method === "POST" && !headers.has("content-type") && req.headers["content-length"] === "0")
    headers.set("content-type", "application/x-www-form-urlencoded");
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    // Remix throws (a 500) on a page's POST whose Origin names another host; our actions refuse it as a 403
    // (assertSameOrigin), and so does this, before Remix or the body is reached.
    if (foreignOrigin(headers)) return refuse(res, 403, "请求来源不符，已拒绝（跨站请求）");
    const limit = bodyLimitFor(url.pathname);
    const declared = req.headers["content-length"];
    if (declared !== undefined && !(Number(declared) <= limit)) return refuse(res, 413, tooLarge(limit));
    if (declared !== undefined) {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    } else {
      // No length given (chunked): counted as it arrives, and the app gets it only whole and within the limit. It is
      // read here, so it takes an upload slot here, as a large body of declared length does in the app: bodies of
      // unknown length must not pile up in memory either.
      const address = clientAddress(new Request(url.href, { headers }), { peerAddress: req.socket.remoteAddress ?? null });
      const body = await inUploadSlot(() => readBounded(req, limit), address).catch((refusal: unknown) => {
        if (refusal instanceof Response) return refusal;
        throw refusal;
      });
      if (body === null) return refuse(res, 413, tooLarge(limit));
      if (body instanceof Response) {
        // The rest of the body is never read: the connection ends with the answer.
        res.setHeader("Connection", "close");
        return send(req, res, body);
      }
      init.body = new Uint8Array(body);
    }
  }
  return send(req, res, await handle(new Request(url.href, init), { peerAddress: req.socket.remoteAddress ?? null }));
}

/**
 * Data answers under this size go uncompressed: a few hundred bytes (a vote's "code sent", its
 * receipt) save the phone nothing when zipped, and a compressor each cost the server 7 % of its CPU
 * under the vote's load (`npm run bench:vote`).
 */
const SMALL_DATA_BYTES = 1024;

/** Writes the app's answer, compressed when the page or data is text, not small, and the client takes it. */
async function send(req: http.IncomingMessage, res: http.ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  for (const [key, value] of response.headers) res.appendHeader(key, value);
  const type = response.headers.get("content-type") ?? "";
  const encoding = response.body && /^(text\/html|application\/json)/.test(type) && !response.headers.has("content-encoding") ? acceptedEncoding(req) : null;
  if (!response.body) return void res.end();
  if (!encoding) return writeReadableStreamToWritable(response.body, res);
  // A data answer is whole in memory already (the app's json()), never streamed: its size is known before the first byte.
  const data = type.startsWith("application/json") ? Buffer.from(await response.arrayBuffer()) : null;
  if (data && data.length < SMALL_DATA_BYTES) {
    res.setHeader("Content-Length", data.length);
    return void res.end(data);
  }
  res.removeHeader("Content-Length");
  res.setHeader("Content-Encoding", encoding);
  res.appendHeader("Vary", "Accept-Encoding");
  // Flushed chunk by chunk: a streamed page reaches the phone as it is rendered, not at the end.
  const zipped = compressor(encoding, !data);
  zipped.pipe(res);
  if (data) zipped.end(data);
  else await writeReadableStreamToWritable(response.body, zipped);
}

const server = http.createServer(async (req, res) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    accessLog.write(
      `${new Date().toISOString()} ${req.method} ${loggedPath(req.url ?? "/")} ${res.statusCode} ${res.getHeader("content-length") ?? "-"} - ${ms.toFixed(1)} ms`,
    );
  });
  let url: URL;
  try {
    // The Host header is the client's to write; the app builds no link from it (PUBLIC_URL does).
    url = new URL(req.url ?? "/", `http://${/^[\w.:[\]-]{1,255}$/.test(req.headers.host ?? "") ? req.headers.host : "localhost"}`);
  } catch {
    return refuse(res, 400, "请求地址无效");
  }
  try {
    if (serveStatic(req, res, url.pathname)) return;
    await serveApp(req, res, url);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) refuse(res, 500, "服务器出错，请稍后再试");
    else res.destroy();
  }
});

server.listen(port, () => console.log(`[jiangxin] http://localhost:${port}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () =>
    server.close((error) => {
      accessLog.close();
      if (error) console.error(error);
    }),
  );
}
