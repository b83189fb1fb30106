import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { LONG_WORK_NICE } from "~db/priority";
import { threadBootstrap } from "~/lib/off-thread.server";

/** A thread's nice value, from its /proc stat line (field 19). */
const niceOf = (statPath: string): number => Number(fs.readFileSync(statPath, "utf8").split(") ")[1].split(" ")[16]);

describe.runIf(fs.existsSync("/proc/thread-self"))("the long work's thread (app/lib/off-thread.server.ts)", () => {
  it("runs at the lower priority from its first statement: the build it loads is compiled at it, the server's thread left as it was", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-thread-"));
    // Stands in for the server build: what its first module sees when it is evaluated.
    const build = path.join(dir, "index.mjs");
    fs.writeFileSync(
      build,
      `import fs from "node:fs"; import { parentPort } from "node:worker_threads";
       parentPort.postMessage(Number(fs.readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1].split(" ")[16]));`,
    );
    const before = niceOf("/proc/thread-self/stat");
    try {
      const nice = await new Promise<number>((resolve, reject) => {
        const worker = new Worker(threadBootstrap(build), { eval: true });
        worker.once("message", (n: number) => void worker.terminate().then(() => resolve(n)));
        worker.once("error", reject);
      });
      expect(nice).toBe(LONG_WORK_NICE);
      expect(niceOf("/proc/thread-self/stat")).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
