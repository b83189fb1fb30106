import { json } from "@remix-run/node";
import { sql } from "kysely";
import { getDb } from "~/db.server";

export async function loader() {
  try {
    await sql`select 1`.execute(getDb());
    return json({ status: "ok", db: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("healthz: database check failed", error);
    return json({ status: "error", db: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
