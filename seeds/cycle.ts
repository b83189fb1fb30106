import { storedFileColumns } from "../app/lib/upload.server";
import type { DB } from "../db";
import { startOfDay, yearInTaizhou } from "../app/lib/time";
import { excellentCap, DEFAULT_CYCLE_POLICY, SUGGESTED_CHECKLIST } from "../app/modules/studios/cycle";
import { studiosInYear } from "../app/modules/studios/cycle.server";

const DEMO_PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

const PLAN = { apprentices: 5, trainingSessions: 4, trainingPeople: 60, projects: 2, patents: 1, outreach: 6 };

/**
 * The studios' money and year in the demo: last year's 验收 done for every running studio but the
 * demo craftsman's (whose plan is in and whose report is theirs to file), 优秀 given up to the cap,
 * past re-confirmations decided, and the demo studio's ledger — two grants, their tranches, spending
 * with receipts, one item above the threshold waiting for 温岭.
 */
export async function seedCycle(db: DB, craftsmanPersonId: number, adminId: string) {
  const year = yearInTaizhou();
  const last = year - 1;
  for (const y of [last, year]) {
    await db
      .insertInto("acceptance_item")
      .values(SUGGESTED_CHECKLIST.map((c, n) => ({ year: y, key: c.key, label: c.label, points: c.points, needs_photo: c.needsPhoto, sort_order: n })))
      .execute();
  }
  const running = await db
    .selectFrom("studio")
    .select(["id", "person_id", "accredited_on"])
    .where("status", "in", ["accredited", "active"])
    .where("accredited_on", "<=", `${last}-12-31`)
    .orderBy("id")
    .execute();
  const cap = excellentCap(await studiosInYear(db, last), DEFAULT_CYCLE_POLICY.excellentCapPercent);
  let excellent = 0;
  for (const s of running) {
    // Every period before last year's was re-confirmed.
    const from = Number(s.accredited_on!.slice(0, 4));
    for (let end = from + DEFAULT_CYCLE_POLICY.reconfirmYears - 1; end < last; end += DEFAULT_CYCLE_POLICY.reconfirmYears) {
      await db
        .insertInto("studio_reconfirmation")
        .values({ studio_id: s.id, period_end: end, outcome: "reconfirmed", comment: "期满考核合格", decided_by: adminId })
        .execute();
    }
    if (s.person_id === craftsmanPersonId) {
      await db
        .insertInto("studio_year")
        .values({ studio_id: s.id, year: last, status: "planned", plan: JSON.stringify(PLAN), plan_filed_at: startOfDay(`${last}-01-15`) })
        .execute();
      continue;
    }
    const grade = excellent < cap ? "excellent" : "pass";
    if (grade === "excellent") excellent++;
    const checklist = Object.fromEntries(SUGGESTED_CHECKLIST.map((c) => [c.key, grade === "excellent" ? c.points - 1 : Math.round(c.points * 0.75)]));
    await db
      .insertInto("studio_year")
      .values({
        studio_id: s.id,
        year: last,
        status: "accepted",
        plan: JSON.stringify(PLAN),
        plan_filed_at: startOfDay(`${last}-01-20`),
        summary: "全年按计划开展师带徒和技术攻关，完成年度目标。",
        self_assessment: "各项目标基本完成。",
        outreach: 5,
        submitted_at: startOfDay(`${year}-01-10`),
      })
      .execute();
    await db
      .insertInto("studio_evaluation")
      .values({
        studio_id: s.id,
        year: last,
        figures: JSON.stringify({}),
        score: Object.values(checklist).reduce((a, b) => a + b, 0),
        grade,
        comment: grade === "excellent" ? "成效突出" : null,
        checklist: JSON.stringify(checklist),
        graded_by: adminId,
      })
      .execute();
  }

  const studio = running.find((s) => s.person_id === craftsmanPersonId);
  if (!studio) return;
  const grant = async (source: "city" | "enterprise", document: string, fen: number, decided: string, tranches: Array<[string, number, string]>) => {
    const g = await db
      .insertInto("studio_grant")
      .values({ studio_id: studio.id, source, document_number: document, amount_fen: fen, decided_on: decided, recorded_by: adminId })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [on, amount, voucher] of tranches) {
      await db.insertInto("studio_tranche").values({ grant_id: g.id, received_on: on, amount_fen: amount, voucher, recorded_by: adminId }).execute();
    }
  };
  await grant("city", `台总工〔${last}〕12号`, 5_000_000, `${last}-03-01`, [
    [`${last}-03-20`, 3_000_000, `记-${last}-0318`],
    [`${last}-09-10`, 2_000_000, `记-${last}-0907`],
  ]);
  await grant("enterprise", `企〔${last}〕3号`, 2_000_000, `${last}-04-01`, [[`${last}-04-15`, 2_000_000, `企记-${last}-041`]]);
  const spending: Array<[string, string, number, string, "recorded" | "approved" | "pending"]> = [
    ["equipment", "数控车床夹具及量具", 1_200_000, `${last}-05-12`, "approved"],
    ["training", "青年技工培训班讲义与场地", 320_000, `${last}-07-03`, "recorded"],
    ["materials", "攻关试验用铸件毛坯", 180_000, `${last}-10-21`, "recorded"],
    ["innovation", "叶轮动平衡检测外协", 800_000, `${year}-03-06`, "pending"],
  ];
  for (const [category, description, fen, on, status] of spending) {
    const row = await db
      .insertInto("studio_spending")
      .values({
        studio_id: studio.id,
        category: category as "equipment",
        description,
        amount_fen: fen,
        spent_on: on,
        status,
        reviewed_by: status === "approved" ? adminId : null,
        reviewed_at: status === "approved" ? startOfDay(on) : null,
        created_by: adminId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("studio_file")
      .values({
        studio_id: studio.id,
        kind: "receipt",
        spending_id: row.id,
        ...storedFileColumns({ name: "发票.pdf", type: "application/pdf", bytes: DEMO_PDF }, adminId),
      })
      .execute();
  }
  await db
    .insertInto("studio_fund")
    .values({ studio_id: studio.id, received_fen: 7_000_000, spent_fen: spending.reduce((sum, s) => sum + s[2], 0) })
    .execute();
}
