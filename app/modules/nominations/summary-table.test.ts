import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { COUNTY_FOOTER, COUNTY_LIST_HEADER, countyWorkbook, FILLED_ROW, REVIEW_FORM_HEADER, twoRowHeaderList, type Row } from "../../../test/county-files";
import { idNumberFor, importTargetFor, makeCampaign, makeUser, unitId } from "../../../test/factories";
import type { SessionUser } from "~/auth/roles";
import { advanceBlockers, findCampaign, type Campaign } from "~/modules/campaigns/campaigns.server";
import {
  commitImport,
  createImportBatch,
  exportSummaryTable,
  findImportBatch,
  parseSummaryTable,
  parseSummaryTableOffThread,
  summaryTableTextOffThread,
  IMPORT_JOBS,
  previewOf,
  previewStatus,
  requestCommit,
} from "~/modules/nominations/summary-table.server";
import { runDueJobs } from "~/lib/jobs.server";
import { encrypt } from "~/modules/people/pii.server";
import { REGISTERED_ELSEWHERE } from "~/modules/people/lookup.server";
import { ACCEPTED } from "~/modules/people/spellings";
import { todosFor } from "~/worker.server";
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
    ...FILLED_ROW,
    职称: "",
  };
  return HEADER.map((h) => (h in over ? over[h] : base[h]));
}

const xlsx = (rows: unknown[][], setup?: (sheet: ExcelJS.Worksheet) => void, above?: unknown[][]) =>
  countyWorkbook({ header: HEADER, rows, setup, sheetName: "温岭市", above });

const wenlingTarget = () => importTargetFor(t.db);

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
    // Read in the worker thread, the sheet crosses back as text with a row per line (one copy, read on the server's
    // thread a slice at a time, not a block of objects unpacked at once), and is the same table.
    const text = await summaryTableTextOffThread({ bytes, target: await wenlingTarget() });
    expect(typeof text).toBe("string");
    expect(text.split("\n")).toHaveLength(rows.length + 2);
    expect((await parseSummaryTableOffThread({ bytes, target: await wenlingTarget() })).rows).toEqual(rows);
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
    expect(byName["年限不足"].errors).toEqual(["出生日期：表中为 1990-01-02，与身份证号码中的出生日期 1990-01-01 不一致，请核对后改正其中之一"]);
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
    // Nothing the file gives is wrong; what a new person still needs is asked for by the check against the records.
    expect(wang.errors).toEqual([]);
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
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(bytes, target), TODAY);
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toEqual({ ok: true, created: 2, updated: 0, unchanged: 0 });
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ ok: false, status: 409 });

    const snapshot = async () => ({
      nominations: await t.db.selectFrom("nomination").selectAll().where("campaign_id", "=", campaign.id).orderBy("id").execute(),
      people: await t.db.selectFrom("person").select(["id", "name", "updated_at"]).orderBy("id").execute(),
    });
    const before = await snapshot();
    const again = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(bytes, target), TODAY);
    expect(await commitImport(t.db, officer, campaign, again, TODAY)).toEqual({ ok: true, created: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);

    // An edited line updates that nomination only.
    // An edited line is a value the record already holds otherwise: kept, and said, unless the officer takes the file's.
    const edited = await xlsx([row({ 身份证号码: firstId, 一线技能工作年限: 21 })]);
    const third = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(edited, target), TODAY);
    const check = await previewStatus(t.db, officer, campaign, (await findImportBatch(t.db, officer, campaign.id, third))!, TODAY);
    expect([...check.rows.values()]).toMatchObject([
      { ok: true, change: "unchanged", conflicts: [{ field: "frontlineYears", label: "一线技能工作年限", was: "20", will: "21" }] },
    ]);
    expect(await commitImport(t.db, officer, campaign, third, TODAY, undefined, ["4:frontlineYears"])).toEqual({
      ok: true,
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    const years = await t.db.selectFrom("nomination").select("frontline_years").where("campaign_id", "=", campaign.id).orderBy("seq").executeTakeFirstOrThrow();
    expect(years.frontline_years).toBe(21);
    const history = await t.db
      .selectFrom("audit_log")
      .select(["action", "comment"])
      .where("entity_type", "=", "nomination")
      .where("action", "=", "update")
      .execute();
    expect(history).toEqual([{ action: "update", comment: "导入文件：温岭.xlsx" }]);
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
      await parseSummaryTable(
        await xlsx([row({ 姓名: "椒江人", 性别: "女", 身份证号码: theirs, 出生日期: "1983-02-02" })], undefined, [
          ["椒江区推荐人选汇总表"],
          ["推荐单位（盖章）：椒江区总工会"],
        ]),
        jiaojiangTarget,
      ),
      TODAY,
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
    const batchId = await createImportBatch(t.db, wenling, campaign, target.nominatingUnitId, "温岭.xlsx", table, TODAY);
    const batch = (await findImportBatch(t.db, wenling, campaign.id, batchId))!;
    expect(batch.table.rows.map((r) => r.errors)).toEqual([[REGISTERED_ELSEWHERE], []]);
    expect(batch.error_count).toBe(1);
    // The preview says nothing of the other county's nomination (its 编号 or unit): only the new row has a note.
    const preview = await previewStatus(t.db, wenling, campaign, batch, TODAY);
    expect([...preview.rows.entries()].map(([line, o]) => [line, o.ok && o.change])).toEqual([[batch.table.rows[1].line, "created"]]);
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
    const batch = await createImportBatch(t.db, city, campaign, target.nominatingUnitId, "a.xlsx", await parseSummaryTable(bytes, target), TODAY);
    expect(await commitImport(t.db, city, campaign, batch, TODAY)).toMatchObject({ ok: true, created: 2 });

    const exported = await exportSummaryTable(t.db, campaign, { revealIds: true });
    const reread = await parseSummaryTable(new Uint8Array(exported), target);
    expect(reread.rows.map((r) => r.errors)).toEqual([[], []]);
    const batch2 = await createImportBatch(t.db, city, campaign, target.nominatingUnitId, "export.xlsx", reread, TODAY);
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
      "备注",
      "推荐方式",
      "推荐单位",
    ]);
    expect(String(sheet.getRow(3).getCell(4).value)).toMatch(/^\d{4}\*{14}$/);
  });
});

