import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { compactText, headerName, SMALL_UPLOAD_BYTES, SpreadsheetError, unpackedBound, unzipBounded, type Cell } from "~/lib/spreadsheet.server";
import { OLD_WORD, readWordDocument, readWordText, WORD_TOO_LARGE, wordKind, type WordCell, type WordDocument } from "~/lib/word.server";
import { offThread } from "~/lib/off-thread.server";
import type { Campaign } from "~/modules/campaigns/campaigns.server";
import { CONDITIONS } from "~/modules/nominations/eligibility";
import type { OpinionInput } from "~/modules/nominations/nominations.server";
import {
  ALIASES,
  readPersonRow,
  undatedOpinion,
  type ColumnKey,
  type ImportTarget,
  type ParsedRow,
  type SummaryTable,
} from "~/modules/nominations/summary-table.server";
import { OPINION_LABELS, STORY_TARGET } from "~/modules/nominations/labels";

/**
 * The notice's annex as Word files, both ways: the 推荐审批表 and 事迹材料 as .docx templates, and
 * filled-in forms read back — cells found by their labels wherever a county put them (beside the
 * label, or on the line below it), with the same row messages as a 汇总表.
 */

const MAX_WORD_FILES = 50;

type OpinionKind = OpinionInput["kind"];

/** The opinions' labels as forms write them; the city's is matched first (every label says 总工会). */
const OPINION_PATTERNS: Array<[OpinionKind, RegExp]> = [
  ["city", /^市总工会(审批|审核)?意见$/],
  ["expert", /专家.*意见/],
  ["employer", /^(推荐|所在|工作)?单位意见$/],
  ["county", /(县|市、区|总工会|社会团体).*意见/],
];

function labelOf(text: string): { field: ColumnKey } | { opinion: OpinionKind } | null {
  const name = headerName(text).replace(/[:：]$/, "");
  if (!name) return null;
  for (const [field, aliases] of Object.entries(ALIASES) as Array<[ColumnKey, string[]]>) if (aliases.includes(name)) return { field };
  for (const [opinion, pattern] of OPINION_PATTERNS) if (pattern.test(name)) return { opinion };
  return null;
}

/** The photo's cell, by its word or its picture: never a value. */
const PHOTO = /^[（(]?(近期)?(免冠)?(一寸|二寸|彩色|蓝底|红底)*(照片|相片|照\s*片|相\s*片)[）)]?$/;
const isPhoto = (cell: WordCell) => cell.picture || PHOTO.test(cell.text.replace(/\s+/g, ""));

const CHECKED = "☑☒■▣√✓✔◉●";
const UNCHECKED = "□☐○";
const MARK = new RegExp(`[${CHECKED}${UNCHECKED}]`);

/**
 * A cell of choices with boxes, each box before its choice (“☑中共党员 □群众”) or after it
 * (“是☑ 否□”): the ticked choices, whole. "☑（一）…□（二）…☑（五）…" gives “一、五”. Text
 * without boxes is as it is.
 */
export function checkedChoice(text: string, field: ColumnKey): string {
  if (!MARK.test(text)) return text;
  const trimmed = text.trim();
  const after = !MARK.test(trimmed[0]) && MARK.test(trimmed[trimmed.length - 1]);
  const pattern = after
    ? new RegExp(`([^${CHECKED}${UNCHECKED}]*)([${CHECKED}${UNCHECKED}])`, "g")
    : new RegExp(`([${CHECKED}${UNCHECKED}])([^${CHECKED}${UNCHECKED}]*)`, "g");
  const picked = [...trimmed.matchAll(pattern)]
    .map((m) => (after ? { mark: m[2], choice: m[1] } : { mark: m[1], choice: m[2] }))
    .filter((c) => CHECKED.includes(c.mark))
    .map((c) =>
      c.choice
        .replace(/[\s、，,;；]+$/g, "")
        .replace(/^[\s、，,;；]+/g, "")
        .trim(),
    )
    .filter(Boolean);
  if (field === "conditions") return picked.map((p) => p.match(/[一二三四五]/)?.[0] ?? "").join("、");
  return picked.join("、");
}

