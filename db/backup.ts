import crypto from "node:crypto";
import { sql, type Kysely } from "kysely";
import { migrateToLatest } from ".";
import { deriveKey } from "./secret";

/**
 * Backups in one format for both engines: every table's rows as PostgreSQL's own JSON of the row
 * (`to_jsonb`), read in one repeatable-read transaction, and put back with
 * `jsonb_populate_recordset`, which turns each value into its column's type again (bytea files,
 * timestamps, jsonb, numerics) without JavaScript ever parsing a number. So a backup taken on the
 * embedded engine restores into PostgreSQL and back.
 *
 * File layout (text, gzip-compressed by the scripts): a header line of JSON (the manifest: the
 * migrations and each table's row count), then for each table a line `#table <name> <rows>` followed
 * by one row per line, then `#end <hmac>`: HMAC-SHA256 of every line before it, keyed with a key
 * derived from APP_ENCRYPTION_KEY. Restore recomputes it and refuses a file whose content was
 * changed (an edited value in a valid gzip) or that another installation's key signed. A gzip
 * checksum alone proves nothing: anyone can recompress an edited file.
 */
export const BACKUP_FORMAT = "jiangxin-backup/2";
/** Backups from before the content hash: restored only when the operator says so (--unverified). */
const UNVERIFIED_FORMAT = "jiangxin-backup/1";

/** The key backups are signed with. */
export const backupKey = () => deriveKey("backup-hmac");
/**
 * Tables a backup leaves out: the migrations' own (the header lists them), and data_change, which the restore's
 * own writes fill again through its triggers (it only versions the figures: migration 0035).
 */
const NOT_BACKED_UP = ["kysely_migration", "kysely_migration_lock", "data_change"];
// One INSERT carries at most this much JSON text (evidence files make single rows large).
const BATCH_CHARS = 8 * 1024 * 1024;

export interface BackupHeader {
  format: string;
  createdAt: string;
  migrations: string[];
  tables: Record<string, number>;
}

/** The application's tables, parents before children (foreign keys decide). */
export async function tablesInOrder(db: Kysely<any>): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const edges = await sql<{ child: string; parent: string }>`
    select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = 'public'`.execute(db);
  const names = tables.rows.map((t) => t.name).filter((n) => !NOT_BACKED_UP.includes(n));
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name) || path.includes(name)) return;
    for (const e of edges.rows) if (e.child === name && e.parent !== name) visit(e.parent, [...path, name]);
    ordered.push(name);
  };
  for (const name of names) visit(name, []);
  return ordered;
}

/** Writes a consistent backup to `write`, a line or (for a table's rows) several lines at a time, without the last newline. */
export async function writeBackup(
  db: Kysely<any>,
  output: (line: string) => Promise<void> | void,
  progress: (line: string) => void = () => {},
  key: Buffer = backupKey(),
): Promise<BackupHeader> {
  const hmac = crypto.createHmac("sha256", key);
  const write = (text: string) => {
    hmac.update(`${text}\n`);
    return output(text);
  };
  const header = await db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (tx) => {
      const tables = await tablesInOrder(tx);
      const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(tx)).rows.map((r) => r.name);
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(tx);
        counts[table] = Number(rows[0].n);
      }
      const header: BackupHeader = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations, tables: counts };
      await write(JSON.stringify(header));
      for (const table of tables) {
        await write(`#table ${table} ${counts[table]}`);
        // One pass through a cursor, 500 rows a fetch: each table is read once, in this snapshot.
        // (Paging by ctid with ORDER BY sorted the rest of the table for every page: a backup at
        // city scale took minutes per table.)
        await sql`declare backup_rows no scroll cursor for select to_jsonb(t)::text as row from ${sql.table(table)} t`.execute(tx);
        for (;;) {
          const { rows } = await sql<{ row: string }>`fetch 500 from backup_rows`.execute(tx);
          // A fetch's rows in one write: each is a line of its own, and the stream sees 500 rows at once.
          if (rows.length) await write(rows.map((r) => r.row).join("\n"));
          if (rows.length < 500) break;
        }
        await sql`close backup_rows`.execute(tx);
        progress(`${table}: ${counts[table]}`);
      }
      return header;
    });
  await output(`#end ${hmac.digest("hex")}`);
  return header;
}

export class BackupError extends Error {}

/**
 * Restores a backup into a database: migrates it to the code's version, which must be the
 * backup's, then replaces every table's rows in one transaction and moves the id sequences past
 * the restored ids. Refuses a database that already has users unless `replace` is set.
 */
