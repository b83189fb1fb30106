import { auditTrail } from "~/lib/audit";

/** Sign-ins, kept in the history like every other change that concerns someone. */
export const SESSION_AUDIT = auditTrail("session", "登录", { sign_in: "登录", sign_in_failed: "登录失败（密码错误）" });
