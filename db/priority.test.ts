import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** A thread's nice value, from its /proc stat line (field 19). */
const NICE_OF_THREAD = `(p) => Number(require("node:fs").readFileSync(p, "utf8").split(") ")[1].split(" ")[16])`;
const niceOf = (statPath: string): number => Number(fs.readFileSync(statPath, "utf8").split(") ")[1].split(" ")[16]);

describe.runIf(fs.existsSync("/proc/thread-self"))("lowerThreadPriority (db/priority.ts)", () => {
  it("lowers the worker thread that calls it, and leaves the server's thread as it was", async () => {
    // The module as the build's thread runs it: plain JavaScript, in a thread of its own.
    const source = ts.transpileModule(fs.readFileSync(path.join(import.meta.dirname, "priority.ts"), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const before = niceOf("/proc/thread-self/stat");
    const code = `
      const { parentPort } = require("node:worker_threads");
      const module = { exports: {} };
      new Function("module", "exports", "require", ${JSON.stringify(source)})(module, module.exports, require);
      const niceOf = ${NICE_OF_THREAD};
      const took = module.exports.lowerThreadPriority();
      parentPort.postMessage({ took, nice: niceOf("/proc/thread-self/stat"), expected: module.exports.LONG_WORK_NICE });
    `;
    const answer = await new Promise<{ took: boolean; nice: number; expected: number }>((resolve, reject) => {
      const worker = new Worker(code, { eval: true });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(answer).toEqual({ took: true, nice: answer.expected, expected: 10 });
    expect(niceOf("/proc/thread-self/stat")).toBe(before);
  });
});
