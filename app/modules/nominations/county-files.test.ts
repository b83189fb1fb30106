import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { COUNTY_FOOTER, COUNTY_LIST_HEADER, countyWorkbook, csvOf, filledForm, storyDocx, type FormStyle, type FormValues } from "../../../test/county-files";
import { zipEntries } from "../../../test/files";
import { idNumberFor, importTargetFor, makeCampaign, makeUser, unitId } from "../../../test/factories";
import type { SessionUser } from "~/auth/roles";
import { runDueJobs } from "~/lib/jobs.server";
import { SpreadsheetError } from "~/lib/spreadsheet.server";
import { findCampaign, type Campaign } from "~/modules/campaigns/campaigns.server";
import { checkCharacter } from "~/modules/people/id-number";
import { decrypt } from "~/modules/people/pii.server";
import { opinionsOf } from "~/modules/nominations/nominations.server";
import { cellsByLabel, parseReviewForms } from "~/modules/nominations/review-form.server";
import {
  createImportBatch,
  findImportBatch,
  IMPORT_JOBS,
  parseSummaryTable,
  previewOf,
  requestCommit,
  type SummaryTable,
} from "~/modules/nominations/summary-table.server";

/**
 * The files counties really send, built the way their clerks build them (see test/county-files.ts),
 * each taken through the import as an officer does it: upload, the check against the records,
 * the preview, 确认导入 — the last two by the job queue.
 */
const t = useTestDb();
const TODAY = "2018-03-20";

let number = 700;
async function openCampaign(quota = 5): Promise<Campaign> {
  return (await findCampaign(t.db, (await makeCampaign(t.db, { number: number++, deadline: "2099-03-31", quota })).id))!;
}

/** Upload, check and preview: what the officer sees before pressing 确认导入. */
async function preview(officer: SessionUser, campaign: Campaign, table: SummaryTable, filename: string, unit?: number) {
  const batchId = await createImportBatch(t.db, officer, campaign, unit ?? table.unitId ?? officer.orgUnitId!, filename, table);
  await runDueJobs(t.db, IMPORT_JOBS);
  const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
  return { batchId, shown: previewOf(batch, {}) };
}

/** 确认导入, with the conflicting values the officer ticked to take from the file. */
async function commit(officer: SessionUser, campaign: Campaign, batchId: number, take: string[] = []) {
  expect(await requestCommit(t.db, officer, campaign, batchId, TODAY, take)).toEqual({ ok: true });
  await runDueJobs(t.db, IMPORT_JOBS);
  return previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
}

async function filedPeople(campaign: Campaign) {
  return t.db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .selectAll("person")
    .select(["nomination.id as nomination_id", "nomination.remarks", "nomination.import_warnings", "nomination.frontline_years"])
    .where("nomination.campaign_id", "=", campaign.id)
    .orderBy("nomination.seq")
    .execute();
}

/** An 18-digit number whose last three digits are 000 and whose check digit passes: what Excel's padding can produce. */
function paddedButValid(): string {
  for (let day = 1; day <= 28; day++) {
    for (let seq = 0; seq <= 9; seq++) {
      const first17 = `331081197908${String(day).padStart(2, "0")}${seq}00`;
      if (checkCharacter(first17) === "0") return `${first17}0`;
    }
  }
  throw new Error("none found");
}

