import { describe, expect, it } from "vitest";
import * as dashboard from "../../app/routes/dashboard/route";
import * as outcomesList from "../../app/routes/dashboard_.mentoring";
import * as mentorshipPage from "../../app/routes/mentorships.$mentorshipId/route";
import * as payable from "../../app/routes/mentoring.payable";
import * as payableExport from "../../app/routes/mentoring.payable.export";
import * as policy from "../../app/routes/mentoring.policy";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import { readSpreadsheet } from "../../app/lib/spreadsheet.server";
import { mentoringScene } from "../mentoring-scene";
import { useTestDb } from "../db";
import { makeLedStudio, makePerson } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** 出师考核, the year's mentoring policy and the payable list as officers and mentors use them through the pages. */
describe("mentoring outcomes through the pages", () => {
  it("an officer records 出师 on the pairing's page; the pairing, the studio's page and the dashboard show it", async () => {
    const s = await mentoringScene(t.db, "页面甲师傅");
    const m = await s.pairing("2025-03-01", "2026-02-28");
    const upgrade = await s.milestone(m.id, "skill_upgrade", { fromLevel: "高级工", toLevel: "技师", certificateNumber: "P-1" });
    const page = { db: t.db, path: `/mentorships/${m.id}`, params: { mentorshipId: String(m.id) } };
    const before = await jsonOf(await call(mentorshipPage.loader, { ...page, as: s.wenling }));
    expect(before.assessment).toMatchObject({ canAssess: true, choices: [expect.objectContaining({ id: upgrade })] });
    expect((await jsonOf(await call(mentorshipPage.loader, { ...page, as: s.leader }))).assessment.canAssess).toBe(false);
    const form = {
      intent: "assess",
      assessedOn: "2026-02-20",
      method: "实操考核",
      examiners: "王工、李工",
      grade: "优秀",
      result: "passed",
      evidence: String(upgrade),
    };
    const unconfirmed = await call(mentorshipPage.action, { ...page, as: s.wenling, form });
    expect(unconfirmed.status).toBe(400);
    expect((await jsonOf(unconfirmed)).message).toBe("考核结论登记后不能撤销，请确认后再提交");
    const done = await call(mentorshipPage.action, { ...page, as: s.wenling, form: { ...form, confirmed: "1" } });
    expect(done.status).toBe(200);
    const after = await jsonOf(await call(mentorshipPage.loader, { ...page, as: s.leader }));
    expect(after.m).toMatchObject({ status: "completed", ended_on: "2026-02-20" });
    expect(after.assessment.assessments).toEqual([expect.objectContaining({ result: "passed", grade: "优秀", evidence: [upgrade] })]);
    const studio = await jsonOf(
      await call(studioPage.loader, { db: t.db, path: `/studios/${s.studio.id}`, params: { studioId: String(s.studio.id) }, as: s.leader }),
    );
    expect(studio.outcome).toEqual({ started: 1, ended: 1, passed: 1, endedEarly: 0, passRate: 100, retention: 100 });
    const board = await jsonOf(await call(dashboard.loader, { db: t.db, path: "/dashboard", as: s.wenling }));
    expect(board.mentoring.units.map((u: { unit: string }) => u.unit)).toEqual(["温岭市"]);
    expect(board.mentoring.studios.find((r: { studioId: number }) => r.studioId === s.studio.id)).toMatchObject({ passed: 1, passRate: 100 });
    const other = await jsonOf(await call(dashboard.loader, { db: t.db, path: "/dashboard", as: s.jiaojiang }));
    expect(other.mentoring.studios.some((r: { studioId: number }) => r.studioId === s.studio.id)).toBe(false);
  });

  it("the dashboard names the ten studios with the most pairings and links to every studio's, twenty to a page, a county its own only (issue 37, item 2)", async () => {
    const s = await mentoringScene(t.db, "页面丙师傅");
    // Studios with pairings already (this file's other tests), per county: they have one or two each.
    const before = async (code: string) =>
      (
        await t.db
          .selectFrom("mentorship")
          .innerJoin("studio", "studio.id", "mentorship.studio_id")
          .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
          .select("studio.id")
          .distinct()
          .where("org_unit.code", "=", code)
          .execute()
      ).length;
    const [wenlingBefore, jiaojiangBefore] = [await before("wenling"), await before("jiaojiang")];
    // 23 more 温岭 studios and 2 of 椒江, studio i with i + 3 pairings: ahead of those, the most first.
    const studios = [];
    for (let i = 0; i < 25; i++) {
      const { studio } = await makeLedStudio(t.db, `成效${String(i).padStart(2, "0")}师傅`, { unit: i < 23 ? "wenling" : "jiaojiang" });
      const apprentices = await Promise.all(Array.from({ length: i + 3 }, () => makePerson(t.db)));
      await t.db
        .insertInto("mentorship")
        .values(
          apprentices.map((a) => ({
            studio_id: studio.id,
            apprentice_id: a.id,
            start_date: "2025-03-01",
            planned_end: "2027-02-28",
            goals: "掌握精密装配",
            created_by: s.city.id,
          })),
        )
        .execute();
      studios.push(studio);
    }
    const wenlingIds = studios
      .slice(0, 23)
      .map((st) => st.id)
      .reverse();
    const ids = (rows: Array<{ studioId: number }>) => rows.map((r) => r.studioId);
    const board = await jsonOf(await call(dashboard.loader, { db: t.db, path: "/dashboard", as: s.wenling }));
    expect(ids(board.mentoring.studios)).toEqual(wenlingIds.slice(0, 10));
    expect(board.mentoring).toMatchObject({ studioCount: 23 + wenlingBefore, unitId: s.wenling.orgUnitId });

    const list = (as: typeof s.city, query = "") => call(outcomesList.loader, { db: t.db, path: `/dashboard/mentoring${query}`, as }).then(jsonOf);
    const first = await list(s.wenling);
    expect(ids(first.studios.rows)).toEqual(wenlingIds.slice(0, 20));
    expect(first.studios).toMatchObject({ total: 23 + wenlingBefore, page: 1, pageSize: 20 });
    expect(first.studios.rows[0]).toMatchObject({ started: 25, ended: 0, passRate: null, retention: 100 });
    expect(ids((await list(s.wenling, "?page=2")).studios.rows).slice(0, 3)).toEqual(wenlingIds.slice(20));
    // Another county's unit asked for by a county officer: still their own.
    const jiaojiangUnit = (await t.db.selectFrom("org_unit").select("id").where("code", "=", "jiaojiang").executeTakeFirstOrThrow()).id;
    expect((await list(s.wenling, `?unitId=${jiaojiangUnit}`)).studios.total).toBe(23 + wenlingBefore);
    expect(ids((await list(s.jiaojiang)).studios.rows).slice(0, 2)).toEqual([studios[24].id, studios[23].id]);
    expect((await list(s.jiaojiang)).studios.total).toBe(2 + jiaojiangBefore);
    // The city: every county's, or one.
    expect((await list(s.city)).studios.total).toBeGreaterThanOrEqual(25 + wenlingBefore + jiaojiangBefore);
    expect((await list(s.city, `?unitId=${jiaojiangUnit}`)).studios).toMatchObject({ total: 2 + jiaojiangBefore });
  });

  it("the city sets the year's policy, the county reads it and cannot change it", async () => {
    const s = await mentoringScene(t.db, "页面乙师傅");
    const form = {
      intent: "policy",
      reviewEveryMonths: "2",
      allowancePerYearFen: "1,800.00",
      passedPercent: "100",
      extendedPercent: "60",
      terminatedPercent: "10",
      technicianRewardFen: "3000",
      placingRewardFen: "1500",
    };
    const path = "/mentoring/policy?year=2024";
    expect((await call(policy.action, { db: t.db, path, as: s.city, form })).status).toBe(200);
    const read = await jsonOf(await call(policy.loader, { db: t.db, path, as: s.wenling }));
    expect(read).toMatchObject({
      year: 2024,
      canSet: false,
      policy: { saved: true, allowancePerYearFen: 180_000, extendedPercent: 60, placingRewardFen: 150_000 },
    });
    const refused = await call(policy.action, { db: t.db, path, as: s.wenling, form: { ...form, passedPercent: "200" } });
    expect(refused.status).toBe(403);
    expect((await jsonOf(await call(policy.loader, { db: t.db, path, as: s.city }))).policy.passedPercent).toBe(100);
  });

  it("the policy page answers a year that is none with a 404 and saves nothing, whether for the page or its save", async () => {
    const s = await mentoringScene(t.db, "页面戊师傅");
    const form = {
      intent: "policy",
      reviewEveryMonths: "6",
      allowancePerYearFen: "900",
      passedPercent: "100",
      extendedPercent: "50",
      terminatedPercent: "0",
      technicianRewardFen: "2000",
      placingRewardFen: "1000",
    };
    const policies = () => t.db.selectFrom("mentoring_policy").selectAll().orderBy("year").execute();
    const history = () => t.db.selectFrom("audit_log").select("id").where("entity_type", "=", "mentoring_policy").execute();
    const [before, historyBefore] = [await policies(), await history()];
    for (const year of ["abc", "99999", "1999", "2024.5", "%00"]) {
      const path = `/mentoring/policy?year=${year}`;
      const saved = await call(policy.action, { db: t.db, path, as: s.city, form });
      expect(saved.status, year).toBe(404);
      expect(await jsonOf(saved)).toEqual({ error: "没有这个年度" });
      expect((await call(policy.loader, { db: t.db, path, as: s.city })).status, year).toBe(404);
    }
    expect(await policies()).toEqual(before);
    expect(await history()).toEqual(historyBefore);
  });

  it("the county pays an owed item once from the list; the mentor sees it paid and the export has it", async () => {
    const s = await mentoringScene(t.db, "页面丙师傅");
    const m = await s.pairing("2025-03-01", "2026-02-28");
    const placing = await s.milestone(
      m.id,
      "competition",
      { competitionName: "温岭市职工技能大赛", competitionLevel: "county", placing: "二等奖" },
      "verified",
      "2023-05-01",
    );
    const key = `placing:${placing}`;
    const list = await jsonOf(await call(payable.loader, { db: t.db, path: "/mentoring/payable?paid=unpaid", as: s.wenling }));
    expect(list.rows.find((r: { key: string }) => r.key === key)).toMatchObject({ amountFen: 100_000, paid: null, mentorName: "页面丙师傅" });
    // The amount posted is ignored: the computed one is written.
    const form = { intent: "pay", key, paidOn: "2026-03-01", payer: "温岭市总工会", reference: "WL-2026-007", amountFen: "1" };
    const [first, second] = await Promise.all([
      call(payable.action, { db: t.db, path: "/mentoring/payable", as: s.wenling, form }),
      call(payable.action, { db: t.db, path: "/mentoring/payable", as: s.city, form: { ...form, reference: "SZ-2026-001" } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((await jsonOf([first, second].find((r) => r.status === 409)!)).message).toBe("该项已支付");
    const paid = await t.db.selectFrom("mentor_payment").select(["amount_fen"]).where("key", "=", key).execute();
    expect(paid.map((p) => Number(p.amount_fen))).toEqual([100_000]);
    const mine = await jsonOf(await call(payable.loader, { db: t.db, path: "/mentoring/payable?paid=paid", as: s.leader }));
    expect(mine.canPay).toBe(false);
    expect(mine.rows.map((r: { key: string }) => r.key)).toEqual([key]);
    const file = await call(payableExport.loader, { db: t.db, path: "/mentoring/payable/export?paid=paid", as: s.leader });
    const rows = await readSpreadsheet(new Uint8Array(await file.arrayBuffer()));
    expect(rows.find((r) => r[10] === key)).toEqual(expect.arrayContaining(["页面丙师傅", "页面丙师傅工作室", m.name, "竞赛名次奖励", 1000, "已支付"]));
  });
});
