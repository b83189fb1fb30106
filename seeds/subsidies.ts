import { storedFileColumns } from "../app/lib/upload.server";
import type { DB } from "../db";
import type { SubsidyStatus } from "../db/types";
import { addDays, addMonths, todayInTaizhou, yearInTaizhou } from "../app/lib/time";
import { encrypt } from "../app/modules/people/pii.server";
import { maskCardNumber } from "../app/modules/subsidies/payee";

/** Fictional 19-digit card numbers with a valid check digit, one per seeded payee. */
const CARD_NUMBERS = ["6228480402564890018", "6222021202001234567", "6217001234567890122"];
const BANKS = ["中国农业银行温岭支行", "中国工商银行台州分行", "中国建设银行椒江支行"];

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
    .select(["person.id", "person.name", "person.org_unit_id", "person.education"])
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
    // Those approved have told where to be paid; this year's paid one went out on a bank batch.
    if (approved !== null) {
      const number = CARD_NUMBERS[i % CARD_NUMBERS.length];
      await db
        .insertInto("subsidy_payee")
        .values({
          application_id: app.id,
          kind: "bank_card",
          account_name: person.name,
          bank_name: BANKS[i % BANKS.length],
          number_cipher: encrypt(number),
          number_masked: maskCardNumber(number),
          entered_by: adminId,
        })
        .execute();
    }
    if (stage.status === "disbursed") {
      const paid = approved! - Math.floor(approved! / 5);
      const batch = await db
        .insertInto("subsidy_payment_batch")
        .values({ year, stage: "first", count: 1, total_fen: paid, created_by: adminId })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.insertInto("subsidy_payment_line").values({ batch_id: batch.id, application_id: app.id, stage: "first", amount_fen: paid }).execute();
    }
    await seedChsi(db, app.id, i, stage.status, adminId);
  }
}

/**
 * The 学信网 codes each application rests on (issue 34): entered before submission, checked as matching by
 * the time it was approved, the graduation report checked at closing. The submitted one waits for the
 * county's check; the county-approved one's code lapses within weeks, so the warning and the applicant's
 * to-do show.
 */
async function seedChsi(db: DB, applicationId: number, i: number, status: SubsidyStatus, adminId: string) {
  const today = todayInTaizhou();
  const year = yearInTaizhou();
  const checked = {
    outcome: "matches" as const,
    name_matches: true,
    id_digits_match: true,
    level: "本科",
    checked_by: adminId,
    checked_at: new Date(),
  };
  const code = (kind: string) => `DEMO${year}${kind}${String(i + 1).padStart(4, "0")}`;
  const enrolment = { application_id: applicationId, stage: "enrolment" as const, kind: "enrolment" as const, code: code("XJ"), entered_by: adminId };
  const school = { school: ["浙江工业大学", "台州学院", "浙江大学", "台州职业技术学院"][i % 4], record_status: "在籍（注册学籍）" };
  switch (status) {
    case "submitted":
      await db
        .insertInto("subsidy_chsi_report")
        .values({ ...enrolment, valid_until: addMonths(today, 5) })
        .execute();
      break;
    case "returned":
      await db
        .insertInto("subsidy_chsi_report")
        .values({ ...enrolment, valid_until: addMonths(today, 5), ...checked, ...school })
        .execute();
      break;
    case "county_approved":
      await db
        .insertInto("subsidy_chsi_report")
        .values({ ...enrolment, valid_until: addDays(today, 20), ...checked, ...school })
        .execute();
      break;
    default:
      await db
        .insertInto("subsidy_chsi_report")
        .values({ ...enrolment, valid_until: `${year}-03-01`, ...checked, ...school })
        .execute();
      if (status === "closed")
        await db
          .insertInto("subsidy_chsi_report")
          .values({
            application_id: applicationId,
            stage: "graduation",
            kind: "filing",
            code: code("BA"),
            entered_by: adminId,
            valid_until: `${year}-12-31`,
            ...checked,
            school: school.school,
            graduated_on: `${year}-07-01`,
          })
          .execute();
  }
}
