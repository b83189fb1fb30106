import { sql } from "kysely";
import type { DB } from "~db";
import { cityReview, countyReview, DUE_WORKING_DAYS, waiting, waitingOn, todosOf } from "~/modules/notifications/sources";
import { subsidyWorkflow } from "~/modules/subsidies/policy";
import { addDays } from "~/lib/time";
import { CHSI_LAPSE_DAYS, CHSI_RENEW_TODO, CHSI_STAGE_STATUSES, chsiLapse } from "~/modules/subsidies/chsi";

/** What subsidy applications leave waiting, for the to-do list. */

const subsidiesIn = (db: DB, status: "submitted" | "county_approved" | "approved" | "returned" | "disbursed") =>
  db
    .selectFrom("subsidy_application as a")
    .innerJoin("person", "person.id", "a.person_id")
    .select(["a.id", "person.name", "a.status_reason", "a.updated_at as since"])
    .where("a.status", "=", status);
const hasGraduationProof = (db: DB) =>
  db
    .selectFrom("subsidy_attachment")
    .select("id")
    .where("kind", "=", "graduation")
    .where(sql<boolean>`subsidy_attachment.application_id = a.id`);
const subsidyLink = (id: number) => `/subsidies/${id}`;
const payment = { dueDays: DUE_WORKING_DAYS.payment };

export const subsidyToReview = todosOf("county_officer", async (db, u) =>
  waitingOn(
    subsidyWorkflow.steps.submit.todo,
    // One on the waiting list cannot be approved yet: it comes back when it moves up (places.server).
    await subsidiesIn(db, "submitted").where("a.org_unit_id", "=", u.orgUnitId).where("a.place", "is distinct from", "waiting").execute(),
    subsidyLink,
    countyReview,
  ),
);

export const subsidyToApprove = todosOf("city_admin", async (db) =>
  waitingOn(subsidyWorkflow.steps.county_approve.todo, await subsidiesIn(db, "county_approved").execute(), subsidyLink, cityReview),
);

/** An objection to the application's 公示 still open, or one upheld: no payment follows. */
const objectionStanding = (db: DB) =>
  db
    .selectFrom("subsidy_objection as o")
    .select("o.id")
    .where("o.outcome", "in", ["pending", "upheld"])
    .where(sql<boolean>`o.application_id = a.id`);

/** Approved, its 公示 over and nothing standing against it: what the 公示 leaves to pay. */
export const subsidyToPay = todosOf("city_admin", async (db, _u, now) =>
  waiting(
    await subsidiesIn(db, "approved")
      .innerJoin("subsidy_notice as n", "n.id", "a.notice_id")
      .where("n.ends_on", "<", now.today)
      .where((eb) => eb.not(eb.exists(objectionStanding(db))))
      .execute(),
    (a) => `登记补助拨付：${a.name}`,
    subsidyLink,
    payment,
  ),
);

/** Approved and in no 公示 yet: one item per year, for the page that publishes them. */
export const subsidyToPublish = todosOf("city_admin", async (db) => {
  const years = await db
    .selectFrom("subsidy_application")
    .select((eb) => ["year", eb.fn.countAll<number>().as("n"), eb.fn.min("updated_at").as("since")])
    .where("status", "=", "approved")
    .where("notice_id", "is", null)
    .groupBy("year")
    .orderBy("year")
    .execute();
  return years.map((y) => ({
    label: `发布${y.year}年学历提升补助公示（${Number(y.n)} 份已批准）`,
    link: `/subsidies/notices?year=${y.year}`,
    since: y.since,
    ...payment,
  }));
});

/** An objection to a 公示 the city has not yet looked into. */
export const subsidyObjectionToHandle = todosOf("city_admin", async (db) =>
  waiting(
    await db
      .selectFrom("subsidy_objection as o")
      .innerJoin("subsidy_application as a", "a.id", "o.application_id")
      .innerJoin("person", "person.id", "a.person_id")
      .select(["a.id", "person.name", "o.filed_at as since"])
      .where("o.outcome", "=", "pending")
      .orderBy("o.id")
      .execute(),
    (a) => `核查补助公示异议：${a.name}`,
    subsidyLink,
    cityReview,
  ),
);

export const subsidyToClose = todosOf("city_admin", async (db) =>
  waiting(
    await subsidiesIn(db, "disbursed")
      .where((eb) => eb.exists(hasGraduationProof(db)))
      .execute(),
    (a) => `核实毕业证书并结案：${a.name}`,
    subsidyLink,
    payment,
  ),
);

export const subsidyReturned = todosOf("craftsman", async (db, u) =>
  waitingOn(subsidyWorkflow.steps.county_return.todo, await subsidiesIn(db, "returned").where("a.person_id", "=", u.personId).execute(), subsidyLink),
);

/** Paid, graduated by now, and no certificate yet: the rest of the subsidy waits for it. */
export const graduationToUpload = todosOf("craftsman", async (db, u, now) =>
  waiting(
    await subsidiesIn(db, "disbursed")
      .where("a.person_id", "=", u.personId)
      .where("a.expected_graduation", "<=", now.today)
      .where((eb) => eb.not(eb.exists(hasGraduationProof(db))))
      .execute(),
    () => "上传毕业证书，领取补助尾款",
    subsidyLink,
  ),
);

/** Approved (or paid but for the held part) and no account to pay it to: the applicant's to record. */
export const payeeToEnter = todosOf("craftsman", async (db, u) =>
  waiting(
    await db
      .selectFrom("subsidy_application as a")
      .select(["a.id", "a.updated_at as since"])
      .where("a.person_id", "=", u.personId)
      .where((eb) => eb.or([eb("a.status", "=", "approved"), eb.and([eb("a.status", "=", "disbursed"), eb("a.held_fen", ">", 0)])]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom("subsidy_payee as p").select("p.application_id").whereRef("p.application_id", "=", "a.id"))))
      .execute(),
    () => "登记补助收款账户，以便拨付",
    subsidyLink,
  ),
);

/**
 * The 学信网 code that counts for where the application stands (the enrolment report until the city
 * approves, the graduation report until closing) lapsed or may lapse before the review ends: renew it.
 * Entering a new code replaces it, and the to-do goes.
 */
export const chsiToRenew = todosOf("craftsman", async (db, u, now) => {
  const rows = await db
    .selectFrom("subsidy_application as a")
    .innerJoin("subsidy_chsi_report as r", "r.application_id", "a.id")
    .select(["a.id", "r.valid_until", "r.entered_at as since"])
    .where("a.person_id", "=", u.personId)
    .where((eb) =>
      eb.or((["enrolment", "graduation"] as const).map((stage) => eb.and([eb("r.stage", "=", stage), eb("a.status", "in", CHSI_STAGE_STATUSES[stage])]))),
    )
    .where((eb) =>
      eb(
        "r.id",
        "=",
        eb
          .selectFrom("subsidy_chsi_report as newer")
          .select((n) => n.fn.max("newer.id").as("id"))
          .whereRef("newer.application_id", "=", "a.id")
          .whereRef("newer.stage", "=", "r.stage"),
      ),
    )
    .where("r.valid_until", "<", addDays(now.today, CHSI_LAPSE_DAYS))
    .execute();
  return rows.map((r) => ({
    label: CHSI_RENEW_TODO[chsiLapse(r.valid_until, now.today) ?? "lapsing"],
    link: subsidyLink(r.id),
    since: r.since,
    due: r.valid_until,
  }));
});
