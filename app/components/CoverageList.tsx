import type { Outlet } from "~db/types";
import { OUTLET_LABELS } from "~/modules/showcase/labels";

export interface CoverageItem {
  id: number;
  outlet: Outlet;
  outlet_name: string;
  title: string;
  published_on: string;
  url: string | null;
  has_clipping: boolean;
}

/** Media coverage of a craftsman or a studio, as the public pages show it. */
export function CoverageList({ items }: { items: CoverageItem[] }) {
  if (!items.length) return null;
  return (
    <div className="card">
      <h2>媒体报道</h2>
      <ul>
        {items.map((c) => (
          <li key={c.id}>
            {OUTLET_LABELS[c.outlet]}（{c.outlet_name}）{c.published_on}：
            {c.url ? (
              <a href={c.url} rel="noopener noreferrer nofollow" target="_blank">
                {c.title}
              </a>
            ) : (
              c.title
            )}
            {c.has_clipping ? (
              <>
                {" "}
                · <a href={`/showcase/clippings/${c.id}`}>剪报</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
