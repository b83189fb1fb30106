import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { readSpreadsheet } from "~/lib/spreadsheet.server";
import { allowanceFen, owedAmount, parseOwedKey, yearsMentored } from "~/modules/apprentices/allowance";
import { owedPage, payableWorkbook, recordPayment } from "~/modules/apprentices/allowance.server";
import { recordAssessment } from "~/modules/apprentices/assessment.server";
import { assessmentForm, mentoringScene } from "../../../test/mentoring-scene";
import { DEFAULT_MENTORING_POLICY } from "~/modules/apprentices/policy";
import { saveMentoringPolicy } from "~/modules/apprentices/policy.server";
import { fanOut } from "~/worker.server";

const t = useTestDb();

const PAYMENT = { paidOn: "2026-03-15", payer: "温岭恒远精密机械有限公司", reference: "PZ-2026-031" };

describe("what a mentor is owed (arithmetic)", () => {
  it("counts the years begun, at least one", () => {
    expect(yearsMentored("2024-03-01", "2024-03-20")).toBe(1);
    expect(yearsMentored("2024-03-01", "2025-03-01")).toBe(1);
    expect(yearsMentored("2024-03-01", "2025-03-02")).toBe(2);
    expect(yearsMentored("2024-03-01", "2026-02-20")).toBe(2);
    expect(yearsMentored("2024-02-29", "2026-02-28")).toBe(2);
  });

  it("scales the allowance per year by the years and the result's percent, to the fen", () => {
    const policy = { ...DEFAULT_MENTORING_POLICY, allowancePerYearFen: 123_457 };
    expect(allowanceFen(policy, 2, "passed")).toBe(246_914);
    expect(allowanceFen(policy, 1, "extended")).toBe(61_729); // 61,728.5 rounds up
    expect(allowanceFen(policy, 3, "terminated")).toBe(0);
    expect(owedAmount({ kind: "placing", id: 7, on: "2025-06-01", competition: "台州市技能大赛", placing: "一等奖" }, policy)).toEqual({
      amountFen: 100_000,
      basis: "台州市技能大赛 一等奖（2025-06-01）",
    });
    expect(parseOwedKey("technician:12")).toEqual({ kind: "technician", id: 12 });
    expect(parseOwedKey("bonus:12")).toBeNull();
  });
});