interface FormCells {
  fields: Map<ColumnKey, string>;
  opinions: Map<OpinionKind, string>;
}

/**
 * The value of each label, wherever the form puts it: the next cell on its line; under a row of
 * labels, the cell below it; for a label alone on its line, the line below. A photo is no value.
 */
export function cellsByLabel(rows: WordCell[][]): FormCells {
  const fields = new Map<ColumnKey, string>();
  const opinions = new Map<OpinionKind, string>();
  const isLabel = (cell: WordCell | undefined) => !!cell && !!labelOf(cell.text);
  const valueOf = (cell: WordCell | undefined) => (!cell || isPhoto(cell) || isLabel(cell) ? "" : cell.text);
  rows.forEach((row, r) => {
    const below = rows[r + 1];
    // A row of labels (two or more, nothing else but the photo) over a row of values.
    const labelRow = row.filter((c) => c.text && !isPhoto(c)).every(isLabel) && row.filter(isLabel).length >= 2;
    const valuesBelow = labelRow && below && below.length >= row.length - 1 && !below.some(isLabel);
    row.forEach((cell, i) => {
      const label = labelOf(cell.text);
      if (!label) return;
      let value: string;
      if (valuesBelow) value = valueOf(below[i]);
      else if (row[i + 1] !== undefined) value = valueOf(row[i + 1]);
      else value = row.length === 1 && below?.length === 1 ? valueOf(below[0]) : "";
      if ("field" in label && !fields.has(label.field)) fields.set(label.field, checkedChoice(value, label.field));
      if ("opinion" in label && !opinions.has(label.opinion)) opinions.set(label.opinion, value);
    });
  });
  return { fields, opinions };
}

const CHINESE_NUMERALS: Record<string, number> = { 〇: 0, 零: 0, Ｏ: 0, O: 0, o: 0, "0": 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 二〇二六 → 2026 (digit by digit); 二十 → 20, 三十一 → 31, 十二 → 12 (as counted). */
function chineseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[〇零Ｏ一二三四五六七八九十]+$/.test(text.replace(/[Oo0]/g, "〇"))) return null;
  const t = text.replace(/[Oo0Ｏ]/g, "〇");
  if (!t.includes("十")) return Number([...t].map((c) => CHINESE_NUMERALS[c]).join(""));
  const [tens, ones] = t.split("十");
  return (tens ? (CHINESE_NUMERALS[tens] ?? NaN) : 1) * 10 + (ones ? (CHINESE_NUMERALS[ones] ?? NaN) : 0);
}

const NUMERAL = "[\\d〇零Ｏ一二三四五六七八九十Oo]";
const DATE_PATTERNS = [
  new RegExp(`(${NUMERAL}{4})\\s*年\\s*(${NUMERAL}{1,3})\\s*月\\s*(${NUMERAL}{1,3})\\s*日?`),
  /(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})/,
];

/** The signing date an opinion gives, in any of the ways forms write it, or null; and the text without it. */
export function opinionDate(text: string): { date: string | null; rest: string } {
  for (const pattern of DATE_PATTERNS) {
    const m = text.match(pattern);
    if (!m) continue;
    const [year, month, day] = [m[1], m[2], m[3]].map(chineseNumber);
    if (year === null || month === null || day === null) continue;
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year < 1990 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) continue;
    const pad = (n: number) => String(n).padStart(2, "0");
    return { date: `${year}-${pad(month)}-${pad(day)}`, rest: text.replace(m[0], "") };
  }
  return { date: null, rest: text };
}

/** What an opinion cell says besides its seal and date line, and that date (null when it gives none). */
function opinionOf(kind: OpinionKind, text: string, signer: string): OpinionInput | null {
  const { date, rest } = opinionDate(text);
  const words = rest
    // The blank date line of an unfilled form: “年 月 日” (ideographic spaces between).
    .replace(/\s*年\s*月\s*日\s*/g, "")
    .replace(/[（(]?\s*(盖章|公章|签字|签名|签章)\s*[)）]?/g, "")
    .replace(/(负责人|签字|签名)[:：]?\s*$/gm, "")
    .trim();
  if (!words) return null;
  return { kind, text: words.slice(0, 500), signer: signer.slice(0, 40), signedOn: date };
}

