import { cleanText, compactText, detectFormat, findHeaderRow, idNumberCell, readWorkbook, SpreadsheetError, type Cell } from "~/lib/spreadsheet.server";
import { maskName, parseIdNumber } from "~/modules/people/id-number";

/**
 * A list of people by ID number from another body (a county's honours, another scheme's
 * subsidies): one reader, so that every such list passes over the same furniture and refuses the
 * same damaged numbers; each module checks its own columns.
 */

/** The two columns every such list has, by the names counties and provinces give them. */
export const PERSON_COLUMNS = {
  name: ["姓名"],
  idNumber: ["身份证号码", "身份证号", "公民身份号码", "身份证"],
};

/** Lines under the people that are the sheet's own (totals, signatures, notes): passed over, not refused. */
const FURNITURE = /^(合计|总计|小计|共计|填表|填报|制表|审核|经办|负责人|联系人|联系电话|备注|说明|注[:：\d一二三])|盖章/;

/** The bad rows a reply lists one by one; past them it says how many more. */
const MAX_REPORTED = 100;

/** One person's line as read: the ID number when it is whole (held in memory only), and what is wrong so far. */
export interface PersonLine<K extends string> {
  line: number;
  name: string;
  idNumber: string | null;
  /** The row's cell in one of the list's columns (null when the sheet has no such column). */
  at: (key: K) => Cell;
  /** Reasons the row is refused, each as the user reads it; the module adds its own. */
  reasons: string[];
}

export interface PersonList<T> {
  rows: T[];
  /** Every bad row's number and reasons (the first hundred), each as the user reads it. */
  problems: string[];
  badRows: number;
}

/**
 * Reads a list (.xlsx only: a CSV from Excel has already lost the ID numbers' last digits). An ID
 * number Excel stored as a number (3.31E+17, the last digits gone), 15 or 17 digits, or a wrong
 * check digit is that row's problem, never a number kept as if it were the person's. `readRow`
 * checks the rest of a line and returns what it keeps, or null when the line is bad.
 */
export async function readPersonList<K extends string, T>(
  bytes: Uint8Array,
  list: { columns: Record<K | keyof typeof PERSON_COLUMNS, string[]>; required: readonly NoInfer<K>[]; noHeader: string; noRows: string },
  readRow: (person: PersonLine<K | keyof typeof PERSON_COLUMNS>) => T | null,
): Promise<PersonList<T>> {
  if (detectFormat(bytes) !== "xlsx") throw new SpreadsheetError("只能导入 .xlsx 文件：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入");
  const { rows } = await readWorkbook(bytes);
  const header = findHeaderRow(rows, list.columns, ["name", "idNumber", ...list.required]);
  if (!header) throw new SpreadsheetError(list.noHeader);
  const { columns, dataStart } = header;
  const listed: T[] = [];
  const problems: string[] = [];
  let badRows = 0;
  for (let r = dataStart; r < rows.length; r++) {
    const row = rows[r];
    const line = r + 1;
    const at = (key: K | keyof typeof PERSON_COLUMNS): Cell => (columns[key] === undefined ? null : (row[columns[key]] ?? null));
    const cells = row.map((c) => cleanText(c)).filter(Boolean);
    const name = compactText(at("name"));
    const rawId = at("idNumber");
    if (!cells.length || name === "姓名") continue;
    // A number's worth of digits is a person's line, whatever else it says; without one, a total or a signature is passed over.
    const idLooking = typeof rawId === "number" || /[\dXx]{15,}/.test(compactText(rawId));
    if (!idLooking && (!name || cells.some((c) => FURNITURE.test(c)))) continue;

    const reasons: string[] = [];
    let idNumber: string | null = null;
    const cell = idNumberCell(rawId);
    if (!cell.ok) reasons.push(`身份证号码：${cell.message}`);
    else {
      const parsed = parseIdNumber(cell.value);
      if (parsed.ok) idNumber = parsed.value.idNumber;
      else reasons.push(`身份证号码：${parsed.message}`);
    }
    if (!name) reasons.push("缺少姓名");
    const kept = readRow({ line, name, idNumber, at, reasons });
    if (kept === null || reasons.length) {
      badRows++;
      if (problems.length < MAX_REPORTED) problems.push(`第 ${line} 行${name ? `（${maskName(name)}）` : ""}：${reasons.join("；")}`);
      continue;
    }
    listed.push(kept);
  }
  if (badRows > MAX_REPORTED) problems.push(`另有 ${badRows - MAX_REPORTED} 行有问题，未一一列出`);
  if (!listed.length && !badRows) throw new SpreadsheetError(list.noRows);
  return { rows: listed, problems, badRows };
}
