import { promisify } from "node:util";
import { crc32, inflateRaw } from "node:zlib";
import ExcelJS from "exceljs";
import { refuse, type Result } from "~/lib/result";
import { writeZip } from "~/lib/zip-write.server";

/**
 * Reading unit 汇总表 files as officers really make them: .xlsx (any sheet layout with a title
 * above the header, merged cells, rich text) or .csv (UTF-8 or the GBK that Chinese Excel saves).
 */

export type Cell = string | number | Date | boolean | null;

export class SpreadsheetError extends Error {}

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/**
 * What a sheet may hold. A county's 汇总表 has tens of rows and under twenty columns, and its
 * .xlsx unpacks to well under a megabyte; a whole city's list of candidates over the years runs
 * to thousands (ten thousand and the lines around them). These bounds are above that and far below what would stall the server (the
 * sheet is read in a worker thread, see off-thread.server): a few hundred kilobytes can unpack
 * to gigabytes (a zip bomb, a huge shared string) or name a cell a million rows away.
 */
export const MAX_ROWS = 12_000;
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

export const TOO_LARGE = () => new SpreadsheetError(`表格过大：最多 ${MAX_ROWS} 行、${MAX_COLUMNS} 列，请只保留推荐名单后再导入`);

/**
 * An .xlsx, a .docx and a .zip of Word files are zips. Every one is unpacked here and only here:
 * its directory read (a zip64 directory, which no file of this size needs, is refused rather than
 * half-read), every entry inflated with a cap on what comes out — counted while inflating, since a
 * directory can lie — and the parsers are handed exactly the entries counted (an .xlsx is packed
 * again from them, uncompressed, for ExcelJS), so no parser can read an entry the bounds missed.
 */
// Inflating on the thread pool: checking one upload never holds up other users' requests.
const inflate = promisify(inflateRaw);

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const ZIP64 = 0xffffffff;

async function walkZip(bytes: Uint8Array, what: string): Promise<ZipEntry[]> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const broken = () => new SpreadsheetError(`无法读取该${what}，文件可能已损坏`);
  const zip64 = () => new SpreadsheetError(`该${what}使用了 ZIP64 格式，无法读取：请用 Excel、Word 或 WPS 重新保存后再上传`);
  // End of central directory: within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken();
  // A zip64 locator just before it, or the 0xFFFF markers that send readers to one.
  if ((eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) || buf.readUInt16LE(eocd + 10) === 0xffff || buf.readUInt32LE(eocd + 16) === ZIP64) {
    throw zip64();
  }
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (entries > MAX_ZIP_ENTRIES) throw TOO_LARGE();
  let unpacked = 0;
  const kept: ZipEntry[] = [];
  const names = new Set<string>();
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw broken();
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const declared = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    if (compressed === ZIP64 || declared === ZIP64 || local === ZIP64) throw zip64();
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw broken();
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (dataStart + compressed > buf.length) throw broken();
    const data = buf.subarray(dataStart, dataStart + compressed);
    // What may still come out of this entry: the whole file's bound less what came out before.
    const room = MAX_UNPACKED_BYTES - unpacked;
    let content: Buffer;
    if (method === 8) {
      try {
        content = await inflate(data, { maxOutputLength: Math.min(declared, room) + 1 });
      } catch (error) {
        if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw declared > room ? TOO_LARGE() : broken();
        throw broken();
      }
    } else if (method === 0) content = Buffer.from(data);
    else throw broken();
    unpacked += content.length;
    if (unpacked > MAX_UNPACKED_BYTES) throw TOO_LARGE();
    if (content.length !== declared) throw broken();
    // Names from Chinese Windows are GBK unless the UTF-8 flag says otherwise.
    const rawName = buf.subarray(at + 46, at + 46 + nameLength);
    const name = flags & 0x800 ? rawName.toString("utf8") : decodeText(rawName);
    // Two entries of one name: which one a reader takes is its own choice. Refused.
    if (names.has(name)) throw broken();
    names.add(name);
    kept.push({ name, data: content });
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return kept;
}

