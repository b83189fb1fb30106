import { sql, type Kysely } from "kysely";

// 站内消息, SMS and the job queue that delivers them, all on the same PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  // Which history rows have been turned into messages: the history is the outbox (written in the
  // step's own transaction), and this table makes the fan-out happen once per row.
  // One statement at a time: the embedded engine prepares each one.
  for (const statement of [
    `create table audit_fanout (
      audit_id bigint primary key,
      done_at timestamptz not null default now()
    )`,
    `create table message (
      id bigserial primary key,
      user_id text not null references app_user (id),
      audit_id bigint,
      category text not null,
      text text not null,
      link text,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      constraint message_once unique (user_id, audit_id)
    )`,
    `create index message_user_idx on message (user_id, created_at)`,
    `create table notification_preference (
      user_id text not null references app_user (id),
      category text not null,
      sms text not null check (sms in ('immediate', 'digest', 'off')),
      constraint notification_preference_pk primary key (user_id, category)
    )`,
    `create table sms_message (
      id bigserial primary key,
      user_id text references app_user (id),
      org_unit_id integer,
      phone_cipher text not null,
      phone_hash text not null,
      phone_masked text not null,
      template text not null,
      params jsonb not null,
      text text not null,
      status text not null check (status in ('queued', 'held', 'sent', 'failed')),
      driver text,
      provider_id text,
      error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`,
    `create index sms_phone_sent_idx on sms_message (phone_hash, sent_at)`,
    // unique_key: a job that must exist once (a day's digest); a second insert with the key is ignored.
    `create table job (
      id bigserial primary key,
      kind text not null,
      payload jsonb not null,
      unique_key text unique,
      run_at timestamptz not null default now(),
      attempts integer not null default 0,
      max_attempts integer not null default 5,
      locked_by text,
      locked_until timestamptz,
      done_at timestamptz,
      failed_at timestamptz,
      last_error text,
      created_at timestamptz not null default now()
    )`,
    `create index job_due_idx on job (run_at) where done_at is null`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table job, sms_message, notification_preference, message, audit_fanout`.execute(db);
}
