import { sql, type Kysely } from "kysely";

// 站内消息, SMS and the job queue that delivers them, all on the same PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  // Which history rows have been turned into messages: the history is the outbox (written in the
  // step's own transaction), and this table makes the fan-out happen once per row.
  await db.schema
    .createTable("audit_fanout")
    .addColumn("audit_id", "bigint", (c) => c.primaryKey())
    .addColumn("done_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("message")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("audit_id", "bigint")
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("link", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addUniqueConstraint("message_once", ["user_id", "audit_id"])
    .execute();
  await db.schema.createIndex("message_user_idx").on("message").columns(["user_id", "created_at"]).execute();

  await db.schema
    .createTable("notification_preference")
    .addColumn("user_id", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("sms", "text", (c) => c.notNull().check(sql`sms in ('immediate', 'digest', 'off')`))
    .addPrimaryKeyConstraint("notification_preference_pk", ["user_id", "category"])
    .execute();

  await db.schema
    .createTable("sms_message")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.references("app_user.id"))
    .addColumn("org_unit_id", "integer")
    .addColumn("phone_cipher", "text", (c) => c.notNull())
    .addColumn("phone_hash", "text", (c) => c.notNull())
    .addColumn("phone_masked", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("params", "jsonb", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('queued', 'held', 'sent', 'failed')`))
    .addColumn("driver", "text")
    .addColumn("provider_id", "text")
    .addColumn("error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .execute();
  await db.schema.createIndex("sms_phone_sent_idx").on("sms_message").columns(["phone_hash", "sent_at"]).execute();

  await db.schema
    .createTable("job")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    // A job that must exist once (a day's digest): a second insert with the same key is ignored.
    .addColumn("unique_key", "text", (c) => c.unique())
    .addColumn("run_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "timestamptz")
    .addColumn("done_at", "timestamptz")
    .addColumn("failed_at", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("job_due_idx").on("job").columns(["run_at"]).where(sql.ref("done_at"), "is", null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["job", "sms_message", "notification_preference", "message", "audit_fanout"]) await db.schema.dropTable(table).execute();
}