/** The entries of an uploaded .zip, .docx or .xlsx, within the bounds. */
export function unzipBounded(bytes: Uint8Array, what = "压缩包"): Promise<ZipEntry[]> {
  return walkZip(bytes, what);
}

/**
 * At most how many bytes reading this upload can unpack, from its zip directory alone (its own
 * length when it is no zip): the reader refuses any entry that inflates to other than its
 * directory says, and stops inflating there, so the bound holds whatever the file is.
 * Infinity when the directory cannot be read (the reader will say why).
 */
export function unpackedBound(bytes: Uint8Array): number {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) return bytes.length;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return Infinity;
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < Math.min(entries, MAX_ZIP_ENTRIES + 1); n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return Infinity;
    total += buf.readUInt32LE(at + 24);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries > MAX_ZIP_ENTRIES ? Infinity : total;
}

/** What may be read on the main thread at once: a county's list or a few forms, a few milliseconds of work. */
export const SMALL_UPLOAD_BYTES = 256 * 1024;

/** A zip of the given entries, stored (not compressed): what a parser reads after the bounds. */
function storedZip(entries: ZipEntry[]): Buffer {
  return writeZip(entries.map(({ name, data }) => ({ name: Buffer.from(name, "utf8"), data, method: 0, flags: 0x800, crc: crc32(data), size: data.length })));
}

/** The first sheet with something in it, as rows of cells, and the names of the other sheets that have content. */
export interface Workbook {
  rows: Cell[][];
  otherSheets: string[];
}

async function readXlsx(bytes: Uint8Array): Promise<Workbook> {
  const entries = await walkZip(bytes, " .xlsx 文件");
  // Any zip passes the signature check; a workbook is known by its part (ExcelJS reads xl/workbook.xml and nothing
  // else), and a .docx or a .zip renamed .xlsx is said to be what it is, not an empty sheet.
  if (!entries.some((e) => e.name === "xl/workbook.xml")) {
    const word = entries.some((e) => e.name === "word/document.xml");
    throw new SpreadsheetError(
      `该文件${word ? "是 Word 文档，" : ""}不是 Excel .xlsx 工作簿（可能只是改了扩展名）：请上传用 Excel 或 WPS 表格保存的 .xlsx 文件`,
    );
  }
  const counted = storedZip(entries);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(counted as unknown as ExcelJS.Buffer);
  } catch {
    throw new SpreadsheetError("无法读取该 .xlsx 文件，文件可能已损坏");
  }
  const filled = workbook.worksheets.filter((ws) => ws.rowCount > 0);
  const sheet = filled[0];
  if (!sheet) throw new SpreadsheetError("表格里没有内容");
  // A single cell far away makes the sheet "a million rows" wide or long: refused, not walked.
  if (sheet.rowCount > MAX_ROWS || sheet.columnCount > MAX_COLUMNS) throw TOO_LARGE();
  const rows: Cell[][] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Cell[] = [];
    // Merged cells report their master's value, which is what a reader of the sheet sees.
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      const value = cellValue(cell.value);
      // A date shown as year and month (numFmt "yyyy.mm", "yyyy年m月") says no day: keep it so.
      cells.push(value instanceof Date && cell.numFmt && !/d/i.test(cell.numFmt) ? yearMonthOf(value) : value);
    }
    rows.push(cells);
  }
  return { rows, otherSheets: filled.slice(1).map((ws) => ws.name) };
}