const person = (over: Row = {}): Row => ({
  序号: 1,
  姓名: "林建波",
  性别: "男",
  民族: "汉",
  出生年月: "1981.07",
  身份证号码: idNumberFor("M", "1981-07-09"),
  学历: "大专",
  政治面貌: "党员",
  工作单位: "温岭华科泵业有限公司",
  所属行业: "泵与电机",
  职务: "班组长",
  职称: "",
  技术等级: "技师",
  一线年限: 15,
  联系电话: "13957600011",
  备注: "",
  ...over,
});

const countyList = (rows: Array<Row | unknown[]>, setup?: (sheet: ExcelJS.Worksheet) => void) =>
  countyWorkbook({ header: COUNTY_LIST_HEADER, rows, below: COUNTY_FOOTER, setup });

async function campaignNumbered(number: number) {
  return (await findCampaign(t.db, (await makeCampaign(t.db, { number, deadline: "2018-03-31" })).id))!;
}

/** An officer's upload of a one-row Wenling list, checked (or queued for its check) but not committed. */
async function uploadOneRow(officer: SessionUser, campaign: Campaign) {
  const target = await wenlingTarget();
  return createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", await parseSummaryTable(await xlsx([row()]), target));
}

describe("a long sheet, checked and written by the job queue", () => {
  it("keeps the check's findings with the batch, pages the preview, and takes a refused commit back to the preview with the reason", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 61, deadline: "2099-03-31", quota: 500 })).id))!;
    const people = Array.from({ length: 230 }, (_, i) => {
      const born = `19${70 + (i % 25)}-0${1 + (i % 9)}-1${i % 10}`;
      return row({
        序号: i + 1,
        姓名: `林${"建立国秀英斌华明"[i % 8]}${"波涛军平安"[Math.floor(i / 8) % 5]}${"甲乙丙丁戊己"[Math.floor(i / 40)]}`,
        身份证号码: idNumberFor("M", born),
        出生日期: born,
      });
    });
    const target = await wenlingTarget();
    const table = await parseSummaryTable(await xlsx([...people, row({ 姓名: "坏行", 身份证号码: "123" })]), target);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", table, TODAY);
    const opened = async () => previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect((await opened()).batch).toMatchObject({ status: "checking", progress: { done: 0, total: 231 } });
    await runDueJobs(t.db, IMPORT_JOBS);

    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    const first = previewOf(batch, {});
    expect(first.batch).toMatchObject({ status: "previewed", progress: null });
    expect(first.counts).toEqual({ all: 231, valid: 230, invalid: 1, incomplete: 0, conflicts: 0 });
    expect(first.rows).toMatchObject({ total: 231, page: 1, pageSize: 100 });
    expect(first.rows.rows).toHaveLength(100);
    expect(first.rows.rows.every((r) => r.note === "将新增推荐")).toBe(true);
    expect(
      previewOf(batch, { page: 3 })
        .rows.rows.map((r) => r.name)
        .at(-1),
    ).toBe("坏行");
    expect(previewOf(batch, { page: 99 }).rows.page).toBe(3);
    expect(previewOf(batch, { show: "problems" }).rows.rows.map((r) => [r.name, r.valid])).toEqual([["坏行", false]]);
    // Reading the preview again does no dry run: nothing is written, however often it is opened.
    expect(await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute()).toEqual([]);

    // The deadline passes between the press and the job: nothing is written, and the preview says why.
    expect(await requestCommit(t.db, officer, campaign, batchId, "2026-12-01")).toEqual({ ok: true });
    expect(await requestCommit(t.db, officer, campaign, batchId, "2026-12-01")).toMatchObject({ ok: false, status: 409 });
    await t.db.updateTable("campaign").set({ nomination_deadline: "2020-01-01" }).where("id", "=", campaign.id).execute();
    await runDueJobs(t.db, IMPORT_JOBS);
    const refused = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(refused.batch).toMatchObject({ status: "previewed", failure: { ok: false, status: 403, message: "推荐申报已截止，不能再导入" } });
    expect(await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute()).toEqual([]);

    await t.db.updateTable("campaign").set({ nomination_deadline: "2099-03-31" }).where("id", "=", campaign.id).execute();
    await requestCommit(t.db, officer, campaign, batchId, "2026-12-01");
    await runDueJobs(t.db, IMPORT_JOBS);
    const committed = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(committed.batch).toMatchObject({ status: "committed", failure: null, summary: { created: 230, updated: 0, unchanged: 0 } });
    expect(await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute()).toHaveLength(230);
    // 231 rows checked and written twice over on the embedded engine: slow beside the whole suite, not a speed test.
  }, 120_000);
});

