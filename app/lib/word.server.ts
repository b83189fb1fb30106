import mammoth from "mammoth";
import { assertBoundedZip, SpreadsheetError } from "~/lib/spreadsheet.server";

/**
 * Word files as units send them: the 推荐审批表 (a table, cells found by their labels) and the
 * 事迹材料 (prose). Read with mammoth, a maintained .docx reader, after the same zip bounds as an
 * .xlsx; refusals are SpreadsheetErrors, so an upload answers them the same way.
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

/** mammoth is told not to fetch linked files nor to keep pictures (a photo in the form is not data). */
const OPTIONS = { externalFileAccess: false, convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })) };

async function openDocx(bytes: Uint8Array): Promise<Buffer> {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw new SpreadsheetError("该文件不是 .docx 文件，或已损坏");
  await assertBoundedZip(bytes, " Word 文件");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };
const textOf = (html: string) =>
  html
    .replace(/<\/p>\s*<p[^>]*>/g, "\n")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e])
    .trim();

/** Every table row of the document, in reading order, as the text of its cells (paragraphs on lines). */
export async function readWordTableRows(bytes: Uint8Array): Promise<string[][]> {
  const buffer = await openDocx(bytes);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer }, OPTIONS)).value;
  } catch {
    throw new SpreadsheetError("无法读取该 Word 文件，文件可能已损坏");
  }
  const rows: string[][] = [];
  for (const tr of html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
    rows.push([...tr[1].matchAll(/<t([dh])[^>]*>([\s\S]*?)<\/t\1>/g)].map((td) => textOf(td[2])));
  }
  return rows;
}

/** The document's text as its paragraphs, blank lines between them collapsed to one line break. */
export async function readWordText(bytes: Uint8Array): Promise<string> {
  const buffer = await openDocx(bytes);
  try {
    const { value } = await mammoth.extractRawText({ buffer });
    return value
      .split(/\n+/)
      .map((p) => p.trim())
      .filter(Boolean)
      .join("\n");
  } catch {
    throw new SpreadsheetError("无法读取该 Word 文件，文件可能已损坏");
  }
}
