import { auditTrail } from "~/lib/audit";
import type { RightsKind, RightsStatus } from "~db/types";

/** The rights a person may exercise here (个人信息保护法 第四十四条至第四十七条). */
export const RIGHTS_KIND_LABELS: Record<RightsKind, string> = {
  copy: "查阅、复制我的个人信息",
  correct: "更正我的个人信息",
  delete: "删除我的个人信息",
  withdraw: "撤回公开展示同意",
};

export const RIGHTS_STATUS_LABELS: Record<RightsStatus, string> = { pending: "待答复", granted: "已同意", refused: "不予同意" };

export const CORRECTION_LABEL = "应更正为";

/** How the data-copy file is named when it is downloaded. */
export const DATA_COPY_FILENAME = "我的个人信息副本.xlsx";

export const RIGHTS_AUDIT = auditTrail("rights_request", "个人信息权利申请", {
  filed: "提出申请",
  granted: "同意申请",
  refused: "不予同意",
  copy_downloaded: "下载个人信息副本",
  policy_updated: "修改答复期限",
  calendar_updated: "修改节假日和调休",
});
