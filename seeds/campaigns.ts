import type { DB } from "../db";
import { certificateNumber } from "../app/modules/nominations/review.server";
import { awardTitle } from "../app/modules/campaigns/stages";
import type { Random } from "../app/lib/random";
import { todayInTaizhou, yearInTaizhou } from "../app/lib/time";

const HONORS = ["浙江省技术能手", "台州市技术能手", "台州市劳动模范", "全国五一劳动奖章", "浙江省首席技师", "市级技能大师工作室领办人"];
const ACHIEVEMENTS = [
  "主持数控加工工艺改进，产品一次合格率由92%提高到99.3%",
  "研制专用工装夹具6套，年节约成本约120万元",
  "解决大型泵体铸造砂眼难题，获国家实用新型专利2项",
  "改进缝纫机旋梭热处理工艺，寿命提高40%",
  "牵头建立模具快速换型方法，换模时间缩短60%",
  "传承黄岩翻簧竹雕技艺，作品获省工艺美术精品奖",
];
const DEEDS =
  "该同志扎根生产一线二十余年，从学徒做起，刻苦钻研技术，练就了一手过硬本领。先后攻克多项关键技术难题，所带徒弟中多人成长为企业技能骨干，并在市级以上技能竞赛中取得优异成绩。";
const EXPERTS = ["周建华", "林晓东", "陈雅琴", "王国平", "徐立新"];

/**
 * Selection records for the demo: the second campaign (2018) run to its twenty named craftsmen,
 * with the demo craftsman among them, and a third one open for nominations.
 */
export async function seedCampaigns(db: DB, random: Random, craftsmanPersonId: number, adminId: string): Promise<void> {
  const units = await db.selectFrom("org_unit").select(["id", "code"]).where("kind", "=", "county").orderBy("sort_order").execute();
  const people = await db.selectFrom("person").select(["id", "org_unit_id", "skill_level"]).orderBy("id").execute();

  const second = await db
    .insertInto("campaign")
    .values({
      number: 2,
      year: 2018,
      title: `${awardTitle(2)}选树活动`,
      nomination_deadline: "2018-03-31",
      status: "closed",
      notice_start: "2018-05-02",
      notice_end: "2018-05-08",
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  // Five nominees per county unit, the demo craftsman among 温岭's.
  const nominees: number[] = [craftsmanPersonId];
  for (const unit of units) {
    const local = people.filter(
      (p) => p.org_unit_id === unit.id && p.id !== craftsmanPersonId && ["高级工", "技师", "高级技师", "特级技师", "首席技师"].includes(p.skill_level),
    );
    const quota = 5 - nominees.filter((id) => people.find((p) => p.id === id)?.org_unit_id === unit.id).length;
    nominees.push(...local.slice(0, quota).map((p) => p.id));
  }
  const nominationIds: number[] = [];
  for (const [i, personId] of nominees.entries()) {
    const unitId = people.find((p) => p.id === personId)!.org_unit_id;
    const failed = i % 11 === 10;
    const row = await db
      .insertInto("nomination")
      .values({
        campaign_id: second.id,
        person_id: personId,
        seq: i + 1,
        channel: "union",
        nominating_unit_id: unitId,
        honors: random.pick(HONORS),
        achievements: random.pick(ACHIEVEMENTS),
        deeds_summary: DEEDS,
        story: DEEDS.repeat(8),
        frontline_years: failed ? 4 : random.int(8, 30),
        in_skill_post: true,
        conditions: random.chance(0.5) ? [1, 5] : [2],
        qualification_result: failed ? "fail" : "pass",
        qualification_reason: failed ? "一线技能工作年限不足5年" : null,
        created_by: adminId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    nominationIds.push(row.id);
  }
  const qualified = nominationIds.filter((_, i) => i % 11 !== 10);
  // A second 温岭 awardee, who has no studio yet in the demo: the one an officer can apply for.
  const craftsmanUnit = people.find((p) => p.id === craftsmanPersonId)!.org_unit_id;
  const secondLocal = nominees.findIndex((id, i) => i > 0 && people.find((p) => p.id === id)!.org_unit_id === craftsmanUnit && i % 11 !== 10);
  const means = new Map<number, number>();
  for (const [i, id] of qualified.entries()) {
    // The demo craftsman (first) scores best, so the demo shows an awardee's whole record.
    const base = i === 0 ? 95 : id === nominationIds[secondLocal] ? 94 : random.int(72, 93);
    const scores = EXPERTS.map(() => Math.min(100, base + random.int(-3, 3)));
    await db
      .insertInto("expert_score")
      .values(scores.map((score, e) => ({ nomination_id: id, expert_name: EXPERTS[e], score, recorded_by: adminId })))
      .execute();
    means.set(id, scores.reduce((a, b) => a + b, 0) / scores.length);
  }
  const ranked = [...qualified].sort((a, b) => means.get(b)! - means.get(a)!);
  const candidates = ranked.slice(0, 30);
  for (const [i, id] of candidates.entries()) {
    await db
      .updateTable("nomination")
      .set({ candidate: true, vote_count: 12000 - i * 250 + random.int(0, 200), final_rank: i + 1 })
      .where("id", "=", id)
      .execute();
  }
  for (const [i, id] of candidates.slice(0, 20).entries()) {
    const personId = nominees[nominationIds.indexOf(id)];
    await db
      .insertInto("award")
      .values({
        campaign_id: second.id,
        nomination_id: id,
        person_id: personId,
        rank: i + 1,
        title: awardTitle(2),
        certificate_number: certificateNumber(2, i + 1),
        may_day_medal: true,
        named_on: "2018-05-20",
      })
      .execute();
  }
  await db
    .insertInto("nomination_opinion")
    .values(
      candidates.slice(0, 20).flatMap((id) => [
        { nomination_id: id, kind: "employer" as const, text: "情况属实，同意推荐。", signer: "单位工会", signed_on: "2018-03-20", recorded_by: adminId },
        { nomination_id: id, kind: "city" as const, text: "同意命名。", signer: "台州市总工会", signed_on: "2018-05-20", recorded_by: adminId },
      ]),
    )
    .execute();

  // The third campaign is open: 温岭 has filed three so far. Its deadline is the next 31 March, and its year the
  // deadline's, as the campaign form requires (a campaign of year N closes in N−1 or N), so it saves unchanged.
  const today = todayInTaizhou();
  const year = today.slice(5) <= "03-31" ? yearInTaizhou() : yearInTaizhou() + 1;
  const third = await db
    .insertInto("campaign")
    .values({ number: 3, year, title: `${awardTitle(3)}选树活动`, nomination_deadline: `${year}-03-31` })
    .returning("id")
    .executeTakeFirstOrThrow();
  const wenling = units.find((u) => u.code === "wenling")!;
  const open = people.filter((p) => p.org_unit_id === wenling.id && !nominees.includes(p.id)).slice(0, 3);
  for (const [i, p] of open.entries()) {
    await db
      .insertInto("nomination")
      .values({
        campaign_id: third.id,
        person_id: p.id,
        seq: i + 1,
        channel: "union",
        nominating_unit_id: wenling.id,
        honors: random.pick(HONORS),
        achievements: random.pick(ACHIEVEMENTS),
        deeds_summary: DEEDS,
        // Two of the three show what 资格初审 catches: one has left the skill post, one is short of five years.
        frontline_years: i === 2 ? 3 : random.int(6, 25),
        in_skill_post: i !== 1,
        conditions: [5],
        created_by: adminId,
      })
      .execute();
  }
}
