import { auditTrail } from "~/lib/audit";

/** Sign-ins, kept in the history like every other change that concerns someone. */
export const SESSION_AUDIT = auditTrail("session", "登录", {
  sign_in: "登录",
  sign_in_failed: "登录失败（密码错误）",
  sign_out_device: "退出一台设备的登录",
  sign_out_all: "退出所有设备的登录",
});
