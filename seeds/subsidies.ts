import { storedFileColumns } from "../app/lib/upload.server";
import type { DB } from "../db";
import type { SubsidyStatus } from "../db/types";
import { addDays, todayInTaizhou, yearInTaizhou } from "../app/lib/time";

const PROOF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

const STAGES: Array<{ status: SubsidyStatus; degree: string; reason?: string }> = [
  { status: "closed", degree: "本科" },
  { status: "disbursed", degree: "本科" },
  { status: "approved", degree: "大专" },
  { status: "county_approved", degree: "本科" },
  { status: "submitted", degree: "硕士研究生" },
  { status: "returned", degree: "本科", reason: "学费收据不清晰，请重新上传" },
];

/**
 * This year's and last year's policy, and other awardees' applications at every stage. The demo
 * craftsman has none, so the demo can start one from the phone. What was paid went through a 公示
 * that is over; the approved one is in this year's 公示, open now (the public page shows it).
 */
export async function seedSubsidies(db: DB, craftsmanPersonId: number, adminId: string) {
  const year = yearInTaizhou();
  for (const y of [year - 1, year]) {
    await db.insertInto("subsidy_policy").values({ year: y, budget_fen: 50_000_000, share_percent: 50, holdback_percent: 20, years_after_award: 10 }).execute();
    await db
      .insertInto("subsidy_cap")
      .values([
        { year: y, degree: "大专", cap_fen: 800_000 },
        { year: y, degree: "本科", cap_fen: 1_500_000 },
        { year: y, degree: "硕士研究生", cap_fen: 3_000_000 },
      ])
      .execute();
  }
  const today = todayInTaizhou();
  const notice = async (y: number, startsOn: string) =>
    (
      await db
        .insertInto("subsidy_notice")
        .values({ year: y, starts_on: startsOn, ends_on: addDays(startsOn, 6), published_by: adminId })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const notices = { [year - 1]: await notice(year - 1, addDays(today, -60)), [year]: await notice(year, addDays(today, -40)) };
  const openNotice = await notice(year, addDays(today, -2));
  const awardees = await db
    .selectFrom("award")
    .innerJoin("person", "person.id", "award.person_id")
    .select(["person.id", "person.org_unit_id", "person.education"])
    .where("person.id", "!=", craftsmanPersonId)
    .orderBy("award.rank")
    .limit(STAGES.length)
    .execute();
  for (const [i, person] of awardees.entries()) {
    const stage = STAGES[i];
    const tuition = 2_400_000 + i * 100_000;
    const max = Math.min(Math.floor(tuition / 2), stage.degree === "大专" ? 800_000 : stage.degree === "本科" ? 1_500_000 : 3_000_000);
    const approved = ["approved", "disbursed", "closed"].includes(stage.status) ? max : null;
    const appYear = stage.status === "closed" ? year - 1 : year;
    const app = await db
      .insertInto("subsidy_application")
      .values({
        year: appYear,
        person_id: person.id,
        org_unit_id: person.org_unit_id,
        current_education: stage.degree === "硕士研究生" ? "本科" : stage.degree === "本科" ? "大专" : "高中",
        target_degree: stage.degree,
        institution: ["浙江工业大学", "台州学院", "浙江大学", "台州职业技术学院"][i % 4],
        programme: ["机械工程", "材料成型及控制工程", "机械工程（专业学位）", "模具设计与制造"][i % 4],
        study_mode: "part_time",
        enrolled_on: `${year - 1}-09-01`,
        expected_graduation: `${year + 2}-07-01`,
        tuition_fen: tuition,
        requested_fen: max,
        max_fen: stage.status === "returned" ? null : max,
        approved_fen: approved,
        paid_fen: stage.status === "closed" ? approved! : stage.status === "disbursed" ? approved! - Math.floor(approved! / 5) : 0,
        held_fen: stage.status === "disbursed" ? Math.floor(approved! / 5) : 0,
        first_voucher: ["disbursed", "closed"].includes(stage.status) ? `CW-${year}-${String(i + 1).padStart(4, "0")}` : null,
        disbursed_on: ["disbursed", "closed"].includes(stage.status) ? `${year}-03-15` : null,
        final_voucher: stage.status === "closed" ? `CW-${year}-W${i + 1}` : null,
        closed_on: stage.status === "closed" ? `${year}-07-20` : null,
        status: stage.status,
        status_reason: stage.reason ?? null,
        notice_id: stage.status === "approved" ? openNotice : approved === null ? null : notices[appYear],
        created_by: adminId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const kinds = stage.status === "closed" ? (["admission", "receipt", "graduation"] as const) : (["admission", "receipt"] as const);
    await db
      .insertInto("subsidy_attachment")
      .values(
        kinds.map((kind) => ({
          application_id: app.id,
          kind,
          ...storedFileColumns({ name: `${kind}.pdf`, type: "application/pdf", bytes: PROOF }, adminId),
        })),
      )
      .execute();
  }
}
