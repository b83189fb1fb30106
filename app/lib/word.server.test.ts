import { describe, expect, it } from "vitest";
import { docxOf, w } from "../../test/county-files";
import { asZip64, zipEntries, zipOf } from "../../test/files";
import { readWorkbook, SpreadsheetError } from "~/lib/spreadsheet.server";
import { MAX_WORD_ROWS, readWordDocument } from "~/lib/word.server";

/**
 * Hostile Word files and zips: refused within the bounds, whatever their directory claims. (That
 * they are read off the main thread, which keeps answering, is checked against the built server
 * in test/browser/bounded.test.ts.)
 */
describe("bounded Word and zip reading", () => {
  it("refuses a .docx holding a table of 20,000 rows (35 KB on the wire) at the row bound, without growing memory", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => w.row(w.cell(`第${i}行`), w.cell("x"))).join("");
    const bomb = docxOf(w.table(rows));
    expect(bomb.length).toBeLessThan(200_000);
    const heap = process.memoryUsage().heapUsed;
    const started = performance.now();
    const refused = await readWordDocument(bomb).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SpreadsheetError);
    expect((refused as Error).message).toContain(`表格超过 ${MAX_WORD_ROWS} 行`);
    // Stopped at the bound: a few megabytes at most, not the gigabyte the whole table took to convert.
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("refuses zip64 records in a .docx, an .xlsx and a .zip, instead of counting no entries while a parser reads them all", async () => {
    const docx = docxOf(w.p("事迹材料"));
    await expect(readWordDocument(asZip64(docx))).rejects.toThrow(/ZIP64/);
    const xlsx = zipEntries([{ name: "xl/worksheets/sheet1.xml", data: "<worksheet/>" }], { utf8: true });
    await expect(readWorkbook(asZip64(xlsx))).rejects.toThrow(/ZIP64/);
    // A directory entry whose sizes are the zip64 marker is refused too.
    const marked = Buffer.from(zipOf("word/document.xml", Buffer.from("<w:document/>"), 0xffffffff));
    await expect(readWordDocument(marked)).rejects.toThrow(/ZIP64/);
  });

  it("counts what comes out while inflating: an entry that lies about its size is refused at the bound", async () => {
    const lying = zipOf("word/document.xml", Buffer.alloc(40 * 1024 * 1024, 0x20), 1000);
    await expect(readWordDocument(lying)).rejects.toThrow(/损坏/);
    const honest = zipOf("word/document.xml", Buffer.alloc(40 * 1024 * 1024, 0x20));
    await expect(readWordDocument(honest)).rejects.toThrow(/表格过大/);
  });

  it("hands ExcelJS only the entries it counted: a second entry of the same name is refused", async () => {
    const twice = zipEntries(
      [
        { name: "xl/workbook.xml", data: "<workbook/>" },
        { name: "xl/workbook.xml", data: "<workbook>other</workbook>" },
      ],
      { utf8: true },
    );
    await expect(readWorkbook(twice)).rejects.toThrow(/损坏/);
  });
});
