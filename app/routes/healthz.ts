import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { checkHealth } from "~db";

/** For the load balancer and the operators: 200 when the database answers within HEALTHZ_TIMEOUT_MS (1 s), else 503 and why. */
export async function loader() {
  const health = await checkHealth(getDb());
  const headers = { "Cache-Control": "no-store" };
  // Which server process answered, when several share the port (WEB_CONCURRENCY).
  if (health.ok) return json({ status: "ok", db: "ok", process: process.pid }, { headers });
  console.error(`healthz: database check failed (${health.db}): ${health.detail}`);
  return json({ status: "error", db: health.db }, { status: 503, headers });
}
