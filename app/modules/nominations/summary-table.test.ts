import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { countyWorkbook, REVIEW_FORM_HEADER } from "../../../test/county-files";
import { idNumberFor, makeCampaign, makeUser, unitId } from "../../../test/factories";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import {
  commitImport,
  createImportBatch,
  exportSummaryTable,
  findImportBatch,
  parseSummaryTable,
  previewStatus,
  type ImportTarget,
} from "~/modules/nominations/summary-table.server";
import { REGISTERED_ELSEWHERE } from "~/modules/people/lookup.server";
import { ACCEPTED } from "~/modules/people/spellings";
import { SpreadsheetError } from "~/lib/spreadsheet.server";

const t = useTestDb();
const TODAY = "2018-03-20";

const HEADER = REVIEW_FORM_HEADER;

function row(over: Partial<Record<(typeof HEADER)[number], unknown>> = {}) {
  const base: Record<string, unknown> = {
    序号: 1,
    姓名: "陈立国",
    性别: "男",
    身份证号码: idNumberFor("M", "1979-08-15"),
    出生日期: "1979-08-15",
    民族: "汉族",
    学历: "大专",
    政治面貌: "中共党员",
    工作单位: "温岭恒远精密机械有限公司",
    所属行业: "汽车及零部件",
    职务: "班组长",
    职称: "",
    技术等级: "高级技师",
    一线技能工作年限: 20,
    是否仍在技能岗位: "是",
    符合条件: "一、五",
    已获荣誉: "浙江省技术能手",
    主要技术成果: "数控刀具改进",
    主要事迹: "扎根车间二十年",
    联系电话: "13957600011",
  };
  return HEADER.map((h) => (h in over ? over[h] : base[h]));
}

const xlsx = (rows: unknown[][], setup?: (sheet: ExcelJS.Worksheet) => void) => countyWorkbook({ header: HEADER, rows, setup, sheetName: "温岭市" });

async function wenlingTarget(): Promise<ImportTarget> {
  const counties = await t.db.selectFrom("org_unit").select(["id", "short_name", "name"]).where("kind", "=", "county").execute();
  return { nominatingUnitId: await unitId(t.db, "wenling"), kind: "county", counties };
}

