import { json } from "@remix-run/node";
import { env } from "~db/env";

/**
 * Large request bodies (uploads: evidence files, 汇总表, Word forms) are read a few at a time per
 * process (UPLOAD_CONCURRENCY, 4 by default; "large" is above LARGE_BODY_BYTES, 1 MB). An upload
 * beyond those waits its turn — its body stays in the network buffers meanwhile, not in memory —
 * and if the wait is long or the queue already full, it is answered 503 with a Retry-After and a
 * Chinese message instead. Fifty 5 MB uploads at once used to take the process from 170 to 880 MB
 * and stall everyone's pages for seconds; now they cost at most a few bodies' memory, and the
 * pages of everyone else (small bodies, never queued) stay fast.
 */

/** How long an upload waits for its turn before it is told to try again. */
const WAIT_MS = 20_000;
/** Uploads waiting, per slot, before a new one is refused at once. */
const QUEUE_PER_SLOT = 8;

let reading = 0;
const queue: Array<{ admit: () => void }> = [];

/** Whether this request's body counts as large: by its declared length, or a multipart body of unknown length. */
export function isLargeBody(request: Request, limit = env().largeBodyBytes): boolean {
  const length = request.headers.get("content-length");
  if (length === null) return (request.headers.get("content-type") ?? "").startsWith("multipart/form-data") && request.body !== null;
  return Number(length) > limit;
}

function busy(): Response {
  return json({ error: "服务器正在接收较多的大文件，请稍等片刻后重新上传" }, { status: 503, headers: { "Retry-After": "10" } });
}

function release() {
  reading--;
  const next = queue.shift();
  if (next) next.admit();
}

/** Reads a request's body with `read`, within the bound on large bodies in flight (small ones are read at once). */
export async function readBounded<T>(request: Request, read: () => Promise<T>, address: string | null): Promise<T> {
  return isLargeBody(request) ? inUploadSlot(read, address) : read();
}

/** Large bodies each client address has reading or waiting now. */
const perAddress = new Map<string, number>();

/**
 * Runs `read` in one of the upload slots: waits its turn, or throws a 503 to answer when the wait is
 * too long. One address holds at most half the slots, reading and waiting together: a client that
 * trickles its bodies (ten bytes a second, no sign-in needed on the public notice) could otherwise
 * take every slot and leave everyone's uploads waiting. (Null: no address known, as in unit tests.)
 */
export async function inUploadSlot<T>(read: () => Promise<T>, address: string | null): Promise<T> {
  const slots = env().uploadConcurrency;
  const held = address ? (perAddress.get(address) ?? 0) : 0;
  if (held >= Math.max(1, Math.floor(slots / 2))) throw busy();
  if (address) perAddress.set(address, held + 1);
  try {
    return await inSlot(read, slots);
  } finally {
    if (address) {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    }
  }
}

async function inSlot<T>(read: () => Promise<T>, slots: number): Promise<T> {
  if (reading >= slots) {
    if (queue.length >= slots * QUEUE_PER_SLOT) throw busy();
    await new Promise<void>((resolve, reject) => {
      const entry = {
        admit: () => {
          clearTimeout(timer);
          reading++;
          resolve();
        },
      };
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(entry), 1);
        reject(busy());
      }, WAIT_MS);
      queue.push(entry);
    });
  } else {
    reading++;
  }
  try {
    return await read();
  } finally {
    release();
  }
}
