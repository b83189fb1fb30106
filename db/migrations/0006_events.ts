import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("event_series")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("event")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("series_id", "integer", (c) => c.references("event_series.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('skill_exchange', 'experience_sharing', 'showcase', 'training', 'teaching', 'competition')`),
    )
    // Organised by a union unit, or by a studio (then the unit is the studio's, for scope).
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("studio_id", "integer", (c) => c.references("studio.id"))
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('offline', 'wechat', 'weibo', 'livestream', 'other')`))
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("capacity", "integer", (c) => c.check(sql`capacity > 0`))
    .addColumn("checkin_code", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("event_times", sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex("event_unit_time_idx").on("event").columns(["org_unit_id", "starts_at"]).execute();
  await db.schema.createIndex("event_studio_idx").on("event").column("studio_id").execute();

  await db.schema
    .createTable("event_participant")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("event_id", "integer", (c) => c.notNull().references("event.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    // People from outside the platform: name and employer only.
    .addColumn("outside_name", "text")
    .addColumn("outside_employer", "text")
    .addColumn("outside_industry", "text")
    .addColumn("outside_unit_id", "integer", (c) => c.references("org_unit.id"))
    .addColumn("attended", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("checked_in_at", "timestamptz")
    .addColumn("checked_in_via", "text", (c) => c.check(sql`checked_in_via in ('organiser', 'code')`))
    .addColumn("hours", "numeric(5, 1)")
    .addColumn("certificate_code", "text", (c) => c.unique())
    .addColumn("registered_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("participant_identity", sql`(person_id is not null) or (outside_name is not null and outside_employer is not null)`)
    .execute();
  await sql`create unique index participant_once on event_participant (event_id, person_id) where person_id is not null`.execute(db);
  await db.schema.createIndex("participant_person_idx").on("event_participant").column("person_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["event_participant", "event", "event_series"]) await db.schema.dropTable(t).execute();
}