describe("the payable list", () => {
  it("prices each item from its year's policy, in the viewer's scope", async () => {
    const s = await mentoringScene(t.db, "津贴甲师傅");
    // 2026's policy: 1,500 元 a year, 延期 at 40 %, 技师 2,500 元, a placing 800 元.
    const saved = await saveMentoringPolicy(t.db, s.city, 2026, {
      ...DEFAULT_MENTORING_POLICY,
      allowancePerYearFen: 150_000,
      extendedPercent: 40,
      technicianRewardFen: 250_000,
      placingRewardFen: 80_000,
    });
    expect(saved.ok).toBe(true);
    expect(await saveMentoringPolicy(t.db, s.wenling, 2026, DEFAULT_MENTORING_POLICY)).toMatchObject({ ok: false, status: 403 });
    const m = await s.pairing("2024-03-01", "2026-02-28");
    const upgrade = await s.milestone(m.id, "skill_upgrade", { fromLevel: "高级工", toLevel: "技师", certificateNumber: "Z-9" }, "verified", "2026-01-10");
    await s.milestone(m.id, "skill_upgrade", { fromLevel: "中级工", toLevel: "高级工", certificateNumber: "Z-8" }, "verified", "2025-01-10");
    const placing = await s.milestone(
      m.id,
      "competition",
      { competitionName: "温岭市职工技能大赛", competitionLevel: "county", placing: "三等奖" },
      "verified",
      "2025-09-01",
    );
    await s.milestone(m.id, "competition", { competitionName: "未获奖的比赛", competitionLevel: "county", placing: "三等奖" }, "pending", "2025-10-01");
    const extended = await recordAssessment(t.db, s.wenling, m, assessmentForm({ assessedOn: "2026-02-20", result: "extended", extendedTo: "2026-08-31" }));
    const passed = await recordAssessment(t.db, s.wenling, m, assessmentForm({ assessedOn: "2026-03-05", result: "passed" }));
    if (!extended.ok || !passed.ok) throw new Error("assessments not recorded");
    const page = await owedPage(t.db, s.wenling, {});
    const byKey = Object.fromEntries(page.rows.map((r) => [r.key, r]));
    expect(Object.keys(byKey).sort()).toEqual([`allowance:${extended.id}`, `allowance:${passed.id}`, `placing:${placing}`, `technician:${upgrade}`].sort());
    // 2 years begun × 1,500 × 40 %; then from the extension, 1 year × 1,500 × 100 %.
    expect(byKey[`allowance:${extended.id}`].amountFen).toBe(120_000);
    expect(byKey[`allowance:${passed.id}`].amountFen).toBe(150_000);
    expect(byKey[`allowance:${passed.id}`].basis).toBe("1500.00元/年 × 1年 × 100%（出师，2026-02-20至2026-03-05）");
    expect(byKey[`technician:${upgrade}`].amountFen).toBe(250_000);
    // A placing of 2025, a year the city never set: the defaults.
    expect(byKey[`placing:${placing}`].amountFen).toBe(DEFAULT_MENTORING_POLICY.placingRewardFen);
    expect(byKey[`placing:${placing}`]).toMatchObject({ mentorName: "津贴甲师傅", apprenticeName: m.name, studioName: "津贴甲师傅工作室" });
    // Another county sees none of it; the mentor sees their own.
    expect((await owedPage(t.db, s.jiaojiang, {})).rows.filter((r) => r.studioId === s.studio.id)).toEqual([]);
    expect((await owedPage(t.db, s.leader, {})).rows.map((r) => r.key).sort()).toEqual(Object.keys(byKey).sort());
  });

  it("is paid once, whatever races, at the computed amount, with its history and the mentor told", async () => {
    const s = await mentoringScene(t.db, "津贴乙师傅");
    const m = await s.pairing("2025-03-01", "2026-02-28");
    const placing = await s.milestone(m.id, "competition", { competitionName: "台州市技能大赛", competitionLevel: "city", placing: "一等奖" });
    const key = `placing:${placing}`;
    const results = await Promise.all([
      recordPayment(t.db, s.wenling, { key, ...PAYMENT }),
      recordPayment(t.db, s.city, { key, ...PAYMENT, reference: "PZ-2026-032" }),
      recordPayment(t.db, s.wenling, { key, ...PAYMENT, reference: "PZ-2026-033" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({ status: 409, message: "该项已支付" }),
      expect.objectContaining({ status: 409, message: "该项已支付" }),
    ]);
    const rows = await t.db.selectFrom("mentor_payment").selectAll().where("key", "=", key).execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].amount_fen)).toBe(DEFAULT_MENTORING_POLICY.placingRewardFen);
    expect(rows[0]).toMatchObject({ mentor_id: s.leaderPerson.id, studio_id: s.studio.id, mentorship_id: m.id, kind: "placing" });
    const history = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "mentor_payment")
      .where("entity_id", "=", String(rows[0].id))
      .execute();
    expect(history).toHaveLength(1);
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select(["user_id", "text"]).where("audit_id", "=", history[0].id).execute();
    expect(told).toEqual([{ user_id: s.leader.id, text: "“津贴乙师傅工作室”的带徒津贴或奖励已支付，请在带徒津贴页面查看" }]);
    // Paid and unpaid filter the list; the mentor, another county and a forged key cannot pay.
    expect((await owedPage(t.db, s.wenling, { paid: "paid" })).rows.map((r) => r.key)).toContain(key);
    expect((await owedPage(t.db, s.wenling, { paid: "unpaid" })).rows.map((r) => r.key)).not.toContain(key);
    const other = await s.milestone(m.id, "skill_upgrade", { fromLevel: "高级工", toLevel: "高级技师", certificateNumber: "Z-3" });
    expect(await recordPayment(t.db, s.leader, { key: `technician:${other}`, ...PAYMENT })).toMatchObject({ ok: false, status: 403 });
    expect(await recordPayment(t.db, s.jiaojiang, { key: `technician:${other}`, ...PAYMENT })).toMatchObject({ ok: false, status: 404 });
    expect(await recordPayment(t.db, s.wenling, { key: `technician:999999`, ...PAYMENT })).toMatchObject({ ok: false, status: 404 });
  });

  it("exports the payable list with the mentor, studio, apprentice, item, basis and amount in ¥", async () => {
    const s = await mentoringScene(t.db, "津贴丙师傅");
    const m = await s.pairing("2025-03-01", "2026-02-28");
    const upgrade = await s.milestone(m.id, "skill_upgrade", { fromLevel: "高级工", toLevel: "技师", certificateNumber: "Z-4" }, "verified", "2025-11-11");
    const passed = await recordAssessment(t.db, s.wenling, m, assessmentForm({ assessedOn: "2026-02-20", result: "passed" }));
    if (!passed.ok) throw new Error(passed.message);
    await recordPayment(t.db, s.wenling, { key: `technician:${upgrade}`, ...PAYMENT });
    const rows = await readSpreadsheet(await payableWorkbook(t.db, s.wenling, {}));
    const header = rows.findIndex((r) => r[0] === "领衔工匠（师傅）");
    expect(rows[header]).toEqual(["领衔工匠（师傅）", "工作室", "学徒", "项目", "计算依据", "金额（元）", "状态", "支付日期", "支付单位", "凭证号", "编号"]);
    const ours = rows.slice(header + 1).filter((r) => r[1] === "津贴丙师傅工作室");
    // The allowance under 2026's policy (1,500 元, set above); the 技师 reward of 2025 under the defaults.
    expect(ours).toEqual([
      [
        "津贴丙师傅",
        "津贴丙师傅工作室",
        m.name,
        "带徒津贴",
        "1500.00元/年 × 1年 × 100%（出师，2025-03-01至2026-02-20）",
        1500,
        "未支付",
        null,
        null,
        null,
        `allowance:${passed.id}`,
      ],
      [
        "津贴丙师傅",
        "津贴丙师傅工作室",
        m.name,
        "技师奖励",
        "晋升技师（2025-11-11）",
        2000,
        "已支付",
        "2026-03-15",
        PAYMENT.payer,
        PAYMENT.reference,
        `technician:${upgrade}`,
      ],
    ]);
    const unpaid = await readSpreadsheet(await payableWorkbook(t.db, s.wenling, { paid: "unpaid" }));
    expect(unpaid.filter((r) => r[1] === "津贴丙师傅工作室").map((r) => r[3])).toEqual(["带徒津贴"]);
  });
});
