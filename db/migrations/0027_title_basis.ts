import { sql, type Kysely } from "kysely";

// The basis of every title, and its revocation (issue 35, items 1–2):
// - a decision document (issuing body, number such as 台总工〔2018〕10号, date, the file) is recorded once and named by
//   whatever rests on it: a campaign's naming decision, the studio programme, an accreditation batch of studios, and
//   each revocation;
// - a revocation takes back one title or studio, or a whole decision (every title of a campaign, every studio of an
//   accreditation batch), with its reason and its own document; the titles it took back point at it;
// - the physical certificate or plaque is recalled afterwards, one row per title once recorded.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table decision_document (
       id serial primary key,
       issuer text not null check (length(issuer) between 1 and 60),
       number text not null check (length(number) between 1 and 60),
       issued_on date not null,
       title text not null check (length(title) between 1 and 200),
       file bytea,
       file_type text,
       file_name text,
       recorded_by text not null references app_user (id),
       recorded_at timestamptz not null default now(),
       unique (issuer, number),
       check ((file is null) = (file_type is null))
     )`,

    `alter table campaign add column basis_document_id integer references decision_document (id)`,

    // The studio programme is one: a single row holds its approving document.
    `create table studio_programme (
       id integer primary key check (id = 1),
       basis_document_id integer not null references decision_document (id),
       updated_by text not null references app_user (id),
       updated_at timestamptz not null default now()
     )`,

    `alter table studio add column accreditation_document_id integer references decision_document (id)`,
    `create index studio_accreditation_document_idx on studio (accreditation_document_id)`,

    `create table revocation (
       id serial primary key,
       scope text not null check (scope in ('award', 'studio', 'campaign', 'accreditation')),
       award_id integer references award (id),
       studio_id integer references studio (id),
       campaign_id integer references campaign (id),
       accreditation_document_id integer references decision_document (id),
       document_id integer not null references decision_document (id),
       reason text not null check (length(reason) between 1 and 500),
       revoked_on date not null,
       revoked_by text not null references app_user (id),
       created_at timestamptz not null default now(),
       check ((scope = 'award') = (award_id is not null)),
       check ((scope = 'studio') = (studio_id is not null)),
       check ((scope = 'campaign') = (campaign_id is not null)),
       check ((scope = 'accreditation') = (accreditation_document_id is not null))
     )`,

    `alter table award add column revocation_id integer references revocation (id)`,
    `alter table studio add column revocation_id integer references revocation (id)`,
    `create index award_revocation_idx on award (revocation_id)`,
    `create index studio_revocation_idx on studio (revocation_id)`,

    `create table title_recall (
       id serial primary key,
       award_id integer unique references award (id),
       studio_id integer unique references studio (id),
       recalled_on date not null,
       note text not null default '' check (length(note) <= 500),
       recorded_by text not null references app_user (id),
       recorded_at timestamptz not null default now(),
       check ((award_id is null) <> (studio_id is null))
     )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop table title_recall`,
    `alter table studio drop column revocation_id`,
    `alter table award drop column revocation_id`,
    `drop table revocation`,
    `alter table studio drop column accreditation_document_id`,
    `drop table studio_programme`,
    `alter table campaign drop column basis_document_id`,
    `drop table decision_document`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
