import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as auditExport from "../../app/routes/audit.export";
import * as awardsExport from "../../app/routes/campaigns.$campaignId.awards.export";
import * as evaluationsExport from "../../app/routes/evaluations.export";
import * as peopleExport from "../../app/routes/people.export";
import * as apprenticesExport from "../../app/routes/studios.$studioId.apprentices.export";
import * as studiosExport from "../../app/routes/studios.export";
import { useTestDb } from "../db";
import { makeAwardee, makeCampaign, makeNominations, makePerson, makeStudio, makeUser, unitId } from "../factories";
import { call } from "../http";

const t = useTestDb();

/** An export's workbook as a user opens it: each sheet's header row (row 2, under the title) and its rows keyed by header. */
async function opened(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("spreadsheetml");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook.worksheets.map((ws) => {
    const headers = (ws.getRow(2).values as unknown[]).slice(1).map(String);
    const rows: Array<Record<string, unknown>> = [];
    const formats: Array<Record<string, string>> = [];
    ws.eachRow((row, n) => {
      if (n <= 2) return;
      rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value])));
      formats.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).numFmt])));
    });
    return { name: ws.name, title: String(ws.getCell(1, 1).value), headers, rows, formats };
  });
}

/** Two running studios: 温岭's and 椒江's, each with its leader. */
async function twoStudios(tag: string) {
  const wenling = await makeAwardee(t.db, "wenling", `${tag}温岭匠`);
  const jiaojiang = await makeAwardee(t.db, "jiaojiang", `${tag}椒江匠`);
  const city = await makeUser(t.db, "city_admin");
  const ours = await makeStudio(t.db, wenling.person.id, city.id, { name: `${tag}温岭工作室` });
  const theirs = await makeStudio(t.db, jiaojiang.person.id, city.id, { name: `${tag}椒江工作室`, unit: "jiaojiang" });
  return { wenling, jiaojiang, city, ours, theirs };
}

describe("the studios export", () => {
  it("lists the studios as the page does, with its filter, in Chinese, within each viewer's scope", async () => {
    const { wenling, city } = await twoStudios("名单");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const [sheet] = await opened(await call(studiosExport.loader, { db: t.db, path: "/studios/export", as: county }));
    expect(sheet.headers).toEqual(expect.arrayContaining(["工作室", "领衔工匠", "依托企业", "领域", "所属单位", "在带学徒", "状态", "授牌日期", "牌匾编号"]));
    const row = sheet.rows.find((r) => r["工作室"] === "名单温岭工作室")!;
    expect(row).toMatchObject({ 领衔工匠: "名单温岭匠", 领域: "先进制造业", 所属单位: "温岭市", 状态: "运行中", 授牌日期: "2026-03-01", 在带学徒: 0 });
    // Another county's studio is not the county's to export.
    expect(sheet.rows.some((r) => r["工作室"] === "名单椒江工作室")).toBe(false);
    // The leader exports their own studio only; the city what its filter says.
    const [own] = await opened(await call(studiosExport.loader, { db: t.db, path: "/studios/export", as: wenling.user }));
    expect(own.rows.map((r) => r["工作室"])).toEqual(["名单温岭工作室"]);
    const [filtered] = await opened(await call(studiosExport.loader, { db: t.db, path: `/studios/export?q=${encodeURIComponent("名单椒江")}`, as: city }));
    expect(filtered.rows.map((r) => r["工作室"])).toEqual(["名单椒江工作室"]);
  });
});

