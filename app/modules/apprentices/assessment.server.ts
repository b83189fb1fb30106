import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { fieldsRefused, refuse, type Result } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { isOfficerParty, partyTo } from "~/modules/apprentices/policy";
import { ASSESSMENT_AUDIT } from "~/modules/apprentices/assessment-labels";
import type { AssessmentInput } from "~/modules/apprentices/assessment-schema.server";
import type { MentorshipView } from "~/modules/studios/mentorships.server";

/**
 * 出师考核: the officers of the studio's unit (or the city) record how the apprentice was examined
 * and what it decided — 出师 completes the pairing on the day of the assessment, 终止 ends it early,
 * 延期 moves its planned end and keeps it going. Only the pairing's own verified skill upgrades and
 * competition placings count as evidence. One transaction: the assessment, the pairing's change
 * and the history row the mentor's and the apprentice's messages come from.
 */

/** The milestones an assessment may name as evidence: verified, of the two kinds that show a level reached. */
export const EVIDENCE_KINDS = ["skill_upgrade", "competition"] as const;

export function isOngoing(status: string): boolean {
  return status === "active" || status === "paused";
}

/** Whether the user may record this pairing's assessment (the page shows the form on this). */
export function canAssess(user: SessionUser, m: MentorshipView): boolean {
  return isOfficerParty(partyTo(user, m)) && isOngoing(m.status);
}

export async function recordAssessment(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: AssessmentInput,
  today = todayInTaizhou(),
): Promise<Result<{ id: number }>> {
  // The mentor's own apprentice is examined by the union, never by the mentor.
  if (!isOfficerParty(partyTo(actor, m))) return refuse("只有工作室所在县（市、区）总工会或市总工会可以登记出师考核", { status: 403 });
  if (!input.confirmed) return refuse("考核结论登记后不能撤销，请确认后再提交", { field: "confirmed" });
  return db.transaction().execute(async (tx): Promise<Result<{ id: number }>> => {
    const current = await tx
      .selectFrom("mentorship")
      .select(["status", "start_date", "planned_end"])
      .where("id", "=", m.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!isOngoing(current.status)) return refuse("该结对已经结束，不能再登记出师考核", { status: 409 });
    if (input.assessedOn < current.start_date) return fieldsRefused({ assessedOn: [`考核日期不能早于结对日期（${current.start_date}）`] });
    if (input.assessedOn > today) return fieldsRefused({ assessedOn: ["考核日期不能晚于今天"] });
    // Each assessment closes a period the allowance pays for (from the start or the last 延期): one
    // dated on or before the last would pay again for the same days, or none at all.
    const last = await tx
      .selectFrom("mentorship_assessment")
      .select((eb) => eb.fn.max("assessed_on").as("on"))
      .where("mentorship_id", "=", m.id)
      .executeTakeFirst();
    if (last?.on && input.assessedOn <= last.on) return fieldsRefused({ assessedOn: [`考核日期须晚于上次考核日期（${last.on}）`] });
    if (input.extendedTo !== null && input.extendedTo <= current.planned_end) {
      return fieldsRefused({ extendedTo: [`延期至须晚于原计划结束日期（${current.planned_end}）`] });
    }
    if (input.extendedTo !== null && input.extendedTo <= input.assessedOn) return fieldsRefused({ extendedTo: ["延期至须晚于考核日期"] });
    if (input.evidence.length) {
      const found = await tx
        .selectFrom("milestone")
        .select("id")
        .where("id", "in", input.evidence)
        .where("mentorship_id", "=", m.id)
        .where("status", "=", "verified")
        .where("kind", "in", EVIDENCE_KINDS)
        .execute();
      if (found.length !== input.evidence.length) return fieldsRefused({ evidence: ["只能选择本结对已认定的技能等级提升或竞赛获奖作为考核依据"] });
    }
    const row = await tx
      .insertInto("mentorship_assessment")
      .values({
        mentorship_id: m.id,
        assessed_on: input.assessedOn,
        method: input.method,
        examiners: input.examiners,
        score: input.score,
        grade: input.grade,
        certificate: input.certificate,
        result: input.result,
        extended_to: input.extendedTo,
        evidence: JSON.stringify(input.evidence),
        comment: input.comment,
        recorded_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.result === "extended") {
      // A paused pairing stays paused: the extension moves its end, not its state.
      await tx.updateTable("mentorship").set({ planned_end: input.extendedTo! }).where("id", "=", m.id).execute();
    } else {
      await tx
        .updateTable("mentorship")
        .set({
          status: input.result === "passed" ? "completed" : "ended_early",
          ended_on: input.assessedOn,
          end_reason: input.result === "passed" ? null : input.comment,
        })
        .where("id", "=", m.id)
        .execute();
    }
    const { confirmed: _confirmed, evidence: _evidence, comment: _comment, ...assessed } = input;
    await recordAudit(tx, ASSESSMENT_AUDIT, {
      actor,
      id: row.id,
      unit: m.org_unit_id,
      action: input.result,
      before: { mentorshipId: m.id, status: current.status, plannedEnd: current.planned_end },
      // What was decided as the form said it; the evidence by its count, the comment as the row's comment.
      after: { mentorshipId: m.id, ...assessed, evidence: input.evidence.length },
      comment: input.comment,
    });
    return { ok: true, id: row.id };
  });
}

/** A pairing's assessments, latest first, with the evidence each named. */
export async function assessmentsOf(db: DB, mentorshipId: number) {
  return db
    .selectFrom("mentorship_assessment as a")
    .leftJoin("app_user as u", "u.id", "a.recorded_by")
    .select([
      "a.id",
      "a.assessed_on",
      "a.method",
      "a.examiners",
      "a.score",
      "a.grade",
      "a.certificate",
      "a.result",
      "a.extended_to",
      "a.evidence",
      "a.comment",
      "a.created_at",
      "u.display_name as recorded_by_name",
    ])
    .where("a.mentorship_id", "=", mentorshipId)
    .orderBy("a.assessed_on", "desc")
    .orderBy("a.id", "desc")
    .execute();
}

/** The milestones that may be chosen as evidence: the pairing's verified skill upgrades and competition placings. */
export async function evidenceChoices(db: DB, mentorshipId: number) {
  return db
    .selectFrom("milestone")
    .select(["id", "kind", "occurred_on", "details"])
    .where("mentorship_id", "=", mentorshipId)
    .where("status", "=", "verified")
    .where("kind", "in", EVIDENCE_KINDS)
    .orderBy("occurred_on")
    .execute();
}
