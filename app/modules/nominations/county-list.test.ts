import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { COUNTY_FOOTER, COUNTY_LIST_HEADER, countyWorkbook, REVIEW_FORM_HEADER, twoRowHeaderList, type Row } from "../../../test/county-files";
import { useTestDb } from "../../../test/db";
import { idNumberFor, makeCampaign, makeUser, unitId } from "../../../test/factories";
import { advanceBlockers, findCampaign } from "~/modules/campaigns/campaigns.server";
import {
  commitImport,
  createImportBatch,
  exportSummaryTable,
  findImportBatch,
  parseSummaryTable,
  previewStatus,
  type ImportTarget,
} from "~/modules/nominations/summary-table.server";
import { ACCEPTED } from "~/modules/people/spellings";

const t = useTestDb();
const TODAY = "2018-03-20";

async function wenling(): Promise<ImportTarget> {
  const counties = await t.db.selectFrom("org_unit").select(["id", "short_name", "name"]).where("kind", "=", "county").execute();
  return { nominatingUnitId: await unitId(t.db, "wenling"), kind: "county", counties };
}

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

describe("a county's 汇总表 as counties fill it in", () => {
  it("imports every sound row, marks it 待补全 with what is missing, and passes over the sheet's furniture", async () => {
    const bytes = await countyList([
      person(),
      person({ 序号: 2, 姓名: "王秀英", 性别: "女", 出生年月: "1983年2月", 身份证号码: idNumberFor("F", "1983-02-01"), 一线年限: "" }),
      [],
      person({ 序号: 3, 姓名: "周斌", 出生年月: "1988-12", 身份证号码: idNumberFor("M", "1988-12-31") }),
    ]);
    const table = await parseSummaryTable(bytes, await wenling());
    expect(table.rows.map((r) => [r.name, r.errors, r.missing])).toEqual([
      ["林建波", [], ["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]],
      ["王秀英", [], ["一线技能工作年限", "是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]],
      ["周斌", [], ["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]],
    ]);
    // Said once, at the top: the 审批表's columns the sheet does not have.
    expect(table.missingColumns).toEqual(["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]);
    // The blank line inside the table, the total, the signers, the seal and the note: none is a person.
    expect(table.skipped.map((k) => k.reason)).toEqual(["空行", "空行", "合计行", "签名栏", "盖章栏", "表后说明"]);

    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(51);
    const batch = await createImportBatch(t.db, officer, campaign, (await wenling()).nominatingUnitId, "温岭.xlsx", table);
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
    const { rows } = await parseSummaryTable(await countyList([person({ 出生年月: cell, 身份证号码: idNumberFor("M", born) })]), await wenling());
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
      await wenling(),
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
      await wenling(),
    );
    expect(rows[0].errors).toEqual([`出生日期：表中为 1978-06，与身份证号码中的出生日期 ${born} 不一致`]);
    expect(rows[1].errors).toEqual(["出生日期：日期“28622”无法识别，请写成 1985-06-01 或 1985.06"]);
  });

  it("reads the spellings people use, and refuses the rest with the accepted list", async () => {
    const spelled = [
      ["回", "中专", "团员", "高级工/三级", "回族", "中专/技校", "共青团员", "高级工"],
      ["畲族", "技校", "民盟盟员", "二级", "畲族", "中专/技校", "民主党派成员", "技师"],
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
      await wenling(),
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
      await wenling(),
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
      await wenling(),
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
      header: REVIEW_FORM_HEADER,
      rows: [
        {
          姓名: "原样",
          性别: "男",
          身份证号码: idNumberFor("M", "1979-08-15"),
          出生日期: "1979-08-15",
          民族: "汉族",
          学历: "大专",
          政治面貌: "群众",
          工作单位: "温岭恒远精密机械有限公司（总厂）",
          所属行业: "汽车及零部件",
          技术等级: "高级技师",
          一线技能工作年限: 20,
          是否仍在技能岗位: "是",
          符合条件: "一、五",
          已获荣誉: honors,
          主要技术成果: "数控刀具改进，获国家专利2项。",
          主要事迹: deeds,
        },
      ],
    });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await campaignNumbered(52);
    const batch = await createImportBatch(
      t.db,
      officer,
      campaign,
      (await wenling()).nominatingUnitId,
      "a.xlsx",
      await parseSummaryTable(bytes, await wenling()),
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
    const target = await wenling();
    const first = await parseSummaryTable(
      await countyList([
        person({ 一线年限: 15 }),
        person({ 序号: 2, 姓名: "王秀英", 性别: "女", 出生年月: "1983.02", 身份证号码: idNumberFor("F", "1983-02-01") }),
      ]),
      target,
    );
    expect(
      await commitImport(t.db, officer, campaign, await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "a.xlsx", first), TODAY),
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
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "导出.xlsx", again);
    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    expect(batch.table.rows.map((r) => r.errors)).toEqual([[], []]);
    const notes = await previewStatus(t.db, officer, campaign, batch, TODAY);
    expect([...notes.values()]).toEqual(["无变化", "将按表格更新"]);
    expect(await commitImport(t.db, officer, campaign, batchId, TODAY)).toEqual({ ok: true, created: 0, updated: 1, unchanged: 1 });
    const count = await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).execute();
    expect(count).toHaveLength(2);
  });
});
