import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Starts the production server the way `npm start` does (build if needed, migrate, demo seed),
 * on a free port, against an empty embedded database of its own, or DATABASE_URL when set.
 */
let server: ChildProcess | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not become healthy:\n${log()}`);
}

export default async function setup(project: TestProject) {
  const root = path.resolve(__dirname, "../..");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-browser-"));
  const port = String(40000 + Math.floor(Math.random() * 20000));
  let output = "";
  server = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["db/bin/start.ts"], {
    cwd: root,
    env: { ...process.env, PORT: port, DATA_DIR: dataDir, PGLITE_DIR: path.join(dataDir, "pglite"), SEED_DEMO: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d) => (output += d));
  server.stderr!.on("data", (d) => (output += d));
  const baseUrl = `http://localhost:${port}`;
  await waitForHealth(baseUrl, server, () => output);
  project.provide("baseUrl", baseUrl);

  return async () => {
    server?.kill("SIGTERM");
    await new Promise((r) => server?.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
