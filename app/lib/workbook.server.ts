import ExcelJS from "exceljs";
import { offThread } from "~/lib/off-thread.server";
import type { Page } from "~/lib/sql";
import { excelTaizhouTime } from "~/lib/time";

/**
 * The one way a list becomes an .xlsx: a sheet is a title, Chinese headers and rows, each column
 * saying what it holds, so that money is ¥ to the fen, times are Taizhou wall-clock times and
 * text (a masked ID number, a certificate number) is never read by Excel as a number.
 */
type Kind = "text" | "number" | "money" | "time";
type Value = string | number | boolean | Date | null | undefined;

export interface Column<T> {
  header: string;
  /** `money`: integer fen, shown as ¥; `time`: an instant, shown in Taizhou time. Text by default. */
  kind?: Kind;
  width?: number;
  value: (row: T) => Value;
}

/** A sheet as the thread receives it: plain values only (structured cloning carries no functions). */
export interface Sheet {
  name: string;
  title: string;
  headers: string[];
  kinds: Kind[];
  widths: number[];
  cells: Array<Array<string | number | Date | null>>;
}

const FORMATS: Record<Kind, string | undefined> = {
  text: "@",
  number: undefined,
  money: '"¥"#,##0.00',
  time: "yyyy-mm-dd hh:mm",
};

function cell(kind: Kind, value: Value): string | number | Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (kind === "money") return Number(value) / 100;
  if (kind === "time") return excelTaizhouTime(value as Date | string);
  if (kind === "number") return Number(value);
  if (typeof value === "boolean") return value ? "是" : "否";
  return value instanceof Date ? excelTaizhouTime(value) : String(value);
}

/** A list's rows as a sheet, each through its columns. */
export function sheet<T>(name: string, title: string, columns: Array<Column<T>>, rows: readonly T[]): Sheet {
  const kinds = columns.map((c) => c.kind ?? "text");
  return {
    name,
    title,
    headers: columns.map((c) => c.header),
    kinds,
    widths: columns.map((c) => c.width ?? (c.kind === "time" ? 17 : 14)),
    cells: rows.map((row) => columns.map((c, i) => cell(kinds[i], c.value(row)))),
  };
}

// A city's whole list (thousands of people, a year of the audit log) takes seconds to write: in the worker thread.
const write = offThread(
  "workbook.write",
  async (sheets: Sheet[]) => {
    const workbook = new ExcelJS.Workbook();
    for (const s of sheets) {
      const ws = workbook.addWorksheet(s.name);
      ws.addRow([s.title]).font = { bold: true, size: 14 };
      if (s.headers.length > 1) ws.mergeCells(1, 1, 1, s.headers.length);
      ws.addRow(s.headers).font = { bold: true };
      for (const row of s.cells) ws.addRow(row);
      s.kinds.forEach((kind, i) => {
        const column = ws.getColumn(i + 1);
        column.width = s.widths[i];
        const format = FORMATS[kind];
        // The title and header rows stay as written; the format is for the data below them.
        if (format) for (let r = 3; r <= ws.rowCount; r++) ws.getCell(r, i + 1).numFmt = format;
      });
      ws.views = [{ state: "frozen", ySplit: 2 }];
    }
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  },
  { small: (sheets) => sheets.reduce((n, s) => n + s.cells.length, 0) <= 200 },
);

export async function workbook(...sheets: Sheet[]): Promise<Buffer> {
  return Buffer.from(await write(sheets));
}

/** How many rows an export asks a list for at a time: the list's own query and scope, in fewer pages. */
export const EXPORT_PAGE_SIZE = 500;

/** Every row of a paginated list, page by page, exactly as the list would show them. */
export async function everyRow<T>(list: (page: number, pageSize: number) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const result = await list(page, EXPORT_PAGE_SIZE);
    rows.push(...result.rows);
    if (result.rows.length < EXPORT_PAGE_SIZE || page * EXPORT_PAGE_SIZE >= result.total) return rows;
  }
}
