import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // The five-year plan is data: one row, and optional targets per county-level unit.
  await db.schema
    .createTable("studio_plan")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("target", "integer", (c) => c.notNull().check(sql`target > 0`))
    .addColumn("start_year", "integer", (c) => c.notNull())
    .addColumn("end_year", "integer", (c) => c.notNull())
    .addColumn("updated_by", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("studio_plan_years", sql`end_year >= start_year`)
    .execute();
  await db.insertInto("studio_plan").values({ id: 1, target: 100, start_year: 2018, end_year: 2022 }).execute();
  await db.schema
    .createTable("studio_plan_unit")
    .addColumn("org_unit_id", "integer", (c) => c.primaryKey().references("org_unit.id"))
    .addColumn("target", "integer", (c) => c.notNull().check(sql`target >= 0`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("studio_plan_unit").execute();
  await db.schema.dropTable("studio_plan").execute();
}
