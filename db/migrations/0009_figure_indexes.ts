import type { Kysely } from "kysely";

// Indexes for the figures read at city scale (found with `npm run bench`): attendees counted per
// event, a studio's mentorships, the city-wide event timeline and a county's subsidy queue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("participant_event_attended_idx").on("event_participant").columns(["event_id", "attended"]).execute();
  await db.schema.createIndex("mentorship_studio_idx").on("mentorship").columns(["studio_id", "status"]).execute();
  await db.schema.createIndex("event_starts_idx").on("event").column("starts_at").execute();
  await db.schema.createIndex("subsidy_unit_year_idx").on("subsidy_application").columns(["org_unit_id", "year"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ["participant_event_attended_idx", "mentorship_studio_idx", "event_starts_idx", "subsidy_unit_year_idx"]) {
    await db.schema.dropIndex(index).execute();
  }
}