describe("a county's 汇总表 as counties fill it in", () => {
  it("imports every sound row, marks it 待补全 with what is missing, and passes over the sheet's furniture", async () => {
    const bytes = await countyList([
      person(),
      person({ 序号: 2, 姓名: "王秀英", 性别: "女", 出生年月: "1983年2月", 身份证号码: idNumberFor("F", "1983-02-01"), 一线年限: "" }),
      [],
      person({ 序号: 3, 姓名: "周斌", 出生年月: "1988-12", 身份证号码: idNumberFor("M", "1988-12-31") }),
    ]);
    const table = await parseSummaryTable(bytes, await wenlingTarget());
    expect(table.rows.map((r) => [r.name, r.errors, r.missing])).toEqual([
      ["林建波", [], ["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]],
      ["王秀英", [], ["一线技能工作年限", "是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]],
      ["周斌", [], ["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]],
    ]);
    // Said once, at the top: the 审批表's columns the sheet does not have.
    expect(table.missingColumns).toEqual(["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]);
    // The blank line inside the table, the total, the signers, the seal and the note: none is a person.
    expect(table.skipped.map((k) => [k.lines, k.reason])).toEqual([
      ["1", "表头上方的标题或填报说明"],
      ["2", "表头上方的标题或填报说明"],
      ["6", "空行"],
      ["8", "空行"],
      ["9", "合计行"],
      ["10", "签名栏"],
      ["11", "盖章栏"],
      ["12", "表后说明"],
    ]);

    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(51);
    const batch = await createImportBatch(t.db, officer, campaign, (await wenlingTarget()).nominatingUnitId, "温岭.xlsx", table, TODAY);
    expect(await commitImport(t.db, officer, campaign, batch, TODAY)).toEqual({ ok: true, created: 3, updated: 0, unchanged: 0 });
    const filed = await t.db
      .selectFrom("nomination")
      .innerJoin("person", "person.id", "nomination.person_id")
      .select(["person.name", "person.birth_date", "person.ethnicity", "person.political_status", "nomination.frontline_years", "nomination.in_skill_post"])
      .where("campaign_id", "=", campaign.id)
      .orderBy("nomination.seq")
      .execute();
    // The birth date comes whole from the ID number; the sheet's month only had to agree with it.
    expect(filed).toEqual([
      { name: "林建波", birth_date: "1981-07-09", ethnicity: "汉族", political_status: "中共党员", frontline_years: 15, in_skill_post: null },
      { name: "王秀英", birth_date: "1983-02-01", ethnicity: "汉族", political_status: "中共党员", frontline_years: null, in_skill_post: null },
      { name: "周斌", birth_date: "1988-12-31", ethnicity: "汉族", political_status: "中共党员", frontline_years: 15, in_skill_post: null },
    ]);
    // The officer's 待办 lists them to complete, each linking to its nomination.
    const todos = (await todosFor(t.db, officer)).filter((i) => i.label.startsWith("补全推荐审批表"));
    expect(todos.map((i) => i.label).sort()).toEqual(["补全推荐审批表：周斌", "补全推荐审批表：林建波", "补全推荐审批表：王秀英"].sort());
    expect(todos.every((i) => /^\/nominations\/\d+$/.test(i.link))).toBe(true);
    // Incomplete files hold up 资格初审 until they are completed.
    await t.db.updateTable("campaign").set({ nomination_deadline: "2018-03-01" }).where("id", "=", campaign.id).execute();
    expect(await advanceBlockers(t.db, campaign, TODAY)).toContain("还有 3 名推荐人选待补全（推荐审批表内容不全），补全后方可进入资格初审");
  });

  const born = "1978-05-12";
  it.each<[string, unknown]>([
    ["1978.05", "1978.05"],
    ["1978.5", "1978.5"],
    ["1978年5月", "1978年5月"],
    ["1978-05", "1978-05"],
    ["197805", "197805"],
    ["1978/5", "1978/5"],
    ["full-width １９７８．０５", "１９７８．０５"],
    ["a number cell 1978.05", 1978.05],
    ["a number cell 197805", 197805],
    ["a whole date 1978年5月12日", "1978年5月12日"],
    ["a date cell", new Date(Date.UTC(1978, 4, 12))],
  ])("reads 出生年月 written as %s at the precision given", async (_, cell) => {
    const { rows } = await parseSummaryTable(await countyList([person({ 出生年月: cell, 身份证号码: idNumberFor("M", born) })]), await wenlingTarget());
    expect(rows[0].errors).toEqual([]);
    expect(rows[0].form?.birthDate).toBe(born);
  });

  it("reads a date cell formatted as year and month, and 1978.1 (Excel's 1978.10) as October", async () => {
    const { rows } = await parseSummaryTable(
      await countyList(
        [
          person({ 出生年月: new Date(Date.UTC(1978, 4, 1)), 身份证号码: idNumberFor("M", born) }),
          person({ 姓名: "十月生", 出生年月: 1978.1, 身份证号码: idNumberFor("M", "1978-10-03") }),
        ],
        (sheet) => {
          sheet.getCell("E4").numFmt = "yyyy.mm";
        },
      ),
      await wenlingTarget(),
    );
    expect(rows.map((r) => r.errors)).toEqual([[], []]);
  });

  it("refuses a month that disagrees with the ID number, and never takes number-looking text for an Excel serial", async () => {
    const { rows } = await parseSummaryTable(
      await countyList([
        person({ 出生年月: "1978.06", 身份证号码: idNumberFor("M", born) }),
        // 28622 is the serial of 1978-05-12; typed as text it is not a date anyone wrote.
        person({ 姓名: "序列号", 出生年月: "28622", 身份证号码: idNumberFor("M", born) }),
      ]),
      await wenlingTarget(),
    );
    expect(rows[0].errors).toEqual([`出生日期：表中为 1978-06，与身份证号码中的出生日期 ${born} 不一致，请核对后改正其中之一`]);
    expect(rows[1].errors).toEqual(["出生日期：日期“28622”无法识别，请写成 1985-06-01 或 1985.06"]);
  });

  it("reads the spellings people use, and refuses the rest with the accepted list", async () => {
    const spelled = [
      ["回", "中专", "团员", "高级工/三级", "回族", "中专", "共青团员", "高级工"],
      ["畲族", "技校", "民盟盟员", "二级", "畲族", "技校", "民主党派成员", "技师"],
      ["汉族", "职高", "九三学社社员", "一级", "汉族", "高中", "民主党派成员", "高级技师"],
      ["满", "初中", "中共党员", "特级技师", "满族", "初中及以下", "中共党员", "特级技师"],
      ["汉", "研究生", "群众", "首席技师", "汉族", "硕士研究生", "群众", "首席技师"],
      ["汉", "博士", "无党派", "技师", "汉族", "博士研究生", "无党派人士", "技师"],
      ["汉", "大学本科", "预备党员", "技师", "汉族", "本科", "中共预备党员", "技师"],
      ["汉", "大学专科", "党员", "技师", "汉族", "大专", "中共党员", "技师"],
    ];
    const { rows } = await parseSummaryTable(
      await countyList([
        ...spelled.map(([民族, 学历, 政治面貌, 技术等级], i) =>
          person({ 姓名: `拼写${"一二三四五六七八"[i]}`, 民族, 学历, 政治面貌, 技术等级, 身份证号码: idNumberFor("M", "1981-07-09") }),
        ),
        // Full-width digits and spaces in the number and the years.
        person({
          姓名: "全角",
          身份证号码: idNumberFor("M", "1981-07-09").replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
          一线年限: "１５年",
        }),
        person({ 姓名: "火星", 民族: "火星族", 身份证号码: idNumberFor("M", "1981-07-09") }),
      ]),
      await wenlingTarget(),
    );
    spelled.forEach(([, , , , ethnicity, education, politicalStatus, skillLevel], i) => {
      expect(rows[i].errors).toEqual([]);
      expect(rows[i].form).toMatchObject({ ethnicity, education, politicalStatus, skillLevel });
    });
    expect(rows[8].errors).toEqual([]);
    expect(rows[8].form).toMatchObject({ frontlineYears: "15" });
    expect(rows[9].errors).toEqual([`民族：“火星族”无法识别，可填写${ACCEPTED.ethnicity}`]);
  });

  it("reads a two-row header with merged group headings, and says which further sheets it did not read", async () => {
    const table = await parseSummaryTable(
      await twoRowHeaderList([
        person(),
        person({ 姓名: "陈立国", 身份证号码: idNumberFor("M", "1979-08-15"), 出生年月: "1979.08", 一线年限: 20, 技术等级: "高级技师" }),
      ]),
      await wenlingTarget(),
    );
    expect(table.rows.map((r) => [r.line, r.name, r.errors])).toEqual([
      [4, "林建波", []],
      [5, "陈立国", []],
    ]);
    expect(table.rows[1].form).toMatchObject({ skillLevel: "高级技师", frontlineYears: "20" });
    expect(table.otherSheets).toEqual(["填表说明"]);
  });

  it("shows what 资格初审 will ask about as warnings in the notice's words, and still imports the row", async () => {
    const { rows } = await parseSummaryTable(
      await countyList([person({ 职务: "教师", 工作单位: "台州技师学院", 一线年限: 3, 技术等级: "中级工" })]),
      await wenlingTarget(),
    );
    expect(rows[0].errors).toEqual([]);
    expect(rows[0].form).not.toBeNull();
    expect(rows[0].warnings).toEqual([
      "职务为教师或研究人员，或工作单位是学校、科研院所：各级各类学校教师及专门研究人员不在选树之列，请核实",
      "直接从事一线技能工作不满5年（填报3年）",
      "原则上应具有国家职业资格高级工以上（目前为中级工）",
    ]);
  });

  it("keeps free text exactly as written: Chinese punctuation and paragraphs", async () => {
    const honors = "全国技术能手（2019年）；浙江省“百千万”高技能领军人才！";
    const deeds = "扎根一线二十年：主持叶轮铸造工艺改进，良品率提高12%。\n\n带徒15人，其中3人获评技师。";
    const bytes = await countyWorkbook({
      header: HEADER,
      rows: [
        row({ 姓名: "原样", 工作单位: "温岭恒远精密机械有限公司（总厂）", 已获荣誉: honors, 主要技术成果: "数控刀具改进，获国家专利2项。", 主要事迹: deeds }),
      ],
    });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(52);
    const batch = await createImportBatch(
      t.db,
      officer,
      campaign,
      (await wenlingTarget()).nominatingUnitId,
      "a.xlsx",
      await parseSummaryTable(bytes, await wenlingTarget()),
      TODAY,
    );
    expect(await commitImport(t.db, officer, campaign, batch, TODAY)).toMatchObject({ ok: true, created: 1 });
    const stored = await t.db
      .selectFrom("nomination")
      .innerJoin("person", "person.id", "nomination.person_id")
      .select(["nomination.honors", "nomination.deeds_summary", "nomination.achievements", "person.employer"])
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ honors, deeds_summary: deeds, achievements: "数控刀具改进，获国家专利2项。", employer: "温岭恒远精密机械有限公司（总厂）" });
  });

  it("matches a re-import of the unit's own (masked) export to the nominations on file: 无变化 or 将按表格更新", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(53);
    const target = await wenlingTarget();
    const first = await parseSummaryTable(
      await countyList([
        person({ 一线年限: 15 }),
        person({ 序号: 2, 姓名: "王秀英", 性别: "女", 出生年月: "1983.02", 身份证号码: idNumberFor("F", "1983-02-01") }),
      ]),
      target,
    );
    expect(
      await commitImport(t.db, officer, campaign, await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "a.xlsx", first, TODAY), TODAY),
    ).toMatchObject({
      created: 2,
    });

    const exported = new ExcelJS.Workbook();
    await exported.xlsx.load((await exportSummaryTable(t.db, campaign, { unitId: target.nominatingUnitId, revealIds: false })) as unknown as ExcelJS.Buffer);
    const sheet = exported.worksheets[0];
    expect(String(sheet.getRow(3).getCell(4).value)).toMatch(/\*/);
    // The officer completes one line in the exported sheet and sends it back.
    sheet.getRow(4).getCell(15).value = "是";
    const edited = new Uint8Array(await exported.xlsx.writeBuffer());

    const again = await parseSummaryTable(edited, target);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "导出.xlsx", again, TODAY);
    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    expect(batch.table.rows.map((r) => r.errors)).toEqual([[], []]);
    const notes = await previewStatus(t.db, officer, campaign, batch, TODAY);
    expect([...notes.rows.values()].map((o) => (o.ok ? o.change : o.errors))).toEqual(["unchanged", "updated"]);
    expect(await commitImport(t.db, officer, campaign, batchId, TODAY)).toEqual({ ok: true, created: 0, updated: 1, unchanged: 1 });
    const count = await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute();
    expect(count).toHaveLength(2);
  });
});

/** The unit's own export of the campaign (masked numbers), as its officer opens it; a column's index by its header. */
async function ownExport(campaign: Campaign, unitId: number) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await exportSummaryTable(t.db, campaign, { unitId, revealIds: false })) as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  return { workbook, sheet, column: (header: string) => (sheet.getRow(2).values as unknown[]).indexOf(header) };
}

/** The campaign's nominees in their order: birth date and 职称. */
const nomineesOf = (campaignId: number) =>
  t.db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["person.birth_date", "person.title"])
    .where("campaign_id", "=", campaignId)
    .orderBy("nomination.seq")
    .execute();

