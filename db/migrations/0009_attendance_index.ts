import type { Kysely } from "kysely";

// The dashboard and the event lists count attendees per event; without this index every such
// count reads the whole participant table.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("participant_event_attended_idx").on("event_participant").columns(["event_id", "attended"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("participant_event_attended_idx").execute();
}
