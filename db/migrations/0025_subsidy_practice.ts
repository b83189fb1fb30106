import { sql, type Kysely } from "kysely";

// Education subsidies as unions run them (issue 34):
// - the 学信网 online verification report each application rests on (its code, kind and validity), with what the
//   officer saw on the official page beside it — one row per code the applicant enters, at enrolment and at graduation;
// - the online 公示 of approved subsidies (a notice of its own days) and the objections filed on it, verified like the
//   campaign notice's (name, ID number and phone encrypted, the number as a keyed hash, a lookup code);
// - places given in order of the server's submission time, with a waiting list;
// - other schemes' claims, declared by the applicant and imported by the city (matched by the ID number's keyed hash);
// - the payee's account (number encrypted, a mask for lists) and the payment batches for finance, each application on
//   a batch once per stage.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table subsidy_policy
       add column notice_days integer not null default 7 check (notice_days between 1 and 30),
       add column places integer check (places is null or places > 0),
       add column combined_cap_percent integer not null default 100 check (combined_cap_percent between 1 and 100),
       add column chsi_valid_months integer not null default 6 check (chsi_valid_months between 1 and 6)`,

    `create table subsidy_notice (
       id serial primary key,
       year integer not null references subsidy_policy (year),
       starts_on date not null,
       ends_on date not null,
       published_by text not null references app_user (id),
       published_at timestamptz not null default now(),
       check (ends_on >= starts_on)
     )`,

    `create table subsidy_payment_batch (
       id serial primary key,
       year integer not null references subsidy_policy (year),
       stage text not null check (stage in ('first', 'final')),
       count integer not null check (count > 0),
       total_fen bigint not null check (total_fen > 0),
       created_by text not null references app_user (id),
       created_at timestamptz not null default now()
     )`,

    `alter table subsidy_application
       add column submitted_at timestamptz,
       add column place text check (place in ('placed', 'waiting')),
       add column notice_id integer references subsidy_notice (id)`,
    `create index subsidy_application_place_idx on subsidy_application (year, place, submitted_at)`,
    `create index subsidy_application_notice_idx on subsidy_application (notice_id)`,

    `create table subsidy_chsi_report (
       id serial primary key,
       application_id integer not null references subsidy_application (id),
       stage text not null check (stage in ('enrolment', 'graduation')),
       kind text not null check (kind in ('enrolment', 'degree', 'filing')),
       code text not null check (code ~ '^[A-Z0-9]{12,16}$'),
       valid_until date not null,
       entered_by text not null references app_user (id),
       entered_at timestamptz not null default now(),
       outcome text check (outcome in ('matches', 'mismatch')),
       name_matches boolean,
       id_digits_match boolean,
       school text,
       level text,
       record_status text,
       graduated_on date,
       check_note text,
       checked_by text references app_user (id),
       checked_at timestamptz,
       check ((outcome is null) = (checked_at is null))
     )`,
    `create index subsidy_chsi_report_app_idx on subsidy_chsi_report (application_id, stage, id)`,

    `create table subsidy_objection (
       id serial primary key,
       application_id integer not null references subsidy_application (id),
       notice_id integer not null references subsidy_notice (id),
       content text not null check (length(content) between 1 and 2000),
       relation text not null,
       objector_masked text not null,
       name_cipher text not null,
       id_number_cipher text not null,
       id_number_hash text not null,
       phone_cipher text not null,
       phone_hash text not null,
       phone_masked text not null,
       address text,
       lookup_code text not null unique,
       filed_at timestamptz not null default now(),
       outcome text not null default 'pending' check (outcome in ('pending', 'dismissed', 'upheld')),
       handling text not null default '',
       handled_by text references app_user (id),
       handled_at timestamptz
     )`,
    `create index subsidy_objection_app_idx on subsidy_objection (application_id)`,
    `create index subsidy_objection_phone_idx on subsidy_objection (phone_hash, filed_at)`,
    `create index subsidy_objection_identity_idx on subsidy_objection (id_number_hash, filed_at)`,
    `create index subsidy_objection_address_idx on subsidy_objection (address, filed_at)`,
    `create table subsidy_objection_file (
       id serial primary key,
       objection_id integer not null references subsidy_objection (id),
       filename text not null,
       content_type text not null,
       size integer not null,
       sha256 text not null,
       data bytea not null,
       uploaded_by text not null,
       created_at timestamptz not null default now()
     )`,
    `create index subsidy_objection_file_idx on subsidy_objection_file (objection_id)`,
    `alter table phone_code drop constraint phone_code_purpose_check`,
    `alter table phone_code add constraint phone_code_purpose_check check (purpose in ('sign_in', 'agreement', 'subsidy_objection'))`,

    `create table subsidy_other_claim (
       id serial primary key,
       application_id integer not null references subsidy_application (id),
       scheme text not null check (scheme in ('acftu', 'provincial', 'employer', 'other')),
       scheme_name text not null check (length(scheme_name) between 1 and 100),
       amount_fen bigint not null check (amount_fen >= 0),
       created_by text not null references app_user (id),
       created_at timestamptz not null default now()
     )`,
    `create index subsidy_other_claim_app_idx on subsidy_other_claim (application_id)`,
    `create table subsidy_scheme_list (
       id serial primary key,
       scheme text not null check (scheme in ('acftu', 'provincial', 'employer', 'other')),
       title text not null,
       year integer not null,
       filename text not null,
       sha256 text not null,
       rows integer not null,
       imported_by text not null references app_user (id),
       imported_at timestamptz not null default now()
     )`,
    `create table subsidy_scheme_entry (
       id serial primary key,
       list_id integer not null references subsidy_scheme_list (id) on delete cascade,
       row_number integer not null,
       id_number_hash text not null,
       name_masked text not null,
       amount_fen bigint not null check (amount_fen >= 0),
       degree text,
       institution text,
       unique (list_id, row_number)
     )`,
    `create index subsidy_scheme_entry_hash_idx on subsidy_scheme_entry (id_number_hash)`,

    `create table subsidy_payee (
       application_id integer primary key references subsidy_application (id),
       kind text not null check (kind in ('bank_card', 'union_card')),
       account_name text not null,
       bank_name text not null,
       number_cipher text not null,
       number_masked text not null,
       entered_by text not null references app_user (id),
       entered_at timestamptz not null default now(),
       updated_at timestamptz not null default now()
     )`,
    `create table subsidy_payment_line (
       batch_id integer not null references subsidy_payment_batch (id),
       application_id integer not null references subsidy_application (id),
       stage text not null check (stage in ('first', 'final')),
       amount_fen bigint not null check (amount_fen > 0),
       primary key (application_id, stage)
     )`,
    `create index subsidy_payment_line_batch_idx on subsidy_payment_line (batch_id)`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop table subsidy_payment_line, subsidy_payee, subsidy_scheme_entry, subsidy_scheme_list, subsidy_other_claim,
       subsidy_objection_file, subsidy_objection, subsidy_chsi_report`,
    `delete from phone_code where purpose = 'subsidy_objection'`,
    `alter table phone_code drop constraint phone_code_purpose_check`,
    `alter table phone_code add constraint phone_code_purpose_check check (purpose in ('sign_in', 'agreement'))`,
    `alter table subsidy_application drop column submitted_at, drop column place, drop column notice_id`,
    `drop table subsidy_payment_batch, subsidy_notice`,
    `alter table subsidy_policy drop column notice_days, drop column places, drop column combined_cap_percent, drop column chsi_valid_months`,
  ])
    await sql.raw(statement).execute(db);
}
