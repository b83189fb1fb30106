import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** What the server wrote to its daily access-log files (under DATA_DIR/logs). */
  accessLog: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

/** Waits until the server at `url` answers /healthz, failing if its process ends first. */
export async function waitForHealth(url: string, child: ChildProcess, log: () => string = () => "") {
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

/** Signs in as the sign-in form would; the session cookie and the whole Set-Cookie header. */
export async function signInOverHttp(url: string, username: string, password = "Jiangxin-2026"): Promise<{ cookie: string; setCookie: string }> {
  const body = new URLSearchParams({ username, password, redirectTo: "/home" });
  const response = await fetch(`${url}/login`, { method: "POST", body, redirect: "manual", headers: { origin: url } });
  const setCookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !setCookie) throw new Error(`signing in as ${username} answered ${response.status}`);
  return { cookie: setCookie.split(";")[0], setCookie };
}

/**
 * A port nothing listens on, as the system hands it out (a random pick in the ephemeral range can
 * land on one an outgoing connection of this very run is using).
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the production server the way `npm start` does (build if needed, migrate, demo seed),
 * on a free port, against an empty embedded database of its own unless `env` names DATABASE_URL.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-server-"));
  const port = String(await freePort());
  let output = "";
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["app/cli/start.ts"], {
    cwd: root,
    env: { ...process.env, PORT: port, DATA_DIR: dataDir, PGLITE_DIR: path.join(dataDir, "pglite"), SEED_DEMO: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://localhost:${port}`;
  await waitForHealth(url, child, () => output);
  return {
    url,
    child,
    output: () => output,
    accessLog: () => {
      const dir = path.join(dataDir, "logs");
      return fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .map((name) => fs.readFileSync(path.join(dir, name), "utf8"))
            .join("")
        : "";
    },
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

export default async function setup(project: TestProject) {
  const server = await startServer();
  project.provide("baseUrl", server.url);
  return async () => {
    await server.stop();
  };
}
