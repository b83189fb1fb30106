import { recallsDue } from "~/modules/governance/revocation.server";
import { RECALL_KIND_LABELS } from "~/modules/governance/revocation-labels";
import type { TodoSource } from "~/modules/notifications/sources";

/** Each revoked title or studio waits for its certificate or plaque to be recalled: its county's officers and the city, until it is recorded. */
export const titleToRecall: TodoSource = {
  roles: ["county_officer", "city_admin"],
  list: async (db, user) =>
    (await recallsDue(db, user)).map((r) => ({
      label: `收回${RECALL_KIND_LABELS[r.kind]}：${r.name}（${r.unit_name}）`,
      link: "/revocations",
      since: r.since,
    })),
};
