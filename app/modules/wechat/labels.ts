import { auditTrail } from "~/lib/audit";

/** A person's WeChat binding (issue 36): keyed by the person, so their history shows it. */
export const WECHAT_AUDIT = auditTrail("wechat_identity", "微信绑定", {
  bind: "绑定微信",
  unbind: "解除微信绑定",
  sign_in: "微信一键登录",
});
