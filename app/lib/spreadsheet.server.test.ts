import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { zipOf } from "../../test/files";
import { MAX_COLUMNS, MAX_ROWS, readSpreadsheet, SpreadsheetError } from "~/lib/spreadsheet.server";

async function refusal(bytes: Uint8Array): Promise<string> {
  const error = await readSpreadsheet(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpreadsheetError);
  return (error as Error).message;
}

describe("reading a 汇总表 does bounded work whatever the file holds", () => {
  it("refuses a zip bomb: a small file that unpacks to tens of megabytes", async () => {
    const bomb = zipOf("xl/worksheets/sheet1.xml", Buffer.alloc(40 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(200_000);
    expect(await refusal(bomb)).toContain("表格过大");
  });

  it("refuses an entry that unpacks to more than its directory declares", async () => {
    const liar = zipOf("xl/worksheets/sheet1.xml", Buffer.alloc(30 * 1024 * 1024, 0x41), 1000);
    expect(await refusal(liar)).toMatch(/表格过大|已损坏/);
  });

  it("refuses a sheet with one cell a million rows away instead of walking to it", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("汇总表");
    sheet.getCell("A1").value = "姓名";
    sheet.getCell("A1000000").value = "远处";
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await refusal(bytes)).toContain(`最多 ${MAX_ROWS} 行`);
    const wide = new ExcelJS.Workbook();
    wide.addWorksheet("汇总表").getCell("XFD1").value = "远处";
    expect(await refusal(new Uint8Array(await wide.xlsx.writeBuffer()))).toContain(`${MAX_COLUMNS} 列`);
  });

  it("refuses 100,000 rows of CSV", async () => {
    const csv = "姓名,身份证号码\n" + "张三,330000000000000000\n".repeat(100_000);
    expect(await refusal(new TextEncoder().encode(csv))).toContain("表格过大");
  });

  it("still reads an ordinary sheet", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("汇总表");
    sheet.addRow(["序号", "姓名"]);
    sheet.addRow([1, "王建国"]);
    const rows = await readSpreadsheet(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(rows).toEqual([
      ["序号", "姓名"],
      [1, "王建国"],
    ]);
  });
});