describe("汇总表 layouts counties use (.xlsx)", () => {
  it("reads 出生年月 as a date cell at month precision, levels with qualifiers, a landline and 备注, and stores them as written", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const people = [
      { 序号: 1, 姓名: "林建波", 性别: "男", 民族: "汉", 出生年月: new Date(Date.UTC(1981, 6, 1)), 身份证号码: idNumberFor("M", "1981-07-09") },
      { 序号: 2, 姓名: "王秀英", 性别: "女", 民族: "汉族", 出生年月: new Date(Date.UTC(1983, 1, 1)), 身份证号码: idNumberFor("F", "1983-02-14") },
      { 序号: 3, 姓名: "周斌", 性别: "男", 民族: "畲", 出生年月: "1988.12", 身份证号码: idNumberFor("M", "1988-12-31") },
    ];
    const extra = [
      { 学历: "大专（函授）", 技术等级: "高级技师（一级）", 联系电话: "0576-87231234", 备注: "2019年获评温岭市首席技师" },
      { 学历: "中专", 技术等级: "技师（二级）", 联系电话: "139 5760 0011", 备注: "" },
      { 学历: "技校", 技术等级: "高级工", 联系电话: "13957600012", 备注: "" },
    ];
    const rows = people.map((p, i) => ({
      ...p,
      ...extra[i],
      政治面貌: "党员",
      工作单位: "温岭华科泵业有限公司",
      所属行业: "泵与电机",
      职务: "班组长",
      一线年限: 15,
    }));
    const bytes = await countyWorkbook({
      header: COUNTY_LIST_HEADER,
      rows,
      below: COUNTY_FOOTER,
      // The clerk formatted the column as dates: Excel keeps the 1st of the month as the day.
      setup: (sheet) => (sheet.getColumn(5).numFmt = "yyyy-mm-dd"),
    });
    const table = await parseSummaryTable(bytes, await importTargetFor(t.db));
    expect(table.rows.map((r) => [r.name, r.errors])).toEqual([
      ["林建波", []],
      ["王秀英", []],
      ["周斌", []],
    ]);
    const { batchId, shown } = await preview(officer, campaign, table, "温岭市汇总表.xlsx");
    expect(shown.counts).toMatchObject({ valid: 3, invalid: 0 });
    const done = await commit(officer, campaign, batchId);
    expect(done.batch).toMatchObject({ status: "committed", failure: null });
    const filed = await filedPeople(campaign);
    expect(filed.map((p) => [p.name, p.education, p.skill_level, p.birth_date])).toEqual([
      ["林建波", "大专", "高级技师", "1981-07-09"],
      ["王秀英", "中专", "技师", "1983-02-14"],
      ["周斌", "技校", "高级工", "1988-12-31"],
    ]);
    // The phone as written (a landline keeps its dash), the qualifiers and 备注 on the nomination.
    expect(filed.map((p) => decrypt(p.phone_cipher!))).toEqual(["0576-87231234", "13957600011", "13957600012"]);
    expect(filed[0].remarks).toBe("2019年获评温岭市首席技师\n学历：大专（函授）\n技术等级：高级技师（一级）");
    expect(filed[1].remarks).toBe("技术等级：技师（二级）");
  });

  it("splits 工作单位及职务, reads 职业（工种）, and files the list under the unit its own line names — or refuses it", async () => {
    const header = "序号 姓名 性别 身份证号码 民族 文化程度 政治面貌 工作单位及职务 职业（工种） 技能等级 从事一线技能工作年限 联系电话".split(" ");
    const base = { 性别: "男", 民族: "汉族", 文化程度: "高中", 政治面貌: "群众", 技能等级: "技师", 从事一线技能工作年限: "12年", 联系电话: "13957600021" };
    // Three men whose rows differ only in who they are, where they work and at what.
    const man = (序号: number, 姓名: string, born: string, 工作单位及职务: string, 工种: string) => ({
      ...base,
      序号,
      姓名,
      身份证号码: idNumberFor("M", born),
      工作单位及职务,
      "职业（工种）": 工种,
    });
    const rows = [
      man(1, "郑永进", "1976-03-02", "台州市椒江永进机械有限公司 车间主任", "数控车工"),
      man(2, "陈海", "1980-10-10", "台州港务有限公司/门机班班长", "起重装卸机械操作工"),
      man(3, "吴立", "1985-01-20", "浙江海正药业股份有限公司设备主管", "化工总控工"),
    ];
    const above = [["椒江区“台州工匠”推荐人选汇总表"], ["推荐单位（盖章）：椒江区总工会", "", "", "", "", "", "填报日期：2018年3月18日"]];
    const bytes = await countyWorkbook({ header, rows, above, below: COUNTY_FOOTER });

    // A county cannot file another county's list under its own name.
    await expect(parseSummaryTable(bytes, await importTargetFor(t.db, "wenling"))).rejects.toThrow(/推荐单位为“椒江区总工会”，不是本单位/);
    // The city, having chosen another unit, is told which the sheet names.
    await expect(parseSummaryTable(bytes, await importTargetFor(t.db, "wenling", "city"))).rejects.toThrow(/请选择“椒江区”/);
    // The city, choosing none, files it under the unit named.
    const city = await makeUser(t.db, "city_admin");
    const table = await parseSummaryTable(bytes, { ...(await importTargetFor(t.db, "wenling", "city")), nominatingUnitId: 0 });
    const jiaojiang = await unitId(t.db, "jiaojiang");
    expect(table.unitId).toBe(jiaojiang);
    expect(table.rows.map((r) => [r.errors, r.form?.employer, r.form?.position, r.form?.industry, r.form?.orgUnitId])).toEqual([
      [[], "台州市椒江永进机械有限公司", "车间主任", "数控车工", String(jiaojiang)],
      [[], "台州港务有限公司", "门机班班长", "起重装卸机械操作工", String(jiaojiang)],
      [[], "浙江海正药业股份有限公司", "设备主管", "化工总控工", String(jiaojiang)],
    ]);
    const campaign = await openCampaign();
    const { batchId } = await preview(city, campaign, table, "椒江区汇总表.xlsx");
    expect((await commit(city, campaign, batchId)).batch.summary).toMatchObject({ created: 3 });
    const filed = await t.db.selectFrom("nomination").select("nominating_unit_id").where("campaign_id", "=", campaign.id).execute();
    expect(filed.map((n) => n.nominating_unit_id)).toEqual([jiaojiang, jiaojiang, jiaojiang]);
  });
});

