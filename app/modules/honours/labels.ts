import { auditTrail } from "~/lib/audit";
import type { HonourImportStatus, HonourKind, HonourLevel, HonourStatus } from "~db/types";

export const HONOUR_LEVEL_LABELS = { national: "全国", provincial: "省级", city: "市级", county: "县级" } as const satisfies Record<HonourLevel, string>;

export const HONOUR_KIND_LABELS = {
  model_worker: "劳动模范",
  may_day_medal: "五一劳动奖章",
  craftsman: "工匠",
  technical_expert: "技术能手",
  other: "其他",
} as const satisfies Record<HonourKind, string>;

export const HONOUR_STATUS_LABELS = { kept: "保持", revoked: "撤销" } as const satisfies Record<HonourStatus, string>;

/** An honour's history, kept under the honour (the person's honours page gathers it). */
export const HONOUR_AUDIT = auditTrail("honour", "荣誉", {
  create: "登记荣誉",
  import: "导入荣誉",
  revoke: "登记荣誉撤销",
  withdraw: "撤回误录的荣誉",
});

/** An uploaded list: committed (its honours written) or discarded without writing any. */
export const HONOUR_IMPORT_AUDIT = auditTrail("honour_import", "荣誉名单导入", {
  commit: "确认导入荣誉名单",
  discard: "放弃导入荣誉名单",
});

export const IMPORT_STATUS_LABELS = { preview: "待确认", committed: "已导入", discarded: "已放弃" } as const satisfies Record<HonourImportStatus, string>;
