import { sql, type Kysely } from "kysely";

// Imports keep what the county wrote and what the preview warned about: the 汇总表's 备注 (and
// the words a qualifier in brackets added to a choice, 大专（函授）) stays on the nomination; the
// preview's warnings are stored with it for 资格初审; an opinion signed without a date is kept,
// undated, rather than dropped.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table nomination add column remarks text not null default ''`,
    `alter table nomination add column import_warnings jsonb not null default '[]'::jsonb`,
    `alter table nomination_opinion alter column signed_on drop not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `delete from nomination_opinion where signed_on is null`,
    `alter table nomination_opinion alter column signed_on set not null`,
    `alter table nomination drop column import_warnings`,
    `alter table nomination drop column remarks`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