describe("the apprentices export", () => {
  it("gives a studio's apprentices with masked ID numbers, their outcome and verified results with the benefit in ¥, to those who may see the studio", async () => {
    const { wenling, jiaojiang, city, ours } = await twoStudios("学徒");
    const apprentice = await makePerson(t.db, { unit: "wenling", name: "导出学徒" });
    const mentorship = await t.db
      .insertInto("mentorship")
      .values({ studio_id: ours.id, apprentice_id: apprentice.id, start_date: "2026-03-02", planned_end: "2028-03-01", goals: "掌握铸造", created_by: city.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    const milestone = (status: "verified" | "pending", title: string) => ({
      mentorship_id: mentorship.id,
      kind: "innovation" as const,
      occurred_on: "2026-06-01",
      details: JSON.stringify({ innovationType: "process", innovationTitle: title }),
      benefit_fen: 1_234_567,
      status,
      created_by: city.id,
    });
    await t.db
      .insertInto("milestone")
      .values([milestone("verified", "砂型改进"), milestone("pending", "未核实的改进")])
      .execute();
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const params = { studioId: String(ours.id) };
    const path = `/studios/${ours.id}/apprentices/export`;
    const [pairings, results] = await opened(await call(apprenticesExport.loader, { db: t.db, path, params, as: county }));
    expect(pairings.headers).toEqual(expect.arrayContaining(["学徒", "身份证号", "结对日期", "状态", "技术创新成果", "经济效益"]));
    const i = pairings.rows.findIndex((r) => r["学徒"] === "导出学徒");
    const row = pairings.rows[i];
    const { id_number_masked } = await t.db.selectFrom("person").select("id_number_masked").where("id", "=", apprentice.id).executeTakeFirstOrThrow();
    expect(row["身份证号"]).toBe(id_number_masked);
    expect(id_number_masked).toContain("*");
    expect(row).toMatchObject({ 状态: "结对中", 结对日期: "2026-03-02", 技术创新成果: 1, 经济效益: 12345.67 });
    expect(pairings.formats[i]["经济效益"]).toContain("¥");
    // Only what the county verified counts.
    expect(results.rows.map((r) => r["内容"])).toEqual(["工艺改进：砂型改进"]);
    expect(results.rows[0]).toMatchObject({ 类别: "技术创新成果", 经济效益: 12345.67 });
    // The leader exports their own studio; another county and another studio's leader may not.
    expect((await call(apprenticesExport.loader, { db: t.db, path, params, as: wenling.user })).status).toBe(200);
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect((await call(apprenticesExport.loader, { db: t.db, path, params, as: other })).status).toBe(403);
    expect((await call(apprenticesExport.loader, { db: t.db, path, params, as: jiaojiang.user })).status).toBe(403);
  });
});

describe("the 年度考核 export", () => {
  it("gives each studio's scorecard, report, 验收 score and grade in Chinese, within the officer's county", async () => {
    const { ours, theirs, city } = await twoStudios("考核");
    const year = 2026;
    await t.db.deleteFrom("evaluation_criterion").where("year", "=", year).execute();
    await t.db
      .insertInto("evaluation_criterion")
      .values([
        { year, key: "apprentices", label: "带徒人数", weight: 40, target: 2 },
        { year, key: "skillUpgrades", label: "技能提升", weight: 60, target: 1 },
      ])
      .execute();
    const grade = (studioId: number, g: "pass" | "fail", score: number) => ({
      studio_id: studioId,
      year,
      figures: JSON.stringify({ apprentices: 1, skillUpgrades: 0 }),
      score,
      grade: g,
      comment: "基本完成",
      graded_by: city.id,
    });
    await t.db
      .insertInto("studio_evaluation")
      .values([grade(ours.id, "pass", 85.5), grade(theirs.id, "fail", 40)])
      .execute();
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const sheets = await opened(await call(evaluationsExport.loader, { db: t.db, path: `/evaluations/export?year=${year}`, as: county }));
    const results = sheets.find((s) => s.name === "考核结果")!;
    expect(results.title).toBe("2026年度工匠工作室考核结果");
    expect(results.headers).toEqual(expect.arrayContaining(["工作室", "带徒人数（40分）", "技能提升（60分）", "自评得分（满分100）", "验收得分", "考核等次"]));
    const row = results.rows.find((r) => r["工作室"] === "考核温岭工作室")!;
    expect(row).toMatchObject({
      单位: "温岭市",
      "带徒人数（40分）": 20,
      "技能提升（60分）": 0,
      "自评得分（满分100）": 20,
      验收得分: 85.5,
      考核等次: "合格",
      验收意见: "基本完成",
    });
    expect(results.rows.some((r) => r["工作室"] === "考核椒江工作室")).toBe(false);
    // The craftsman has no board to export.
    const { user: craftsman } = await makeAwardee(t.db, "wenling", "考核旁人");
    expect((await call(evaluationsExport.loader, { db: t.db, path: `/evaluations/export?year=${year}`, as: craftsman })).status).toBe(403);
  });
});

describe("the people export", () => {
  it("lists people with the page's filter, ID and phone numbers masked, a county its own unit's only", async () => {
    const ours = await makePerson(t.db, { unit: "wenling", name: "档案导出甲", phone: "13957612345", skillLevel: "技师" });
    await makePerson(t.db, { unit: "jiaojiang", name: "档案导出乙", skillLevel: "技师" });
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const [sheet] = await opened(await call(peopleExport.loader, { db: t.db, path: "/people/export", as: county }));
    expect(sheet.headers).toEqual(expect.arrayContaining(["姓名", "性别", "身份证号", "手机号", "工作单位", "技术等级", "所属工会"]));
    const i = sheet.rows.findIndex((r) => r["姓名"] === "档案导出甲");
    const masked = await t.db.selectFrom("person").select(["id_number_masked", "phone_masked"]).where("id", "=", ours.id).executeTakeFirstOrThrow();
    expect(sheet.rows[i]).toMatchObject({ 性别: "男", 身份证号: masked.id_number_masked, 手机号: masked.phone_masked, 技术等级: "技师", 所属工会: "温岭市" });
    expect(String(sheet.rows[i]["身份证号"])).not.toContain(ours.idNumber.slice(6, 14));
    expect(String(sheet.rows[i]["手机号"])).not.toBe("13957612345");
    expect(sheet.formats[i]["身份证号"]).toBe("@");
    // The whole export holds no full number and nobody of another county.
    expect(sheet.rows.some((r) => r["姓名"] === "档案导出乙")).toBe(false);
    expect(sheet.rows.every((r) => String(r["身份证号"]).includes("*"))).toBe(true);
    // The filter is the page's: a county cannot widen it to another unit.
    const widened = await call(peopleExport.loader, { db: t.db, path: `/people/export?orgUnitId=${await unitId(t.db, "jiaojiang")}`, as: county });
    expect((await opened(widened))[0].rows).toEqual([]);
    const city = await makeUser(t.db, "city_admin");
    const [both] = await opened(await call(peopleExport.loader, { db: t.db, path: `/people/export?q=${encodeURIComponent("档案导出")}`, as: city }));
    expect(both.rows.map((r) => r["姓名"]).sort()).toEqual(["档案导出乙", "档案导出甲"]);
  });
});

describe("the audit log export", () => {
  it("gives the log as the page describes it, in Chinese and Taizhou time, with the filter applied, to the city only", async () => {
    const person = await makePerson(t.db, { unit: "wenling", name: "日志导出人" });
    await t.db
      .insertInto("audit_log")
      .values({
        at: new Date("2026-05-01T06:00:00Z"),
        actor_name: "日志导出员",
        entity_type: "person",
        entity_id: String(person.id),
        action: "update",
        before: JSON.stringify({ skillLevel: "高级工" }),
        after: JSON.stringify({ skillLevel: "技师" }),
        comment: "复核",
      })
      .execute();
    const city = await makeUser(t.db, "city_admin");
    const path = `/audit/export?actor=${encodeURIComponent("日志导出员")}`;
    const [sheet] = await opened(await call(auditExport.loader, { db: t.db, path, as: city }));
    expect(sheet.headers).toEqual(["时间", "操作人", "对象", "操作", "原", "新", "说明"]);
    expect(sheet.rows).toHaveLength(1);
    const [row] = sheet.rows;
    // 14:00 in Taizhou, written as the cell's wall-clock time.
    expect((row["时间"] as Date).toISOString()).toBe("2026-05-01T14:00:00.000Z");
    expect(sheet.formats[0]["时间"]).toBe("yyyy-mm-dd hh:mm");
    expect(row).toMatchObject({ 操作人: "日志导出员", 对象: "人员档案 · 日志导出人", 操作: "修改", 说明: "复核" });
    expect(row["原"]).toContain("技术等级");
    expect(row["新"]).toContain("技师");
    expect(JSON.stringify(sheet.rows)).not.toMatch(/skillLevel|"update"/);
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect((await call(auditExport.loader, { db: t.db, path, as: county })).status).toBe(403);
  });
});

describe("the 命名名单 export", () => {
  it("gives the named craftsmen in rank order with their certificate numbers, a county its own unit's and no other", async () => {
    const campaign = await makeCampaign(t.db, { status: "closed" });
    const [ours] = await makeNominations(t.db, campaign.id, ["命名导出甲"], {}, { unit: "wenling" });
    await t.db.updateTable("nomination").set({ seq: 2 }).where("id", "=", ours).execute();
    const [theirs] = await makeNominations(t.db, campaign.id, ["命名导出乙"], {}, { unit: "jiaojiang" });
    for (const [rank, nominationId] of [ours, theirs].entries()) {
      const n = await t.db.selectFrom("nomination").select("person_id").where("id", "=", nominationId).executeTakeFirstOrThrow();
      await t.db
        .insertInto("award")
        .values({
          campaign_id: campaign.id,
          nomination_id: nominationId,
          person_id: n.person_id,
          rank: rank + 1,
          title: "第二届“台州工匠”",
          certificate_number: `TZGJ-${campaign.number}-00${rank + 1}`,
          may_day_medal: rank === 0,
          named_on: "2026-05-20",
        })
        .execute();
    }
    const params = { campaignId: String(campaign.id) };
    const path = `/campaigns/${campaign.id}/awards/export`;
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const [sheet] = await opened(await call(awardsExport.loader, { db: t.db, path, params, as: county }));
    expect(sheet.title).toContain("“台州工匠”命名名单");
    expect(sheet.headers).toEqual(expect.arrayContaining(["名次", "姓名", "工作单位", "推荐单位", "证书编号", "台州市五一劳动奖章", "命名日期"]));
    expect(sheet.rows).toEqual([
      expect.objectContaining({
        名次: 1,
        姓名: "命名导出甲",
        推荐单位: "温岭市",
        证书编号: `TZGJ-${campaign.number}-001`,
        台州市五一劳动奖章: "是",
        命名日期: "2026-05-20",
      }),
    ]);
    // Another unit's list is refused to the county; the city has both, or one unit's.
    const jiaojiang = await unitId(t.db, "jiaojiang");
    expect((await call(awardsExport.loader, { db: t.db, path: `${path}?unitId=${jiaojiang}`, params, as: county })).status).toBe(403);
    const city = await makeUser(t.db, "city_admin");
    const [all] = await opened(await call(awardsExport.loader, { db: t.db, path, params, as: city }));
    expect(all.rows.map((r) => r["姓名"])).toEqual(["命名导出甲", "命名导出乙"]);
    const [one] = await opened(await call(awardsExport.loader, { db: t.db, path: `${path}?unitId=${jiaojiang}`, params, as: city }));
    expect(one.rows.map((r) => r["姓名"])).toEqual(["命名导出乙"]);
    const { user: craftsman } = await makeAwardee(t.db, "wenling", "命名旁人");
    expect((await call(awardsExport.loader, { db: t.db, path, params, as: craftsman })).status).toBe(403);
    expect((await call(awardsExport.loader, { db: t.db, path: "/campaigns/999999/awards/export", params: { campaignId: "999999" }, as: city })).status).toBe(
      404,
    );
  });
});
