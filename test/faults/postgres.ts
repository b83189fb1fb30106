import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { adminQuery } from "../pg";

/**
 * A PostgreSQL server of the fault suite's own, made with Debian's initdb and pg_ctl in a temporary
 * directory on a free port, so the suite may restart it and kill its connections (the shared
 * server on 5432 is never touched). It is stopped and removed however the suite ends: by `stop`,
 * and on the process's exit if a test failed before calling it.
 */

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "pg_ctl"))) : [];
  if (!versions.length) throw new Error("PostgreSQL's server programs are missing: apt-get install postgresql");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface OwnPostgres {
  url: string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when this returns. */
  restart: () => void;
  /** A connection of the test's own (to hold a lock with), as the superuser. */
  connect: () => Promise<pg.Client>;
  /**
   * Stops the server and its sessions answering (SIGSTOP, as a hung machine or a full network
   * buffer would) until `thaw`; nothing is lost, they carry on where they were.
   */
  freeze: () => { thaw: () => void };
  /** Runs one statement as the superuser on a connection of its own. */
  query: <T extends pg.QueryResultRow>(statement: string, params?: unknown[]) => Promise<T[]>;
  stop: () => void;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-faults-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  // initdb and the server refuse to run as root: as root (CI containers), they run as postgres.
  const asOwner = (program: string, args: string[]) => {
    const root = process.getuid?.() === 0;
    const [cmd, argv] = root ? ["runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]] : [path.join(bin, program), args];
    return execFileSync(cmd, argv, { stdio: "pipe", timeout: 60_000 });
  };
  if (process.getuid?.() === 0)
    fs.chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), Number(execFileSync("id", ["-g", "postgres"]).toString().trim()));
  let running = false;
  let frozen: number[] = [];
  const thaw = () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // ended meanwhile
      }
    }
    frozen = [];
  };
  const stop = () => {
    thaw();
    if (running) {
      running = false;
      try {
        asOwner("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  try {
    asOwner("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
    const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=60`;
    asOwner("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
    running = true;
  } catch (error) {
    stop();
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    restart: () => {
      asOwner("pg_ctl", ["-D", data, "-m", "fast", "-l", path.join(dir, "log"), "-w", "-t", "60", "restart"]);
    },
    connect: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    },
    freeze: () => {
      // The postmaster (first line of postmaster.pid) and every process it started.
      const postmaster = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      const children = fs
        .readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .filter((name) => {
          try {
            // The parent's pid is the fourth field, after the command name in parentheses.
            return Number(fs.readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1].split(" ")[1]) === postmaster;
          } catch {
            return false;
          }
        })
        .map(Number);
      frozen = [postmaster, ...children];
      for (const pid of frozen) process.kill(pid, "SIGSTOP");
      return { thaw };
    },
    query: <T extends pg.QueryResultRow>(statement: string, params: unknown[] = []) => adminQuery<T>(statement, params, url),
    stop,
  };
}
