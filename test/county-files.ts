import ExcelJS from "exceljs";

/**
 * Spreadsheets in the shapes counties send: a title line (merged across the table), a line with the
 * unit and the date, the header, the people, and whatever comes below. Tests describe the rows as
 * objects by header, so each layout is written once.
 */

/** Our own export's header: the whole 推荐审批表 as columns. */
export const REVIEW_FORM_HEADER = [
  "序号",
  "姓名",
  "性别",
  "身份证号码",
  "出生日期",
  "民族",
  "学历",
  "政治面貌",
  "工作单位",
  "所属行业",
  "职务",
  "职称",
  "技术等级",
  "一线技能工作年限",
  "是否仍在技能岗位",
  "符合条件",
  "已获荣誉",
  "主要技术成果",
  "主要事迹",
  "联系电话",
] as const;

export type Row = Partial<Record<string, unknown>>;

export interface SheetLayout {
  header: readonly string[];
  /** By header; a plain array is written as it stands (a total line, a row out of shape). */
  rows: Array<Row | unknown[]>;
  /** Lines above the header; the first is merged across the table like a title. */
  above?: unknown[][];
  /** Lines below the table: signers, notes. */
  below?: unknown[][];
  sheetName?: string;
  /** Anything else a test needs of the sheet (merged header cells, number formats). */
  setup?: (sheet: ExcelJS.Worksheet) => void;
}

const DEFAULT_ABOVE = [["温岭市总工会“台州工匠”推荐人选汇总表"], ["填报单位（盖章）：温岭市总工会", "", "", "", "填报日期：2018年3月20日"]];

export async function countyWorkbook({
  header,
  rows,
  above = DEFAULT_ABOVE,
  below = [],
  sheetName = "汇总表",
  setup,
}: SheetLayout): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  above.forEach((line, i) => {
    sheet.addRow(line);
    if (i === 0 && line.length === 1) sheet.mergeCells(1, 1, 1, header.length);
  });
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow(Array.isArray(row) ? row : header.map((h) => row[h]));
  for (const line of below) sheet.addRow(line);
  setup?.(sheet);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The list most counties actually send: who the people are, not the whole 审批表. */
export const COUNTY_LIST_HEADER = [
  "序号",
  "姓名",
  "性别",
  "民族",
  "出生年月",
  "身份证号码",
  "学历",
  "政治面貌",
  "工作单位",
  "所属行业",
  "职务",
  "职称",
  "技术等级",
  "一线年限",
  "联系电话",
  "备注",
] as const;

/** The signers and notes counties put under the table. */
export const COUNTY_FOOTER = [
  [],
  ["合计：3人"],
  ["填表人：王丽", "", "", "审核人：张强", "", "", "联系电话：0576-86123456"],
  ["温岭市总工会（盖章）", "", "", "", "", "", "2026年3月20日"],
  ["备注：1.出生年月按身份证填写；2.本表一式两份。"],
];

/** The same list with a two-row header: group headings merged over the columns they name. */
export async function twoRowHeaderList(rows: Row[]): Promise<Uint8Array<ArrayBuffer>> {
  const top = ["序号", ...Array(6).fill("基本情况"), "身份证号码", "工作单位", "所属行业", "技能情况", "技能情况", "备注"];
  const second = ["序号", "姓名", "性别", "民族", "出生年月", "学历", "政治面貌", "身份证号码", "工作单位", "所属行业", "技术等级", "一线年限", "备注"];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("推荐名单");
  sheet.addRow(["椒江区“台州工匠”推荐人选名单"]);
  sheet.mergeCells(1, 1, 1, top.length);
  sheet.addRow(top);
  sheet.addRow(second);
  // Merged as Excel merges them: across for the groups, down for the single columns.
  sheet.mergeCells("B2:G2");
  sheet.mergeCells("K2:L2");
  for (const col of ["A", "H", "I", "J", "M"]) sheet.mergeCells(`${col}2:${col}3`);
  for (const row of rows) sheet.addRow(second.map((h) => row[h]));
  const notes = workbook.addWorksheet("填表说明");
  notes.addRow(["出生年月写到月即可"]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
