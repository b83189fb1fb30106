import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { backupDir, createDb, engineName } from "..";
import { writeBackup } from "../backup";
import { lowerThreadPriority } from "../priority";

/**
 * `npm run db:backup [-- --out FILE]`: every table, uploaded files included (they live in the
 * database), into one gzip file. On PostgreSQL it runs beside the live app (one consistent
 * snapshot); the embedded engine allows one process, so stop `npm start` first.
 */
const args = process.argv.slice(2);
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
const out = path.resolve(args.includes("--out") ? args[args.indexOf("--out") + 1] : path.join(backupDir(), `jiangxin-${stamp}.jxbak.gz`));
fs.mkdirSync(path.dirname(out), { recursive: true });

// Beside the live app: its pages come first, the backup takes the CPU they leave.
lowerThreadPriority();
const db = createDb();
const partial = `${out}.partial`;
try {
  let header;
  // Rows are gathered per table and streamed through gzip; a failed run leaves no half file behind.
  const gzip = zlib.createGzip();
  const file = fs.createWriteStream(partial, { mode: 0o600 });
  const done = pipeline(gzip, file);
  const write = (line: string) => {
    if (!gzip.write(`${line}\n`)) return new Promise<void>((resolve) => gzip.once("drain", resolve));
  };
  try {
    header = await writeBackup(db, write, (line) => console.log(`  ${line}`));
  } finally {
    gzip.end();
    await done;
  }
  fs.renameSync(partial, out);
  const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
  console.log(
    `Backed up ${rows} rows of ${Object.keys(header.tables).length} tables (${engineName()}) to ${out} (${(fs.statSync(out).size / 1024).toFixed(0)} KB)`,
  );
} catch (error) {
  fs.rmSync(partial, { force: true });
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
