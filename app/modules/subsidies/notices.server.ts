import { sql } from "kysely";
import { declareNotices, stepNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { SUBSIDY_AUDIT } from "~/modules/subsidies/labels";
import { subsidyWorkflow } from "~/modules/subsidies/policy";

/** An application's history is about its applicant, within their county; who hears of each step the steps declare (policy.ts). */
const subsidySubject: SubjectResolver = (tx, id) =>
  tx
    .selectFrom("subsidy_application as s")
    .innerJoin("person", "person.id", "s.person_id")
    .innerJoin("org_unit", "org_unit.id", "s.org_unit_id")
    .select(["s.person_id as personId", "s.org_unit_id as unitId", "person.name as owner", "org_unit.short_name as unit"])
    .select(sql<boolean>`org_unit.kind = 'city'`.as("unitIsCity"))
    .select(sql<string>`'补助申请'`.as("subject"))
    .select(sql<string>`'/subsidies/' || s.id`.as("link"))
    .where("s.id", "=", id)
    .executeTakeFirst();

export const subsidyNotices = declareNotices(SUBSIDY_AUDIT, subsidySubject, {
  ...stepNotices("subsidy_", subsidyWorkflow.steps),
  // A place freed and the earliest waiting moved up (places.server): the applicant and their county hear of it.
  place_given: [
    { to: ["owner"], category: "approved", text: "有名额空出，您的补助申请已从候补名单递补获得名额" },
    { to: ["unit"], category: "todo", text: "{owner}的补助申请已从候补名单递补获得名额，可以审核通过" },
  ],
  // Where approved money is about to go has changed: the county keeps an eye on it. (Only the applicant
  // makes the change, and nobody is told of their own step.)
  payee_change: [{ to: ["unit"], category: "paid", text: "{owner}在补助批准后变更了收款账户，请留意核对" }],
  // A code entered while someone reviews waits for that reviewer's check (chsi.server.ts).
  chsi_report_county: [{ to: ["unit"], category: "todo", text: "{owner}填写了新的学信网验证码，请核验后再审核" }],
  chsi_report_city: [{ to: ["city"], category: "todo", text: "{owner}填写了新的学信网验证码，请核验" }],
  notice_publish: [
    { to: ["owner"], category: "approved", text: "您的学历提升补助已在网上公示，公示期满无异议后拨付" },
    { to: ["unit"], category: "approved", text: "{owner}的学历提升补助已在网上公示" },
  ],
  // Who filed it and what it says are on the application's page, for the officers only.
  objection_received: [
    { to: ["city"], category: "todo", text: "{owner}的补助公示收到实名异议，请核查处理" },
    { to: ["unit"], category: "todo", text: "{owner}的补助公示收到实名异议，请协助核查" },
  ],
});
