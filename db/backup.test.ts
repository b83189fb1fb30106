import crypto from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../seeds/demo";
import { createTestDb } from "../test/db";
import { makePerson } from "../test/factories";
import { BackupError, restoreBackup, tablesInOrder, writeBackup } from "./backup";
import type { DB } from ".";

/** Every table's rows hashed in a fixed order, and each id sequence's next value. */
async function snapshot(db: Kysely<any>) {
  const tables: Record<string, string> = {};
  for (const table of await tablesInOrder(db)) {
    const { rows } = await sql<{ n: number; h: string | null }>`
      select count(*)::int as n, md5(string_agg(to_jsonb(t)::text, '|' order by to_jsonb(t)::text)) as h from ${sql.table(table)} t`.execute(db);
    tables[table] = `${rows[0].n}:${rows[0].h}`;
  }
  return tables;
}

let source: { db: DB; drop: () => Promise<void> };
let target: { db: DB; drop: () => Promise<void> };
let lines: string[];

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDb(), createTestDb()]);
  await seedDemo(source.db);
  lines = [];
  await writeBackup(source.db, (text) => {
    lines.push(...text.split("\n"));
  });
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

describe("backups", () => {
  it("restore into an empty database with every table, file and id sequence as they were", async () => {
    const evidence = await source.db.selectFrom("evidence_file").select(["id", "data"]).orderBy("id").executeTakeFirstOrThrow();
    expect(evidence.data.length).toBeGreaterThan(100);

    const header = await restoreBackup(target.db, lines);
    const before = await snapshot(source.db);
    expect(await snapshot(target.db)).toEqual(before);
    expect(Object.values(header.tables).reduce((a, b) => a + b, 0)).toBeGreaterThan(500);
    const restored = await target.db.selectFrom("evidence_file").select("data").where("id", "=", evidence.id).executeTakeFirstOrThrow();
    expect(Buffer.from(restored.data).equals(Buffer.from(evidence.data))).toBe(true);

    // New records continue after the restored ids instead of colliding with them.
    const maxPerson = await target.db
      .selectFrom("person")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirstOrThrow();
    const added = await makePerson(target.db, { unit: "wenling", name: "恢复后新增" });
    expect(added.id).toBeGreaterThan(Number(maxPerson.id));
    // The audit log still refuses to be edited after a restore.
    await expect(sql`delete from audit_log`.execute(target.db)).rejects.toThrow();
  });

  it("refuses to overwrite a database in use unless told to, then replaces it whole", async () => {
    await expect(restoreBackup(target.db, lines)).rejects.toThrow(BackupError);
    await restoreBackup(target.db, lines, { replace: true });
    expect(await snapshot(target.db)).toEqual(await snapshot(source.db));
  });

  it("refuses files that are not backups, from another version, or cut short, and changes nothing", async () => {
    const before = await snapshot(target.db);
    await expect(restoreBackup(target.db, ["PK\u0003\u0004 not a backup"], { replace: true })).rejects.toThrow("不是匠心的备份文件");
    const header = JSON.parse(lines[0]);
    const newer = [JSON.stringify({ ...header, migrations: [...header.migrations, "9999_future"] }), ...lines.slice(1)];
    await expect(restoreBackup(target.db, newer, { replace: true })).rejects.toThrow("另一个版本");
    await expect(restoreBackup(target.db, lines.slice(0, Math.floor(lines.length / 2)), { replace: true })).rejects.toThrow("不完整");
    expect(await snapshot(target.db)).toEqual(before);
  });

  it("restores a backup from before the hash (--unverified) only whole: a row missing is refused by the manifest's counts", async () => {
    const before = await snapshot(target.db);
    const old = [JSON.stringify({ ...JSON.parse(lines[0]), format: "jiangxin-backup/1" }), ...lines.slice(1, -1)];
    const row = old.findIndex((l, i) => i > 0 && l.startsWith("{"));
    expect(row).toBeGreaterThan(0);
    const cut = old.filter((_, i) => i !== row);
    await expect(restoreBackup(target.db, cut, { replace: true, unverified: true })).rejects.toThrow(/备份文件不完整：\w+ 应有 \d+ 行，读到 \d+ 行/);
    expect(await snapshot(target.db)).toEqual(before);
  });

  it("refuses a file whose content was changed, or signed with another key, in Chinese, and changes nothing", async () => {
    const before = await snapshot(target.db);
    // One value edited in place: the counts and the layout still match.
    const at = lines.findIndex((l) => l.includes('"display_name":'));
    expect(at).toBeGreaterThan(0);
    const edited = [...lines];
    edited[at] = edited[at].replace(/"display_name": "[^"]*"/, '"display_name": "改过的名字"');
    expect(edited[at]).not.toBe(lines[at]);
    await expect(restoreBackup(target.db, edited, { replace: true })).rejects.toThrow("备份文件的内容与校验值不符");
    // The same file with its hash line recomputed by someone without the key.
    const forged = crypto.createHmac("sha256", crypto.randomBytes(32));
    for (const line of edited.slice(0, -1)) forged.update(`${line}\n`);
    await expect(restoreBackup(target.db, [...edited.slice(0, -1), `#end ${forged.digest("hex")}`], { replace: true })).rejects.toThrow(
      "备份文件的内容与校验值不符",
    );
    // The hash line removed, or a row added after it.
    await expect(restoreBackup(target.db, lines.slice(0, -1), { replace: true })).rejects.toThrow("缺少结尾的校验值");
    await expect(restoreBackup(target.db, [...lines, lines[at]], { replace: true })).rejects.toThrow("校验值之后还有内容");
    // A backup from before the hash is restored only when the operator says so.
    const old = [JSON.stringify({ ...JSON.parse(lines[0]), format: "jiangxin-backup/1" }), ...lines.slice(1, -1)];
    await expect(restoreBackup(target.db, old, { replace: true })).rejects.toThrow("--unverified");
    expect(await snapshot(target.db)).toEqual(before);
    await restoreBackup(target.db, old, { replace: true, unverified: true });
    expect(await snapshot(target.db)).toEqual(await snapshot(source.db));
  });
});
