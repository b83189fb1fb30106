import { createDb, engineName, migrateToLatest } from "../db";
import { printLogins, seedDemo } from "./demo";
import { seedScale } from "./scale";

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const scale = Number(argValue("--scale") ?? 1);
if (!Number.isInteger(scale) || scale < 1 || scale > 100) {
  console.error("--scale takes a whole number from 1 to 100");
  process.exit(2);
}

const db = createDb();
try {
  await migrateToLatest(db);
  const started = Date.now();
  const logins = await seedDemo(db, { log: (line) => console.log(`  ${line}`) });
  if (scale > 1) await seedScale(db, scale, (line) => console.log(`  scale: ${line}`));
  console.log(`Seeded ×${scale} on ${engineName()} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  printLogins(logins);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
