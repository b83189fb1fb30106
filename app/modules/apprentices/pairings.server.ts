import type { DB } from "~db";

/** An apprentice's own pairings, newest first: what their home page links to. */
export async function pairingsOfApprentice(db: DB, personId: number) {
  return db
    .selectFrom("mentorship")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .select(["mentorship.id", "mentorship.status", "mentorship.start_date", "mentorship.planned_end", "studio.name as studio_name"])
    .where("mentorship.apprentice_id", "=", personId)
    .orderBy("mentorship.start_date", "desc")
    .orderBy("mentorship.id", "desc")
    .execute();
}
