import type { ReactNode } from "react";
import { formatDateTime } from "~/lib/format";
import { actionLabel } from "~/modules/audit/labels";

export interface HistoryEntry {
  id: number;
  at: string | Date;
  actor_name: string;
  entity_type: string;
  action: string;
  comment: string | null;
  before?: unknown;
  after?: unknown;
}

/** A record's append-only history: who did what, when, and why. */
export function HistoryCard({ history, detail }: { history: HistoryEntry[]; detail?: (entry: HistoryEntry) => ReactNode }) {
  if (!history.length) return null;
  return (
    <div className="card">
      <h2>变更记录</h2>
      <ul className="timeline">
        {history.map((h) => (
          <li key={h.id}>
            <time>{formatDateTime(h.at)}</time> {h.actor_name} · {actionLabel(h.action, h.entity_type)}
            {detail?.(h)}
            {h.comment ? `（${h.comment}）` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
