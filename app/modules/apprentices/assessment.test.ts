import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { assessmentsOf, recordAssessment } from "~/modules/apprentices/assessment.server";
import { assessmentSubject } from "~/modules/apprentices/outcome-notices.server";
import { assessmentSchema } from "~/modules/apprentices/assessment-schema.server";
import { assessmentForm, mentoringScene } from "../../../test/mentoring-scene";
import { owedPage } from "~/modules/apprentices/allowance.server";
import { fanOut } from "~/worker.server";

const t = useTestDb();

const statusOf = (id: number) =>
  t.db.selectFrom("mentorship").select(["status", "ended_on", "planned_end", "end_reason"]).where("id", "=", id).executeTakeFirstOrThrow();

describe("出师考核", () => {
  it("出师 completes the pairing on the day of the assessment, with its evidence, history and the mentor told", async () => {
    const s = await mentoringScene(t.db, "考核甲师傅");
    const m = await s.pairing();
    const upgrade = await s.milestone(m.id, "skill_upgrade", { fromLevel: "高级工", toLevel: "技师", certificateNumber: "Z-1" });
    const placing = await s.milestone(m.id, "competition", { competitionName: "台州市技能大赛", competitionLevel: "city", placing: "二等奖" });
    const done = await recordAssessment(
      t.db,
      s.wenling,
      m,
      assessmentForm({ result: "passed", certificate: "CS-2026-01", evidence: [String(upgrade), String(placing)] }),
    );
    expect(done.ok).toBe(true);
    expect(await statusOf(m.id)).toMatchObject({ status: "completed", ended_on: "2026-02-20", end_reason: null });
    const [a] = await assessmentsOf(t.db, m.id);
    expect(a).toMatchObject({ result: "passed", certificate: "CS-2026-01", score: "88.5", evidence: [upgrade, placing] });
    const history = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "mentorship_assessment")
      .where("entity_id", "=", String(a.id))
      .execute();
    expect(history.map((h) => h.action)).toEqual(["passed"]);
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select(["user_id", "text"]).where("audit_id", "=", history[0].id).execute();
    expect(told).toEqual([{ user_id: s.leader.id, text: `您的学徒${m.name}已通过出师考核，结对圆满完成` }]);
    // An ended pairing is not assessed again.
    const again = await recordAssessment(t.db, s.wenling, m, assessmentForm({ result: "terminated", comment: "重复" }));
    expect(again).toMatchObject({ ok: false, status: 409 });
  });

  it("延期 moves the planned end (later only) and keeps the pairing going; 终止 ends it early with the reason", async () => {
    const s = await mentoringScene(t.db, "考核乙师傅");
    const m = await s.pairing();
    const early = await recordAssessment(t.db, s.city, m, assessmentForm({ result: "extended", extendedTo: "2026-01-31" }));
    expect(early).toMatchObject({ ok: false, status: 400, field: "extendedTo" });
    const extended = await recordAssessment(t.db, s.city, m, assessmentForm({ result: "extended", extendedTo: "2026-08-31", score: "", grade: "合格" }));
    expect(extended.ok).toBe(true);
    expect(await statusOf(m.id)).toMatchObject({ status: "active", ended_on: null, planned_end: "2026-08-31" });
    const ended = await recordAssessment(t.db, s.wenling, m, assessmentForm({ assessedOn: "2026-03-10", result: "terminated", comment: "学徒离职" }));
    expect(ended.ok).toBe(true);
    expect(await statusOf(m.id)).toMatchObject({ status: "ended_early", ended_on: "2026-03-10", end_reason: "学徒离职" });
    expect((await assessmentsOf(t.db, m.id)).map((a) => a.result)).toEqual(["terminated", "extended"]);
  });

  it("dates each assessment after the pairing's last one, so 延期 cannot be stacked on a day or dated back; one allowance per real period", async () => {
    const s = await mentoringScene(t.db, "考核戊师傅");
    const m = await s.pairing();
    const first = await recordAssessment(t.db, s.wenling, m, assessmentForm({ result: "extended", extendedTo: "2026-08-31" }));
    expect(first.ok).toBe(true);
    const history = () => t.db.selectFrom("audit_log").select("id").where("entity_type", "=", "mentorship_assessment").execute();
    const before = (await history()).length;
    const refusals = [
      // A second 延期 on the same day: a period of no days, paid again.
      [assessmentForm({ result: "extended", extendedTo: "2026-12-31" }), "考核日期须晚于上次考核日期（2026-02-20）"],
      // One dated before the last, extending further.
      [assessmentForm({ assessedOn: "2025-12-01", result: "extended", extendedTo: "2027-02-28" }), "考核日期须晚于上次考核日期（2026-02-20）"],
      [assessmentForm({ assessedOn: "2024-02-01", result: "passed" }), "考核日期不能早于结对日期（2024-03-01）"],
    ] as const;
    for (const [form, message] of refusals) {
      expect(await recordAssessment(t.db, s.wenling, m, form)).toMatchObject({ ok: false, status: 400, field: "assessedOn", message });
    }
    // Not after today (the form's rule, held by the module too).
    const future = await recordAssessment(t.db, s.wenling, m, assessmentForm({ assessedOn: "2026-03-02", result: "passed" }), "2026-03-01");
    expect(future).toMatchObject({ ok: false, status: 400, field: "assessedOn", message: "考核日期不能晚于今天" });
    // Nothing written by any of them.
    expect((await assessmentsOf(t.db, m.id)).map((a) => a.assessed_on)).toEqual(["2026-02-20"]);
    expect(await statusOf(m.id)).toMatchObject({ status: "active", planned_end: "2026-08-31" });
    expect((await history()).length).toBe(before);
    const allowances = async () =>
      (await owedPage(t.db, s.wenling, {})).rows.filter((r) => r.studioId === s.studio.id && r.key.startsWith("allowance:")).map((r) => r.basis);
    expect(await allowances()).toEqual(["1200.00元/年 × 2年 × 50%（延期，2024-03-01至2026-02-20）"]);
    // A later assessment pays for the days since the 延期, once.
    expect((await recordAssessment(t.db, s.wenling, m, assessmentForm({ assessedOn: "2026-03-10", result: "passed" }))).ok).toBe(true);
    expect((await allowances()).sort()).toEqual([
      "1200.00元/年 × 1年 × 100%（出师，2026-02-20至2026-03-10）",
      "1200.00元/年 × 2年 × 50%（延期，2024-03-01至2026-02-20）",
    ]);
  });

  it("counts only the pairing's own verified skill upgrades and placings as evidence", async () => {
    const s = await mentoringScene(t.db, "考核丙师傅");
    const m = await s.pairing();
    const other = await s.pairing();
    const elsewhere = await s.milestone(other.id, "skill_upgrade", { fromLevel: "高级工", toLevel: "技师", certificateNumber: "Z-2" });
    const pending = await s.milestone(m.id, "competition", { competitionName: "市赛", competitionLevel: "city", placing: "三等奖" }, "pending");
    const backbone = await s.milestone(m.id, "backbone", { confirmedBy: "人力资源部" });
    for (const id of [elsewhere, pending, backbone]) {
      const refused = await recordAssessment(t.db, s.wenling, m, assessmentForm({ result: "passed", evidence: [String(id)] }));
      expect(refused).toMatchObject({ ok: false, status: 400, field: "evidence", message: "只能选择本结对已认定的技能等级提升或竞赛获奖作为考核依据" });
    }
    expect(await statusOf(m.id)).toMatchObject({ status: "active" });
    expect(await assessmentsOf(t.db, m.id)).toEqual([]);
  });

  it("is the union's: the mentor cannot assess their own apprentice, another county cannot, and it asks for confirmation", async () => {
    const s = await mentoringScene(t.db, "考核丁师傅");
    const m = await s.pairing();
    expect(await recordAssessment(t.db, s.leader, m, assessmentForm({ result: "passed" }))).toMatchObject({ ok: false, status: 403 });
    expect(await recordAssessment(t.db, s.jiaojiang, m, assessmentForm({ result: "passed" }))).toMatchObject({ ok: false, status: 403 });
    const unconfirmed = { ...assessmentForm({ result: "passed" }), confirmed: false };
    expect(await recordAssessment(t.db, s.wenling, m, unconfirmed)).toMatchObject({ ok: false, status: 400, field: "confirmed" });
    expect(await statusOf(m.id)).toMatchObject({ status: "active" });
    expect(await t.db.selectFrom("mentorship_assessment").select("id").where("mentorship_id", "=", m.id).execute()).toEqual([]);
  });

  it("tells the apprentice when they have an account", async () => {
    const s = await mentoringScene(t.db, "考核戊师傅");
    const m = await s.pairing();
    const account = await t.db
      .insertInto("app_user")
      .values({
        id: `apprentice-${m.apprentice_id}`,
        username: `apprentice${m.apprentice_id}`,
        display_name: m.name,
        role: "apprentice",
        person_id: m.apprentice_id,
        password_hash: "-",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const done = await recordAssessment(t.db, s.wenling, m, assessmentForm({ result: "terminated", comment: "多次缺勤" }));
    if (!done.ok) throw new Error(done.message);
    expect(await t.db.transaction().execute((tx) => assessmentSubject(tx, done.id, null))).toMatchObject({
      apprenticeId: m.apprentice_id,
      personId: s.leaderPerson.id,
    });
    await fanOut(t.db);
    const told = await t.db
      .selectFrom("message")
      .innerJoin("audit_log", "audit_log.id", "message.audit_id")
      .select(["message.user_id", "message.text"])
      .where("audit_log.entity_type", "=", "mentorship_assessment")
      .where("audit_log.entity_id", "=", String(done.id))
      .orderBy("message.text")
      .execute();
    expect(told).toEqual(
      expect.arrayContaining([
        { user_id: account.id, text: "您的出师考核未通过，结对已终止：多次缺勤" },
        { user_id: s.leader.id, text: `您的学徒${m.name}出师考核未通过，结对已终止：多次缺勤` },
      ]),
    );
    expect(told).toHaveLength(2);
  });

  it("refuses a form without a mark, an extension without its date, a termination without its reason", () => {
    const parsed = assessmentSchema.safeParse({ assessedOn: "2026-02-20", method: "实操", examiners: "王工", result: "extended", confirmed: "1" });
    expect(parsed.success).toBe(false);
    const messages = Object.fromEntries(parsed.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({ score: "请填写考核成绩或考核等级", extendedTo: "延期须填写延期至的日期" });
    const terminated = assessmentSchema.safeParse({
      assessedOn: "2026-02-20",
      method: "实操",
      examiners: "王工",
      grade: "不合格",
      result: "terminated",
      confirmed: "1",
    });
    expect(terminated.error!.issues.map((i) => [i.path[0], i.message])).toEqual([["comment", "终止结对须说明原因"]]);
  });
});
