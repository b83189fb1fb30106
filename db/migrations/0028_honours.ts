import { sql, type Kysely } from "kysely";

// The honour register (issue 35, item 3): a person's honours from other bodies (全国/省级/市级/县级 劳动模范,
// 五一劳动奖章, 工匠, 技术能手 and others), entered by an officer or imported from a county's list.
// - An import is read and matched first (its preview: matched rows by person, never an ID number) and writes honours only
//   when the officer confirms; a file is committed once (by its sha256).
// - An honour is never deleted: a mistaken entry is withdrawn with a reason and kept; a revoked one keeps its date and note.
// - The same honour twice for a person (level, kind, title and year) is held off by a partial unique index.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table honour_import (
       id serial primary key,
       org_unit_id integer references org_unit (id),
       filename text not null check (length(filename) between 1 and 200),
       sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
       status text not null default 'preview' check (status in ('preview', 'committed', 'discarded')),
       preview jsonb not null,
       uploaded_by text not null references app_user (id),
       uploaded_at timestamptz not null default now(),
       decided_by text references app_user (id),
       decided_at timestamptz,
       imported integer check (imported >= 0),
       check ((status = 'preview') = (decided_at is null)),
       check ((status = 'committed') = (imported is not null))
     )`,
    `create unique index honour_import_committed_sha_idx on honour_import (sha256) where status = 'committed'`,
    `create index honour_import_unit_idx on honour_import (org_unit_id, uploaded_at)`,

    `create table honour (
       id serial primary key,
       person_id integer not null references person (id),
       level text not null check (level in ('national', 'provincial', 'city', 'county')),
       kind text not null check (kind in ('model_worker', 'may_day_medal', 'craftsman', 'technical_expert', 'other')),
       title text not null check (length(title) between 1 and 100),
       conferred_by text not null check (length(conferred_by) between 1 and 100),
       year integer not null check (year between 1949 and 2100),
       conferred_on date check (conferred_on is null or extract(year from conferred_on) = year),
       status text not null default 'kept' check (status in ('kept', 'revoked')),
       revoked_on date,
       revoked_note text check (length(revoked_note) <= 500),
       import_id integer references honour_import (id),
       import_line integer,
       created_by text not null references app_user (id),
       created_at timestamptz not null default now(),
       withdrawn_at timestamptz,
       withdrawn_by text references app_user (id),
       withdrawn_reason text check (length(withdrawn_reason) between 1 and 500),
       check ((status = 'revoked') = (revoked_on is not null)),
       check ((status = 'revoked') or revoked_note is null),
       check ((import_id is null) = (import_line is null)),
       check ((withdrawn_at is null) = (withdrawn_by is null) and (withdrawn_at is null) = (withdrawn_reason is null))
     )`,
    `create index honour_person_idx on honour (person_id)`,
    `create unique index honour_same_idx on honour (person_id, level, kind, title, year) where withdrawn_at is null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table honour`).execute(db);
  await sql.raw(`drop table honour_import`).execute(db);
}
