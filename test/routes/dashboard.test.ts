import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import * as dashboard from "../../app/routes/dashboard/route";
import * as dashboardExport from "../../app/routes/dashboard.export";
import { useTestDb } from "../db";
import { makeUser, unitId } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

describe("the dashboard page", () => {
  it("shows a county its own unit only, the city any, and nobody else anything", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const craftsman = await makeUser(t.db, "craftsman");
    expect((await call(dashboard.loader, { db: t.db, path: "/dashboard", as: craftsman })).status).toBe(403);
    expect((await call(dashboard.loader, { db: t.db, path: "/dashboard" })).status).toBe(302);
    const own = await jsonOf(await call(dashboard.loader, { db: t.db, path: `/dashboard?unitId=${await unitId(t.db, "jiaojiang")}`, as: county }));
    expect(own.board.studiosByUnit.map((u: { unit: string }) => u.unit)).toEqual(["温岭市"]);
    const all = await jsonOf(await call(dashboard.loader, { db: t.db, path: "/dashboard?fromYear=abc", as: city }));
    expect(all.board.studiosByUnit).toHaveLength(10);
    expect(all.filter.fromYear).toBe(2018);

    const exported = await call(dashboardExport.loader, { db: t.db, path: "/dashboard/export", as: county });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await exported.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "工作室建设进度",
      "各单位工作室",
      "工作室领域",
      "育人成效",
      "竞赛获奖级别",
      "学历提升补助",
      "补助申请状态",
      "交流培训",
      "交流培训覆盖面",
      "工作室成效排名",
      "宣传报道",
      "历届评选",
    ]);
    const units = book.getWorksheet("各单位工作室")!.getSheetValues().slice(3).filter(Boolean) as unknown[][];
    expect(units.map((r) => r[1])).toEqual(["温岭市"]);
    expect((await call(dashboardExport.loader, { db: t.db, path: "/dashboard/export", as: craftsman })).status).toBe(403);
  });

  it("lets only the city change the plan, keeping the other units' targets", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const wenling = await unitId(t.db, "wenling");
    const form = { target: "100", startYear: "2018", endYear: "2022", [`unit-${wenling}`]: "12" };
    expect((await call(dashboard.action, { db: t.db, path: "/dashboard", as: county, form })).status).toBe(403);
    expect((await call(dashboard.action, { db: t.db, path: "/dashboard", as: city, form: { ...form, endYear: "2017" } })).status).toBe(400);
    expect((await call(dashboard.action, { db: t.db, path: "/dashboard", as: city, form: { ...form, target: "-5" } })).status).toBe(400);
    expect((await call(dashboard.action, { db: t.db, path: "/dashboard", as: city, form })).status).toBe(200);
    const page = await jsonOf(await call(dashboard.loader, { db: t.db, path: `/dashboard?unitId=${await unitId(t.db, "jiaojiang")}`, as: city }));
    expect(page.unitTargets[wenling]).toBe(12);
  });
});

describe("the studios' year on the dashboard", () => {
  it("sums the plans against what the records count, within the viewer's scope", async () => {
    const { makeAwardee, makeStudio } = await import("../factories");
    const { filePlan } = await import("../../app/modules/studios/cycle.server");
    const year = new Date().getFullYear();
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "sanmen" });
    const other = await makeUser(t.db, "county_officer", { unit: "xianju" });
    const { person, user: leader } = await makeAwardee(t.db, "sanmen", "三门计划");
    const row = await makeStudio(t.db, person.id, city.id, { unit: "sanmen", accredited_on: `${year - 1}-05-01`, plaque_number: "TZ-DASH-1" });
    const studio = await t.db.selectFrom("studio").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    const plan = { apprentices: 7, apprenticeHours: 80, trainingSessions: 3, trainingPeople: 50, projects: 2, patents: 1, outreach: 4 };
    expect(await filePlan(t.db, leader, studio, year, plan)).toEqual({ ok: true });
    const sanmen = await unitId(t.db, "sanmen");
    const own = await jsonOf(await call(dashboard.loader, { db: t.db, path: `/dashboard?unitId=${sanmen}`, as: county }));
    expect(own.cycle).toMatchObject({ year, studios: 1, planned: 1, reported: 0, accepted: 0 });
    expect(own.cycle.targets.find((r: { key: string }) => r.key === "apprentices")).toMatchObject({ target: 7, actual: 0 });
    const theirs = await jsonOf(await call(dashboard.loader, { db: t.db, path: "/dashboard", as: other }));
    expect(theirs.cycle.targets.find((r: { key: string }) => r.key === "apprentices").target).toBe(0);
  });
});