export interface WordFile {
  name: string;
  bytes: Uint8Array;
}

/** Word files as uploaded: several at once, or a .zip of them (folders and Mac metadata skipped). */
async function expand(files: WordFile[]): Promise<WordFile[]> {
  const out: WordFile[] = [];
  for (const file of files) {
    if (file.name.toLowerCase().endsWith(".zip")) {
      for (const entry of await unzipBounded(file.bytes)) {
        const base = entry.name.split("/").pop() ?? "";
        if (!base || entry.name.startsWith("__MACOSX/") || base.startsWith("~$") || base.startsWith(".")) continue;
        out.push({ name: base, bytes: new Uint8Array(entry.data) });
      }
    } else out.push(file);
  }
  if (out.length > MAX_WORD_FILES) throw new SpreadsheetError(`一次最多上传 ${MAX_WORD_FILES} 个 Word 文件，请分批上传`);
  return out;
}

const refused = (line: number, source: string, message: string): ParsedRow => ({
  line,
  source,
  name: source,
  maskedId: "—",
  errors: [message],
  warnings: [],
  missing: [],
  form: null,
});

/**
 * Filled 推荐审批表 (.docx), one nominee each, as rows to preview and commit like a 汇总表's; a
 * 事迹材料 among them joins the form of the person its file name names.
 */
export async function parseReviewForms(files: WordFile[], target: ImportTarget): Promise<SummaryTable> {
  if (!target.nominatingUnitId) throw new SpreadsheetError("请选择推荐单位：Word 版推荐审批表上没有写明推荐单位");
  const rows: ParsedRow[] = [];
  const stories: Array<{ file: WordFile; text: string }> = [];
  const seen = new Map<string, number>();
  const many = files.length > 1 || files.some((f) => f.name.toLowerCase().endsWith(".zip"));
  for (const file of await expand(files)) {
    const line = rows.length + 1;
    const kind = wordKind(file.name, file.bytes);
    if (kind === "old") {
      rows.push(refused(line, file.name, OLD_WORD));
      continue;
    }
    if (kind !== "docx") {
      rows.push(refused(line, file.name, "只能上传 .docx 格式的推荐审批表和事迹材料（或它们的 .zip 压缩包）"));
      continue;
    }
    let document: WordDocument;
    try {
      document = await readWordDocument(file.bytes);
    } catch (error) {
      // One broken file in a batch is that file's row; the others are still read.
      if (error instanceof SpreadsheetError && many) {
        rows.push(refused(line, file.name, error.message));
        continue;
      }
      throw error;
    }
    const { fields, opinions } = cellsByLabel(document.rows);
    if (!fields.has("name") || !fields.has("idNumber")) {
      if (/事迹/.test(file.name)) stories.push({ file, text: document.paragraphs.join("\n") });
      else rows.push(refused(line, file.name, "文件中没有找到推荐审批表（需要有“姓名”“身份证号码”栏）；事迹材料的文件名请包含“事迹”"));
      continue;
    }
    // A form has no 出生日期 but 出生年月, which is compared at month precision.
    const row = readPersonRow((key) => (fields.get(key) ?? null) as Cell, line, target, seen, { birthByMonth: true });
    row.source = file.name;
    const employer = fields.get("employer") ?? "";
    row.opinions = [...opinions]
      .map(([k, text]) => opinionOf(k, text, k === "employer" ? employer : k === "county" ? "推荐单位" : OPINION_LABELS[k]))
      .filter((o): o is OpinionInput => o !== null);
    if (row.form) row.warnings.push(...row.opinions.filter((o) => !o.signedOn).map(undatedOpinion));
    rows.push(row);
  }
  for (const story of stories) {
    const owner = rows.find((r) => r.form && compactText(story.file.name).includes(String(r.form.name)));
    if (!owner?.form) {
      rows.push(refused(rows.length + 1, story.file.name, "事迹材料：没有找到文件名中这个人的推荐审批表，请与审批表一起上传，或在推荐详情页上传"));
      continue;
    }
    owner.form.story = story.text;
    owner.storyFrom = `${story.file.name}（${story.text.length} 字）`;
  }
  if (!rows.length) throw new SpreadsheetError("没有可读取的推荐审批表");
  return { rows, skipped: [], missingColumns: [], otherSheets: [] };
}

