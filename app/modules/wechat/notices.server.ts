import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { WECHAT_AUDIT } from "~/modules/wechat/labels";

/**
 * A binding or its end is told to the person (through their account, the "owner" audience), like a
 * sign-in from a new device: if it was not them, they unbind at /account/wechat and tell the union.
 */
const personSubject: SubjectResolver = async (tx, id) => {
  const person = await tx.selectFrom("person").select(["id", "org_unit_id"]).where("id", "=", id).executeTakeFirst();
  if (!person) return undefined;
  return { personId: person.id, unitId: person.org_unit_id, subject: "微信绑定", owner: null, unit: null, link: "/account/wechat" };
};

export const wechatNotices = declareNotices(WECHAT_AUDIT, personSubject, {
  bind: [{ to: ["owner"], category: "account", text: "您的账号已绑定微信，此后在微信中可一键登录。如非本人操作，请在“我的账号”解除绑定并联系工会" }],
  unbind: [{ to: ["owner"], category: "account", text: "您的账号已解除微信绑定" }],
});
