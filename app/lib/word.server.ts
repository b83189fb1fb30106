import { SaxesParser, type SaxesTagPlain } from "saxes";
import { SpreadsheetError, unzipBounded } from "~/lib/spreadsheet.server";

/**
 * Word files as units send them: the 推荐审批表 (a table, cells found by their labels) and the
 * 事迹材料 (prose). The document's XML is read here, by a streaming parser over the one entry
 * that holds it, after the zip bounds every upload gets; refusals are SpreadsheetErrors, so an
 * upload answers them the same way.
 *
 * Read as people fill these forms in Word and WPS: tables inside tables (a form pasted into a
 * one-cell table) and inside text boxes, ticks typed in the Wingdings or Symbol fonts (þ in
 * Wingdings shows as ☑) or as check-box fields, a picture in a cell (the photo) marked as such.
 * A form has tens of rows; a file past the bounds below is refused when it reaches them, so a
 * small file with a huge table costs no more than the bounds.
 */

export type WordKind = "docx" | "old" | null;

/** A .docx by its zip signature; the binary .doc and WPS formats (OLE) are named so they can be refused. */
export function wordKind(filename: string, bytes: Uint8Array): WordKind {
  const ext = filename.toLowerCase().split(".").pop() ?? "";
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (ext === "doc" || ext === "wps" || ext === "dot" || ((ext === "docx" || ext === "wpsx") && ole)) return "old";
  if (ext === "docx" || ext === "docm" || ext === "dotx") return "docx";
  return null;
}

export const OLD_WORD = "这是旧版 Word（.doc）或 WPS 文件，无法直接读取：请在 Word 或 WPS 中“另存为” .docx 后再上传";

/** Far above any 审批表 (about 20 rows) or 事迹材料 (about 2,000 characters), far below what would cost. */
export const MAX_WORD_ROWS = 500;
const MAX_WORD_CELLS = 5_000;
const MAX_WORD_CHARACTERS = 200_000;
const MAX_DEPTH = 200;

export const WORD_TOO_LARGE = () =>
  new SpreadsheetError(`Word 文件过大：表格超过 ${MAX_WORD_ROWS} 行或文字超过 ${MAX_WORD_CHARACTERS / 10_000} 万字，不是一份推荐审批表或事迹材料`);

/** A table cell: its text (paragraphs on lines), and whether it holds a picture (the photo). */
export interface WordCell {
  text: string;
  picture: boolean;
}

export interface WordDocument {
  /** Every table row, in reading order; a table inside a cell gives its own rows after its cell's row. */
  rows: WordCell[][];
  /** Every paragraph's text in reading order, table cells and text boxes included. */
  paragraphs: string[];
}

/**
 * The symbol fonts' tick and box glyphs, by their code (Word stores them as F0xx or as the
 * letter the font draws as the glyph: þ is Wingdings' ☑).
 */
const SYMBOL_FONTS: Record<string, Record<number, string>> = {
  wingdings: { 0xfe: "☑", 0xfd: "☒", 0xfc: "√", 0xfb: "✗", 0xa8: "□", 0x6f: "□", 0x71: "□", 0x6e: "■", 0x78: "☒", 0xa4: "◉", 0xa1: "○" },
  "wingdings 2": { 0x52: "☑", 0x54: "☒", 0x53: "☒", 0xa3: "□", 0x2a: "□", 0x50: "√", 0x4f: "✗", 0x51: "✗" },
  symbol: { 0xd6: "√", 0xb4: "×" },
};

function symbolText(font: string, text: string): string {
  const table = SYMBOL_FONTS[font.toLowerCase()];
  if (!table) return text;
  return [...text].map((ch) => table[ch.charCodeAt(0) & 0xff] ?? ch).join("");
}

/** Characters of the private area Word uses for symbol fonts (F000–F0FF) with no font said: Wingdings. */
const privateSymbols = (text: string) => text.replace(/[\uf000-\uf0ff]/g, (ch) => SYMBOL_FONTS.wingdings[ch.charCodeAt(0) & 0xff] ?? "");

/** Reads a .docx's body. Refuses what is not a .docx, is broken, or passes the bounds. */
export async function readWordDocument(bytes: Uint8Array): Promise<WordDocument> {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw new SpreadsheetError("该文件不是 .docx 文件，或已损坏");
  const entry = (await unzipBounded(bytes, " Word 文件")).find((e) => e.name === "word/document.xml");
  if (!entry) throw new SpreadsheetError("无法读取该 Word 文件，文件可能已损坏");
  return parseDocumentXml(entry.data.toString("utf8"));
}

interface OpenCell {
  paragraphs: string[];
  picture: boolean;
}

