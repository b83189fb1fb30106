import { z } from "zod";
import { DATE_RANGES } from "~/lib/time";
import { confirmation, isoDate, optionalText, recordId, requiredText } from "~/lib/validation.server";
import { RECALL_KIND_LABELS } from "~/modules/governance/revocation-labels";

/** What every revocation states: its own document, its date, its reason, and the confirming press. */
const revocationFields = {
  documentId: recordId("请从列表中选择撤销文件"),
  revokedOn: isoDate("撤销日期", DATE_RANGES.past),
  reason: requiredText("撤销理由", 500),
  confirmed: confirmation(),
};

export type RevocationInput = { documentId: number; revokedOn: string; reason: string; confirmed: boolean };

/** One title, by the number on its certificate (TZGJ…), as the holder or a QR code shows it. */
export const awardRevocationSchema = z.object({
  ...revocationFields,
  certificateNumber: requiredText("证书编号", 40)
    .regex(/^[A-Za-z0-9-]+$/, "证书编号只含字母、数字和短横线，如 TZGJ-2-001")
    .transform((v) => v.toUpperCase()),
});

/** Every title of one campaign. */
export const campaignRevocationSchema = z.object({ ...revocationFields, campaignId: recordId("请从列表中选择评选活动") });

/** Every studio of one accreditation batch (the document it was accredited by). */
export const accreditationRevocationSchema = z.object({ ...revocationFields, batchDocumentId: recordId("请从列表中选择授牌批次文件") });

/** The studio page's 摘牌: the workflow step's fields and the revocation's. */
export const studioRevocationSchema = z.object({
  ...revocationFields,
  step: z.literal("revoke", { error: "未知的操作，请刷新页面后重试" }),
  expected: z.string({ error: "页面已过期，请刷新后重试" }).max(40, "页面已过期，请刷新后重试"),
});

/** The certificate or plaque handed back. */
export const recallSchema = z.object({
  kind: z.enum(Object.keys(RECALL_KIND_LABELS) as ["award", "studio"], { error: "未知的收回对象，请刷新页面后重试" }),
  id: recordId("未知的收回对象，请刷新页面后重试"),
  recalledOn: isoDate("收回日期", DATE_RANGES.past),
  note: optionalText("备注", 500),
});

export type RecallInput = z.output<typeof recallSchema>;
