import type { ReactNode } from "react";
import { DataTable } from "~/components/DataTable";
import { formatDate } from "~/lib/format";
import { HONOUR_KIND_LABELS, HONOUR_LEVEL_LABELS, HONOUR_STATUS_LABELS } from "~/modules/honours/labels";
import type { HonourLine } from "~/modules/honours/policy";

/** A person's honours as the record pages show them: level, kind, name, body, year, status (with its revocation) and source. */
export function HonourList({ honours, action }: { honours: HonourLine[]; action?: (h: HonourLine) => ReactNode }) {
  return (
    <DataTable
      rows={honours}
      rowKey={(h) => (h.id === null ? `platform-${h.title}-${h.year}` : h.id)}
      compact
      responsive
      caption="荣誉"
      empty="尚未登记荣誉。"
      columns={[
        { label: "级别", cell: (h) => HONOUR_LEVEL_LABELS[h.level] },
        { label: "类别", cell: (h) => HONOUR_KIND_LABELS[h.kind] },
        { label: "荣誉名称", cell: (h) => h.title },
        { label: "授予单位", cell: (h) => h.conferredBy },
        { label: "年份", cell: (h) => (h.conferredOn ? formatDate(h.conferredOn) : h.year) },
        {
          label: "状态",
          cell: (h) =>
            h.status === "revoked" ? (
              <span className="badge bad">
                {HONOUR_STATUS_LABELS.revoked}
                {h.revokedOn ? `（${formatDate(h.revokedOn)}${h.revokedNote ? `，${h.revokedNote}` : ""}）` : ""}
              </span>
            ) : (
              <span className="badge ok">{HONOUR_STATUS_LABELS.kept}</span>
            ),
        },
        { label: "来源", cell: (h) => h.source },
        action ? { label: "操作", cell: action } : null,
      ]}
    />
  );
}
