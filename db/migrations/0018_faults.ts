import { sql, type Kysely } from "kysely";

// Work that survives faults: an import that cannot be checked or written ends as failed (the
// officer sees why) and keeps the time it was confirmed (the deadline is judged by it, not by when a
// job got to it after a crash); an SMS is marked sending before the provider is called and tied to
// the job that sends it, so a retry after a crash reconciles instead of sending again; a vote code
// remembers its SMS, so a code that never went out is not charged against the number's limits.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table import_batch drop constraint import_batch_status_check`,
    `alter table import_batch add constraint import_batch_status_check check (status in ('checking', 'previewed', 'committing', 'committed', 'failed'))`,
    `alter table import_batch add column confirmed_at timestamptz`,
    `alter table sms_message drop constraint sms_message_status_check`,
    `alter table sms_message add constraint sms_message_status_check check (status in ('queued', 'held', 'sending', 'sent', 'failed'))`,
    `alter table sms_message add column job_id bigint`,
    `create index sms_message_job_idx on sms_message (job_id) where job_id is not null`,
    `create index sms_message_pending_idx on sms_message (created_at) where status in ('queued', 'sending')`,
    `alter table vote_code add column sms_id bigint`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table vote_code drop column sms_id`,
    `drop index sms_message_pending_idx`,
    `drop index sms_message_job_idx`,
    `alter table sms_message drop column job_id`,
    `update sms_message set status = 'queued' where status = 'sending'`,
    `alter table sms_message drop constraint sms_message_status_check`,
    `alter table sms_message add constraint sms_message_status_check check (status in ('queued', 'held', 'sent', 'failed'))`,
    `alter table import_batch drop column confirmed_at`,
    `update import_batch set status = 'previewed' where status = 'failed'`,
    `alter table import_batch drop constraint import_batch_status_check`,
    `alter table import_batch add constraint import_batch_status_check check (status in ('checking', 'previewed', 'committing', 'committed'))`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
