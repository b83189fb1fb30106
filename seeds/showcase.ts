import type { DB } from "../db";

/** Most named craftsmen have agreed to be shown (the demo craftsman among them); a few coverage items. */
export async function seedShowcase(db: DB, craftsmanPersonId: number, adminId: string) {
  const awardees = await db
    .selectFrom("award")
    .innerJoin("nomination", "nomination.id", "award.nomination_id")
    .innerJoin("person", "person.id", "award.person_id")
    .select(["person.id", "person.org_unit_id", "nomination.deeds_summary"])
    .orderBy("award.rank")
    .execute();
  for (const [i, a] of awardees.entries()) {
    // Every fourth has not (yet) agreed: they stay off the public pages.
    if (i % 4 === 3 && a.id !== craftsmanPersonId) continue;
    await db
      .insertInto("publication_consent")
      .values({ person_id: a.id, consented: true, how_obtained: "本人签署的公开展示同意书", story: a.deeds_summary, recorded_by: adminId })
      .execute();
  }
  const studio = await db.selectFrom("studio").select(["id", "org_unit_id"]).where("person_id", "=", craftsmanPersonId).executeTakeFirst();
  const craftsman = awardees.find((a) => a.id === craftsmanPersonId)!;
  await db
    .insertInto("publicity_item")
    .values([
      {
        outlet: "newspaper",
        outlet_name: "台州日报《台州工匠》专栏",
        title: "把缝纫机旋梭做到极致的人",
        published_on: "2018-06-12",
        url: null,
        person_id: craftsmanPersonId,
        studio_id: null,
        org_unit_id: craftsman.org_unit_id,
        recorded_by: adminId,
      },
      {
        outlet: "tv",
        outlet_name: "台州电视台新闻综合频道",
        title: "工匠工作室里的“1+N”",
        published_on: "2019-03-05",
        url: null,
        person_id: craftsmanPersonId,
        studio_id: studio?.id ?? null,
        org_unit_id: craftsman.org_unit_id,
        recorded_by: adminId,
      },
    ])
    .execute();
}
