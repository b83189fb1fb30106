import { sql } from "kysely";
import type { Tx } from "~db";
import { declareNotices, stepNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { studioYearWorkflow } from "~/modules/studios/cycle";
import { MILESTONE_AUDIT, STUDIO_AUDIT } from "~/modules/studios/labels";
import { MILESTONE_FILING, milestoneWorkflow, studioWorkflow } from "~/modules/studios/policy";

/**
 * Who hears of a studio's history: its workflow's and its year's steps declare their notices on the
 * steps (policy.ts, cycle.ts); the rest of its actions — 验收, money, re-confirmation — here.
 */

/** A studio's history is about its leader, within its county. */
const studioSubject = (tx: Tx, id: number) =>
  tx
    .selectFrom("studio as s")
    .innerJoin("person", "person.id", "s.person_id")
    .innerJoin("org_unit", "org_unit.id", "s.org_unit_id")
    .select(["s.person_id as personId", "s.org_unit_id as unitId", "person.name as owner", "org_unit.short_name as unit", "s.name as subject"])
    .select(sql<boolean>`org_unit.kind = 'city'`.as("unitIsCity"))
    .select(sql<string>`'/studios/' || s.id`.as("link"))
    .where("s.id", "=", id)
    .executeTakeFirst();

export const studioNotices = declareNotices(STUDIO_AUDIT, studioSubject, {
  ...stepNotices("step_", studioWorkflow.steps),
  ...stepNotices("report_", studioYearWorkflow.steps),
  // 验收 is taken with its checklist (acceptStudioYear) and has always been recorded as the evaluation.
  evaluation: [
    { to: ["owner"], category: "evaluation", text: "“{subject}”的年度考核结果已评定，请在工作室页面查看" },
    { to: ["unit"], category: "evaluation", text: "市总工会已完成“{subject}”的年度验收" },
  ],
  spending_pending: [{ to: ["unit"], category: "todo", text: "“{subject}”登记了一笔超过限额的经费支出，请审批" }],
  spending_approve: [{ to: ["owner"], category: "funds", text: "“{subject}”的经费支出已获批准" }],
  spending_reject: [{ to: ["owner"], category: "rejected", text: "“{subject}”的经费支出未获批准：{reason}" }],
  tranche_add: [{ to: ["owner"], category: "funds", text: "“{subject}”有一笔资助到账，请在经费台账查看" }],
  reconfirm: [{ to: ["owner", "unit"], category: "approved", text: "“{subject}”已通过重新确认" }],
  reconfirm_decline: [{ to: ["owner", "unit"], category: "suspended", text: "“{subject}”未获重新确认，将进入摘牌审查：{reason}" }],
});

/** A milestone is about its apprentice, within the studio's own scope. */
const milestoneSubject: SubjectResolver = async (tx, id) => {
  const m = await tx
    .selectFrom("milestone")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("person as apprentice", "apprentice.id", "mentorship.apprentice_id")
    .select(["mentorship.studio_id", "mentorship.id as mentorshipId", "apprentice.name"])
    .where("milestone.id", "=", id)
    .executeTakeFirst();
  const studio = m ? await studioSubject(tx, m.studio_id) : undefined;
  return studio && m ? { ...studio, subject: m.name, link: `/mentorships/${m.mentorshipId}` } : undefined;
};

// The steps declare their notices (policy.ts); the step's name is its history action.
export const milestoneNotices = declareNotices(MILESTONE_AUDIT, milestoneSubject, {
  ...stepNotices("", milestoneWorkflow.steps),
  [MILESTONE_FILING.action]: MILESTONE_FILING.notices,
});
