import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";
import { createDb, engineName } from "..";
import { BackupError, restoreBackup } from "../backup";

/**
 * `npm run db:restore -- FILE [--replace]`: puts a backup into the configured database (migrating
 * it first). A database that already has users is only replaced with --replace. Stop the app
 * first on the embedded engine.
 */
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file || !fs.existsSync(file)) {
  console.error("Usage: npm run db:restore -- <backup file> [--replace] [--unverified]");
  process.exit(2);
}

const db = createDb();
try {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const header = await restoreBackup(db, lines, {
    replace: args.includes("--replace"),
    unverified: args.includes("--unverified"),
    progress: (line) => console.log(`  ${line}`),
  });
  const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
  console.log(`Restored ${rows} rows from the backup of ${header.createdAt} into ${engineName()}.`);
} catch (error) {
  console.error(error instanceof BackupError ? error.message : error instanceof Error ? `The backup could not be restored: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
