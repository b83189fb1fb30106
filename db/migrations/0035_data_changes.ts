import { sql, type Kysely } from "kysely";

// What the union's figures are counted from, versioned by the writes to it alone (issue 37): the dashboard's
// figures were remembered until the next write anywhere in the database cluster — a job queued, a session opened,
// autovacuum's ANALYZE, another database's transaction — and then counted again (a second at city×10) while the
// requests that came meanwhile waited. A statement that writes one of these tables now adds a row here in its own
// transaction: visible exactly when its changes are, never earlier. The newest id is the figures' version. Older
// rows are deleted by the daily retention purge. A statement that changed no row adds nothing.
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

const EVENTS = [
  ["insert", "referencing new table as changed"],
  ["update", "referencing new table as changed"],
  ["delete", "referencing old table as gone"],
  ["truncate", ""],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table data_change (id bigserial primary key, table_name text not null, at timestamptz not null default now())`,
    // A statement that changed no row (an update that matched nothing, a refused request's check) is no change.
    `create function note_data_change() returns trigger language plpgsql as $$
       begin
         if tg_op = 'DELETE' then
           if not exists (select 1 from gone) then return null; end if;
         elsif tg_op in ('INSERT', 'UPDATE') then
           if not exists (select 1 from changed) then return null; end if;
         end if;
         insert into data_change (table_name) values (tg_table_name);
         return null;
       end
     $$`,
    ...COUNTED_TABLES.flatMap((table) =>
      EVENTS.map(
        ([event, referencing]) =>
          `create trigger ${table}_data_${event} after ${event} on ${table} ${referencing} for each statement execute function note_data_change()`,
      ),
    ),
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of COUNTED_TABLES) for (const [event] of EVENTS) await sql.raw(`drop trigger ${table}_data_${event} on ${table}`).execute(db);
  await sql.raw(`drop function note_data_change()`).execute(db);
  await sql.raw(`drop table data_change`).execute(db);
}
