import { sql, type Kysely } from "kysely";

/**
 * Studios as the programme runs them: the money (grants by source and their tranches, the
 * leader's spending with receipts, a running fund whose check keeps the balance from going
 * negative), the year (plan, report, the county's review, the city's 验收 against a checklist
 * that is data), the policy the city sets per year, and re-confirmation every few years.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("studio_cycle_policy")
    .addColumn("year", "integer", (c) => c.primaryKey())
    .addColumn("approval_threshold_fen", "bigint", (c) => c.notNull().check(sql`approval_threshold_fen >= 0`))
    .addColumn("excellent_cap_percent", "integer", (c) => c.notNull().check(sql`excellent_cap_percent between 0 and 100`))
    .addColumn("reconfirm_years", "integer", (c) => c.notNull().check(sql`reconfirm_years between 1 and 10`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("acceptance_item")
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull().check(sql`points between 1 and 100`))
    .addColumn("needs_photo", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("acceptance_item_pk", ["year", "key"])
    .execute();

  await db.schema
    .createTable("studio_grant")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('national', 'provincial', 'city', 'county', 'enterprise')`))
    .addColumn("purpose", "text", (c) => c.notNull().defaultTo("support").check(sql`purpose in ('support', 'reconfirmation')`))
    .addColumn("document_number", "text", (c) => c.notNull())
    .addColumn("amount_fen", "bigint", (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn("decided_on", "date", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("studio_grant_studio_idx").on("studio_grant").column("studio_id").execute();

  await db.schema
    .createTable("studio_tranche")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("grant_id", "integer", (c) => c.notNull().references("studio_grant.id"))
    .addColumn("received_on", "date", (c) => c.notNull())
    .addColumn("amount_fen", "bigint", (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn("voucher", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("studio_tranche_grant_idx").on("studio_tranche").column("grant_id").execute();

  // The running fund: what has come in and what is spent or held for approval. The check is the
  // last word on a negative balance, whatever order concurrent entries commit in.
  await db.schema
    .createTable("studio_fund")
    .addColumn("studio_id", "integer", (c) => c.primaryKey().references("studio.id"))
    .addColumn("received_fen", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("spent_fen", "bigint", (c) => c.notNull().defaultTo(0))
    .addCheckConstraint("studio_fund_balance", sql`spent_fen >= 0 and spent_fen <= received_fen`)
    .execute();

  await db.schema
    .createTable("studio_spending")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("category", "text", (c) =>
      c.notNull().check(sql`category in ('equipment', 'training', 'materials', 'innovation', 'outreach', 'other')`),
    )
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("amount_fen", "bigint", (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn("spent_on", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('recorded', 'pending', 'approved', 'rejected')`))
    .addColumn("review_comment", "text")
    .addColumn("reviewed_by", "text")
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("studio_spending_studio_idx").on("studio_spending").columns(["studio_id", "spent_on"]).execute();

  await db.schema
    .createTable("studio_year")
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('planned', 'submitted', 'returned', 'county_passed', 'accepted')`))
    .addColumn("plan", "jsonb", (c) => c.notNull())
    .addColumn("plan_filed_at", "timestamptz")
    .addColumn("summary", "text")
    .addColumn("self_assessment", "text")
    .addColumn("outreach", "integer", (c) => c.check(sql`outreach >= 0`))
    .addColumn("filed", "jsonb")
    .addColumn("status_reason", "text")
    .addColumn("submitted_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("studio_year_pk", ["studio_id", "year"])
    .execute();
  await db.schema.createIndex("studio_year_status_idx").on("studio_year").columns(["year", "status"]).execute();

  // Receipts of spending and the evidence photos of a 验收, kept as every upload is (type by content).
  await db.schema
    .createTable("studio_file")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('receipt', 'acceptance')`))
    .addColumn("spending_id", "integer", (c) => c.references("studio_spending.id"))
    .addColumn("year", "integer")
    .addColumn("item_key", "text")
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("data", "bytea", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "studio_file_owner",
      sql`(kind = 'receipt' and spending_id is not null) or (kind = 'acceptance' and year is not null and item_key is not null)`,
    )
    .execute();
  await db.schema.createIndex("studio_file_studio_idx").on("studio_file").columns(["studio_id", "kind"]).execute();

  await db.schema
    .createTable("studio_reconfirmation")
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("period_end", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('reconfirmed', 'declined')`))
    .addColumn("grant_id", "integer", (c) => c.references("studio_grant.id"))
    .addColumn("comment", "text")
    .addColumn("decided_by", "text", (c) => c.notNull())
    .addColumn("decided_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("studio_reconfirmation_pk", ["studio_id", "period_end"])
    .execute();

  // The 验收 a grade rests on: each checklist item's points.
  await sql`alter table studio_evaluation add column checklist jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table studio_evaluation drop column checklist`.execute(db);
  for (const t of [
    "studio_reconfirmation",
    "studio_file",
    "studio_year",
    "studio_spending",
    "studio_fund",
    "studio_tranche",
    "studio_grant",
    "acceptance_item",
    "studio_cycle_policy",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
