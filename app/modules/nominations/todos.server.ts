import type { DB } from "~db";
import { nominationIncomplete } from "~/modules/campaigns/campaigns.server";
import { cityReview, countyReview, waiting, todosOf } from "~/modules/notifications/sources";

/** What nominations and objections to them leave waiting, for the to-do list. */

const nominationLink = (id: number) => `/nominations/${id}`;
const pendingObjections = (db: DB) =>
  db
    .selectFrom("objection")
    .innerJoin("nomination", "nomination.id", "objection.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["nomination.id", "person.name", "objection.received_on as since"])
    .where("objection.outcome", "=", "pending");

/** Nominations of a campaign still taking them whose 审批表 lacks a part. */
export const nominationIncompleteForm = todosOf("county_officer", async (db, u) =>
  waiting(
    await db
      .selectFrom("nomination")
      .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
      .innerJoin("person", "person.id", "nomination.person_id")
      .select(["nomination.id", "person.name", "nomination.created_at as since"])
      .where("campaign.status", "=", "nominating")
      .where(nominationIncomplete)
      .where("nomination.nominating_unit_id", "=", u.orgUnitId)
      .execute(),
    (n) => `补全推荐审批表：${n.name}`,
    nominationLink,
  ),
);

export const objectionToCheck = todosOf("county_officer", async (db, u) =>
  waiting(
    await pendingObjections(db).where("nomination.nominating_unit_id", "=", u.orgUnitId).execute(),
    (o) => `核查公示异议：${o.name}`,
    nominationLink,
    countyReview,
  ),
);

export const objectionToHandle = todosOf("city_admin", async (db) =>
  waiting(await pendingObjections(db).execute(), (o) => `处理公示异议：${o.name}`, nominationLink, cityReview),
);