export function parseDocumentXml(xml: string): WordDocument {
  const rows: WordCell[][] = [];
  const paragraphs: string[] = [];
  /** The open rows, innermost last; each with the index its finished cells go to in `rows`. */
  const rowStack: Array<{ index: number; cells: WordCell[] }> = [];
  const cellStack: OpenCell[] = [];
  const paragraphStack: string[] = [];
  let cells = 0;
  let characters = 0;
  let depth = 0;
  /** Inside mc:Fallback (a copy of what mc:Choice already gave) nothing is read. */
  let skipping = 0;
  let inRun = false;
  let runFont = "";
  let inText = false;
  let checkBox: { checked: boolean | null; initial: boolean } | null = null;

  const add = (text: string) => {
    if (!paragraphStack.length || !text) return;
    characters += text.length;
    if (characters > MAX_WORD_CHARACTERS) throw WORD_TOO_LARGE();
    paragraphStack[paragraphStack.length - 1] += text;
  };

  const parser = new SaxesParser({ xmlns: false });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    if (++depth > MAX_DEPTH) throw WORD_TOO_LARGE();
    if (skipping) {
      skipping++;
      return;
    }
    const attr = (name: string) => tag.attributes[name] as string | undefined;
    switch (tag.name) {
      case "mc:Fallback":
        skipping = 1;
        break;
      case "w:tr":
        if (rows.length >= MAX_WORD_ROWS) throw WORD_TOO_LARGE();
        rowStack.push({ index: rows.length, cells: [] });
        rows.push([]);
        break;
      case "w:tc":
        if (++cells > MAX_WORD_CELLS) throw WORD_TOO_LARGE();
        cellStack.push({ paragraphs: [], picture: false });
        break;
      case "w:p":
        paragraphStack.push("");
        break;
      case "w:r":
        inRun = true;
        runFont = "";
        break;
      case "w:rFonts":
        if (inRun) runFont = attr("w:ascii") ?? attr("w:hAnsi") ?? attr("w:cs") ?? "";
        break;
      case "w:t":
        inText = true;
        break;
      case "w:tab":
        if (inRun) add(" ");
        break;
      case "w:br":
      case "w:cr":
        add("\n");
        break;
      case "w:sym": {
        const code = parseInt(attr("w:char") ?? "", 16);
        if (Number.isFinite(code)) add(symbolText(attr("w:font") ?? "Wingdings", String.fromCharCode(code & 0xff)));
        break;
      }
      case "w:checkBox":
        checkBox = { checked: null, initial: false };
        break;
      case "w:default":
        if (checkBox) checkBox.initial = !["0", "false"].includes(attr("w:val") ?? "1");
        break;
      case "w:checked":
        if (checkBox) checkBox.checked = !["0", "false"].includes(attr("w:val") ?? "1");
        break;
      case "w:drawing":
      case "w:pict":
      case "w:object":
        if (cellStack.length) cellStack[cellStack.length - 1].picture = true;
        break;
    }
  });
  parser.on("text", (text: string) => {
    if (!inText || skipping) return;
    add(runFont ? symbolText(runFont, text) : privateSymbols(text));
  });
  parser.on("closetag", (tag: SaxesTagPlain) => {
    depth--;
    if (skipping) {
      skipping--;
      return;
    }
    switch (tag.name) {
      case "w:t":
        inText = false;
        break;
      case "w:r":
        inRun = false;
        break;
      case "w:checkBox":
        if (checkBox) add((checkBox.checked ?? checkBox.initial) ? "☑" : "□");
        checkBox = null;
        break;
      case "w:p": {
        const text = (paragraphStack.pop() ?? "").replace(/[ \t\u00a0]+/g, " ").trim();
        // A paragraph belongs to the innermost open cell (a text box's inside the cell it sits in).
        if (cellStack.length) cellStack[cellStack.length - 1].paragraphs.push(text);
        if (text) paragraphs.push(text);
        break;
      }
      case "w:tc": {
        const cell = cellStack.pop();
        const row = rowStack[rowStack.length - 1];
        if (cell && row) row.cells.push({ text: cell.paragraphs.join("\n").trim(), picture: cell.picture });
        break;
      }
      case "w:tr": {
        const row = rowStack.pop();
        if (row) rows[row.index] = row.cells;
        break;
      }
    }
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw new SpreadsheetError("无法读取该 Word 文件，文件可能已损坏");
  }
  // A row that only held a table (the one-cell wrapper) says nothing itself.
  return { rows: rows.filter((r) => r.some((c) => c.text || c.picture)), paragraphs };
}

/** The document's text as its paragraphs, one per line. */
export async function readWordText(bytes: Uint8Array): Promise<string> {
  return (await readWordDocument(bytes)).paragraphs.join("\n");
}
