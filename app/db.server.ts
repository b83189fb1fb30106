import { closeOnSignals, createDb, type DB } from "~db";

declare global {
  // Survives module re-evaluation (dev rebuilds) and lets tests install their own database.
  var __jiangxinDb: DB | undefined;
}

export function getDb(): DB {
  if (!globalThis.__jiangxinDb) {
    globalThis.__jiangxinDb = createDb();
    closeOnSignals(globalThis.__jiangxinDb);
  }
  return globalThis.__jiangxinDb;
}

/** Tests run every loader and action against a database of their own. */
export function setDb(db: DB | undefined): void {
  globalThis.__jiangxinDb = db;
}
