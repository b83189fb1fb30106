import type { Tx } from "~db";
import { AGREEMENT_AUDIT, APPRENTICE_LOG_AUDIT } from "~/modules/apprentices/labels";
import { declareNotices, type Subject, type SubjectResolver } from "~/modules/notifications/sources";

/**
 * Who hears of the agreement and the log. The mentor is the "owner" (the studio's leader, as for
 * every studio record); the apprentice is the one "participant" — heard only once they have an
 * account (an apprentice's account is bound to their person record).
 */
async function pairingSubject(tx: Tx, mentorshipId: number): Promise<Subject | undefined> {
  const row = await tx
    .selectFrom("mentorship")
    .innerJoin("studio as s", "s.id", "mentorship.studio_id")
    .innerJoin("person as apprentice", "apprentice.id", "mentorship.apprentice_id")
    .leftJoin("person as mentor", "mentor.id", "s.person_id")
    .innerJoin("org_unit", "org_unit.id", "s.org_unit_id")
    .select(["s.person_id", "s.org_unit_id", "apprentice.id as apprentice_id", "apprentice.name", "mentor.name as mentor", "org_unit.short_name as unit"])
    .where("mentorship.id", "=", mentorshipId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    personId: row.person_id,
    unitId: row.org_unit_id,
    subject: `${row.mentor ?? ""}与${row.name}的师徒结对`,
    owner: row.mentor,
    unit: row.unit,
    participants: [row.apprentice_id],
    link: `/mentorships/${mentorshipId}`,
  };
}

export const agreementNotices = declareNotices(AGREEMENT_AUDIT, pairingSubject, {
  apprentice_confirm: [{ to: ["owner"], category: "todo", text: "学徒已用手机验证码确认“{subject}”协议" }],
  mentor_confirm: [{ to: ["participants"], category: "approved", text: "师傅已确认“{subject}”协议" }],
  pause: [{ to: ["owner", "participants"], category: "suspended", text: "“{subject}”已暂停：{reason}" }],
  resume: [{ to: ["owner", "participants"], category: "approved", text: "“{subject}”已恢复" }],
});

/** A log entry is about its pairing. */
const logSubject: SubjectResolver = async (tx, id) => {
  const entry = await tx.selectFrom("apprentice_log").select("mentorship_id").where("id", "=", id).executeTakeFirst();
  return entry ? pairingSubject(tx, entry.mentorship_id) : undefined;
};

export const apprenticeLogNotices = declareNotices(APPRENTICE_LOG_AUDIT, logSubject, {
  create: [{ to: ["owner"], category: "todo", text: "“{subject}”有新的学习日志，请确认" }],
  return: [{ to: ["participants"], category: "returned", text: "您在“{subject}”中的学习日志被师傅退回：{reason}" }],
});
