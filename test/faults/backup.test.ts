import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnPostgres, type OwnPostgres } from "./postgres";

/**
 * The backup programs as an operator runs them, on a PostgreSQL of the suite's own: a backup whose
 * content was edited inside a perfectly valid gzip is refused by restore, in Chinese.
 */

let pg: OwnPostgres;
let dir: string;
let env: NodeJS.ProcessEnv;

const run = (script: string, args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", script, ...args], { env: { ...env, ...extra }, encoding: "utf8", timeout: 120_000 });

beforeAll(async () => {
  pg = await startOwnPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-faults-backup-"));
  env = { ...process.env, DATABASE_URL: pg.url, APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"), NODE_ENV: "production" };
  const migrated = run("db/bin/migrate.ts", []);
  expect(migrated.status, migrated.stderr).toBe(0);
  await pg.query("insert into org_unit (code, name, short_name, kind, sort_order) values ('faults', '故障演练单位', '演练', 'county', 99)");
});

afterAll(() => {
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a backup that was tampered with", () => {
  it("is refused by restore with a Chinese reason, and the database keeps what it had", async () => {
    const file = path.join(dir, "backup.jxbak.gz");
    const backup = run("db/bin/backup.ts", ["--out", file]);
    expect(backup.status, backup.stderr).toBe(0);

    // One value changed, the file compressed again: a valid gzip, the same rows, the same counts.
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString("utf8");
    expect(text).toContain("故障演练单位");
    const tampered = path.join(dir, "tampered.jxbak.gz");
    fs.writeFileSync(tampered, zlib.gzipSync(text.replace("故障演练单位", "篡改后的单位")));

    const refused = run("db/bin/restore.ts", [tampered, "--replace"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("备份文件的内容与校验值不符");
    expect(await pg.query("select name from org_unit where code = 'faults'")).toEqual([{ name: "故障演练单位" }]);

    // The untouched file restores; one signed with another installation's key does not.
    const restored = run("db/bin/restore.ts", [file, "--replace"]);
    expect(restored.status, restored.stderr).toBe(0);
    const otherKey = run("db/bin/restore.ts", [file, "--replace"], { APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64") });
    expect(otherKey.status).toBe(1);
    expect(otherKey.stderr).toContain("备份文件的内容与校验值不符");
  });
});
