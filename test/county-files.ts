import ExcelJS from "exceljs";
import { idNumberFor } from "./factories";
import { gbk, zipEntries } from "./files";

/**
 * Spreadsheets in the shapes counties send: a title line (merged across the table), a line with the
 * unit and the date, the header, the people, and whatever comes below. Tests describe the rows as
 * objects by header, so each layout is written once.
 */

/** Our own export's header: the whole 推荐审批表 as columns. */
export const REVIEW_FORM_HEADER =
  "序号 姓名 性别 身份证号码 出生日期 民族 学历 政治面貌 工作单位 所属行业 职务 职称 技术等级 一线技能工作年限 是否仍在技能岗位 符合条件 已获荣誉 主要技术成果 主要事迹 联系电话".split(
    " ",
  );

export type Row = Partial<Record<string, unknown>>;

/** The fields of one filled 汇总表 row past the person's own (name, sex, ID number, birth date): a 温岭 machinist. */
export const FILLED_ROW: Row = {
  民族: "汉族",
  学历: "大专",
  政治面貌: "中共党员",
  工作单位: "温岭恒远精密机械有限公司",
  所属行业: "汽车及零部件",
  职务: "班组长",
  技术等级: "高级技师",
  一线技能工作年限: 20,
  是否仍在技能岗位: "是",
  符合条件: "一、五",
  已获荣誉: "浙江省技术能手",
  主要技术成果: "数控刀具改进",
  主要事迹: "扎根车间二十年",
  联系电话: "13957600011",
};

export interface SheetLayout {
  header: readonly string[];
  /** By header; a plain array is written as it stands (a total line, a row out of shape). */
  rows: Array<Row | unknown[]>;
  /** Lines above the header; the first is merged across the table like a title. */
  above?: unknown[][];
  /** Lines below the table: signers, notes. */
  below?: unknown[][];
  sheetName?: string;
  /** Anything else a test needs of the sheet (merged header cells, number formats). */
  setup?: (sheet: ExcelJS.Worksheet) => void;
}

const DEFAULT_ABOVE = [["温岭市总工会“台州工匠”推荐人选汇总表"], ["填报单位（盖章）：温岭市总工会", "", "", "", "填报日期：2018年3月20日"]];

export async function countyWorkbook({
  header,
  rows,
  above = DEFAULT_ABOVE,
  below = [],
  sheetName = "汇总表",
  setup,
}: SheetLayout): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  above.forEach((line, i) => {
    sheet.addRow(line);
    if (i === 0 && line.length === 1) sheet.mergeCells(1, 1, 1, header.length);
  });
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow(Array.isArray(row) ? row : header.map((h) => row[h]));
  for (const line of below) sheet.addRow(line);
  setup?.(sheet);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The list most counties actually send: who the people are, not the whole 审批表. */
export const COUNTY_LIST_HEADER = "序号 姓名 性别 民族 出生年月 身份证号码 学历 政治面貌 工作单位 所属行业 职务 职称 技术等级 一线年限 联系电话 备注".split(
  " ",
);

/** The signers and notes counties put under the table. */
export const COUNTY_FOOTER = [
  [],
  ["合计：3人"],
  ["填表人：王丽", "", "", "审核人：张强", "", "", "联系电话：0576-86123456"],
  ["温岭市总工会（盖章）", "", "", "", "", "", "2026年3月20日"],
  ["备注：1.出生年月按身份证填写；2.本表一式两份。"],
];

