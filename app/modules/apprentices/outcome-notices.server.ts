import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { ASSESSMENT_AUDIT, MENTOR_PAYMENT_AUDIT } from "~/modules/apprentices/assessment-labels";
import { pairingSubject } from "~/modules/apprentices/notices.server";

/**
 * Who hears of an 出师考核 and of a mentor's payment: the assessment is about its pairing (the mentor and the
 * apprentice, pairingSubject); a payment is the mentor's money, so only the mentor paid hears of it.
 */
export const assessmentSubject: SubjectResolver = async (tx, id) => {
  const a = await tx.selectFrom("mentorship_assessment").select("mentorship_id").where("id", "=", id).executeTakeFirst();
  return a && pairingSubject(tx, a.mentorship_id, (p) => p.apprentice);
};

export const assessmentNotices = declareNotices(ASSESSMENT_AUDIT, assessmentSubject, {
  passed: [
    { to: ["owner"], category: "approved", text: "您的学徒{subject}已通过出师考核，结对圆满完成" },
    { to: ["apprentice"], category: "approved", text: "恭喜您通过出师考核，顺利出师" },
  ],
  extended: [
    { to: ["owner"], category: "evaluation", text: "您的学徒{subject}出师考核结论为延期，结对期已延长，请在结对页面查看" },
    { to: ["apprentice"], category: "evaluation", text: "您的出师考核结论为延期，结对期已延长，请在结对页面查看" },
  ],
  terminated: [
    { to: ["owner"], category: "rejected", text: "您的学徒{subject}出师考核未通过，结对已终止：{reason}" },
    { to: ["apprentice"], category: "rejected", text: "您的出师考核未通过，结对已终止：{reason}" },
  ],
});

/** A payment is about the mentor it was paid to; its page is the payable list. */
const payment: SubjectResolver = async (tx, id) =>
  tx
    .selectFrom("mentor_payment as p")
    .innerJoin("studio as s", "s.id", "p.studio_id")
    .innerJoin("person as mentor", "mentor.id", "p.mentor_id")
    .innerJoin("org_unit", "org_unit.id", "s.org_unit_id")
    .select(["p.mentor_id as personId", "s.org_unit_id as unitId", "s.name as subject", "mentor.name as owner", "org_unit.short_name as unit"])
    .select((eb) => eb.val("/mentoring/payable?paid=paid").as("link"))
    .where("p.id", "=", id)
    .executeTakeFirst();

export const paymentNotices = declareNotices(MENTOR_PAYMENT_AUDIT, payment, {
  pay: [{ to: ["owner"], category: "paid", text: "“{subject}”的带徒津贴或奖励已支付，请在带徒津贴页面查看" }],
});
