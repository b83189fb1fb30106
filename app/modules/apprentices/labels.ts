import type { ApprenticeLogKind, ApprenticeLogStatus } from "~db/types";
import { auditTrail } from "~/lib/audit";

export const LOG_KIND_LABELS: Record<ApprenticeLogKind, string> = { training: "培训学习", practice: "实操练习" };

export const LOG_STATUS_LABELS: Record<ApprenticeLogStatus, string> = { pending: "待师傅确认", confirmed: "师傅已确认", returned: "师傅已退回" };

/** The 师徒结对协议's history, kept under the pairing (its id) and the studio's unit. */
export const AGREEMENT_AUDIT = auditTrail("mentorship_agreement", "师徒结对协议", {
  apprentice_confirm: "学徒确认协议",
  mentor_confirm: "师傅确认协议",
  pause: "暂停结对",
  resume: "恢复结对",
});

/** The apprentice's log entries' history, under the entry and the studio's unit. */
export const APPRENTICE_LOG_AUDIT = auditTrail("apprentice_log", "学徒学习日志", { create: "登记", confirm: "师傅确认", return: "师傅退回" });
