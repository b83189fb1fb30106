import type { RevocationScope } from "~db/types";
import { auditTrail } from "~/lib/audit";

/** What a revocation takes back, as the list and the history name it. */
export const REVOCATION_SCOPE_LABELS: Record<RevocationScope, string> = {
  award: "撤销单个称号",
  studio: "工作室摘牌",
  campaign: "撤销整届称号",
  accreditation: "撤销整批授牌",
};

/** The revocation itself (one row per decision, however many titles it took back): its action is its scope. */
export const REVOCATION_AUDIT = auditTrail("revocation", "撤销决定", REVOCATION_SCOPE_LABELS);

/**
 * A 台州工匠 title: what happens to it after it was named. Each title a revocation takes back gets its own
 * row (its holder and their county hear of it), and so does the recall of its certificate.
 */
export const AWARD_AUDIT = auditTrail("award", "台州工匠称号", { revoke: "撤销称号", recall: "收回证书" });

/** What is recalled: a title's certificate, a studio's plaque. */
export const RECALL_KIND_LABELS = { award: "证书", studio: "牌匾" } as const;

/** The confirmation every revocation asks for: it cannot be undone. */
export const REVOCATION_CONFIRM = "撤销后不能恢复：公开查验页和二维码将显示“已撤销”及撤销文件，展示页不再列出，并通知本人和所在县级工会收回证书或牌匾。";