describe("reading a messy 汇总表", () => {
  it("finds the header below a merged title, and reads full-width digits, spaces, lower-case x and every date form", async () => {
    const xId = "11010519491231002x"; // a valid number ending in x, from the standard
    const fullWidth = idNumberFor("F", "1983-02-01").replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const bytes = await xlsx([
      row({ 姓名: "  陈 立国 ", 出生日期: "1979年8月15日" }),
      row({ 姓名: "王秀英", 性别: "女", 身份证号码: fullWidth, 出生日期: "1983.2.1" }),
      row({ 姓名: "李芳", 性别: "女", 身份证号码: xId, 出生日期: new Date(Date.UTC(1949, 11, 31)) }),
      row({ 姓名: "张强", 身份证号码: idNumberFor("M", "1975-01-01"), 出生日期: 27395 }), // Excel serial of 1975-01-01
      row({ 姓名: "周斌", 身份证号码: idNumberFor("M", "1988-12-31"), 出生日期: "19881231", 性别: "", 一线技能工作年限: "10年" }),
      ["合计：5人"],
    ]);
    const { rows } = await parseSummaryTable(bytes, await wenlingTarget());
    expect(rows.map((r) => [r.line, r.name, r.errors])).toEqual([
      [4, "陈立国", []],
      [5, "王秀英", []],
      [6, "李芳", []],
      [7, "张强", []],
      [8, "周斌", []],
    ]);
    expect(rows[0].form?.name).toBe("陈立国");
    expect(rows[1].form?.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(rows[2].form?.idNumber).toBe("11010519491231002x");
    expect(rows[3].form?.birthDate).toBe("1975-01-01");
    expect(rows[4].form).toMatchObject({ sex: "M", birthDate: "1988-12-31", frontlineYears: "10", conditions: ["1", "5"] });
  });

  it("refuses ID numbers that Excel stored as numbers, and says why", async () => {
    const id = idNumberFor("M", "1979-08-15");
    const bytes = await xlsx([row({ 身份证号码: Number(id.slice(0, 17)) * 10 })]);
    const {
      rows: [parsed],
    } = await parseSummaryTable(bytes, await wenlingTarget());
    expect(parsed.form).toBeNull();
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toContain("只保留了15位有效数字");
  });

  it("explains each broken row exactly, by its row number", async () => {
    const good = idNumberFor("M", "1979-08-15");
    const badCheck = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    const bytes = await xlsx([
      row({ 身份证号码: badCheck }),
      row({ 姓名: "年限不足", 身份证号码: idNumberFor("M", "1990-01-01"), 出生日期: "1990-01-02" }),
      row({ 姓名: "条件不明", 身份证号码: idNumberFor("M", "1991-01-01"), 出生日期: "", 符合条件: "第七条" }),
      row({ 姓名: "在岗不明", 身份证号码: idNumberFor("M", "1992-01-01"), 出生日期: "", 是否仍在技能岗位: "也许" }),
      row({ 姓名: "等级不明", 身份证号码: idNumberFor("M", "1993-01-01"), 出生日期: "", 技术等级: "大师" }),
      row({ 姓名: "日期不对", 身份证号码: idNumberFor("M", "1994-01-01"), 出生日期: "1994-02-30" }),
      row({ 姓名: "打码", 身份证号码: "3310**********1234" }),
      row({ 姓名: "重复", 身份证号码: good.replace(/.$/, good[17]) }),
      row({ 姓名: "重复乙", 身份证号码: good }),
    ]);
    const { rows } = await parseSummaryTable(bytes, await wenlingTarget());
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName["陈立国"].errors).toEqual(["身份证号码：身份证号码校验位不正确，请核对是否有数字抄错"]);
    expect(byName["年限不足"].errors).toEqual(["出生日期：表中为 1990-01-02，与身份证号码中的出生日期 1990-01-01 不一致"]);
    expect(byName["条件不明"].errors).toEqual(["符合条件“第七条”无法识别，请填写（一）至（五）中的编号，如“一、五”"]);
    expect(byName["在岗不明"].errors).toEqual(["是否仍在技能岗位：请填写“是”或“否”（表中为“也许”）"]);
    expect(byName["等级不明"].errors).toEqual([`技术等级：“大师”无法识别，可填写${ACCEPTED.skillLevel}`]);
    expect(byName["日期不对"].errors).toEqual(["出生日期：日期 1994-2-30 不存在"]);
    expect(byName["打码"].errors).toEqual(["身份证号码：身份证号码是打码后的号码，请填写完整号码"]);
    expect(byName["重复"].errors).toEqual([]);
    expect(byName["重复乙"].errors).toEqual([`身份证号码与第 ${byName["重复"].line} 行重复`]);
  });

  it("reads CSV files: UTF-8 with a BOM, and the GBK that Chinese Excel saves; scientific-notation IDs are flagged", async () => {
    const lines = [
      HEADER.join(","),
      row()
        .map((v) => `"${v ?? ""}"`)
        .join(","),
      row({ 姓名: "科学计数", 身份证号码: "3.31081E+17" }).join(","),
    ];
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(lines.join("\r\n"))]);
    const { rows } = await parseSummaryTable(utf8, await wenlingTarget());
    expect(rows[0].errors).toEqual([]);
    expect(rows[1].errors).toHaveLength(1);
    expect(rows[1].errors[0]).toContain("只保留了15位有效数字");
    expect(rows[1].errors[0]).toContain("（表中显示为 3.31081E+17）");

    // "姓名,身份证号码" and "王" in GBK bytes (Node can decode GBK but not encode it).
    const gbk = new Uint8Array([
      0xd0,
      0xd5,
      0xc3,
      0xfb,
      0x2c,
      0xc9,
      0xed,
      0xb7,
      0xdd,
      0xd6,
      0xa4,
      0xba,
      0xc5,
      0xc2,
      0xeb,
      0x0d,
      0x0a,
      0xcd,
      0xf5,
      0x2c,
      ...new TextEncoder().encode(idNumberFor("M", "1979-08-15")),
    ]);
    const {
      rows: [wang],
    } = await parseSummaryTable(gbk, await wenlingTarget());
    expect(wang.name).toBe("王");
    expect(wang.errors).toContain("工作单位：请填写工作单位");
  });

  it("refuses files that are not spreadsheets, with a reason", async () => {
    const target = await wenlingTarget();
    await expect(parseSummaryTable(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), target)).rejects.toThrow(/\.xls/);
    await expect(parseSummaryTable(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), target)).rejects.toThrow(SpreadsheetError);
    await expect(parseSummaryTable(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9]), target)).rejects.toThrow(/损坏/);
    await expect(parseSummaryTable(new Uint8Array(), target)).rejects.toThrow(/空/);
    await expect(parseSummaryTable(new TextEncoder().encode("a,b\n1,2"), target)).rejects.toThrow(/找不到表头/);
  });
});

