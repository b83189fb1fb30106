import type { DB } from "~db";
import type { MilestoneKind } from "~db/types";
import { makeLedStudio, makePerson, makeUser } from "./factories";
import { assessmentSchema } from "~/modules/apprentices/assessment-schema.server";
import { findMentorship } from "~/modules/studios/mentorships.server";

/** A 温岭 studio with its leader, the county's and another county's officer, and the city: what the assessment and allowance tests share. */
export async function mentoringScene(db: DB, leaderName: string) {
  const { person: leaderPerson, leader, city, studio } = await makeLedStudio(db, leaderName);
  const wenling = await makeUser(db, "county_officer", { unit: "wenling" });
  const jiaojiang = await makeUser(db, "county_officer", { unit: "jiaojiang" });
  const pairing = async (startDate = "2024-03-01", plannedEnd = "2026-02-28") => {
    const apprentice = await makePerson(db);
    const row = await db
      .insertInto("mentorship")
      .values({
        studio_id: studio.id,
        apprentice_id: apprentice.id,
        start_date: startDate,
        planned_end: plannedEnd,
        goals: "掌握精密装配",
        created_by: city.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return (await findMentorship(db, row.id))!;
  };
  const milestone = (
    mentorshipId: number,
    kind: MilestoneKind,
    details: Record<string, string>,
    status: "verified" | "pending" = "verified",
    occurredOn = "2025-06-01",
  ) =>
    db
      .insertInto("milestone")
      .values({ mentorship_id: mentorshipId, kind, occurred_on: occurredOn, details: JSON.stringify(details), status, created_by: city.id })
      .returning("id")
      .executeTakeFirstOrThrow()
      .then((r) => r.id);
  return { leaderPerson, leader, city, studio, wenling, jiaojiang, pairing, milestone };
}

/** The officer's form, parsed as the route parses it. */
export function assessmentForm(fields: Record<string, string | string[]>) {
  return assessmentSchema.parse({
    assessedOn: "2026-02-20",
    method: "理论考试与实操考核",
    examiners: "王工、李工、张工",
    score: "88.5",
    confirmed: "1",
    ...fields,
  });
}
