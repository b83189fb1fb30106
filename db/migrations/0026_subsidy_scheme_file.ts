import { sql, type Kysely } from "kysely";

// Another scheme's list counts each payment once: the same file (by its sha256) is one list. The
// database holds it, so two uploads of one file at once cannot both pass the import's check.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index subsidy_scheme_list_file on subsidy_scheme_list (sha256)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index subsidy_scheme_list_file`.execute(db);
}