describe("committing an import", () => {
  it("writes the valid rows in one go, and a second import of the same file changes nothing", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 31, deadline: "2018-03-31" })).id))!;
    const firstId = idNumberFor("M", "1979-08-15");
    const bytes = await xlsx([
      row({ 身份证号码: firstId }),
      row({ 姓名: "第二人", 身份证号码: idNumberFor("F", "1985-03-03"), 性别: "女", 出生日期: "1985-03-03" }),
      row({ 姓名: "坏行", 身份证号码: "123" }),
    ]);
    const target = await wenlingTarget();
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(bytes, target));
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toEqual({ ok: true, created: 2, updated: 0, unchanged: 0 });
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ ok: false, status: 409 });

    const snapshot = async () => ({
      nominations: await t.db.selectFrom("nomination").selectAll().where("campaign_id", "=", campaign.id).orderBy("id").execute(),
      people: await t.db.selectFrom("person").select(["id", "name", "updated_at"]).orderBy("id").execute(),
    });
    const before = await snapshot();
    const again = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(bytes, target));
    expect(await commitImport(t.db, officer, campaign, again, TODAY)).toEqual({ ok: true, created: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);

    // An edited line updates that nomination only.
    const edited = await xlsx([row({ 身份证号码: firstId, 一线技能工作年限: 21 })]);
    const third = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(edited, target));
    expect(await commitImport(t.db, officer, campaign, third, TODAY)).toEqual({ ok: true, created: 0, updated: 1, unchanged: 0 });
  });

  it("refuses a row whose number belongs to another county, once, naming nobody and saying nothing of their nomination", async () => {
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 33, deadline: "2018-03-31" })).id))!;
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const theirs = idNumberFor("F", "1983-02-02");
    const jiaojiangTarget = { ...(await wenlingTarget()), nominatingUnitId: await unitId(t.db, "jiaojiang") };
    const filed = await createImportBatch(
      t.db,
      jiaojiang,
      campaign,
      jiaojiangTarget.nominatingUnitId,
      "椒江.xlsx",
      await parseSummaryTable(await xlsx([row({ 姓名: "椒江人", 性别: "女", 身份证号码: theirs, 出生日期: "1983-02-02" })]), jiaojiangTarget),
    );
    expect(await commitImport(t.db, jiaojiang, campaign, filed, TODAY)).toMatchObject({ ok: true, created: 1 });

    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const target = await wenlingTarget();
    const table = await parseSummaryTable(
      await xlsx([
        row({ 姓名: "椒江人", 性别: "女", 身份证号码: theirs, 出生日期: "1983-02-02" }),
        row({ 姓名: "温岭人", 身份证号码: idNumberFor("M", "1979-08-15") }),
      ]),
      target,
    );
    const batchId = await createImportBatch(t.db, wenling, campaign, target.nominatingUnitId, "温岭.xlsx", table);
    const batch = (await findImportBatch(t.db, wenling, campaign.id, batchId))!;
    expect(batch.table.rows.map((r) => r.errors)).toEqual([[REGISTERED_ELSEWHERE], []]);
    expect(batch.error_count).toBe(1);
    // The preview says nothing of the other county's nomination (its 编号 or unit): only the new row has a note.
    const preview = await previewStatus(t.db, wenling, campaign, batch, TODAY);
    expect([...preview.entries()]).toEqual([[batch.table.rows[1].line, "将新增推荐"]]);
    // One lookup for the one number that is someone else's, spent at upload, not at each look.
    const lookups = await t.db.selectFrom("audit_log").select("id").where("actor_user_id", "=", wenling.id).where("action", "=", "exact_lookup").execute();
    expect(lookups).toHaveLength(1);
    expect(await commitImport(t.db, wenling, campaign, batchId, TODAY)).toEqual({ ok: true, created: 1, updated: 0, unchanged: 0 });
    const theirNomination = await t.db.selectFrom("nomination").select("nominating_unit_id").where("campaign_id", "=", campaign.id).execute();
    expect(theirNomination.map((n) => n.nominating_unit_id).sort()).toEqual([jiaojiangTarget.nominatingUnitId, target.nominatingUnitId].sort());
  });

  it("round-trips through the export when the city exports full numbers", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 32, deadline: "2018-03-31" })).id))!;
    const target = await wenlingTarget();
    const bytes = await xlsx([row({ 身份证号码: idNumberFor("M", "1979-08-15") }), row({ 姓名: "乙", 身份证号码: idNumberFor("M", "1979-08-15") })]);
    const batch = await createImportBatch(t.db, city, campaign, target.nominatingUnitId, "a.xlsx", await parseSummaryTable(bytes, target));
    expect(await commitImport(t.db, city, campaign, batch, TODAY)).toMatchObject({ ok: true, created: 2 });

    const exported = await exportSummaryTable(t.db, campaign, { revealIds: true });
    const reread = await parseSummaryTable(new Uint8Array(exported), target);
    expect(reread.rows.map((r) => r.errors)).toEqual([[], []]);
    const batch2 = await createImportBatch(t.db, city, campaign, target.nominatingUnitId, "export.xlsx", reread);
    expect(await commitImport(t.db, city, campaign, batch2, TODAY)).toEqual({ ok: true, created: 0, updated: 0, unchanged: 2 });

    const masked = await exportSummaryTable(t.db, campaign, { revealIds: false });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(masked as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      ...HEADER.slice(0, 13),
      "一线技能工作年限",
      "是否仍在技能岗位",
      "符合条件",
      "是否教师或研究人员",
      "已获荣誉",
      "主要技术成果",
      "主要事迹",
      "联系电话",
      "所属县（市、区）",
      "推荐方式",
      "推荐单位",
    ]);
    expect(String(sheet.getRow(3).getCell(4).value)).toMatch(/^\d{4}\*{14}$/);
  });
});
