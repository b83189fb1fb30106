import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { phoneChangedText } from "~/modules/people/phone-guard.server";

/**
 * What a person hears about their own sign-in credentials (through their account, the "owner"
 * audience): the history row carries what the text needs — the new number masked (its comment,
 * the {reason}, names who changed it), or the device's few words.
 */
const personSubject: SubjectResolver = async (tx, id, after) => {
  const person = await tx.selectFrom("person").select(["id", "org_unit_id"]).where("id", "=", id).executeTakeFirst();
  if (!person) return undefined;
  const text = (key: string) => (typeof after?.[key] === "string" ? (after[key] as string) : "");
  return {
    personId: person.id,
    unitId: person.org_unit_id,
    subject: text("phone") || text("device"),
    owner: null,
    unit: null,
    link: "/account",
  };
};

export const personNotices = declareNotices(PERSON_AUDIT, personSubject, {
  phone_changed_by_other: [
    {
      to: ["owner"],
      category: "account",
      // The SMS to the old number says the same.
      text: phoneChangedText("{reason}", "{subject}"),
    },
  ],
  new_device_sign_in: [
    {
      to: ["owner"],
      category: "account",
      text: "新设备登录：您的账号刚在一台新设备（{subject}）上用手机验证码或微信登录。如非本人操作，请在“我的账号”中退出该设备的登录，并联系所在工作室或县级总工会",
    },
  ],
});
