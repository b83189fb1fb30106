import { sql, type Kysely } from "kysely";

// What the home page, the to-do list, the navigation's badges and a studio's yearly figures are counted from,
// versioned like the dashboard's figures (issue 37): they were remembered until PostgreSQL's snapshot moved, which the
// app's own background tick moves every few seconds with nothing the pages show changed (a job claimed, an SMS
// settled, a session touched), and then counted again in a request's path — about a second at city×10 on the city's
// pages, one request in forty. Every table a user's work is read from now adds a `data_change` row too; those rows
// do not move the dashboard's version (`moves_figures` false), whose tables keep their triggers from 0035.
// Left without a trigger, because no page's remembered figure reads them and they are written all the time: the
// sign-in machinery (sessions, throttles, flows, codes, challenges, tokens), the queue, the outbox, the vote's codes,
// challenges and choices (a ballot's choices are the tally's; the city's to-do during a vote reads the ballots and the
// refusals, which keep a trigger), long work's progress and import previews, the purge's runs, the fan-out's cursor,
// the migrations.
const WORK_TABLES = [
  "acceptance_item",
  "app_user",
  "apprentice_log",
  "audit_log",
  "ballot",
  "ballot_invalidation",
  "decision_document",
  "evaluation_criterion",
  "event_series",
  "evidence_file",
  "expert",
  "expert_mark",
  "expert_score",
  "expert_sheet",
  "external_identity",
  "honour",
  "honour_import",
  "mentor_payment",
  "mentoring_policy",
  "mentorship_assessment",
  "mentorship_pause",
  "mentorship_review",
  "mentorship_review_sign",
  "message",
  "nomination_opinion",
  "notification_preference",
  "objection",
  "objection_attachment",
  "objection_filing",
  "panel_member",
  "panel_nomination",
  "privacy_calendar_day",
  "privacy_policy",
  "recusal",
  "retention_rule",
  "review_criterion",
  "review_panel",
  "revocation",
  "rights_request",
  "second_factor",
  "sign_in_device",
  "studio_cycle_policy",
  "studio_evaluation",
  "studio_file",
  "studio_fund",
  "studio_grant",
  "studio_programme",
  "studio_reconfirmation",
  "studio_spending",
  "studio_tranche",
  "studio_year",
  "subsidy_attachment",
  "subsidy_cap",
  "subsidy_chsi_report",
  "subsidy_notice",
  "subsidy_objection",
  "subsidy_objection_file",
  "subsidy_other_claim",
  "subsidy_payee",
  "subsidy_payment_batch",
  "subsidy_payment_line",
  "subsidy_scheme_entry",
  "subsidy_scheme_list",
  "title_recall",
  "vote_failure",
  "vote_rule",
  "wechat_identity",
];

const EVENTS = [
  ["insert", "referencing new table as changed"],
  ["update", "referencing new table as changed"],
  ["delete", "referencing old table as gone"],
  ["truncate", ""],
] as const;

/** The trigger function: a statement that changed no row (an update that matched nothing) adds nothing; `insert` adds the row. */
const noteFunction = (insert: string) => `create or replace function note_data_change() returns trigger language plpgsql as $$
  begin
    if tg_op = 'DELETE' then
      if not exists (select 1 from gone) then return null; end if;
    elsif tg_op in ('INSERT', 'UPDATE') then
      if not exists (select 1 from changed) then return null; end if;
    end if;
    ${insert};
    return null;
  end
$$`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table data_change add column moves_figures boolean not null default true`,
    // The dashboard's version is the newest of its own rows: read from the end of this index, as max(id) is from the key's.
    `create index data_change_figures on data_change (id) where moves_figures`,
    // A trigger's argument 'false' marks a table the dashboard does not count; 0035's triggers have none.
    noteFunction(`insert into data_change (table_name, moves_figures) values (tg_table_name, coalesce(tg_argv[0]::boolean, true))`),
    ...WORK_TABLES.flatMap((table) =>
      EVENTS.map(
        ([event, referencing]) =>
          `create trigger ${table}_work_${event} after ${event} on ${table} ${referencing} for each statement execute function note_data_change('false')`,
      ),
    ),
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of WORK_TABLES) for (const [event] of EVENTS) await sql.raw(`drop trigger ${table}_work_${event} on ${table}`).execute(db);
  await sql.raw(`drop index data_change_figures`).execute(db);
  await sql.raw(`alter table data_change drop column moves_figures`).execute(db);
  // 0035's function, as it was.
  await sql.raw(noteFunction(`insert into data_change (table_name) values (tg_table_name)`)).execute(db);
}
