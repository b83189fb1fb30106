import { todosOf } from "~/modules/notifications/sources";
import { awaitingConsent } from "~/modules/people/people.server";

/**
 * Named craftsmen whose consent to be shown in public was never recorded: one to-do with their
 * number, leading to the list of them (a county may have dozens after a naming).
 */
export const consentToRecord = todosOf("county_officer", async (db, u) => {
  const row = await db
    .selectFrom("person")
    .innerJoin("award", "award.person_id", "person.id")
    .select([(eb) => eb.fn.count<number>("person.id").distinct().as("n"), (eb) => eb.fn.min("award.created_at").as("since")])
    .where("person.org_unit_id", "=", u.orgUnitId)
    .where(awaitingConsent)
    .executeTakeFirstOrThrow();
  return Number(row.n) ? [{ label: `登记公开展示意愿：${Number(row.n)} 名工匠`, link: "/people?consent=missing", since: row.since! }] : [];
});
