import type { DB } from "../db";

/** A campaign at its vote with twelve candidates, open from an hour ago for a week. */
export async function openVote(db: DB, number: number, openedAt: Date): Promise<{ campaignId: number; candidates: number[] }> {
  const admin = await db.selectFrom("app_user").select("id").where("role", "=", "city_admin").executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto("campaign")
    .values({ number, year: 2026, title: `第${number}届“台州工匠”选树活动（压测）`, nomination_deadline: "2026-03-31", status: "online_vote" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const people = await db.selectFrom("person").select(["id", "org_unit_id"]).orderBy("id").limit(12).execute();
  const candidates: number[] = [];
  for (const [i, p] of people.entries()) {
    const n = await db
      .insertInto("nomination")
      .values({ campaign_id: campaign.id, person_id: p.id, seq: i + 1, channel: "union", nominating_unit_id: p.org_unit_id, candidate: true })
      .returning("id")
      .executeTakeFirstOrThrow();
    candidates.push(n.id);
  }
  await db
    .insertInto("vote_rule")
    .values({
      campaign_id: campaign.id,
      opens_at: openedAt,
      closes_at: new Date(openedAt.getTime() + 7 * 86_400_000),
      max_choices: 3,
      per_candidate: "once",
      tally_shown: "live",
      vote_weight: 30,
      set_by: admin.id,
    })
    .execute();
  return { campaignId: campaign.id, candidates };
}
