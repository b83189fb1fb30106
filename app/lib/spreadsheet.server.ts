import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";
import ExcelJS from "exceljs";

/**
 * Reading unit 汇总表 files as officers really make them: .xlsx (any sheet layout with a title
 * above the header, merged cells, rich text) or .csv (UTF-8 or the GBK that Chinese Excel saves).
 */

export type Cell = string | number | Date | boolean | null;

export class SpreadsheetError extends Error {}

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/**
 * What a sheet may hold. A county's 汇总表 has tens of rows and under twenty columns, and its
 * .xlsx unpacks to well under a megabyte; these bounds are far above that and far below what
 * would stall the server: a few hundred kilobytes can unpack to gigabytes (a zip bomb, a huge
 * shared string) or name a cell a million rows away.
 */
export const MAX_ROWS = 5000;
export const MAX_COLUMNS = 100;
export const MAX_UNPACKED_BYTES = 16 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 200;

export function detectFormat(bytes: Uint8Array): "xlsx" | "csv" {
  if (bytes.length === 0) throw new SpreadsheetError("文件是空的");
  if (bytes.length > MAX_UPLOAD_BYTES) throw new SpreadsheetError(`文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB，请拆分后分批导入`);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "xlsx";
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new SpreadsheetError("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再导入");
  }
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) throw new SpreadsheetError("只能导入 .xlsx 或 .csv 文件，该文件的内容不是表格");
  return "csv";
}

function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof Date) return value;
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellValue(value.result as ExcelJS.CellValue);
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("error" in value) return null;
  }
  return String(value);
}

const TOO_LARGE = () => new SpreadsheetError(`表格过大：最多 ${MAX_ROWS} 行、${MAX_COLUMNS} 列，请只保留推荐名单后再导入`);

/**
 * Checks an .xlsx (a zip) before anything unpacks it: its directory must be readable and every
 * entry must inflate to what the directory says, within the bounds — counted by inflating with a
 * cap, since a directory can lie. Bounded work whatever the file claims.
 */
// Inflating on the thread pool: checking one upload never holds up other users' requests.
const inflate = promisify(inflateRaw);

export async function assertBoundedZip(bytes: Uint8Array): Promise<void> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const broken = () => new SpreadsheetError("无法读取该 .xlsx 文件，文件可能已损坏");
  // End of central directory: within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken();
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (entries > MAX_ZIP_ENTRIES) throw TOO_LARGE();
  let unpacked = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw broken();
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const declared = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    unpacked += declared;
    if (unpacked > MAX_UNPACKED_BYTES) throw TOO_LARGE();
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw broken();
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + compressed);
    if (method === 8) {
      let actual: number;
      try {
        actual = (await inflate(data, { maxOutputLength: Math.min(declared, MAX_UNPACKED_BYTES) + 1 })).length;
      } catch (error) {
        if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw TOO_LARGE();
        throw broken();
      }
      if (actual !== declared) throw broken();
    } else if (method !== 0) throw broken();
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
}

