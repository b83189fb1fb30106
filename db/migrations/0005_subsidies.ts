import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("subsidy_policy")
    .addColumn("year", "integer", (c) => c.primaryKey())
    .addColumn("budget_fen", "bigint", (c) => c.notNull().check(sql`budget_fen >= 0`))
    .addColumn("share_percent", "integer", (c) => c.notNull().check(sql`share_percent between 1 and 100`))
    .addColumn("holdback_percent", "integer", (c) => c.notNull().defaultTo(0).check(sql`holdback_percent between 0 and 100`))
    .addColumn("years_after_award", "integer", (c) => c.notNull().check(sql`years_after_award between 0 and 50`))
    .addColumn("open", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("subsidy_cap")
    .addColumn("year", "integer", (c) => c.notNull().references("subsidy_policy.year").onDelete("cascade"))
    .addColumn("degree", "text", (c) => c.notNull())
    .addColumn("cap_fen", "bigint", (c) => c.notNull().check(sql`cap_fen > 0`))
    .addPrimaryKeyConstraint("subsidy_cap_pk", ["year", "degree"])
    .execute();

  await db.schema
    .createTable("subsidy_application")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("year", "integer", (c) => c.notNull().references("subsidy_policy.year"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("current_education", "text", (c) => c.notNull())
    .addColumn("target_degree", "text", (c) => c.notNull())
    .addColumn("institution", "text", (c) => c.notNull())
    .addColumn("programme", "text", (c) => c.notNull())
    .addColumn("study_mode", "text", (c) => c.notNull().check(sql`study_mode in ('full_time', 'part_time', 'distance')`))
    .addColumn("enrolled_on", "date", (c) => c.notNull())
    .addColumn("expected_graduation", "date", (c) => c.notNull())
    .addColumn("tuition_fen", "bigint", (c) => c.notNull().check(sql`tuition_fen > 0`))
    .addColumn("requested_fen", "bigint", (c) => c.notNull().check(sql`requested_fen > 0`))
    .addColumn("max_fen", "bigint")
    .addColumn("approved_fen", "bigint")
    .addColumn("paid_fen", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("held_fen", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("first_voucher", "text")
    .addColumn("disbursed_on", "date")
    .addColumn("final_voucher", "text")
    .addColumn("closed_on", "date")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`status in ('draft', 'submitted', 'returned', 'county_approved', 'approved', 'disbursed', 'closed', 'rejected')`),
    )
    .addColumn("status_reason", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("subsidy_amounts", sql`approved_fen is null or (approved_fen > 0 and paid_fen + held_fen <= approved_fen)`)
    .execute();
  // One subsidy per degree level per person: a second live application for the same level is refused.
  await sql`create unique index subsidy_one_per_level on subsidy_application (person_id, target_degree)
    where status <> 'rejected'`.execute(db);
  await db.schema.createIndex("subsidy_year_status_idx").on("subsidy_application").columns(["year", "status"]).execute();

  await db.schema
    .createTable("subsidy_attachment")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("application_id", "integer", (c) => c.notNull().references("subsidy_application.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('admission', 'receipt', 'graduation')`))
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("data", "bytea", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("subsidy_attachment_app_idx").on("subsidy_attachment").column("application_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["subsidy_attachment", "subsidy_application", "subsidy_cap", "subsidy_policy"]) await db.schema.dropTable(t).execute();
}