describe("messages", () => {
  it("quote what the clerk typed, full-width brackets and all, and say what to do", async () => {
    const bytes = await countyWorkbook({
      header: ["姓名", "身份证号码", "民族", "技术等级", "符合条件", "是否仍在技能岗位"],
      rows: [["林建波", idNumberFor("M", "1981-07-09"), "汉族", "大师（一级）", "（七）", "在（返聘）"]],
    });
    const [row] = (await parseSummaryTable(bytes, await importTargetFor(t.db))).rows;
    expect(row.errors).toEqual([
      expect.stringMatching(/^技术等级：“大师（一级）”无法识别，可填写未定级、初级工/),
      "是否仍在技能岗位：请填写“是”或“否”（表中为“在（返聘）”）",
      "符合条件“（七）”无法识别，请填写（一）至（五）中的编号，如“一、五”",
    ]);
  });
});

describe("汇总表 as CSV from Chinese Excel", () => {
  const header1 = ["序号", "基本情况", "", "", "", "", "", "身份证号码", "工作单位", "所属行业", "技能情况", "", "备注"];
  const header2 = ["", "姓名", "性别", "民族", "出生年月", "学历", "政治面貌", "", "", "", "技术等级", "一线年限", ""];
  const line = (name: string, id: string, over: Partial<Record<string, string>> = {}) => {
    const v: Record<string, string> = {
      姓名: name,
      性别: "男",
      民族: "汉族",
      出生年月: "1979.08",
      学历: "大专",
      政治面貌: "群众",
      技术等级: "技师",
      一线年限: "20",
      ...over,
    };
    return [
      "1",
      v.姓名,
      v.性别,
      v.民族,
      v.出生年月,
      v.学历,
      v.政治面貌,
      id,
      "温岭恒远精密机械有限公司",
      "汽车及零部件",
      v.技术等级,
      v.一线年限,
      over.备注 ?? "",
    ];
  };

  it.each<"gbk" | "utf-8">(["gbk", "utf-8"])(
    "reads a two-row header (no merges in CSV) in %s, and refuses numbers Excel has damaged even when the check digit passes",
    async (encoding) => {
      const good = idNumberFor("M", "1979-08-15");
      const padded = paddedButValid();
      expect(checkCharacter(padded.slice(0, 17))).toBe(padded[17]);
      const badCheck = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
      const bytes = csvOf(
        [
          ["温岭市“台州工匠”推荐人选汇总表"],
          ["推荐单位（盖章）：温岭市总工会", "", "", "", "", "", "", "", "", "", "填报日期：2018年3月20日"],
          header1,
          header2,
          line("陈立国", good, { 备注: "市级技能大师工作室领办人" }),
          line("科学计数", "3.31081E+17"),
          line("末尾补零", padded),
          line("抄错一位", badCheck),
          line("没写民族", idNumberFor("M", "1979-08-20"), { 民族: "" }),
          [],
          ["填表人：王丽", "", "", "联系电话：0576-86123456"],
        ],
        encoding,
      );
      const table = await parseSummaryTable(bytes, await importTargetFor(t.db));
      const byName = Object.fromEntries(table.rows.map((r) => [r.name, r]));
      expect(byName["陈立国"].errors).toEqual([]);
      expect(byName["陈立国"].form).toMatchObject({ name: "陈立国", education: "大专", skillLevel: "技师", remarks: "市级技能大师工作室领办人" });
      expect(byName["科学计数"].errors).toHaveLength(1);
      expect(byName["科学计数"].errors[0]).toContain("只保留了15位有效数字");
      // Its check digit passes; it is still not the person's number.
      expect(byName["末尾补零"].errors).toHaveLength(1);
      expect(byName["末尾补零"].errors[0]).toMatch(/末三位是“000”.*设为“文本”/);
      // Only the real error: nothing about a 出生日期 the row gives correctly, nor a sex derived from the number.
      expect(byName["抄错一位"].errors).toEqual(["身份证号码：身份证号码校验位不正确，请核对是否有数字抄错"]);
      // A blank cell is no error in the file; for a new person the check asks for it, calling it blank, not “空”.
      expect(byName["没写民族"].errors).toEqual([]);

      const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
      const campaign = await openCampaign();
      const { shown } = await preview(officer, campaign, table, "汇总表.csv");
      const missing = shown.rows.rows.find((r) => r.name === "没写民族")!;
      expect(missing.valid).toBe(false);
      expect(missing.errors).toEqual(["民族：表中没有填写（此人是第一次登记，须填写），请在表中补上后重新上传"]);
      expect(JSON.stringify(shown.rows.rows)).not.toContain("“空”");
      expect(shown.counts).toMatchObject({ valid: 1, invalid: 4 });
    },
  );
});

