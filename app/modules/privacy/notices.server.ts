import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { RIGHTS_AUDIT, RIGHTS_KIND_LABELS } from "~/modules/privacy/labels";

/**
 * A requester on record hears the answer in their inbox and by SMS (through their accounts, the "owner"
 * audience). A requester by phone has no account: the desk queues their SMS itself (rights.server's answer).
 */
const requestSubject: SubjectResolver = async (tx, id) => {
  const row = await tx.selectFrom("rights_request").select(["person_id", "org_unit_id", "kind"]).where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  return {
    personId: row.person_id,
    unitId: row.org_unit_id,
    subject: `个人信息权利申请（${RIGHTS_KIND_LABELS[row.kind]}）`,
    owner: null,
    unit: null,
    link: "/privacy/requests",
  };
};

export const rightsNotices = declareNotices(RIGHTS_AUDIT, requestSubject, {
  granted: [{ to: ["owner"], category: "approved", text: "您的{subject}已办理：{reason}" }],
  refused: [{ to: ["owner"], category: "rejected", text: "您的{subject}不予同意：{reason}" }],
});
