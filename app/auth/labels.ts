import { auditTrail } from "~/lib/audit";

/** Sign-ins, kept in the history like every other change that concerns someone. */
export const SESSION_AUDIT = auditTrail("session", "登录", {
  sign_in: "登录",
  sign_in_failed: "登录失败（密码错误）",
  sign_out_device: "退出一台设备的登录",
  sign_out_all: "退出所有设备的登录",
  second_factor_failed: "登录失败（动态验证码错误）",
});

/** An identity at the single sign-on provider (issue 36): seen, bound by the city to an officer's account, signing in. */
export const IDENTITY_AUDIT = auditTrail("external_identity", "统一身份认证账号", {
  unbound_sign_in: "登录未成功（尚未绑定平台账号）",
  refused_sign_in: "登录未成功（绑定的账号已停用或不可用）",
  sign_in: "通过统一身份认证登录",
  bind: "绑定平台账号",
  unbind: "解除绑定",
});

/** A city officer's one-time-code second factor (issue 36). */
export const SECOND_FACTOR_AUDIT = auditTrail("second_factor", "动态验证码", {
  enable: "开启动态验证码",
  disable: "关闭动态验证码",
  reset: "重置动态验证码",
});
