import { todosOf, type Waiting } from "~/modules/notifications/sources";
import { voteMonitor } from "~/modules/voting/voting.server";

/** The vote's monitor has flagged ballots that still count. */
export const ballotsToCheck = todosOf("city_admin", async (db) => {
  const voting = await db
    .selectFrom("campaign")
    .innerJoin("vote_rule", "vote_rule.campaign_id", "campaign.id")
    .select(["campaign.id", "campaign.title", "vote_rule.opens_at as since"])
    .where("campaign.status", "=", "online_vote")
    .execute();
  const items: Waiting[] = [];
  for (const c of voting) {
    const flagged = (await voteMonitor(db, c.id)).clusters.filter((k) => k.valid > 0);
    if (flagged.length) items.push({ label: `核查可疑选票：${c.title}（${flagged.length} 组）`, link: `/campaigns/${c.id}/vote`, since: c.since, dueDays: 1 });
  }
  return items;
});
