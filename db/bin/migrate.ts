import { createDb, engineName, migrateToLatest } from "..";

const db = createDb();
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.", `(${engineName()})`);
} finally {
  await db.destroy();
}
