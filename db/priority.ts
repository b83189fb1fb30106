import fs from "node:fs";
import os from "node:os";
import vm from "node:vm";

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
 * Written as source once: a worker thread runs it as its first statement (`lowerThreadPriorityFirst`).
 */
const LOWER = `(fs, os, nice) => {
  try {
    os.setPriority(Number(fs.readlinkSync("/proc/thread-self").split("/").pop()), nice);
    return true;
  } catch {
    return false;
  }
}`;

export function lowerThreadPriority(nice = LONG_WORK_NICE): boolean {
  return (vm.runInThisContext(LOWER) as (f: typeof fs, o: typeof os, n: number) => boolean)(fs, os, nice);
}

/**
 * The same as the first statement of a worker thread's own code (run with `eval: true`), before it
 * loads anything: the thread that loads the whole server build compiles for a second or more, and at
 * full priority that took the CPU from the server's own thread while an export or upload began.
 */
export function lowerThreadPriorityFirst(nice = LONG_WORK_NICE): string {
  return `(${LOWER})(require("node:fs"), require("node:os"), ${Number(nice)});`;
}
