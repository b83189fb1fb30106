import { sql, type Kysely } from "kysely";

// 社会公示 online: a real-name objection filed on the public page becomes an objection like any
// other, with who filed it (name, relation, the number as hash and mask), a code to look up the
// outcome, and its attachments. One-time codes now serve the objection form as well as the vote.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table vote_code add column purpose text not null default 'vote' check (purpose in ('vote', 'objection'))`,
    `create table objection_filing (
      objection_id integer primary key references objection (id),
      lookup_code text not null unique,
      objector_name text not null,
      relation text not null,
      phone_hash text not null,
      phone_masked text not null,
      filed_at timestamptz not null default now()
    )`,
    `create table objection_attachment (
      id serial primary key,
      objection_id integer not null references objection (id),
      filename text not null,
      content_type text not null,
      size integer not null,
      sha256 text not null,
      data bytea not null,
      uploaded_by text not null,
      created_at timestamptz not null default now()
    )`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table objection_attachment, objection_filing`.execute(db);
  await sql`alter table vote_code drop column purpose`.execute(db);
}