/**
 * The same, in the worker thread: a Word file is small on the wire and may be anything inside, so
 * reading it (and a .zip of fifty) must not hold up other users' pages, with the same bounds as a sheet.
 */
export const parseReviewFormsOffThread = offThread(
  "review-forms.parse",
  ({ files, target }: { files: WordFile[]; target: ImportTarget }) => parseReviewForms(files, target),
  {
    expected: [SpreadsheetError],
    crashed: WORD_TOO_LARGE,
    // A .zip's forms are zips inside it, unpacked again: only plain forms count as small.
    small: ({ files }) =>
      files.every((f) => !f.name.toLowerCase().endsWith(".zip")) && files.reduce((sum, f) => sum + unpackedBound(f.bytes), 0) <= SMALL_UPLOAD_BYTES,
  },
);

/** The 事迹材料 of one nomination, from its .docx. */
export async function storyFromWord(file: WordFile): Promise<string> {
  const kind = wordKind(file.name, file.bytes);
  if (kind === "old") throw new SpreadsheetError(OLD_WORD);
  if (kind !== "docx") throw new SpreadsheetError("请上传 .docx 格式的事迹材料");
  return readWordText(file.bytes);
}

/** The same, in the worker thread. */
export const storyFromWordOffThread = offThread("story.parse", storyFromWord, {
  expected: [SpreadsheetError],
  crashed: WORD_TOO_LARGE,
  small: ({ bytes }) => unpackedBound(bytes) <= SMALL_UPLOAD_BYTES,
});

const cell = (text: string, span = 1, bold = false) =>
  new TableCell({
    columnSpan: span,
    children: text.split("\n").map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })),
  });
const label = (text: string, span = 1) => cell(text, span, true);
const blank = (span = 1) => cell("", span);

/** The 推荐审批表 as the notice's annex lays it out, to fill in Word and upload again. */
export async function reviewFormTemplate(campaign: Pick<Campaign, "title">): Promise<Buffer> {
  const conditions = Object.values(CONDITIONS)
    .map((c) => `□${c.short}`)
    .join("\n");
  const rows = [
    [label("姓名"), blank(), label("性别"), blank(), label("出生年月"), blank()],
    [label("民族"), blank(), label("学历"), blank(), label("政治面貌"), blank()],
    [label("身份证号码"), blank(5)],
    [label("工作单位"), blank(3), label("所属行业"), blank()],
    [label("职务"), blank(), label("职称"), blank(), label("技术等级"), blank()],
    [label("一线技能工作年限"), blank(), label("是否仍在技能岗位"), cell("□是　□否", 3)],
    [label("联系电话"), blank(5)],
    [label("符合条件"), cell(conditions, 5)],
    [label("已获荣誉"), blank(5)],
    [label("主要技术成果"), blank(5)],
    [label("主要事迹"), cell("（500字左右）", 5)],
    ...(["employer", "county", "expert", "city"] as const).map((k) => [label(`${OPINION_LABELS[k]}`), cell("\n\n（盖章）　　年　月　日", 5)]),
  ];
  const doc = new Document({
    creator: "匠心 · 台州工匠服务平台",
    title: `${campaign.title}推荐审批表`,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, children: [new TextRun(`${campaign.title}推荐审批表`)] }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: rows.map((cells) => new TableRow({ children: cells })) }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The 事迹材料 template: one person's story, about 2,000 characters. */
export async function storyTemplate(campaign: Pick<Campaign, "title">): Promise<Buffer> {
  const doc = new Document({
    creator: "匠心 · 台州工匠服务平台",
    title: `${campaign.title}事迹材料`,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, children: [new TextRun("事迹材料")] }),
          new Paragraph({ children: [new TextRun(`（${campaign.title}，${STORY_TARGET}字左右；文件名请写“姓名-事迹材料.docx”）`)] }),
          new Paragraph({ children: [new TextRun("姓名：　　　　工作单位：")] }),
          new Paragraph({ children: [new TextRun("")] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
