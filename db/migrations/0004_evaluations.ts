import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // The yearly scorecard's criteria are data: the city sets which figures count, with what
  // weight, and how many make full marks.
  await db.schema
    .createTable("evaluation_criterion")
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("weight", "integer", (c) => c.notNull().check(sql`weight >= 0 and weight <= 100`))
    .addColumn("target", "integer", (c) => c.notNull().check(sql`target > 0`))
    .addPrimaryKeyConstraint("evaluation_criterion_pk", ["year", "key"])
    .execute();

  await db.schema
    .createTable("studio_evaluation")
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("figures", "jsonb", (c) => c.notNull())
    .addColumn("score", "numeric(6, 2)", (c) => c.notNull())
    .addColumn("grade", "text", (c) => c.notNull().check(sql`grade in ('excellent', 'pass', 'fail')`))
    .addColumn("comment", "text")
    .addColumn("graded_by", "text", (c) => c.notNull())
    .addColumn("graded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("studio_evaluation_pk", ["studio_id", "year"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("studio_evaluation").execute();
  await db.schema.dropTable("evaluation_criterion").execute();
}
