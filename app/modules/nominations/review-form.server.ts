import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { compactText, headerName, SpreadsheetError, unzipBounded, type Cell } from "~/lib/spreadsheet.server";
import { OLD_WORD, readWordTableRows, readWordText, wordKind } from "~/lib/word.server";
import type { Campaign } from "~/modules/campaigns/campaigns.server";
import { CONDITIONS } from "~/modules/nominations/eligibility";
import type { OpinionInput } from "~/modules/nominations/nominations.server";
import { ALIASES, readPersonRow, type ColumnKey, type ImportTarget, type ParsedRow, type SummaryTable } from "~/modules/nominations/summary-table.server";
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

const CHECKED = "☑☒■▣√✓✔";
const BOX = /[□☐]/;

/** "☑是 □否" → "是"; "☑（一）…□（二）…☑（五）…" → "一、五"; text without boxes as it is. */
function checkedChoice(text: string, field: ColumnKey): string {
  if (!BOX.test(text)) return text;
  const picked = [...text.matchAll(new RegExp(`[${CHECKED}]\\s*([^□☐${CHECKED}]*)`, "g"))].map((m) => m[1].trim());
  if (field === "conditions") return picked.map((p) => p.match(/[一二三四五]/)?.[0] ?? "").join("、");
  return picked[0]?.slice(0, 1) ?? "";
}

interface FormCells {
  fields: Map<ColumnKey, string>;
  opinions: Map<OpinionKind, string>;
}

/** The value of each label: the next cell on its line, or — for a label alone on its line — the line below. */
export function cellsByLabel(rows: string[][]): FormCells {
  const fields = new Map<ColumnKey, string>();
  const opinions = new Map<OpinionKind, string>();
  rows.forEach((row, r) => {
    row.forEach((cell, i) => {
      const label = labelOf(cell);
      if (!label) return;
      const next = row[i + 1];
      const below = rows[r + 1];
      const value = next !== undefined ? (labelOf(next) ? "" : next) : row.length === 1 && below?.length === 1 && !labelOf(below[0]) ? below[0] : "";
      if ("field" in label && !fields.has(label.field)) fields.set(label.field, checkedChoice(value, label.field));
      if ("opinion" in label && !opinions.has(label.opinion)) opinions.set(label.opinion, value);
    });
  });
  return { fields, opinions };
}

/** What an opinion cell says besides its seal and date line, and that date. */
function opinionOf(kind: OpinionKind, text: string, signer: string): OpinionInput | null {
  const date = text.match(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/);
  const words = text
    .replace(/(\d{4}|\s)\s*年\s*(\d{1,2}|\s)\s*月\s*(\d{1,2}|\s)\s*日/g, "")
    .replace(/[（(]?\s*(盖章|公章|签字|签名)\s*[)）]?/g, "")
    .replace(/(负责人|签字|签名)[:：]?\s*$/gm, "")
    .trim();
  if (!words || !date) return null;
  const pad = (n: string) => n.padStart(2, "0");
  return { kind, text: words.slice(0, 500), signer: signer.slice(0, 40), signedOn: `${date[1]}-${pad(date[2])}-${pad(date[3])}` };
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
  const rows: ParsedRow[] = [];
  const stories: WordFile[] = [];
  const seen = new Map<string, number>();
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
    const { fields, opinions } = cellsByLabel(await readWordTableRows(file.bytes));
    if (!fields.has("name") || !fields.has("idNumber")) {
      if (/事迹/.test(file.name)) stories.push(file);
      else rows.push(refused(line, file.name, "文件中没有找到推荐审批表（需要有“姓名”“身份证号码”栏）；事迹材料的文件名请包含“事迹”"));
      continue;
    }
    const row = readPersonRow((key) => (fields.get(key) ?? null) as Cell, line, target, seen);
    row.source = file.name;
    const employer = fields.get("employer") ?? "";
    row.opinions = [...opinions]
      .map(([k, text]) => opinionOf(k, text, k === "employer" ? employer : k === "county" ? "推荐单位" : OPINION_LABELS[k]))
      .filter((o): o is OpinionInput => o !== null);
    rows.push(row);
  }
  for (const story of stories) {
    const owner = rows.find((r) => r.form && compactText(story.name).includes(String(r.form.name)));
    if (!owner?.form) {
      rows.push(refused(rows.length + 1, story.name, "事迹材料：没有找到文件名中这个人的推荐审批表，请与审批表一起上传，或在推荐详情页上传"));
      continue;
    }
    const text = await readWordText(story.bytes);
    owner.form.story = text;
    owner.storyFrom = `${story.name}（${text.length} 字）`;
  }
  if (!rows.length) throw new SpreadsheetError("没有可读取的推荐审批表");
  return { rows, skipped: [], missingColumns: [], otherSheets: [] };
}

/** The 事迹材料 of one nomination, from its .docx. */
export async function storyFromWord(file: WordFile): Promise<string> {
  const kind = wordKind(file.name, file.bytes);
  if (kind === "old") throw new SpreadsheetError(OLD_WORD);
  if (kind !== "docx") throw new SpreadsheetError("请上传 .docx 格式的事迹材料");
  return readWordText(file.bytes);
}

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
