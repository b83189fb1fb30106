import type { DB } from "~db";
import { advanceBlockers, type Campaign } from "~/modules/campaigns/campaigns.server";
import { nextStage, STAGE_LABELS } from "~/modules/campaigns/stages";
import { todosOf, type Waiting } from "~/modules/notifications/sources";

/** What a campaign's stages leave waiting, for the to-do list. */

/** When the campaign entered its present stage: its last step, or its creation. */
async function stageSince(db: DB, campaign: { id: number; created_at: Date }): Promise<Date> {
  const step = await db
    .selectFrom("audit_log")
    .select("at")
    .where("entity_type", "=", "campaign")
    .where("entity_id", "=", String(campaign.id))
    .where("action", "in", ["advance", "revert_advance"])
    .orderBy("id", "desc")
    .executeTakeFirst();
  return step?.at ?? campaign.created_at;
}

/** The date a stage is meant to end by, where the campaign sets one. */
const stageDeadline = (c: Campaign) => (c.status === "nominating" ? c.nomination_deadline : c.status === "public_notice" ? c.notice_end : null);

/** The open campaign's deadline coming while the unit has put nobody forward. */
export const nominationsMissing = todosOf("county_officer", async (db, u, now) => {
  const silent = await db
    .selectFrom("campaign")
    .select(["id", "title", "nomination_deadline", "created_at as since"])
    .where("status", "=", "nominating")
    .where("nomination_deadline", ">=", now.today)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("nomination")
            .select("nomination.id")
            .whereRef("nomination.campaign_id", "=", "campaign.id")
            .where("nomination.nominating_unit_id", "=", u.orgUnitId),
        ),
      ),
    )
    .execute();
  return silent.map((c) => ({
    label: `推荐人选：${c.title}，本单位尚未推荐`,
    link: `/campaigns/${c.id}/nominations/new`,
    since: c.since,
    due: c.nomination_deadline,
  }));
});

/** A stage that may be closed now (nothing blocks it), or whose set end has passed with work left. */
export const stageToClose = todosOf("city_admin", async (db, _u, now) => {
  const open = await db.selectFrom("campaign").selectAll().where("status", "!=", "closed").orderBy("id").execute();
  const items: Waiting[] = [];
  for (const campaign of open) {
    const blockers = await advanceBlockers(db, campaign, now.today);
    const due = stageDeadline(campaign);
    const next = nextStage(campaign.status);
    if (!next || (blockers.length && !(due && due < now.today))) continue;
    items.push({
      label: blockers.length
        ? `${campaign.title}“${STAGE_LABELS[campaign.status]}”已过期限：${blockers[0]}`
        : `${campaign.title}可进入“${STAGE_LABELS[next]}”阶段`,
      link: `/campaigns/${campaign.id}`,
      since: await stageSince(db, campaign),
      due,
    });
  }
  return items;
});
