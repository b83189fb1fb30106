import { type Kysely } from "kysely";

// 已办 on every home page reads a user's own latest history rows: without this index that is a
// scan of the whole (append-only, ever-growing) history.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("audit_log_actor_idx").on("audit_log").columns(["actor_user_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_log_actor_idx").execute();
}