describe("a row of the unit's own export without its 序号 (issue 37, found by a tester)", () => {
  it("is matched by name, masked number, sex and birth date to the one nominee they fit, and refused when two fit alike", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(70);
    const target = await wenlingTarget();
    // Three 王秀英 (a masked number shows only the area): two born on one day, one born later.
    const wang = (seq: number, born: string) =>
      person({ 序号: seq, 姓名: "王秀英", 性别: "女", 出生年月: born.slice(0, 7).replace("-", "."), 身份证号码: idNumberFor("F", born) });
    const filed = await parseSummaryTable(await countyList([wang(1, "1983-02-01"), wang(2, "1990-05-01"), wang(3, "1983-02-01")]), target);
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "a.xlsx", filed, TODAY);
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ created: 3 });

    const { workbook: exported, sheet, column } = await ownExport(campaign, target.nominatingUnitId);
    const rows = [3, 4, 5].map((n) => sheet.getRow(n));
    const born = (r: ExcelJS.Row) => String(r.getCell(column("出生日期")).value);
    // The officer clears the 序号 column and gives the one born in 1990 a 职称.
    for (const r of rows) r.getCell(column("序号")).value = null;
    const later = rows.find((r) => born(r) === "1990-05-01")!;
    later.getCell(column("职称")).value = "高级技师";
    const again = await parseSummaryTable(new Uint8Array(await exported.xlsx.writeBuffer()), target);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "导出.xlsx", again, TODAY);
    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    const ambiguous = "身份证号码：本单位本届推荐中有 2 位人选姓名和打码后的号码都与此行相同，无法确定是哪一位，请填写完整号码，或保留导出表中的序号";
    expect(batch.table.rows.map((r) => r.errors)).toEqual(rows.map((r) => (born(r) === "1990-05-01" ? [] : [ambiguous])));
    expect(await commitImport(t.db, officer, campaign, batchId, TODAY)).toEqual({ ok: true, created: 0, updated: 1, unchanged: 0 });
    expect((await nomineesOf(campaign.id)).map((p) => [p.birth_date, p.title === "高级技师"])).toEqual([
      ["1983-02-01", false],
      ["1990-05-01", true],
      ["1983-02-01", false],
    ]);
  });
});

