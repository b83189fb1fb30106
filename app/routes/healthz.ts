import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { pingDatabase } from "~db";

export async function loader() {
  try {
    await pingDatabase(getDb());
    // Which server process answered, when several share the port (WEB_CONCURRENCY).
    return json({ status: "ok", db: "ok", process: process.pid }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("healthz: database check failed", error);
    return json({ status: "error", db: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
