import type { RetentionKind } from "~db/types";
import { auditTrail } from "~/lib/audit";

/** What each rule keeps, as the schedule page and the README name it. */
export const RETENTION_KIND_LABELS: Record<RetentionKind, string> = {
  vote_phone: "网络投票手机号（哈希）、投票验证码",
  objector_identity: "异议人身份信息（姓名、身份证号、手机号）",
  rejected_files: "未通过申请的附件",
  sessions: "登录会话、验证码、登录限流记录",
  sms_messages: "短信记录",
  access_logs: "访问日志",
  backups: "数据库备份",
};

/** The schedule's history: each purge (by the system) and each change of a period (by the city), under the rule's kind. */
export const RETENTION_AUDIT = auditTrail("retention_rule", "保存期限", { purge: "按保存期限清除", update: "修改保存期限" });

/** A period as the schedule says it. */
export const periodText = (days: number) => (days === 0 ? "即时" : `${days}天`);