describe("a row of the unit's own export whose 序号 is another nominee's (found by a tester)", () => {
  it("is refused, not written to the one its name matches", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(71);
    const target = await wenlingTarget();
    const filed = await parseSummaryTable(
      await countyList([person(), person({ 序号: 2, 姓名: "王秀英", 性别: "女", 出生年月: "1983.02", 身份证号码: idNumberFor("F", "1983-02-01") })]),
      target,
    );
    expect(
      await commitImport(t.db, officer, campaign, await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "a.xlsx", filed, TODAY), TODAY),
    ).toMatchObject({ created: 2 });
    const { workbook: exported, sheet, column } = await ownExport(campaign, target.nominatingUnitId);
    const [lin, wang] = [3, 4].map((n) => sheet.getRow(n));
    // 王秀英's row given 林建波's 序号 (a row copied and renamed, or a mistyped number), and a new 职称.
    wang.getCell(column("序号")).value = lin.getCell(column("序号")).value;
    wang.getCell(column("职称")).value = "高级技师";
    const again = await parseSummaryTable(new Uint8Array(await exported.xlsx.writeBuffer()), target);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "导出.xlsx", again, TODAY);
    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    expect(batch.table.rows.map((r) => r.errors)).toEqual([
      [],
      [`序号：${String(lin.getCell(column("序号")).value)} 是本单位另一位人选的编号，与此行姓名不符，请核对序号和姓名`],
    ]);
    expect(await commitImport(t.db, officer, campaign, batchId, TODAY)).toEqual({ ok: true, created: 0, updated: 0, unchanged: 1 });
    expect((await nomineesOf(campaign.id)).map((p) => p.title === "高级技师")).toEqual([false, false]);
  });
});

