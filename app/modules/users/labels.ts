import { auditTrail } from "~/lib/audit";

export const USER_AUDIT = auditTrail("user", "用户", {
  create: "新建",
  update: "修改",
  reset_password: "重置密码",
  deactivate: "停用",
  activate: "启用",
});
