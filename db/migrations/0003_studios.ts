import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("studio")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("award_id", "integer", (c) => c.notNull().references("award.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("host_enterprise", "text", (c) => c.notNull())
    .addColumn("industry", "text", (c) => c.notNull())
    .addColumn("focus_sector", "text", (c) =>
      c.notNull().check(sql`focus_sector in ('advanced_manufacturing', 'modern_services', 'strategic_emerging', 'other')`),
    )
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("focus_areas", "text", (c) => c.notNull())
    .addColumn("founding_plan", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`status in ('draft', 'submitted', 'returned', 'county_reviewed', 'rejected', 'accredited', 'active', 'suspended', 'revoked')`),
    )
    .addColumn("status_reason", "text")
    .addColumn("plaque_number", "text", (c) => c.unique())
    .addColumn("accredited_on", "date")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A craftsman leads at most one studio that is open or running; the database holds the line
  // even when two requests race.
  await sql`create unique index studio_one_per_craftsman on studio (person_id)
    where status not in ('rejected', 'revoked')`.execute(db);
  await db.schema.createIndex("studio_unit_idx").on("studio").columns(["org_unit_id", "status"]).execute();

  await db.schema
    .createTable("mentorship")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("apprentice_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("start_date", "date", (c) => c.notNull())
    .addColumn("planned_end", "date", (c) => c.notNull())
    .addColumn("goals", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("active").check(sql`status in ('active', 'completed', 'ended_early')`),
    )
    .addColumn("ended_on", "date")
    .addColumn("end_reason", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("mentorship_dates", sql`planned_end > start_date`)
    .execute();
  await sql`create unique index mentorship_one_active on mentorship (studio_id, apprentice_id) where status = 'active'`.execute(db);
  await db.schema.createIndex("mentorship_apprentice_idx").on("mentorship").column("apprentice_id").execute();

  await db.schema
    .createTable("milestone")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("mentorship_id", "integer", (c) => c.notNull().references("mentorship.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('skill_upgrade', 'competition', 'backbone', 'innovation')`))
    .addColumn("occurred_on", "date", (c) => c.notNull())
    .addColumn("details", "jsonb", (c) => c.notNull())
    .addColumn("benefit_fen", "bigint")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending', 'verified', 'rejected')`))
    .addColumn("review_comment", "text")
    .addColumn("reviewed_by", "text")
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("milestone_mentorship_idx").on("milestone").columns(["mentorship_id", "status"]).execute();

  // Evidence lives in the database, so a backup of the database holds it too.
  await db.schema
    .createTable("evidence_file")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("milestone_id", "integer", (c) => c.notNull().references("milestone.id"))
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("data", "bytea", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("evidence_milestone_idx").on("evidence_file").column("milestone_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["evidence_file", "milestone", "mentorship", "studio"]) await db.schema.dropTable(t).execute();
}