/** The same list with a two-row header: group headings merged over the columns they name. */
export async function twoRowHeaderList(rows: Row[]): Promise<Uint8Array<ArrayBuffer>> {
  const top = ["序号", ...Array(6).fill("基本情况"), "身份证号码", "工作单位", "所属行业", "技能情况", "技能情况", "备注"];
  const second = ["序号", "姓名", "性别", "民族", "出生年月", "学历", "政治面貌", "身份证号码", "工作单位", "所属行业", "技术等级", "一线年限", "备注"];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("推荐名单");
  sheet.addRow(["椒江区“台州工匠”推荐人选名单"]);
  sheet.mergeCells(1, 1, 1, top.length);
  sheet.addRow(top);
  sheet.addRow(second);
  // Merged as Excel merges them: across for the groups, down for the single columns.
  sheet.mergeCells("B2:G2");
  sheet.mergeCells("K2:L2");
  for (const col of ["A", "H", "I", "J", "M"]) sheet.mergeCells(`${col}2:${col}3`);
  for (const row of rows) sheet.addRow(second.map((h) => row[h]));
  const notes = workbook.addWorksheet("填表说明");
  notes.addRow(["出生年月写到月即可"]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A filled 推荐审批表 as a .docx, in one of the layouts counties use. */
export async function reviewFormDocx(values: Record<string, string>, layout: "beside" | "below"): Promise<Uint8Array<ArrayBuffer>> {
  const { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } = await import("docx");
  const cell = (text: string, span = 1, rowSpan = 1) =>
    new TableCell({ columnSpan: span, rowSpan, children: text.split("\n").map((line) => new Paragraph({ children: [new TextRun(line)] })) });
  const v = (key: string) => values[key] ?? "";
  const rows =
    layout === "beside"
      ? // Our template's layout: label, value; long values merged across the row; a photo cell merged down.
        [
          [cell("姓名"), cell(v("姓名")), cell("性别"), cell(v("性别")), cell("出生年月"), cell(v("出生年月")), cell("照片", 1, 3)],
          [cell("民族"), cell(v("民族")), cell("学历"), cell(v("学历")), cell("政治面貌"), cell(v("政治面貌"))],
          [cell("身份证号码"), cell(v("身份证号码"), 5)],
          [cell("工作单位"), cell(v("工作单位"), 3), cell("所属行业"), cell(v("所属行业")), cell("")],
          [cell("职务"), cell(v("职务")), cell("职称"), cell(v("职称")), cell("技术等级"), cell(v("技术等级")), cell("")],
          [cell("一线技能工作年限"), cell(v("一线技能工作年限")), cell("是否仍在技能岗位"), cell(v("是否仍在技能岗位"), 4)],
          [cell("联系电话"), cell(v("联系电话"), 6)],
          [cell("符合条件"), cell(v("符合条件"), 6)],
          [cell("已获荣誉"), cell(v("已获荣誉"), 6)],
          [cell("主要技术成果"), cell(v("主要技术成果"), 6)],
          [cell("主要事迹（500字左右）"), cell(v("主要事迹"), 6)],
          [cell("单位意见"), cell(v("单位意见"), 6)],
          [cell("县（市、区）总工会、台州经济开发区（台州绿心旅游度假区）总工会，社会团体意见"), cell(v("县级意见"), 6)],
          [cell("专家组评审意见"), cell("", 6)],
          [cell("市总工会意见"), cell("", 6)],
        ]
      : // A county's own: labels spaced out to align, ticked boxes, and the long parts under their headings.
        [
          [cell("姓　　名"), cell(v("姓名")), cell("性　　别"), cell(v("性别"))],
          [cell("出生年月"), cell(v("出生年月")), cell("民　　族"), cell(v("民族"))],
          [cell("文化程度"), cell(v("学历")), cell("政治面貌"), cell(v("政治面貌"))],
          [cell("公民身份号码"), cell(v("身份证号码"), 3)],
          [cell("所在单位"), cell(v("工作单位"), 3)],
          [cell("行　　业"), cell(v("所属行业")), cell("技能等级"), cell(v("技术等级"))],
          [cell("从事一线技能工作年限"), cell(v("一线技能工作年限")), cell("是否在技能岗位"), cell(v("是否仍在技能岗位"))],
          [cell("手机号码"), cell(v("联系电话"), 3)],
          [cell("符合选树条件（请勾选）"), cell(v("符合条件"), 3)],
          [cell("获得荣誉", 4)],
          [cell(v("已获荣誉"), 4)],
          [cell("主要技术成果", 4)],
          [cell(v("主要技术成果"), 4)],
          [cell("主要事迹简介", 4)],
          [cell(v("主要事迹"), 4)],
          [cell("推荐单位意见"), cell(v("单位意见"), 3)],
          [cell("县（市、区）总工会意见"), cell(v("县级意见"), 3)],
        ];
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun("“台州工匠”推荐审批表")] }),
          new Table({ rows: rows.map((cells) => new TableRow({ children: cells })) }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A 事迹材料 .docx: a title and paragraphs. */
export async function storyDocx(paragraphs: string[]): Promise<Uint8Array<ArrayBuffer>> {
  const { Document, Packer, Paragraph, TextRun } = await import("docx");
  const doc = new Document({ sections: [{ children: ["事迹材料", ...paragraphs].map((p) => new Paragraph({ children: [new TextRun(p)] })) }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A county's list of `count` distinct people in the shape counties send (title, unit and date, signers below), stamped by `unit`'s union. */
export function countyListOf(count: number, unit = "温岭市"): Promise<Uint8Array> {
  const rows = Array.from({ length: count }, (_, i) => {
    const year = 1966 + (i % 34);
    const month = String(1 + (Math.floor(i / 34) % 12)).padStart(2, "0");
    const day = String(1 + (Math.floor(i / 408) % 28)).padStart(2, "0");
    return {
      序号: i + 1,
      姓名: "林陈王周吴郑"[i % 6] + "建立国秀英斌华明"[Math.floor(i / 6) % 8] + "波涛军平安"[Math.floor(i / 48) % 5],
      性别: "男",
      民族: "汉",
      出生年月: `${year}.${month}`,
      身份证号码: idNumberFor("M", `${year}-${month}-${day}`),
      学历: "大专",
      政治面貌: "党员",
      工作单位: "温岭华科泵业有限公司",
      所属行业: "泵与电机",
      职务: "班组长",
      技术等级: "技师",
      一线年限: 15,
      联系电话: "13957600011",
    };
  });
  const stamped = (lines: string[][]) => lines.map((line) => line.map((cell) => cell.replace("温岭市总工会", `${unit}总工会`)));
  return countyWorkbook({ header: COUNTY_LIST_HEADER, rows, above: stamped(DEFAULT_ABOVE), below: stamped(COUNTY_FOOTER) });
}

/* ------------------------------------------------------------------------------------------------
 * Word forms written as Word and WPS write them: the document's XML by hand, so each way a clerk
 * fills the 审批表 (a row of labels over a row of values, the form pasted into a one-cell table
 * or a text box, ticks typed in Wingdings, check-box fields, a photo) is exactly what a real file holds.
 * ---------------------------------------------------------------------------------------------- */

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Word's own pieces of a body, as XML. */
export const w = {
  run: (text: string) => `<w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r>`,
  /** A run in a symbol font, as Word stores “Insert → Symbol”. */
  sym: (font: string, char: string) => `<w:r><w:sym w:font="${font}" w:char="${char}"/></w:r>`,
  /** Text typed in a symbol font: þ in Wingdings shows as ☑. */
  fontRun: (font: string, text: string) => `<w:r><w:rPr><w:rFonts w:ascii="${font}" w:hAnsi="${font}"/></w:rPr><w:t>${esc(text)}</w:t></w:r>`,
  /** A legacy check-box form field (开发工具 → 复选框), ticked or not. */
  checkBox: (checked: boolean) =>
    `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:checkBox><w:sizeAuto/><w:default w:val="${checked ? 1 : 0}"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`,
  picture: `<w:r><w:drawing><wp:inline><wp:extent cx="990000" cy="1260000"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rId9"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`,
  /** A paragraph of runs (text is one run; XML is taken as it is). */
  p: (...parts: string[]) => `<w:p>${parts.map((x) => (x.startsWith("<") ? x : w.run(x))).join("")}</w:p>`,
  /** A cell: lines of text (each a paragraph) or XML; `span` columns wide; `merge` down as Word marks it. */
  cell: (content: string, options: { span?: number; merge?: "restart" | "continue" } = {}) => {
    const props = `${options.span ? `<w:gridSpan w:val="${options.span}"/>` : ""}${options.merge ? `<w:vMerge${options.merge === "restart" ? ' w:val="restart"' : ""}/>` : ""}`;
    const body = content.startsWith("<")
      ? content
      : content
          .split("\n")
          .map((line) => w.p(line))
          .join("");
    return `<w:tc><w:tcPr>${props}</w:tcPr>${body || "<w:p/>"}</w:tc>`;
  },
  row: (...cells: string[]) => `<w:tr>${cells.join("")}</w:tr>`,
  table: (...rows: string[]) => `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${rows.join("")}</w:tbl>`,
  /** A text box as Word 2010+ writes it: the DrawingML box, and the VML copy older readers use. */
  textBox: (inner: string) =>
    `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>${inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>${inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`,
};

const NAMESPACES = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"',
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
  'xmlns:v="urn:schemas-microsoft-com:vml"',
].join(" ");

/** A .docx of the given body XML, packed as Word packs one. */
export function docxOf(body: string): Uint8Array<ArrayBuffer> {
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NAMESPACES} mc:Ignorable="w14"><w:body>${body}<w:sectPr/></w:body></w:document>`;
  return zipEntries(
    [
      {
        name: "[Content_Types].xml",
        data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
      },
      {
        name: "_rels/.rels",
        data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
      },
      { name: "word/document.xml", data: document },
    ],
    { utf8: true },
  );
}

/** What a filled 推荐审批表 says, in the clerk's words. */
export interface FormValues {
  姓名: string;
  性别: string;
  出生年月: string;
  民族: string;
  学历: string;
  政治面貌: string;
  身份证号码: string;
  工作单位: string;
  所属行业: string;
  职务: string;
  技术等级: string;
  一线技能工作年限: string;
  联系电话: string;
  主要技术成果: string;
  主要事迹: string;
  单位意见: string;
  县级意见: string;
}

export type FormStyle = "labels over values" | "one-cell table" | "text box" | "symbol-font ticks";

/**
 * A filled 审批表 in one of the styles counties' files come in. Ticks: the 政治面貌 choices, 在岗 and
 * the conditions are boxes ticked (☑ typed, or in the symbol-font styles Wingdings glyphs and a
 * check-box field), the chosen ones being 中共党员, 是, and (一)(五).
 */
export function filledForm(v: FormValues, style: FormStyle): Uint8Array<ArrayBuffer> {
  const ticks =
    style === "symbol-font ticks"
      ? {
          party: w.p(w.sym("Wingdings", "F0FE"), "中共党员 ", w.sym("Wingdings", "F0A8"), "群众"),
          post: w.p(w.fontRun("Wingdings", "þ"), "是 ", w.fontRun("Wingdings", "¨"), "否"),
          conditions: [
            w.p(w.fontRun("Wingdings 2", "R"), "（一）重大发明革新"),
            w.p(w.checkBox(false), "（二）绝招绝技"),
            w.p(w.fontRun("Wingdings 2", "£"), "（三）推广先进技术"),
            w.p(w.checkBox(false), "（四）节能减排创新"),
            w.p(w.checkBox(true), "（五）传绝技带高徒"),
          ].join(""),
        }
      : {
          party: w.p("☑中共党员 □群众"),
          post: w.p("☑是　□否"),
          conditions: ["☑（一）重大发明革新", "□（二）绝招绝技", "□（三）推广先进技术", "□（四）节能减排创新", "☑（五）传绝技带高徒"]
            .map((t) => w.p(t))
            .join(""),
        };
  const opinionRows = [w.row(w.cell("单位意见"), w.cell(v.单位意见, { span: 4 })), w.row(w.cell("县（市、区）总工会意见"), w.cell(v.县级意见, { span: 4 }))];
  const tail = [
    w.row(w.cell("身份证号码"), w.cell(v.身份证号码, { span: 4 })),
    w.row(w.cell("工作单位"), w.cell(v.工作单位, { span: 2 }), w.cell("职务"), w.cell(v.职务)),
    w.row(w.cell("一线技能工作年限"), w.cell(v.一线技能工作年限), w.cell("是否仍在技能岗位"), w.cell(ticks.post, { span: 2 })),
    w.row(w.cell("联系电话"), w.cell(v.联系电话, { span: 4 })),
    w.row(w.cell("符合条件"), w.cell(ticks.conditions, { span: 4 })),
    w.row(w.cell("主要技术成果"), w.cell(v.主要技术成果, { span: 4 })),
    w.row(w.cell("主要事迹"), w.cell(v.主要事迹, { span: 4 })),
    ...opinionRows,
  ];
  if (style === "labels over values") {
    const table = w.table(
      w.row(w.cell("姓名"), w.cell("性别"), w.cell("出生年月"), w.cell("民族"), w.cell("照片", { merge: "restart" })),
      w.row(w.cell(v.姓名), w.cell(v.性别), w.cell(v.出生年月), w.cell(v.民族), w.cell("", { merge: "continue" })),
      w.row(w.cell("学历"), w.cell("政治面貌"), w.cell("技术等级"), w.cell("所属行业"), w.cell("", { merge: "continue" })),
      w.row(w.cell(v.学历), w.cell(ticks.party), w.cell(v.技术等级), w.cell(v.所属行业), w.cell("", { merge: "continue" })),
      ...tail,
    );
    return docxOf(w.p("“台州工匠”推荐审批表") + table);
  }
  // Label, value, label, value — the photo a picture in its own cell, merged down.
  const form = w.table(
    w.row(w.cell("姓　　名"), w.cell(v.姓名), w.cell("性　别"), w.cell(v.性别), w.cell(w.p(w.picture), { merge: "restart" })),
    w.row(w.cell("出生年月"), w.cell(v.出生年月), w.cell("民　族"), w.cell(v.民族), w.cell("", { merge: "continue" })),
    w.row(w.cell("文化程度"), w.cell(v.学历), w.cell("政治面貌"), w.cell(ticks.party), w.cell("", { merge: "continue" })),
    w.row(w.cell("技能等级"), w.cell(v.技术等级), w.cell("所属行业"), w.cell(v.所属行业), w.cell("", { merge: "continue" })),
    ...tail,
  );
  const title = w.p("“台州工匠”推荐审批表");
  if (style === "one-cell table") return docxOf(title + w.table(w.row(w.cell(form + "<w:p/>"))));
  if (style === "text box") return docxOf(title + w.p(w.textBox(form + "<w:p/>")) + w.p("（此表可复印）"));
  return docxOf(title + form);
}

/** A CSV as Excel writes it: quoted where needed, CRLF, in GBK (Chinese Windows) or UTF-8 with a BOM. */
export function csvOf(lines: unknown[][], encoding: "gbk" | "utf-8"): Uint8Array<ArrayBuffer> {
  const text = lines
    .map((line) =>
      line
        .map((v) => {
          const s = v === null || v === undefined ? "" : String(v);
          return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
        })
        .join(","),
    )
    .join("\r\n");
  return encoding === "gbk" ? gbk(text) : new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
}
