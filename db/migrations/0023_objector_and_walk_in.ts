import { sql, type Kysely } from "kysely";

// A real-name objection keeps the objector's name encrypted beside their ID number and phone (the
// plain column keeps only a mask for the city's list), and the ID number as a keyed hash per
// campaign, so filing is limited per person as well as per phone and network; a check-in by someone not on an event's list
// but within its audience registers them on the spot (现场报名), and the list says so.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table objection_filing add column name_cipher text, add column id_number_hash text`,
    `create index objection_filing_identity_idx on objection_filing (id_number_hash, filed_at)`,
    `alter table event_participant add column walk_in boolean not null default false`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table event_participant drop column walk_in`.execute(db);
  await sql`alter table objection_filing drop column name_cipher, drop column id_number_hash`.execute(db);
}
