import type { Tx } from "~db";
import { AGREEMENT_AUDIT, APPRENTICE_LOG_AUDIT } from "~/modules/apprentices/labels";
import { declareNotices, type Subject, type SubjectResolver } from "~/modules/notifications/sources";

/**
 * Who hears of a pairing's steps — its agreement, log, reviews and 出师考核 alike: the mentor is the
 * "owner" (the studio's leader, as for every studio record), the apprentice the "apprentice"
 * audience — their own apprentice account (bound to their person record), so an apprentice without
 * one is nobody to tell, and a person whose account is a craftsman's, to whom the pairing's page is
 * not open as its apprentice (partyTo), is not told either. `name` says what the step is about.
 */
export async function pairingSubject(
  tx: Tx,
  mentorshipId: number,
  name: (pairing: { apprentice: string; mentor: string | null }) => string = (p) => `${p.mentor ?? ""}与${p.apprentice}的师徒结对`,
): Promise<Subject | undefined> {
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
    subject: name({ apprentice: row.name, mentor: row.mentor }),
    owner: row.mentor,
    unit: row.unit,
    apprenticeId: row.apprentice_id,
    link: `/mentorships/${mentorshipId}`,
  };
}

const agreementSubject: SubjectResolver = (tx, id) => pairingSubject(tx, id);

export const agreementNotices = declareNotices(AGREEMENT_AUDIT, agreementSubject, {
  apprentice_confirm: [{ to: ["owner"], category: "todo", text: "学徒已用手机验证码确认“{subject}”协议" }],
  mentor_confirm: [{ to: ["apprentice"], category: "approved", text: "师傅已确认“{subject}”协议" }],
  pause: [{ to: ["owner", "apprentice"], category: "suspended", text: "“{subject}”已暂停：{reason}" }],
  resume: [{ to: ["owner", "apprentice"], category: "approved", text: "“{subject}”已恢复" }],
});

/** A log entry is about its pairing. */
const logSubject: SubjectResolver = async (tx, id) => {
  const entry = await tx.selectFrom("apprentice_log").select("mentorship_id").where("id", "=", id).executeTakeFirst();
  return entry ? pairingSubject(tx, entry.mentorship_id) : undefined;
};

export const apprenticeLogNotices = declareNotices(APPRENTICE_LOG_AUDIT, logSubject, {
  create: [{ to: ["owner"], category: "todo", text: "“{subject}”有新的学习日志，请确认" }],
  return: [{ to: ["apprentice"], category: "returned", text: "您在“{subject}”中的学习日志被师傅退回：{reason}" }],
});