export async function restoreBackup(
  db: Kysely<any>,
  lines: AsyncIterable<string> | Iterable<string>,
  options: { replace?: boolean; progress?: (line: string) => void; key?: Buffer; unverified?: boolean } = {},
): Promise<BackupHeader> {
  const progress = options.progress ?? (() => {});
  const hmac = crypto.createHmac("sha256", options.key ?? backupKey());
  let signature: string | null = null;
  const iterator = (Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : (lines as Iterable<string>)[Symbol.iterator]()) as
    AsyncIterator<string> | Iterator<string>;
  // Every line is hashed as it is read, up to `#end`; nothing may follow it.
  const next = async () => {
    const r = await iterator.next();
    if (r.done) return null;
    if (r.value.startsWith("#end ")) {
      signature = r.value.slice(5).trim();
      return null;
    }
    hmac.update(`${r.value}\n`);
    return r.value;
  };
  const first = await next();
  let header: BackupHeader;
  try {
    header = JSON.parse(first ?? "");
  } catch {
    throw new BackupError("这不是匠心的备份文件（文件头无法识别）");
  }
  const unverified = header.format === UNVERIFIED_FORMAT;
  if (header.format !== BACKUP_FORMAT && !unverified) throw new BackupError(`不支持的备份格式：${header.format}`);
  if (unverified && !options.unverified) {
    throw new BackupError("这是旧格式的备份，没有内容校验值，无法证明未被改动；确认来源可靠时请加 --unverified 恢复");
  }

  await migrateToLatest(db);
  const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
  if (migrations.join() !== header.migrations.join()) {
    throw new BackupError(`备份来自另一个版本（迁移 ${header.migrations.at(-1)}，本程序 ${migrations.at(-1)}），请用相同版本的程序恢复`);
  }
  const tables = await tablesInOrder(db);
  const unknown = Object.keys(header.tables).filter((t) => !tables.includes(t));
  if (unknown.length) throw new BackupError(`备份中有本程序没有的表：${unknown.join("、")}`);

  await db.transaction().execute(async (tx) => {
    const users = await sql<{ n: number }>`select count(*)::int as n from app_user`.execute(tx);
    if (Number(users.rows[0].n) > 0 && !options.replace) {
      throw new BackupError("目标数据库已有数据；确认要整体替换时请加 --replace");
    }
    // TRUNCATE, not DELETE: the audit log refuses deletes, and this replaces it as a whole.
    await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))} restart identity`.execute(tx);
    let table: string | null = null;
    let batch: string[] = [];
    let batchChars = 0;
    const flush = async () => {
      if (!table || !batch.length) return;
      await sql`insert into ${sql.table(table)} select * from jsonb_populate_recordset(null::${sql.table(table)}, ${`[${batch.join(",")}]`}::jsonb)`.execute(
        tx,
      );
      batch = [];
      batchChars = 0;
    };
    const restored: Record<string, number> = {};
    for (let line = await next(); line !== null; line = await next()) {
      if (line.startsWith("#table ")) {
        await flush();
        table = line.split(" ")[1];
        if (!tables.includes(table)) throw new BackupError(`备份中有本程序没有的表：${table}`);
        restored[table] = 0;
        progress(`${table}…`);
        continue;
      }
      if (!table || !line) continue;
      batch.push(line);
      batchChars += line.length;
      restored[table]++;
      if (batchChars > BATCH_CHARS || batch.length >= 1000) await flush();
    }
    await flush();
    for (let rest = await iterator.next(); !rest.done; rest = await iterator.next()) {
      if (rest.value !== "") throw new BackupError("备份文件在校验值之后还有内容，可能被改动过；未恢复任何数据");
    }
    // Checked before anything is committed: a changed file leaves the database as it was.
    if (!unverified) {
      const expected = hmac.digest();
      const given = Buffer.from(signature ?? "", "hex");
      if (signature === null) throw new BackupError("备份文件不完整：缺少结尾的校验值；未恢复任何数据");
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
        throw new BackupError("备份文件的内容与校验值不符：文件被改动过、已损坏，或不是用本系统的密钥（APP_ENCRYPTION_KEY）备份的；未恢复任何数据");
      }
    }
    for (const [name, count] of Object.entries(header.tables)) {
      if ((restored[name] ?? 0) !== count) throw new BackupError(`备份文件不完整：${name} 应有 ${count} 行，读到 ${restored[name] ?? 0} 行`);
    }
    const serials = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and column_default like 'nextval(%'`.execute(tx);
    for (const s of serials.rows) {
      await sql`select setval(pg_get_serial_sequence(${s.table_name}, ${s.column_name}), coalesce((select max(${sql.ref(s.column_name)}) from ${sql.table(s.table_name)}), 0) + 1, false)`.execute(
        tx,
      );
    }
  });
  return header;
}
