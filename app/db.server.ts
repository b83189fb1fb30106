import { closeOnSignals, createDb, engineName, type DatabaseUnavailableError, type DB } from "~db";

declare global {
  // Survives module re-evaluation (dev rebuilds) and lets tests install their own database.
  var __jiangxinDb: DB | undefined;
  var __jiangxinLongDb: DB | undefined;
}

/**
 * A database that is unreachable, too slow or out of disk answers a request with a 503 and a
 * Chinese message (the error page shows it; `?_data` gets it as JSON), thrown as a response from
 * wherever the query was: no route has to catch it. Retry-After tells a client when to try again.
 */
function unavailableResponse(error: DatabaseUnavailableError): Response {
  console.error(`database unavailable (${error.reason}): ${(error.cause as Error)?.message ?? error.cause}`);
  return new Response(JSON.stringify({ error: error.message }), {
    status: 503,
    headers: { "Content-Type": "application/json; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
  });
}

/** The database for pages: short timeouts (see db/README.md, "Operations: faults and timeouts"). */
export function getDb(): DB {
  if (!globalThis.__jiangxinDb) {
    globalThis.__jiangxinDb = createDb({ unavailable: unavailableResponse });
    closeOnSignals(globalThis.__jiangxinDb);
  }
  return globalThis.__jiangxinDb;
}

/**
 * The database for long work — background jobs and exports — with the long timeouts, on a small
 * pool of its own so it never takes the pages' connections. The embedded engine is one
 * connection in this process: there it is the pages' database.
 */
export function getLongWorkDb(): DB {
  if (!globalThis.__jiangxinLongDb) {
    if (engineName() === "pglite") return getDb();
    globalThis.__jiangxinLongDb = createDb({ purpose: "long", poolSize: 4, unavailable: unavailableResponse });
    closeOnSignals(globalThis.__jiangxinLongDb);
  }
  return globalThis.__jiangxinLongDb;
}

/** Tests run every loader and action against a database of their own. */
export function setDb(db: DB | undefined): void {
  globalThis.__jiangxinDb = db;
  globalThis.__jiangxinLongDb = db;
}