const FORM: FormValues = {
  姓名: "林建波",
  性别: "男",
  出生年月: "1981.07",
  民族: "汉族",
  学历: "大专（成人教育）",
  政治面貌: "",
  身份证号码: "",
  工作单位: "温岭华科泵业有限公司",
  所属行业: "泵与电机",
  职务: "班组长",
  技术等级: "高级技师",
  一线技能工作年限: "15",
  联系电话: "13957600031",
  主要技术成果: "主持水泵叶轮工艺改进，良品率提高12%",
  主要事迹: "扎根一线十五年，带徒8人。",
  单位意见: "同意推荐。\n（盖章）\n二〇一八年三月十日",
  县级意见: "经审核，同意推荐。\n（盖章）\n年　月　日",
};

describe("Word 推荐审批表 as they are filled in", () => {
  it.each<FormStyle>(["labels over values", "one-cell table", "text box", "symbol-font ticks"])(
    "reads a form with %s: the whole ticked choice, Chinese-numeral dates, an undated opinion kept and said",
    async (style) => {
      const values = { ...FORM, 身份证号码: idNumberFor("M", "1981-07-09") };
      const table = await parseReviewForms([{ name: `林建波-${style}.docx`, bytes: filledForm(values, style) }], await importTargetFor(t.db));
      const [row] = table.rows;
      expect(row.errors).toEqual([]);
      expect(row.form).toMatchObject({
        name: "林建波",
        sex: "M",
        birthDate: "1981-07-09",
        ethnicity: "汉族",
        education: "大专",
        politicalStatus: "中共党员",
        employer: "温岭华科泵业有限公司",
        position: "班组长",
        skillLevel: "高级技师",
        frontlineYears: "15",
        inSkillPost: "yes",
        conditions: ["1", "5"],
        phone: "13957600031",
        remarks: "学历：大专（成人教育）",
      });
      expect(row.opinions).toEqual([
        { kind: "employer", text: "同意推荐。", signer: "温岭华科泵业有限公司", signedOn: "2018-03-10" },
        { kind: "county", text: "经审核，同意推荐。", signer: "推荐单位", signedOn: null },
      ]);
      expect(row.warnings).toContain(
        "县（市、区）总工会、台州经济开发区（台州绿心旅游度假区）总工会，社会团体意见没有签署日期（已按原文录入），请对照纸质审批表补上日期",
      );
    },
  );

  it("never reads the photo cell as a value", () => {
    const photo = { text: "", picture: true };
    const cell = (text: string) => ({ text, picture: false });
    const { fields } = cellsByLabel([
      [cell("姓名"), cell("张三"), cell("民族"), photo],
      [cell("学历"), cell("近期免冠照片")],
    ]);
    expect(fields.get("ethnicity")).toBe("");
    expect(fields.get("education")).toBe("");
  });

  it("reads a .zip of forms and stories whose names Windows wrote in GBK, and keeps the undated opinion on the record", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const id = idNumberFor("M", "1981-07-09");
    const zip = zipEntries([
      { name: "温岭市推荐材料/", data: "" },
      { name: "温岭市推荐材料/林建波-推荐审批表.docx", data: filledForm({ ...FORM, 身份证号码: id }, "text box") },
      { name: "温岭市推荐材料/林建波-事迹材料.docx", data: await storyDocx(["林建波同志扎根一线十五年。", "带徒8人，其中3人成为技师。"]) },
      { name: "__MACOSX/温岭市推荐材料/._林建波-推荐审批表.docx", data: "junk" },
    ]);
    const table = await parseReviewForms([{ name: "温岭市推荐材料.zip", bytes: zip }], await importTargetFor(t.db));
    expect(table.rows.map((r) => [r.source, r.errors, r.storyFrom])).toEqual([["林建波-推荐审批表.docx", [], "林建波-事迹材料.docx（33 字）"]]);
    const { batchId, shown } = await preview(officer, campaign, table, "温岭市推荐材料.zip");
    expect(shown.rows.rows[0].warnings).toContain(
      "县（市、区）总工会、台州经济开发区（台州绿心旅游度假区）总工会，社会团体意见没有签署日期（已按原文录入），请对照纸质审批表补上日期",
    );
    await commit(officer, campaign, batchId);
    const [filed] = await filedPeople(campaign);
    expect((await opinionsOf(t.db, filed.nomination_id)).map((o) => [o.kind, o.text, o.signed_on])).toEqual([
      ["employer", "同意推荐。", "2018-03-10"],
      ["county", "经审核，同意推荐。", null],
    ]);
    expect(filed.import_warnings).toEqual(shown.rows.rows[0].warnings);
  });

  it("refuses a Word file whose name is not a form and whose content is broken, row by row inside a .zip", async () => {
    const zip = zipEntries([
      { name: "坏文件.docx", data: "PK not really" },
      { name: "林建波.docx", data: filledForm({ ...FORM, 身份证号码: idNumberFor("M", "1981-07-09") }, "labels over values") },
    ]);
    const table = await parseReviewForms([{ name: "材料.zip", bytes: zip }], await importTargetFor(t.db));
    expect(table.rows.map((r) => [r.source, r.errors.length])).toEqual([
      ["坏文件.docx", 1],
      ["林建波.docx", 0],
    ]);
    await expect(parseReviewForms([{ name: "坏文件.docx", bytes: new TextEncoder().encode("PK not really") }], await importTargetFor(t.db))).rejects.toThrow(
      SpreadsheetError,
    );
  });
});
