import { storedFileColumns } from "../app/lib/upload.server";
import type { DB } from "../db";
import { maskIdNumber, maskPhone, type Sex } from "../app/modules/people/id-number";
import { encrypt, lookupHash } from "../app/modules/people/pii.server";
import { birthDate, DISTRICT_CODES, fictionalIdNumber, mobilePhone, personName } from "./people";
import type { Random } from "../app/lib/random";

import { SUGGESTED_CRITERIA } from "../app/modules/studios/evaluation";
import { yearInTaizhou } from "../app/lib/time";

/** A one-page PDF, so demo evidence opens in any viewer. */
const DEMO_PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

const STATUSES = ["active", "active", "active", "accredited", "county_reviewed", "submitted", "draft"] as const;

/** The phone of the demo studio's first apprentice, who signs in with a code (printed on the console by the SMS outbox). */
export const DEMO_APPRENTICE_PHONE = "13957688001";

/**
 * Studios for the demo: the demo craftsman's is running with five apprentices and their
 * progress (two items waiting for 温岭's officer), and other awardees' studios in every state.
 */
export async function seedStudios(db: DB, random: Random, craftsmanPersonId: number, adminId: string, serialStart: number, scale: number) {
  const awards = await db
    .selectFrom("award")
    .innerJoin("person", "person.id", "award.person_id")
    .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
    .select(["award.id", "award.person_id", "person.name", "person.employer", "person.industry", "person.org_unit_id", "org_unit.code"])
    .orderBy("award.rank")
    .execute();
  // The scorecard's criteria for this year and last, as the city would have set them.
  const year = yearInTaizhou();
  for (const y of [year - 1, year]) {
    await db
      .insertInto("evaluation_criterion")
      .values(SUGGESTED_CRITERIA.map((c) => ({ ...c, year: y })))
      .execute();
  }
  const usedIds = new Set<string>();
  let serial = serialStart;
  let plaque = 1;
  const craftsmanUnit = awards.find((a) => a.person_id === craftsmanPersonId)?.org_unit_id;
  for (const [i, award] of awards.entries()) {
    // The demo craftsman's fellow 温岭 awardees have no studio yet: 温岭's officer can apply for one.
    if (award.org_unit_id === craftsmanUnit && award.person_id !== craftsmanPersonId) continue;
    const status = award.person_id === craftsmanPersonId ? "active" : STATUSES[i % STATUSES.length];
    const accredited = ["active", "accredited"].includes(status);
    const studio = await db
      .insertInto("studio")
      .values({
        person_id: award.person_id,
        award_id: award.id,
        org_unit_id: award.org_unit_id,
        name: `${award.name}工匠工作室`,
        host_enterprise: award.employer,
        industry: award.industry,
        focus_sector: random.chance(0.8) ? "advanced_manufacturing" : "strategic_emerging",
        address: `${award.employer}技术中心二楼`,
        focus_areas: "关键工序工艺改进；青年技工培养；技能竞赛集训",
        founding_plan: "三年内带徒不少于10名，其中取得高级工以上证书不少于5名；每季度开展一次技术交流；申报市级以上技能竞赛。",
        status,
        plaque_number: accredited ? `TZGJGZS-${String(plaque++).padStart(3, "0")}` : null,
        accredited_on: accredited ? "2019-01-10" : null,
        created_by: adminId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (status !== "active") continue;

    const apprentices = (award.person_id === craftsmanPersonId ? 5 : random.int(2, 6)) * scale;
    for (let a = 0; a < apprentices; a++) {
      const sex: Sex = random.chance(0.8) ? "M" : "F";
      const born = birthDate(random, 1990, 2003);
      let idNumber: string;
      do idNumber = fictionalIdNumber(random, DISTRICT_CODES[award.code] ?? "331002", born, sex, serial++);
      while (usedIds.has(idNumber));
      usedIds.add(idNumber);
      const drawn = mobilePhone(random);
      // The demo studio's first apprentice signs in by code: a number easy to type (drawn all the same, so the rest is unchanged).
      const phone = award.person_id === craftsmanPersonId && a === 0 ? DEMO_APPRENTICE_PHONE : drawn;
      const person = await db
        .insertInto("person")
        .values({
          org_unit_id: award.org_unit_id,
          name: personName(random, sex),
          sex,
          birth_date: born,
          ethnicity: "汉族",
          education: random.pick(["中专/技校", "高中", "大专"]),
          political_status: random.pick(["共青团员", "群众"]),
          employer: award.employer,
          industry: award.industry,
          position: "操作工",
          title: "",
          skill_level: random.pick(["初级工", "中级工"]),
          id_number_cipher: encrypt(idNumber),
          id_number_hash: lookupHash(idNumber),
          id_number_masked: maskIdNumber(idNumber),
          phone_cipher: encrypt(phone),
          phone_hash: lookupHash(phone),
          phone_masked: maskPhone(phone),
          created_by: adminId,
        })
        .returning(["id", "skill_level"])
        .executeTakeFirstOrThrow();
      const mentorship = await db
        .insertInto("mentorship")
        .values({
          studio_id: studio.id,
          apprentice_id: person.id,
          start_date: `20${random.int(19, 23)}-0${random.int(1, 9)}-01`,
          planned_end: "2027-12-31",
          goals: "取得高级工证书，参加市级以上技能竞赛",
          created_by: adminId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const milestones = [
        {
          kind: "skill_upgrade" as const,
          details: {
            fromLevel: person.skill_level,
            toLevel: person.skill_level === "初级工" ? "中级工" : "高级工",
            certificateNumber: `ZJ${year - 1}${random.int(10000, 99999)}`,
          },
          on: `${year - 1}-06-15`,
        },
        {
          kind: "competition" as const,
          details: { competitionName: "台州市职业技能大赛", competitionLevel: "city", placing: random.pick(["一等奖", "二等奖", "三等奖"]) },
          on: `${year}-04-20`,
        },
        {
          kind: "innovation" as const,
          details: { innovationType: "process", innovationTitle: "工装夹具改进", patentNumber: "" },
          on: `${year}-07-01`,
          benefit: random.int(5, 80) * 100000,
        },
      ].slice(0, random.int(1, 3));
      for (const [k, ms] of milestones.entries()) {
        // The demo craftsman's last two entries wait for 温岭's officer.
        const pending = award.person_id === craftsmanPersonId && a < 2 && k === milestones.length - 1;
        const row = await db
          .insertInto("milestone")
          .values({
            mentorship_id: mentorship.id,
            kind: ms.kind,
            occurred_on: ms.on,
            details: JSON.stringify(ms.details),
            benefit_fen: "benefit" in ms ? (ms.benefit ?? null) : null,
            status: pending ? "pending" : "verified",
            reviewed_by: pending ? null : adminId,
            reviewed_at: pending ? null : new Date(),
            review_comment: pending ? null : "证书核对无误",
            created_by: adminId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await db
          .insertInto("evidence_file")
          .values({
            milestone_id: row.id,
            ...storedFileColumns({ name: "证书.pdf", type: "application/pdf", bytes: DEMO_PDF }, adminId),
          })
          .execute();
      }
    }
  }
}
