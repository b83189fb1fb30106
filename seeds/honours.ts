import type { DB } from "../db";
import type { SessionUser } from "../app/auth/roles";
import { addHonour, revokeHonour } from "../app/modules/honours/honours.server";
import type { HonourInput } from "../app/modules/honours/schema.server";

/**
 * A few honours in the register, entered through the module as the city would: the demo craftsman's
 * 浙江工匠 and a county 技术能手, a 省劳动模范 for the second-ranked craftsman, and one honour since revoked.
 */
export async function seedHonours(db: DB, craftsmanPersonId: number, admin: SessionUser) {
  const others = await db.selectFrom("award").select("person_id").where("person_id", "!=", craftsmanPersonId).orderBy("rank").limit(2).execute();
  const entries: Array<[number, HonourInput]> = [
    [craftsmanPersonId, { level: "provincial", kind: "craftsman", title: "浙江工匠", conferredBy: "浙江省总工会", year: 2021 }],
    [craftsmanPersonId, { level: "county", kind: "technical_expert", title: "温岭市技术能手", conferredBy: "温岭市人力资源和社会保障局", year: 2012 }],
    [
      others[0].person_id,
      { level: "provincial", kind: "model_worker", title: "浙江省劳动模范", conferredBy: "浙江省人民政府", year: 2020, conferredOn: "2020-04-28" },
    ],
    [others[1].person_id, { level: "city", kind: "technical_expert", title: "台州市技术能手", conferredBy: "台州市人力资源和社会保障局", year: 2015 }],
  ];
  const ids: number[] = [];
  for (const [personId, input] of entries) {
    const added = await addHonour(db, admin, personId, input);
    if (!added.ok) throw new Error(`seed honour: ${added.message}`);
    ids.push(added.id);
  }
  const revoked = await revokeHonour(db, admin, others[1].person_id, {
    honourId: ids[3],
    revokedOn: "2019-08-15",
    note: "复核发现申报材料不实，市人社局发文撤销",
  });
  if (!revoked.ok) throw new Error(`seed honour: ${revoked.message}`);
}