const yearMonthOf = (date: Date) => `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;

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

export async function readWorkbook(bytes: Uint8Array): Promise<Workbook> {
  if (detectFormat(bytes) === "xlsx") return readXlsx(bytes);
  const rows = parseCsv(decodeText(bytes));
  if (rows.length > MAX_ROWS || rows.some((r) => r.length > MAX_COLUMNS)) throw TOO_LARGE();
  return { rows, otherSheets: [] };
}

export async function readSpreadsheet(bytes: Uint8Array): Promise<Cell[][]> {
  return (await readWorkbook(bytes)).rows;
}

/**
 * Free text as its writer wrote it: Chinese punctuation, full-width characters and paragraphs
 * kept; only Excel's text apostrophe, Windows line ends and the ends' whitespace go.
 */
export function plainText(value: Cell): string {
  if (value === null) return "";
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return text
    .replace(/^'/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}

/**
 * For identity fields and codes only (numbers, dates, choices): full-width letters and digits,
 * ideographic spaces, stray whitespace and Excel's text apostrophe folded away.
 */
export function cleanText(value: Cell): string {
  if (value === null) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text.normalize("NFKC").replace(/^'/, "").replace(/\s+/g, " ").trim();
}

export function compactText(value: Cell): string {
  return cleanText(value).replace(/\s+/g, "");
}

export const headerName = (c: Cell) =>
  compactText(c)
    .replace(/[（(].*?[)）]/g, "")
    .replace(/[*＊]/g, "");

/**
 * Finds the header by the names the notice's form and the unit tables use (with common variants),
 * below any title lines. A two-row header — a group heading merged over the columns it names on
 * the row below ("技能情况" over 技术等级 and 一线年限) — is read as one: the data starts after both.
 */
export function findHeaderRow<K extends string>(rows: Cell[][], aliases: Record<K, string[]>, required: NoInfer<K>[]) {
  const taken = (columns: Partial<Record<K, number>>) => new Set(Object.values(columns) as number[]);
  const match = (row: Cell[], columns: Partial<Record<K, number>>) => {
    const names = row.map(headerName);
    let found = 0;
    for (const key of Object.keys(aliases) as K[]) {
      if (columns[key] !== undefined) continue;
      // The first of a field's names that the sheet has: 所属行业 before 职业（工种）.
      const used = taken(columns);
      for (const alias of aliases[key]) {
        const i = names.findIndex((n, at) => n === alias && !used.has(at));
        if (i >= 0) {
          columns[key] = i;
          found++;
          break;
        }
      }
    }
    return found;
  };
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const columns: Partial<Record<K, number>> = {};
    if (!match(rows[r], columns)) continue;
    // The row below names more columns: the second row of the header. In a CSV, which has no
    // merges, 姓名 may stand only there, under its group heading.
    const second = r + 1 < rows.length && match(rows[r + 1], columns) > 0;
    if (!required.every((k) => columns[k] !== undefined)) continue;
    return { headerIndex: r, dataStart: second ? r + 2 : r + 1, columns };
  }
  return null;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A date as people type it into a 汇总表, at the precision they give: a day (1978-05-12,
 * 1978年5月12日, 19780512, a date cell, an Excel serial in a number cell), or a month (1978.05,
 * 1978.5, 1978年5月, 1978-05, 197805, 1978/5, a cell formatted as year and month), or a year.
 * `agrees` compares it with a full date at that precision. A number-looking text is read as the
 * digits it shows, never as an Excel serial day.
 */
export type TypedDate = Result<{ shown: string; full: string | null; agrees: (isoDate: string) => boolean }>;

function typedDate(year: number, months: number[], day: number | null, shown: string): TypedDate {
  if (year < 1900 || year > 2100 || months.some((m) => m < 1 || m > 12)) return refuse(`日期“${shown}”无法识别，请写成 1985-06-01 或 1985.06`);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (day !== null) {
    const date = new Date(Date.UTC(year, months[0] - 1, day));
    if (date.getUTCMonth() !== months[0] - 1 || date.getUTCDate() !== day) return refuse(`日期 ${year}-${months[0]}-${day} 不存在`);
    const full = `${year}-${pad(months[0])}-${pad(day)}`;
    return { ok: true, shown: full, full, agrees: (iso) => iso === full };
  }
  return {
    ok: true,
    shown: months.length ? `${year}-${pad(months[0])}` : String(year),
    full: null,
    agrees: (iso) => Number(iso.slice(0, 4)) === year && (!months.length || months.includes(Number(iso.slice(5, 7)))),
  };
}

export function readTypedDate(value: Cell): TypedDate | null {
  if (value === null || cleanText(value) === "") return null;
  if (value instanceof Date) return typedDate(value.getUTCFullYear(), [value.getUTCMonth() + 1], value.getUTCDate(), cleanText(value));
  if (typeof value === "number") {
    // 1978.05 typed into a number cell: Excel keeps 1978.05, and 1978.10 becomes 1978.1.
    if (value >= 1900 && value < 2101 && !Number.isInteger(value)) return fromDigits(String(value), true);
    if (Number.isInteger(value) && value >= 1900 && value <= 21001231 && !(value > 2100 && value < 190001)) return fromDigits(String(value), false);
    if (value < 1 || value > 80000) return refuse(`日期“${value}”无法识别`);
    const date = new Date(EXCEL_EPOCH + Math.floor(value) * 86_400_000);
    return typedDate(date.getUTCFullYear(), [date.getUTCMonth() + 1], date.getUTCDate(), String(value));
  }
  const text = cleanText(value).replace(/\s+/g, "");
  const full = text.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/);
  if (full) return typedDate(Number(full[1]), [Number(full[2])], Number(full[3]), text);
  const month = text.match(/^(\d{4})([-/.年])(\d{1,2})月?$/);
  if (month) return month[2] === "." ? fromDigits(text, true) : typedDate(Number(month[1]), [Number(month[3])], null, text);
  if (/^\d+$/.test(text)) return fromDigits(text, false);
  return refuse(`日期“${text}”无法识别，请写成 1985-06-01 或 1985.06`);
}

/** 1978, 197805, 19780512 — or, with a dot, 1978.05 and 1978.5 (and 1978.1, which may be October). */
function fromDigits(text: string, dotted: boolean): TypedDate {
  if (dotted) {
    const [year, fraction] = text.split(".");
    const months = fraction === "1" ? [1, 10] : [Number(fraction)];
    if (fraction.length > 2) return refuse(`日期“${text}”无法识别，请写成 1985-06-01 或 1985.06`);
    return typedDate(Number(year), months, null, text);
  }
  if (text.length === 4) return typedDate(Number(text), [], null, text);
  if (text.length === 6) return typedDate(Number(text.slice(0, 4)), [Number(text.slice(4))], null, text);
  if (text.length === 8) return typedDate(Number(text.slice(0, 4)), [Number(text.slice(4, 6))], Number(text.slice(6)), text);
  return refuse(`日期“${text}”无法识别，请写成 1985-06-01 或 1985.06`);
}

/**
 * An ID number cell. Excel keeps 15 significant digits of a number, so an 18-digit ID typed
 * into a number cell has already lost its last digits: say so rather than save a wrong number.
 */
export function idNumberCell(value: Cell, from: { csv?: boolean } = {}): Result<{ value: string }> {
  const rounded = "身份证号码在 Excel 中被存成了数字，只保留了15位有效数字，后几位已经丢失。请把该列设为“文本”格式，重新录入完整号码后再导入";
  if (typeof value === "number") {
    if (value >= 1e15) return refuse(`${rounded}（表中显示为 ${value.toLocaleString("en-US", { useGrouping: false })}）`);
    return refuse("身份证号码位数不对");
  }
  const text = compactText(value);
  if (/^\d(\.\d+)?E\+?\d+$/i.test(text)) return refuse(`${rounded}（表中显示为 ${text}）`);
  if (text.includes("*")) return refuse("身份证号码是打码后的号码，请填写完整号码");
  // A number cell saved as CSV: Excel writes its 15 digits and pads the rest with zeros. The check
  // digit may pass by chance; the number is still not the person's.
  if (from.csv && /^\d{15}000$/.test(text)) {
    return refuse(
      `号码末三位是“000”（表中为 ${text}）：这是 Excel 把身份证号码当作数字保存、只留下15位有效数字后写进 CSV 的样子，后三位已经丢失。请在 Excel 中把该列设为“文本”，重新录入完整号码后另存为 .xlsx 再导入`,
    );
  }
  return { ok: true, value: text };
}
