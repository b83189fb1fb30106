import type { DB } from "~db";
import { cityReview, countyReview, waitingOn, todosOf, type Waiting, type TodoSource } from "~/modules/notifications/sources";
import { MILESTONE_FILING, milestoneWorkflow, studioWorkflow, RUNNING_STATUSES, ONGOING_MENTORSHIP } from "~/modules/studios/policy";
import { studioCycleTodos } from "~/modules/studios/cycle-todos.server";

/** What studios, their apprentices' milestones and their years leave waiting, for the to-do list. */

/**
 * Policy as data: the annual evaluation's season. From 1 December a studio's leader checks the
 * year's records; from 1 January the year just ended is reported on, reviewed and accepted, by 31 March.
 */
const EVALUATION_SEASON = { prepareFrom: "12-01", gradeBy: "03-31" } as const;

/** The evaluation year being prepared (December) or graded (January to the deadline), if any. */
function evaluationSeason(today: string): { prepare?: number; grade?: number } {
  const year = Number(today.slice(0, 4));
  const monthDay = today.slice(5);
  if (monthDay >= EVALUATION_SEASON.prepareFrom) return { prepare: year };
  if (monthDay <= EVALUATION_SEASON.gradeBy) return { grade: year - 1 };
  return {};
}

const studiosIn = (db: DB, status: "submitted" | "county_reviewed" | "returned") =>
  db.selectFrom("studio").select(["id", "name", "updated_at as since"]).where("status", "=", status);
const milestonesIn = (db: DB, status: "pending" | "rejected") =>
  db
    .selectFrom("milestone")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .innerJoin("person", "person.id", "mentorship.apprentice_id")
    .select(["mentorship.id", "person.name", (eb) => eb.fn.coalesce("milestone.reviewed_at", "milestone.created_at").as("since")])
    .where("milestone.status", "=", status)
    .where("mentorship.status", "in", [...ONGOING_MENTORSHIP]);
/** Studios that ran in a year (accredited by its end, not revoked) and have no grade for it yet. */
const ungradedStudios = (db: DB, year: number) =>
  db
    .selectFrom("studio")
    .select(["studio.id", "studio.name"])
    .where("studio.status", "in", [...RUNNING_STATUSES])
    .where("studio.accredited_on", "<=", `${year}-12-31`)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("studio_evaluation as ev").select("ev.studio_id").whereRef("ev.studio_id", "=", "studio.id").where("ev.year", "=", year))),
    );
const hasCriteria = async (db: DB, year: number) => !!(await db.selectFrom("evaluation_criterion").select("key").where("year", "=", year).executeTakeFirst());

const studioLink = (id: number) => `/studios/${id}`;
const mentorshipLink = (id: number) => `/mentorships/${id}`;

export const studioToReview = todosOf("county_officer", async (db, u) =>
  waitingOn(studioWorkflow.steps.submit.todo, await studiosIn(db, "submitted").where("org_unit_id", "=", u.orgUnitId).execute(), studioLink, countyReview),
);

export const studioToAccredit = todosOf("city_admin", async (db) =>
  waitingOn(studioWorkflow.steps.county_approve.todo, await studiosIn(db, "county_reviewed").execute(), studioLink, cityReview),
);

export const studioReturned = todosOf("craftsman", async (db, u) =>
  waitingOn(studioWorkflow.steps.return.todo, await studiosIn(db, "returned").where("person_id", "=", u.personId).execute(), studioLink),
);

export const milestoneToVerify = todosOf("county_officer", async (db, u) =>
  waitingOn(MILESTONE_FILING.todo, await milestonesIn(db, "pending").where("studio.org_unit_id", "=", u.orgUnitId).execute(), mentorshipLink, countyReview),
);

export const milestoneRejected = todosOf("craftsman", async (db, u) =>
  waitingOn(milestoneWorkflow.steps.reject.todo, await milestonesIn(db, "rejected").where("studio.person_id", "=", u.personId).execute(), mentorshipLink),
);

/** January: the year just ended has studios to grade and no criteria to grade them by. */
export const criteriaToSet = todosOf("city_admin", async (db, _u, now) => {
  const year = evaluationSeason(now.today).grade;
  if (!year || (await hasCriteria(db, year)) || !(await ungradedStudios(db, year).executeTakeFirst())) return [];
  return [{ label: `设定${year}年度工作室考核标准`, link: `/evaluations?year=${year}`, since: `${year + 1}-01-01`, due: `${year + 1}-01-31` }];
});

/** December: the year's records are what the evaluation will count. */
export const evaluationToPrepare = todosOf("craftsman", async (db, u, now) => {
  const year = evaluationSeason(now.today).prepare;
  if (!year) return [];
  const studios = await ungradedStudios(db, year).where("studio.person_id", "=", u.personId).where("studio.status", "!=", "suspended").execute();
  return studios.map((s) => ({
    label: `准备${year}年度考核：核对学徒成果和活动记录`,
    link: studioLink(s.id),
    since: `${year}-${EVALUATION_SEASON.prepareFrom}`,
    due: `${year}-12-31`,
  }));
});

/** A studio's money and year (cycle-todos.server), each with its review window. */
export const studioCycle: TodoSource = {
  roles: ["county_officer", "city_admin", "craftsman"],
  list: async (db, u, now): Promise<Waiting[]> =>
    (await studioCycleTodos(db, u, now.today)).map(({ review, ...item }) => ({
      ...item,
      ...(review === "county" ? countyReview : review === "city" ? cityReview : {}),
    })),
};
