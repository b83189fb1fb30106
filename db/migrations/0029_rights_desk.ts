import { sql, type Kysely } from "kysely";

// The rights desk (issue 35, item 4): what a person asks under the 个人信息保护法 — a copy of their data, a
// correction, a deletion, the withdrawal of their publication consent — and the city's answer, due within a
// number of working days the city sets (policy data, with the holidays and 调休 make-up days it keeps).
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table privacy_policy (
       id integer primary key check (id = 1),
       answer_working_days integer not null default 15 check (answer_working_days between 1 and 60),
       updated_by text references app_user (id),
       updated_at timestamptz not null default now()
     )`,
    `insert into privacy_policy (id) values (1)`,

    // A day off on a weekday (a public holiday) or a working Saturday/Sunday (调休): the city keeps the list.
    `create table privacy_calendar_day (
       day date primary key,
       working boolean not null,
       name text not null check (length(name) between 1 and 40)
     )`,

    // Who asks is either a person on record (signed in: person_id and the account) or a number proven by a code
    // (a voter or an objector with no account: the number's hash, its cipher to send the answer to, its mask).
    `create table rights_request (
       id serial primary key,
       kind text not null check (kind in ('copy', 'correct', 'delete', 'withdraw')),
       person_id integer references person (id),
       user_id text references app_user (id),
       org_unit_id integer references org_unit (id),
       phone_hash text,
       phone_cipher text,
       phone_masked text,
       details text not null check (length(details) between 1 and 1000),
       correction text check (length(correction) between 1 and 1000),
       filed_at timestamptz not null default now(),
       due_on date not null,
       status text not null default 'pending' check (status in ('pending', 'granted', 'refused')),
       answer text check (length(answer) between 1 and 1000),
       answered_by text references app_user (id),
       answered_at timestamptz,
       check ((person_id is null) = (phone_hash is not null)),
       check ((status = 'pending') = (answered_at is null)),
       check (status <> 'refused' or answer is not null)
     )`,
    `create index rights_request_person_idx on rights_request (person_id)`,
    `create index rights_request_phone_idx on rights_request (phone_hash)`,
    `create index rights_request_pending_idx on rights_request (due_on) where status = 'pending'`,

    `alter table phone_code drop constraint phone_code_purpose_check`,
    `alter table phone_code add constraint phone_code_purpose_check check (purpose in ('sign_in', 'agreement', 'subsidy_objection', 'rights_request'))`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `delete from phone_code where purpose = 'rights_request'`,
    `alter table phone_code drop constraint phone_code_purpose_check`,
    `alter table phone_code add constraint phone_code_purpose_check check (purpose in ('sign_in', 'agreement', 'subsidy_objection'))`,
    `drop table rights_request`,
    `drop table privacy_calendar_day`,
    `drop table privacy_policy`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