describe("a warning kept on the record", () => {
  it("stays after a later import that leaves its cause as it was (an undated opinion)", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(65);
    const target = await wenlingTarget();
    // First a filled 审批表 whose employer's opinion carries no date (as the Word reader gives it).
    const who = person();
    const form = await parseSummaryTable(await countyList([who]), target);
    form.rows[0].opinions = [{ kind: "employer", text: "同意推荐", signer: "温岭东海泵业有限公司", signedOn: null }];
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "审批表.docx", form, TODAY);
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ created: 1 });
    const stored = () => t.db.selectFrom("nomination").select("import_warnings").where("campaign_id", "=", campaign.id).executeTakeFirstOrThrow();
    const undated = expect.arrayContaining([expect.stringContaining("没有签署日期")]);
    expect((await stored()).import_warnings).toEqual(undated);
    // Then the county's list for the same person, which says nothing of opinions.
    const list = await parseSummaryTable(await countyList([{ ...who, 一线年限: 16 }]), target);
    const second = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "汇总表.xlsx", list, TODAY);
    expect(await commitImport(t.db, officer, campaign, second, TODAY)).toMatchObject({ ok: true, created: 0 });
    expect((await stored()).import_warnings).toEqual(undated);
  });
});

describe("an import job after a fault", () => {
  it("writes a batch confirmed before the deadline even when the job runs after it (a crash past midnight)", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(62);
    const batchId = await uploadOneRow(officer, campaign);
    await runDueJobs(t.db, IMPORT_JOBS);
    // Pressed at 23:50 on the last day (Taizhou time); the job only gets to it after midnight.
    expect(await requestCommit(t.db, officer, campaign, batchId, "2018-03-31")).toEqual({ ok: true });
    await t.db
      .updateTable("import_batch")
      .set({ confirmed_at: new Date("2018-03-31T15:50:00Z") })
      .where("id", "=", batchId)
      .execute();
    await runDueJobs(t.db, IMPORT_JOBS);
    const batch = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(batch.batch).toMatchObject({ status: "committed", failure: null, summary: { created: 1 } });
    expect(await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute()).toHaveLength(1);
  });

  it("ends a check that throws on bad data as failed, with the reason the officer sees, at once", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 63 })).id))!;
    const target = await wenlingTarget();
    const table = await parseSummaryTable(await xlsx([row()]), target);
    // A 事迹材料 over 3,000 characters once made the check throw; the check now says so on its row.
    table.rows[0].form!.story = "扎根车间".repeat(900);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", table);
    const checked = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(checked.batch.status).toBe("previewed");
    expect(checked.rows.rows[0].errors).toEqual(["事迹材料：事迹材料不能超过3000字"]);
    // What the check cannot foresee — here a stored opinion dated a day that does not exist, which
    // no reading of a file produces — ends the job's batch as failed, not "checking" for ever.
    const opinion = { kind: "employer" as const, text: "同意推荐", signer: "单位负责人", signedOn: "2026-02-30" };
    const broken = { ...table, rows: [{ ...table.rows[0], errors: [], form: { ...table.rows[0].form!, story: "扎根车间" }, opinions: [opinion] }] };
    await t.db
      .updateTable("import_batch")
      .set({ status: "checking", checked_at: null, notes_cipher: null, rows_cipher: encrypt(JSON.stringify(broken)) })
      .where("id", "=", batchId)
      .execute();
    await runDueJobs(t.db, IMPORT_JOBS);
    const batch = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(batch.batch).toMatchObject({ status: "failed", progress: null });
    expect((batch.batch.failure as { message: string }).message).toMatch(/^逐行核对没有完成：.*本次未写入任何数据/);
    const job = await t.db.selectFrom("job").select(["done_at", "failed_at"]).where("kind", "=", "import.check").executeTakeFirstOrThrow();
    expect(job.done_at).not.toBeNull();
    expect(await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute()).toEqual([]);
  });

  it("ends a batch whose job's attempts were all spent by processes that died as failed", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 64 })).id))!;
    const batchId = await uploadOneRow(officer, campaign);
    // A list longer than the upload checks at once is left to the job (a short one is checked in its request).
    await t.db.updateTable("import_batch").set({ status: "checking", checked_at: null, notes_cipher: null }).where("id", "=", batchId).execute();
    // Three processes each claimed the check and died holding it; the last lease has run out.
    await t.db
      .updateTable("job")
      .set({ attempts: 3, locked_by: "dead", locked_until: new Date(Date.now() - 1000) })
      .where("kind", "=", "import.check")
      .execute();
    expect(await runDueJobs(t.db, IMPORT_JOBS)).toBe(0);
    const batch = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(batch.batch.status).toBe("failed");
    expect((batch.batch.failure as { message: string }).message).toContain("进程中断");
  });
});
