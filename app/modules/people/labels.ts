import { auditTrail } from "~/lib/audit";

export const PERSON_AUDIT = auditTrail("person", "人员档案", {
  create: "新建",
  update: "修改",
  reveal_personal_data: "查看完整证件号/电话",
  exact_lookup: "按完整证件号/电话查找",
  consent_given: "登记公开同意",
  consent_withdrawn: "撤回公开同意",
  phone_changed_by_other: "他人修改登记手机号（新号码24小时内不能验证码登录）",
  new_device_sign_in: "新设备登录",
});
