import crypto from "node:crypto";
import { isMainThread } from "node:worker_threads";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { withoutStrayNuls } from "~/lib/stray-nuls.server";
import { env } from "~db/env";
import { takeExtendedSessionCookie } from "~/auth/session.server";
import { getDb, getLongWorkDb } from "~/db.server";
import { startWorker } from "~/lib/jobs.server";
import { backgroundTick } from "~/worker.server";

// A bad setting stops the server as it starts, with the variable named, not on the first request.
env();

// Each server process runs the background work (fan-out of messages, SMS, digests, imports) on the
// same database; the job queue's claims keep several processes from doing a job twice. The build is
// also loaded in a worker thread for work on files (see off-thread.server), which runs no jobs.
if (env().backgroundWork && isMainThread) startWorker(getLongWorkDb(), (db) => backgroundTick(db, undefined, undefined, getDb()));

const ABORT_DELAY = 5_000;

/**
 * Security headers for every page; data and resource routes set their own. Scripts run only
 * from our origin or inline with this response's nonce (Remix's hydration data and scroll
 * restoration); styles may be inline because the charts draw with style attributes.
 */
function applySecurityHeaders(headers: Headers, nonce: string): void {
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      // ALTCHA's proof-of-work runs in workers it builds from its own bundled code as blob: URLs;
      // only a script already running on this origin can make one.
      "worker-src 'self' blob:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  headers.set("X-Frame-Options", "DENY");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
}

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const botRequest = isbot(request.headers.get("user-agent") || "");
  const nonce = crypto.randomBytes(16).toString("base64");
  resendExtendedSession(request, responseHeaders);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </NonceProvider>,
      {
        [botRequest ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = withoutStrayNuls();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          applySecurityHeaders(responseHeaders, nonce);
          // The database was away (see db.server): the page says so, and when to try again.
          if (responseStatusCode === 503) responseHeaders.set("Retry-After", "5");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** A session extended while serving this request gets its cookie again, with the new lifetime. */
function resendExtendedSession(request: Request, headers: Headers): void {
  const cookie = takeExtendedSessionCookie(getDb(), request);
  if (cookie) headers.append("Set-Cookie", cookie);
}

export function handleDataRequest(response: Response, { request }: { request: Request }): Response {
  resendExtendedSession(request, response.headers);
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}
