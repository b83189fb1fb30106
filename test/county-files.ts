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
