import { sql, type Kysely } from "kysely";

// What the home page, the to-do list, the navigation's badges and a studio's yearly figures are counted from,
// versioned like the dashboard's figures (issue 37): they were remembered until PostgreSQL's snapshot moved, which the
// app's own background tick moves every few seconds with nothing the pages show changed (a job claimed, an SMS
// settled, a session touched), and then counted again in a request's path — about a second at city×10 on the city's
// pages, one request in forty. Every table a user's work is read from now adds a `data_change` row too; those rows
// do not move the dashboard's version (`moves_figures` false).
// Left without a trigger, because no page's remembered figure reads them and they are written all the time: the
// sign-in machinery (sessions, throttles, flows, codes, challenges, tokens), the queue, the outbox, the vote's codes,
// challenges and choices (a ballot's choices are the tally's; the city's to-do during a vote reads the ballots and the
// refusals, which keep a trigger), long work's progress and import previews, the purge's runs, the fan-out's cursor,
// the migrations.
//
// And the rows' ids in commit order, for both versions (0035's triggers replaced): a row added when its statement ran
// took its id then, so a transaction still open (an import's commit writes its nominations, then seconds of history)
// could hold an id below one a later, quicker writer had committed; the figures counted in between were remembered
// under that later id, and when the first committed the newest id did not move — they were shown stale until the
// next change (a fresh-context tester's finding). Now a deferred trigger adds the row as its transaction commits,
// under a lock held until the commit is done: a writer's row gets its id only after every earlier writer's commit is
// visible, so the newest id seen names everything committed before it. What this costs: the writers of these tables
// commit one at a time (the lock is held through the commit's flush). TRUNCATE, which no page or job of the app runs,
// keeps a statement trigger that adds its row at once.
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

/** The lock the writers take at commit (the two-key form: the app's own advisory locks are single keys). */
const COMMIT_LOCK = "1, 37";

// 0035's tables, counted by the dashboard.
const COUNTED_TABLES = [
  "award",
  "campaign",
  "event",
  "event_participant",
  "mentorship",
  "milestone",
  "nomination",
  "org_unit",
  "person",
  "publication_consent",
  "publicity_item",
  "studio",
  "studio_plan",
  "studio_plan_unit",
  "subsidy_application",
  "subsidy_policy",
];

const STATEMENT_EVENTS = [
  ["insert", "referencing new table as changed"],
  ["update", "referencing new table as changed"],
  ["delete", "referencing old table as gone"],
] as const;

/** The statement trigger's function (0035's, and TRUNCATE's here): `insert` adds the row. */
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
    // A trigger's argument 'false' marks a table the dashboard does not count.
    noteFunction(`insert into data_change (table_name, moves_figures) values (tg_table_name, coalesce(tg_argv[0]::boolean, true))`),
    // Fired for each changed row as the transaction commits; the first of each kind adds the row, the rest find it added.
    `create function note_data_change_at_commit() returns trigger language plpgsql as $$
       declare
         figures boolean := coalesce(tg_argv[0]::boolean, true);
       begin
         if current_setting('jiangxin.noted_figures', true) = 'yes'
            or (not figures and current_setting('jiangxin.noted_work', true) = 'yes') then
           return null;
         end if;
         perform pg_advisory_xact_lock(${COMMIT_LOCK});
         insert into data_change (table_name, moves_figures) values (tg_table_name, figures);
         -- A row of the figures' kind moves the work's version too (its newest id is every row's).
         perform set_config(case when figures then 'jiangxin.noted_figures' else 'jiangxin.noted_work' end, 'yes', true);
         return null;
       end
     $$`,
    ...COUNTED_TABLES.flatMap((table) => [
      ...STATEMENT_EVENTS.map(([event]) => `drop trigger ${table}_data_${event} on ${table}`),
      `create constraint trigger ${table}_data_at_commit after insert or update or delete on ${table}
         deferrable initially deferred for each row execute function note_data_change_at_commit()`,
    ]),
    ...WORK_TABLES.flatMap((table) => [
      `create constraint trigger ${table}_work_at_commit after insert or update or delete on ${table}
         deferrable initially deferred for each row execute function note_data_change_at_commit('false')`,
      `create trigger ${table}_work_truncate after truncate on ${table} for each statement execute function note_data_change('false')`,
    ]),
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of WORK_TABLES) {
    await sql.raw(`drop trigger ${table}_work_at_commit on ${table}`).execute(db);
    await sql.raw(`drop trigger ${table}_work_truncate on ${table}`).execute(db);
  }
  for (const table of COUNTED_TABLES) {
    await sql.raw(`drop trigger ${table}_data_at_commit on ${table}`).execute(db);
    for (const [event, referencing] of STATEMENT_EVENTS) {
      await sql
        .raw(`create trigger ${table}_data_${event} after ${event} on ${table} ${referencing} for each statement execute function note_data_change()`)
        .execute(db);
    }
  }
  await sql.raw(`drop function note_data_change_at_commit()`).execute(db);
  await sql.raw(`drop index data_change_figures`).execute(db);
  await sql.raw(`alter table data_change drop column moves_figures`).execute(db);
  // 0035's function, as it was.
  await sql.raw(noteFunction(`insert into data_change (table_name) values (tg_table_name)`)).execute(db);
}