async function readXlsx(bytes: Uint8Array): Promise<Cell[][]> {
  await assertBoundedZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new SpreadsheetError("无法读取该 .xlsx 文件，文件可能已损坏");
  }
  const sheet = workbook.worksheets.find((ws) => ws.rowCount > 0);
  if (!sheet) throw new SpreadsheetError("表格里没有内容");
  // A single cell far away makes the sheet "a million rows" wide or long: refused, not walked.
  if (sheet.rowCount > MAX_ROWS || sheet.columnCount > MAX_COLUMNS) throw TOO_LARGE();
  const rows: Cell[][] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Cell[] = [];
    // Merged cells report their master's value, which is what a reader of the sheet sees.
    for (let c = 1; c <= width; c++) cells.push(cellValue(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

function decodeText(bytes: Uint8Array): string {
  const withoutBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(withoutBom);
  } catch {
    return new TextDecoder("gbk").decode(withoutBom);
  }
}

/** RFC 4180 with the usual tolerance: quoted fields with commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export async function readSpreadsheet(bytes: Uint8Array): Promise<Cell[][]> {
  if (detectFormat(bytes) === "xlsx") return readXlsx(bytes);
  const rows = parseCsv(decodeText(bytes));
  if (rows.length > MAX_ROWS || rows.some((r) => r.length > MAX_COLUMNS)) throw TOO_LARGE();
  return rows;
}

/** Full-width letters and digits, ideographic spaces, stray whitespace and Excel's text apostrophe. */
export function cleanText(value: Cell): string {
  if (value === null) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text.normalize("NFKC").replace(/^'/, "").replace(/\s+/g, " ").trim();
}

export function compactText(value: Cell): string {
  return cleanText(value).replace(/\s+/g, "");
}

/** Header names as the notice's form and the unit tables write them, with common variants. */
export function findHeaderRow<K extends string>(rows: Cell[][], aliases: Record<K, string[]>, required: NoInfer<K>[]) {
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const names = rows[r].map((c) =>
      compactText(c)
        .replace(/[（(].*?[)）]/g, "")
        .replace(/[*＊]/g, ""),
    );
    const columns: Partial<Record<K, number>> = {};
    for (const key of Object.keys(aliases) as K[]) {
      const i = names.findIndex((n) => n && aliases[key].some((a) => n === a));
      if (i >= 0) columns[key] = i;
    }
    if (required.every((k) => columns[k] !== undefined)) return { headerIndex: r, columns };
  }
  return null;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A date cell as YYYY-MM-DD: a real date, an Excel serial number, or text in the usual Chinese forms. */
export function parseDateCell(value: Cell): { ok: true; value: string } | { ok: false; message: string } | null {
  if (value === null || cleanText(value) === "") return null;
  let y: number, m: number, d: number;
  if (value instanceof Date) {
    y = value.getUTCFullYear();
    m = value.getUTCMonth() + 1;
    d = value.getUTCDate();
  } else if (typeof value === "number" || /^\d{4,5}(\.\d+)?$/.test(cleanText(value))) {
    const serial = Number(value);
    if (serial < 1 || serial > 80000) return { ok: false, message: `日期“${cleanText(value)}”无法识别` };
    const date = new Date(EXCEL_EPOCH + Math.floor(serial) * 86_400_000);
    y = date.getUTCFullYear();
    m = date.getUTCMonth() + 1;
    d = date.getUTCDate();
  } else {
    const text = cleanText(value);
    const match = text.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/) ?? text.match(/^(\d{4})(\d{2})(\d{2})$/);
    if (!match) return { ok: false, message: `日期“${text}”无法识别，请写成 1985-06-01` };
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `日期 ${y}-${m}-${d} 不存在` };
  }
  return { ok: true, value: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}

/**
 * An ID number cell. Excel keeps 15 significant digits of a number, so an 18-digit ID typed
 * into a number cell has already lost its last digits: say so rather than save a wrong number.
 */
export function idNumberCell(value: Cell): { ok: true; value: string } | { ok: false; message: string } {
  const rounded = "身份证号码在 Excel 中被存成了数字，只保留了15位有效数字，后几位已经丢失。请把该列设为“文本”格式，重新录入完整号码后再导入";
  if (typeof value === "number") {
    if (value >= 1e15) return { ok: false, message: `${rounded}（表中显示为 ${value.toLocaleString("en-US", { useGrouping: false })}）` };
    return { ok: false, message: "身份证号码位数不对" };
  }
  const text = compactText(value);
  if (/^\d(\.\d+)?E\+?\d+$/i.test(text)) return { ok: false, message: `${rounded}（表中显示为 ${text}）` };
  if (text.includes("*")) return { ok: false, message: "身份证号码是打码后的号码，请填写完整号码" };
  return { ok: true, value: text };
}
