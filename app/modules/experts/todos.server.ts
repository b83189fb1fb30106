import { assignedTo, expertBoard } from "~/modules/experts/experts.server";
import { todosOf, type Waiting } from "~/modules/notifications/sources";

/** What expert review leaves waiting: the sheets an expert owes, and for the city how many are in. */

/** 专家评审 under way: how many sheets are in. */
export const reviewProgress = todosOf("city_admin", async (db) => {
  const reviewing = await db
    .selectFrom("campaign")
    .select(["id", "title", "created_at as since"])
    .where("status", "=", "expert_review")
    .where((eb) => eb.exists(eb.selectFrom("review_panel").select("review_panel.id").whereRef("review_panel.campaign_id", "=", "campaign.id")))
    .execute();
  const items: Waiting[] = [];
  for (const c of reviewing) {
    const { experts } = await expertBoard(db, c.id);
    const due = experts.reduce((s, e) => s + e.assigned - e.recused, 0);
    const done = experts.reduce((s, e) => s + e.submitted, 0);
    if (done < due) items.push({ label: `专家评审进度：${c.title}已提交 ${done}/${due} 份`, link: `/campaigns/${c.id}/experts`, since: c.since });
  }
  return items;
});

export const sheetsToFill = todosOf("expert", async (db, u) =>
  (await assignedTo(db, u))
    .filter((a) => a.status !== "submitted" && !a.recused)
    .map((a) => ({ label: `评审：${a.who}`, link: `/review/${a.id}`, since: a.since })),
);
