import fs from "node:fs";
import os from "node:os";

/**
 * The nice value long work runs at: the worker thread that reads uploads and writes workbooks, and
 * the backup process. The server's own thread and the database keep the CPU first, so other users'
 * pages stay quick while a 10,000-row export or a backup runs; the long work takes what is left
 * (all of it on an idle machine).
 */
export const LONG_WORK_NICE = 10;

/**
 * Lowers the calling thread's CPU priority. On Linux the nice value belongs to each thread: the
 * thread's own id (from /proc/thread-self) names it alone, so a worker thread leaves the server's
 * thread as it was. Elsewhere (no /proc) nothing changes. Whether it took effect is returned.
 */
export function lowerThreadPriority(nice = LONG_WORK_NICE): boolean {
  try {
    const threadId = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    os.setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
