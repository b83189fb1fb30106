import { sql, type Kysely } from "kysely";

const UNITS: Array<[code: string, name: string, shortName: string, kind: string]> = [
  ["city", "台州市总工会", "市总工会", "city"],
  ["jiaojiang", "椒江区总工会", "椒江区", "county"],
  ["huangyan", "黄岩区总工会", "黄岩区", "county"],
  ["luqiao", "路桥区总工会", "路桥区", "county"],
  ["linhai", "临海市总工会", "临海市", "county"],
  ["wenling", "温岭市总工会", "温岭市", "county"],
  ["yuhuan", "玉环市总工会", "玉环市", "county"],
  ["tiantai", "天台县总工会", "天台县", "county"],
  ["xianju", "仙居县总工会", "仙居县", "county"],
  ["sanmen", "三门县总工会", "三门县", "county"],
  ["kaifaqu", "台州经济开发区（台州绿心旅游度假区）总工会", "经济开发区", "county"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("org_unit")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("short_name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('city', 'county', 'social_group')`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db
    .insertInto("org_unit")
    .values(UNITS.map(([code, name, short_name, kind], i) => ({ code, name, short_name, kind, sort_order: i })))
    .execute();

  await db.schema
    .createTable("person")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sex", "text", (c) => c.notNull().check(sql`sex in ('M', 'F')`))
    .addColumn("birth_date", "date", (c) => c.notNull())
    .addColumn("ethnicity", "text", (c) => c.notNull())
    .addColumn("education", "text", (c) => c.notNull())
    .addColumn("political_status", "text", (c) => c.notNull())
    .addColumn("employer", "text", (c) => c.notNull())
    .addColumn("industry", "text", (c) => c.notNull())
    .addColumn("position", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("skill_level", "text", (c) => c.notNull())
    .addColumn("id_number_cipher", "text", (c) => c.notNull())
    .addColumn("id_number_hash", "text", (c) => c.notNull().unique())
    .addColumn("id_number_masked", "text", (c) => c.notNull())
    .addColumn("phone_cipher", "text")
    .addColumn("phone_hash", "text")
    .addColumn("phone_masked", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("person_org_unit_idx").on("person").columns(["org_unit_id", "name"]).execute();
  await db.schema.createIndex("person_phone_hash_idx").on("person").column("phone_hash").execute();

  await db.schema
    .createTable("app_user")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('city_admin', 'county_officer', 'craftsman')`),
    )
    .addColumn("org_unit_id", "integer", (c) => c.references("org_unit.id"))
    .addColumn("person_id", "integer", (c) => c.references("person.id").unique())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("password_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // A county officer is bound to one unit, a craftsman to one person: the scope of every query hangs on it.
    .addCheckConstraint(
      "app_user_binding",
      sql`(role = 'city_admin') or (role = 'county_officer' and org_unit_id is not null) or (role = 'craftsman' and person_id is not null)`,
    )
    .execute();

  await db.schema
    .createTable("user_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("user_session_user_idx").on("user_session").column("user_id").execute();

  await db.schema
    .createTable("sign_in_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failure_at", "timestamptz", (c) => c.notNull())
    .addColumn("blocked_until", "timestamptz")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_user_id", "text")
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("org_unit_id", "integer")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .addColumn("comment", "text")
    .execute();
  await db.schema.createIndex("audit_log_entity_idx").on("audit_log").columns(["entity_type", "entity_id"]).execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();

  // Append-only: the history is evidence, so the database itself refuses to rewrite it.
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update before update or delete on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["audit_log", "sign_in_throttle", "user_session", "app_user", "person", "org_unit"]) {
    await db.schema.dropTable(t).execute();
  }
  await sql`drop function if exists audit_log_append_only()`.execute(db);
}
