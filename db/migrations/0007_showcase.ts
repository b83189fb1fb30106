import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // Publication needs the person's recorded consent; withdrawing it takes them off at once.
  await db.schema
    .createTable("publication_consent")
    .addColumn("person_id", "integer", (c) => c.primaryKey().references("person.id"))
    .addColumn("consented", "boolean", (c) => c.notNull())
    .addColumn("how_obtained", "text", (c) => c.notNull())
    .addColumn("story", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("photo", "bytea")
    .addColumn("photo_type", "text")
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("publicity_item")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("outlet", "text", (c) => c.notNull().check(sql`outlet in ('tv', 'newspaper', 'website', 'wechat', 'other')`))
    .addColumn("outlet_name", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("published_on", "date", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("clipping", "bytea")
    .addColumn("clipping_type", "text")
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .addColumn("studio_id", "integer", (c) => c.references("studio.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("publicity_subject", sql`person_id is not null or studio_id is not null`)
    .execute();
  await db.schema.createIndex("publicity_person_idx").on("publicity_item").column("person_id").execute();
  await db.schema.createIndex("publicity_studio_idx").on("publicity_item").column("studio_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("publicity_item").execute();
  await db.schema.dropTable("publication_consent").execute();
}
