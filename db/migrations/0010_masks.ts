import { sql, type Kysely } from "kysely";

// A masked ID number used to show its last four digits: with the birth date and the county
// shown beside it, only the sequence digits were left, and those were the ones shown. The mask
// now keeps the first four digits only (rebuilt from the stored mask: no key is needed).
// Exact-number searches are counted per user from the audit log, which wants an index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update person set id_number_masked = left(id_number_masked, 4) || repeat('*', 14)`.execute(db);
  await db.schema.createIndex("audit_actor_action_at_idx").on("audit_log").columns(["actor_user_id", "action", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_actor_action_at_idx").execute();
}
