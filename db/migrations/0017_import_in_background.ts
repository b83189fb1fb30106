import { sql, type Kysely } from "kysely";

// A 汇总表 of thousands of rows is checked and written by the job queue, not inside a request:
// the batch carries its stage, the check's findings and why a commit was refused; long work
// reports how far it has got in work_progress, written beside the work's own transaction.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table import_batch drop constraint import_batch_status_check`,
    `alter table import_batch add constraint import_batch_status_check check (status in ('checking', 'previewed', 'committing', 'committed'))`,
    `alter table import_batch add column checked_at timestamptz`,
    // What committing would do to each valid row, by line; encrypted like the rows (a refusal may name a person).
    `alter table import_batch add column notes_cipher text`,
    `alter table import_batch add column failure jsonb`,
    `create table work_progress (
      key text primary key,
      done integer not null,
      total integer not null,
      updated_at timestamptz not null default now()
    )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop table work_progress`,
    `alter table import_batch drop column failure`,
    `alter table import_batch drop column notes_cipher`,
    `alter table import_batch drop column checked_at`,
    `update import_batch set status = 'previewed' where status in ('checking', 'committing')`,
    `alter table import_batch drop constraint import_batch_status_check`,
    `alter table import_batch add constraint import_batch_status_check check (status in ('previewed', 'committed'))`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
