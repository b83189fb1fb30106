import ExcelJS from "exceljs";
import { fieldsRefused, type Refusal, type Result } from "~/lib/result";
import { ZodError } from "zod";
import { sql, type Insertable, type Selectable } from "kysely";
import type { DB, Tx } from "~db";
import type { Database as DBTables, NominationTable, Person } from "~db/types";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { auditRow, recordAudit, recordAudits, type AuditEntry } from "~/lib/audit.server";
import type { AuditTrail } from "~/lib/audit";
import { findCampaign, type Campaign } from "~/modules/campaigns/campaigns.server";
import { databaseAway, enqueue, type Job, type JobHandler } from "~/lib/jobs.server";
import { clearProgress, progressOf, progressReporter } from "~/lib/progress.server";
import { isRealDate, todayInTaizhou } from "~/lib/time";
import { nominationCode } from "~/modules/campaigns/stages";
import { maskIdNumber, maskPhone, normalisePhone, SEX_LABELS } from "~/modules/people/id-number";
import { decrypt, decryptLarge, encryptLarge, lookupHash } from "~/modules/people/pii.server";
import { checkEligibility, CONDITIONS, missingParts, quotaWarning } from "~/modules/nominations/eligibility";
import {
  canRecordOpinion,
  nominationEditRefusal,
  opinionRecord,
  personRefusal,
  planNominationWrite,
  type OpinionInput,
} from "~/modules/nominations/nominations.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { importNominationSchema, type NominationInput } from "~/modules/nominations/schema.server";
import {
  cleanText,
  compactText,
  detectFormat,
  findHeaderRow,
  headerName,
  idNumberCell,
  plainText,
  readTypedDate,
  readWorkbook,
  SMALL_UPLOAD_BYTES,
  SpreadsheetError,
  TOO_LARGE,
  unpackedBound,
  type Cell,
} from "~/lib/spreadsheet.server";
import { offThread } from "~/lib/off-thread.server";
import { keptAWhile } from "~/lib/memo.server";
import { parseInTurns, stringifyInTurns, turnTaker } from "~/lib/turns.server";
import { ACCEPTED, readEducation, readEthnicity, readPoliticalStatus, readSkillLevel } from "~/modules/people/spellings";
import { IMPORT_AUDIT, CHANNEL_LABELS, NOMINATION_AUDIT, OPINION_LABELS } from "~/modules/nominations/labels";
import { canEditPerson, canRevealPersonalData } from "~/modules/people/policy";
import { refuseNumberElsewhere } from "~/modules/people/lookup.server";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { PERSON_COLUMNS, planNewPerson, planPersonUpdate } from "~/modules/people/people.server";
import { guardPhoneChange } from "~/modules/people/phone-guard.server";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { personFormValues } from "~/modules/people/form-values";
import { nominationFormValues } from "~/modules/nominations/form-values";
import { pinnedUnit } from "~/auth/relation";

/** The 汇总表 columns, in export order; import finds them by name, wherever they are. */
const COLUMNS = {
  seq: { header: "序号", aliases: ["序号", "编号"] },
  name: { header: "姓名", aliases: ["姓名"] },
  sex: { header: "性别", aliases: ["性别"] },
  idNumber: { header: "身份证号码", aliases: ["身份证号码", "身份证号", "公民身份号码", "身份证"] },
  birthDate: { header: "出生日期", aliases: ["出生日期", "出生年月", "出生年月日"] },
  ethnicity: { header: "民族", aliases: ["民族"] },
  education: { header: "学历", aliases: ["学历", "文化程度", "最高学历"] },
  politicalStatus: { header: "政治面貌", aliases: ["政治面貌"] },
  employer: { header: "工作单位", aliases: ["工作单位", "单位", "所在单位"] },
  industry: { header: "所属行业", aliases: ["所属行业", "行业", "职业", "工种", "职业工种"] },
  position: { header: "职务", aliases: ["职务"] },
  title: { header: "职称", aliases: ["职称"] },
  skillLevel: { header: "技术等级", aliases: ["技术等级", "技能等级", "职业资格等级", "职业技能等级", "技术等级/职业资格"] },
  frontlineYears: { header: "一线技能工作年限", aliases: ["一线技能工作年限", "一线工作年限", "从事一线技能工作年限", "一线年限", "一线工龄", "技能工作年限"] },
  inSkillPost: { header: "是否仍在技能岗位", aliases: ["是否仍在技能岗位", "是否在技能岗位", "在技能岗位"] },
  conditions: { header: "符合条件", aliases: ["符合条件", "符合选树条件", "选树条件"] },
  teacherOrResearcher: { header: "是否教师或研究人员", aliases: ["是否教师或研究人员", "是否教师或专门研究人员"] },
  honors: { header: "已获荣誉", aliases: ["已获荣誉", "获得荣誉", "荣誉"] },
  achievements: { header: "主要技术成果", aliases: ["主要技术成果", "技术成果"] },
  deedsSummary: { header: "主要事迹", aliases: ["主要事迹", "事迹简介", "主要事迹简介"] },
  phone: { header: "联系电话", aliases: ["联系电话", "手机", "手机号码", "电话"] },
  county: { header: "所属县（市、区）", aliases: ["所属县", "所属县市区", "所在县市区", "所属地区"] },
  remarks: { header: "备注", aliases: ["备注", "备注说明"] },
  // Read, never written: one column some counties use for both (“温岭华科泵业有限公司 班组长”).
  employerAndPosition: { header: "工作单位及职务", aliases: ["工作单位及职务", "单位及职务", "工作单位和职务", "工作单位及职务职称", "工作单位职务"] },
} as const;

export type ColumnKey = keyof typeof COLUMNS;
type ExportKey = Exclude<ColumnKey, "employerAndPosition">;

const LABEL: Record<string, string> = {
  ...Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, v.header])),
  orgUnitId: "所属县（市、区）",
  nominatingUnitId: "推荐单位",
  channel: "推荐方式",
};

export const ALIASES = Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, [...v.aliases]])) as Record<ColumnKey, string[]>;

const YES = new Set(["是", "Y", "YES", "√", "✓", "✔", "1", "TRUE", "在岗", "是的", "仍在", "在"]);
const NO = new Set(["否", "N", "NO", "×", "✗", "✘", "0", "FALSE", "不在岗", "不是", "不在", "已离岗"]);
const CHINESE_DIGITS: Record<string, string> = { 一: "1", 二: "2", 三: "3", 四: "4", 五: "5" };

function yesNo(value: Cell): "yes" | "no" | undefined {
  const text = compactText(value).toUpperCase();
  if (YES.has(text)) return "yes";
  if (NO.has(text)) return "no";
  return undefined;
}

/** “一、五”, “（一）（五）”, “1,5”, “第二项” → ["1","5"] … */
function conditionList(value: Cell): string[] | { error: string } {
  const text = compactText(value);
  if (!text) return [];
  const digits = [...text].map((ch) => CHINESE_DIGITS[ch] ?? ch).filter((ch) => /\d/.test(ch));
  if (!digits.length || digits.some((d) => !CONDITIONS[Number(d)])) {
    return { error: `符合条件“${plainText(value).replace(/\s+/g, " ")}”无法识别，请填写（一）至（五）中的编号，如“一、五”` };
  }
  return [...new Set(digits)];
}

export interface ParsedRow {
  /** The row number as the spreadsheet shows it. */
  line: number;
  name: string;
  maskedId: string;
  errors: string[];
  /** 资格初审 matters the sheet already shows (the notice's words); the row still imports. */
  warnings: string[];
  /** Parts of the 推荐审批表 the row does not give: the nomination will be 待补全. */
  missing: string[];
  /** The row as form fields, ready for the same schema the web form uses. */
  form: Record<string, string | string[]> | null;
  /**
   * A row of our own export carries a masked number: it is matched to the nomination already on
   * file (by its 编号, or by name and masked number within the unit) when the batch is stored.
   */
  match?: { code: string; maskedId: string; form: Record<string, string | string[]> };
  /** A Word 审批表: its file name (shown instead of a line number) and the opinions it carries. */
  source?: string;
  opinions?: OpinionInput[];
  /** The 事迹材料 file that became this row's story, with its length. */
  storyFrom?: string;
}

/** A line of the sheet that is not a person, and why it was passed over. */
export interface SkippedLine {
  lines: string;
  reason: string;
}

export interface SummaryTable {
  rows: ParsedRow[];
  skipped: SkippedLine[];
  /** The 审批表's columns the sheet does not have: said once, not on every row. */
  missingColumns: string[];
  /** Further sheets with content, which are not read. */
  otherSheets: string[];
  /** The unit the file is filed under, when the sheet's own unit line said it. */
  unitId?: number;
}

export interface ImportTarget {
  /** 0 while the city has not chosen: the sheet's own unit line says it. */
  nominatingUnitId: number;
  kind: "county" | "social_group";
  /** County units by short name, for the person's unit on social-group imports. */
  counties: Array<{ id: number; short_name: string; name: string }>;
  /** Every unit that nominates, to read the sheet's “推荐单位（盖章）：…” line against. */
  units?: Array<{ id: number; short_name: string; name: string; kind: "county" | "social_group" }>;
  /** A county officer's own unit: a sheet naming another unit is refused, not filed under it. */
  fixed?: boolean;
}

const UNIT_LINE = /(推荐|填报|报送|申报)单位\s*(?:[（(]\s*(?:盖章|公章|章)\s*[)）])?\s*[:：]\s*(.*)$/;

/** The unit a sheet names above its header (“推荐单位（盖章）：温岭市总工会 填报日期：…”), as written. */
function unitLineOf(rows: Cell[][]): string | null {
  for (const row of rows) {
    const cells = row.map((c) => plainText(c).replace(/\s+/g, " "));
    for (let i = 0; i < cells.length; i++) {
      const m = cells[i].match(UNIT_LINE);
      if (!m) continue;
      const rest = m[2] || cells.slice(i + 1).find((c) => c && !/日期/.test(c)) || "";
      const name = rest
        .split(/\s{2,}|(?:填报|填表|报送)?日期/)[0]
        .replace(/[（(]\s*(?:盖章|公章|章)\s*[)）]/g, "")
        .trim();
      if (name) return name;
    }
  }
  return null;
}

/**
 * The target a sheet is filed under, by its own unit line: a county officer's list must be their
 * unit's; the city's goes to the unit it names (or, if the city chose one, must agree with it).
 */
function targetOfSheet(above: Cell[][], target: ImportTarget): ImportTarget {
  const named = unitLineOf(above);
  const key = named?.replace(/\s+/g, "") ?? "";
  const units = target.units ?? [];
  const unit = key
    ? (units.find((u) => u.name === key) ?? units.find((u) => key.startsWith(u.name)) ?? units.find((u) => key.startsWith(u.short_name)))
    : undefined;
  if (unit && unit.id !== target.nominatingUnitId) {
    if (target.fixed)
      throw new SpreadsheetError(`表中写明推荐单位为“${named}”，不是本单位：只能导入本单位的推荐名单，请核对文件；其他单位的名单请由该单位或市总工会导入`);
    if (target.nominatingUnitId) {
      throw new SpreadsheetError(`表中写明推荐单位为“${named}”，与所选的推荐单位不同：请选择“${unit.short_name}”后重新上传，或核对文件`);
    }
    return { ...target, nominatingUnitId: unit.id, kind: unit.kind };
  }
  if (!target.nominatingUnitId) throw new SpreadsheetError("请选择推荐单位：表中没有写明推荐单位（如“推荐单位（盖章）：温岭市总工会”）");
  return target;
}

function sexCode(value: Cell): string | undefined {
  const text = compactText(value);
  if (text === "男" || text.toUpperCase() === "M") return "M";
  if (text === "女" || text.toUpperCase() === "F") return "F";
  return text ? text : undefined;
}

/** The columns a county list may lack; the person's own (name, number, 民族…) it must have. */
const NOMINATION_PARTS: ColumnKey[] = ["frontlineYears", "inSkillPost", "conditions", "achievements", "deedsSummary"];

/** Lines that are the sheet's furniture, not people: totals, signers, notes. */
const FURNITURE: Array<[RegExp, string]> = [
  [/^(合计|总计|共计|小计)/, "合计行"],
  [/^(填表人|填报人|审核人|制表人|负责人|联系人|经办人|签字|签名)/, "签名栏"],
  [/^(联系电话|电话)[:：]/, "签名栏"],
  [/盖章|（章）|\(章\)/, "盖章栏"],
  [/^(填表日期|填报日期|制表日期|日期)[:：]/, "日期栏"],
  [/^(备注|说明|注)[:：\d一二三四五、.]/, "表后说明"],
];

const CHOICE_READERS = {
  ethnicity: { read: readEthnicity, accepted: ACCEPTED.ethnicity },
  education: { read: readEducation, accepted: ACCEPTED.education },
  politicalStatus: { read: readPoliticalStatus, accepted: ACCEPTED.politicalStatus },
  skillLevel: { read: readSkillLevel, accepted: ACCEPTED.skillLevel },
} as const;

const SCHOOL_OR_INSTITUTE = /(学校|学院|大学|中学|小学|技校|职校|职高|研究院|研究所|研究中心|科学院)/;
const TEACHER = /^(教师|讲师|教授|副教授|助教|老师|研究员|副研究员)$/;

/** What the sheet already says that 资格初审 will ask about: warnings, not reasons to refuse. */
function eligibilityHints(input: NominationInput): string[] {
  const hints: string[] = [];
  if (TEACHER.test(input.position) || SCHOOL_OR_INSTITUTE.test(input.employer)) {
    hints.push("职务为教师或研究人员，或工作单位是学校、科研院所：各级各类学校教师及专门研究人员不在选树之列，请核实");
  }
  const result = checkEligibility(input);
  return [...hints, ...result.problems, ...result.warnings];
}

/** How a cell reads in a message: as the clerk typed it (（）, full-width digits), spaces collapsed. */
const shown = (value: Cell) => plainText(value).replace(/\s+/g, " ");

/** “大专（函授）”, “高级技师（一级）”: the choice, and the words in brackets after it. */
function withQualifier(text: string): { base: string; qualifier: string } | null {
  const m = text.match(/^(.+?)[（(]([^（）()]+)[)）]$/);
  return m ? { base: m[1], qualifier: m[2] } : null;
}

/** Where a name ends and a post begins in “工作单位及职务”: a separator, or the end of the unit's own word. */
export function splitEmployerAndPosition(text: string): { employer: string; position: string } {
  const t = text.trim();
  const separated = t.match(/^(.+?)\s*(?:[\s/／、，,；;|]|——|--)\s*([^\s/／、，,；;|]+)$/);
  if (separated) return { employer: separated[1].trim(), position: separated[2].trim() };
  const bracketed = t.match(/^(.+?)[（(]([^（）()]+)[)）]$/);
  if (bracketed) return { employer: bracketed[1].trim(), position: bracketed[2].trim() };
  let end = -1;
  for (const m of t.matchAll(
    /(有限责任公司|股份有限公司|有限公司|分公司|集团|公司|工厂|厂|医院|学校|研究院|研究所|中心|银行|支行|分行|站|局|店|社|馆|队|所|院)/g,
  )) {
    end = m.index + m[0].length;
  }
  return end > 0 && end < t.length ? { employer: t.slice(0, end), position: t.slice(end) } : { employer: t, position: "" };
}

export interface RowOptions {
  /** The column is 出生年月: a date cell's day is Excel's filler, compared at month precision. */
  birthByMonth?: boolean;
  /** The file is a CSV: what Excel wrote there from a number cell cannot be told from text. */
  csv?: boolean;
}

/** Form keys that are the import's own, not something the file says about the person. */
const META_KEYS = new Set(["channel", "nominatingUnitId", "orgUnitId", "existingId"]);

/** The form keys a row's file gave a value for (a “否” counts: it is an answer). */
export const givenFields = (form: Record<string, string | string[]>) => Object.keys(form).filter((k) => !META_KEYS.has(k));

/** The row's form as the schema reads it: a “否” for 教师或研究人员 is the checkbox left off. */
export function schemaInput(form: Record<string, string | string[]>): Record<string, string | string[]> {
  const { teacherOrResearcher, ...rest } = form;
  return teacherOrResearcher === "on" ? { ...rest, teacherOrResearcher } : rest;
}

/**
 * One person's row, whatever it came from (a sheet's line, a Word form's cells): identity fields
 * folded and checked, free text kept, the nomination's parts taken as far as they are given. The
 * form holds only what the file gives: what it leaves blank is no answer, and never blanks what
 * the record already holds (see planRow). Fields the file does not give that a new person
 * needs are asked for when the batch is checked against the records.
 */
export function readPersonRow(
  at: (key: ColumnKey) => Cell,
  line: number,
  target: ImportTarget,
  seen: Map<string, number>,
  options: RowOptions = {},
): ParsedRow {
  const name = compactText(at("name"));
  const rawId = at("idNumber");
  const errors: string[] = [];
  // Fields whose cell was already explained; the schema's generic message would repeat it.
  const explained = new Set<string>();
  const form: Record<string, string | string[]> = {
    channel: target.kind === "social_group" ? "social_group" : "union",
    nominatingUnitId: String(target.nominatingUnitId),
  };
  const remarks: string[] = [];
  const id = idNumberCell(rawId, options);
  if (id.ok) form.idNumber = id.value;
  else {
    errors.push(`身份证号码：${id.message}`);
    explained.add("idNumber");
  }
  if (name) form.name = name;

  // Free text is kept as written (punctuation, paragraphs); only identity fields are folded.
  for (const key of ["employer", "industry", "position", "title", "honors", "achievements", "deedsSummary"] as const) {
    const text = plainText(at(key));
    if (text) form[key] = key === "honors" || key === "achievements" || key === "deedsSummary" ? text : text.replace(/\s+/g, " ");
  }
  const combined = plainText(at("employerAndPosition")).replace(/\s+/g, " ");
  if (combined) {
    const split = splitEmployerAndPosition(combined);
    form.employer ??= split.employer;
    if (split.position) form.position ??= split.position;
  }
  // A masked phone (our own export) says nothing new: the stored number stays.
  const phone = plainText(at("phone"));
  if (phone && !phone.includes("*")) form.phone = phone.normalize("NFKC").replace(/\s+/g, "");
  for (const [key, { read, accepted }] of Object.entries(CHOICE_READERS) as Array<
    [keyof typeof CHOICE_READERS, (typeof CHOICE_READERS)[keyof typeof CHOICE_READERS]]
  >) {
    const text = compactText(at(key));
    if (!text) continue;
    const qualified = withQualifier(text);
    const choice = read(text) ?? (qualified ? read(qualified.base) : null);
    if (choice) {
      form[key] = choice;
      // The level is read; what the brackets add is kept, in the clerk's words, on the nomination.
      if (!read(text)) remarks.push(`${COLUMNS[key].header}：${shown(at(key))}`);
    } else {
      errors.push(`${COLUMNS[key].header}：“${shown(at(key))}”无法识别，可填写${accepted}`);
      explained.add(key);
    }
  }

  const sex = sexCode(at("sex"));
  const idText = id.ok ? id.value.normalize("NFKC").toUpperCase() : "";
  const idBirth = /^\d{17}[\dX]$/.test(idText) ? `${idText.slice(6, 10)}-${idText.slice(10, 12)}-${idText.slice(12, 14)}` : null;
  const birthCell = at("birthDate");
  let birth = readTypedDate(birthCell);
  // 出生年月 in a date cell: Excel keeps a day (the 1st) the clerk never gave.
  if (birth?.ok && birth.full && options.birthByMonth && birthCell instanceof Date) birth = readTypedDate(birth.full.slice(0, 7));
  if (birth && !birth.ok) {
    errors.push(`${COLUMNS.birthDate.header}：${birth.message}`);
    explained.add("birthDate");
  } else if (birth?.ok && idBirth && !birth.agrees(idBirth)) {
    errors.push(`${COLUMNS.birthDate.header}：表中为 ${birth.shown}，与身份证号码中的出生日期 ${idBirth} 不一致，请核对后改正其中之一`);
    explained.add("birthDate");
    explained.add("idNumber");
  }
  // Sex and birth date may be left out or given as a month: the ID number says them in full.
  const derivedSex = sex ?? (idBirth ? (Number(idText[16]) % 2 ? "M" : "F") : undefined);
  if (derivedSex) form.sex = derivedSex;
  const birthDate = idBirth ?? (birth?.ok && birth.full ? birth.full : undefined);
  if (birthDate) form.birthDate = birthDate;
  // Without a readable number there is nothing to derive them from: the number's own error says it.
  if (!idBirth) {
    explained.add("sex");
    explained.add("birthDate");
  }

  const years = compactText(at("frontlineYears")).replace(/年$/, "");
  if (years) form.frontlineYears = years;
  const post = at("inSkillPost");
  if (compactText(post)) {
    const answer = yesNo(post);
    if (answer) form.inSkillPost = answer;
    else {
      errors.push(`是否仍在技能岗位：请填写“是”或“否”（表中为“${shown(post)}”）`);
      explained.add("inSkillPost");
    }
  }
  const teacher = yesNo(at("teacherOrResearcher"));
  if (teacher) form.teacherOrResearcher = teacher === "yes" ? "on" : "no";
  const conditions = conditionList(at("conditions"));
  if ("error" in conditions) {
    errors.push(conditions.error);
    explained.add("conditions");
  } else if (conditions.length) form.conditions = conditions;
  const note = plainText(at("remarks"));
  if (note) remarks.unshift(note);
  if (remarks.length) form.remarks = remarks.join("\n");

  if (target.kind === "county") form.orgUnitId = String(target.nominatingUnitId);
  else {
    const county = compactText(at("county"));
    const unit = target.counties.find((c) => county && (c.short_name === county || c.name === county || c.name.startsWith(county)));
    if (unit) form.orgUnitId = String(unit.id);
    else errors.push(county ? `所属县（市、区）“${shown(at("county"))}”不是台州市的县级单位` : "社会团体推荐须填写所属县（市、区）");
  }

  // Only what the file gives is checked here; a field it leaves blank is asked for, if the
  // record does not hold it either, when the batch is checked against the records.
  const given = new Set(givenFields(form));
  const result = importNominationSchema.safeParse(schemaInput(form));
  let complete = result.success;
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "");
      if (!given.has(field) && field !== "idNumber") {
        complete = false;
        continue;
      }
      if (explained.has(field)) continue;
      // Quoting the cell helps find it; never a whole ID or phone number (the preview masks them).
      const quoted = field === "idNumber" || field === "phone" ? "" : `（表中为“${shown(at(field as ColumnKey))}”）`;
      errors.push(`${LABEL[field] ?? field}：${issue.message}${quoted}`);
    }
  }
  const normalisedId = idText.length === 18 ? idText : "";
  if (normalisedId) {
    const earlier = seen.get(normalisedId);
    if (earlier) errors.push(`身份证号码与第 ${earlier} 行重复`);
    else seen.set(normalisedId, line);
  }
  const valid = !errors.length;
  const maskedNumber = compactText(rawId).includes("*") ? compactText(rawId) : null;
  if (maskedNumber && errors.length === 1 && explained.has("idNumber") && [...explained].every((f) => f === "idNumber" || f === "sex" || f === "birthDate")) {
    return {
      line,
      name: name || "（未填姓名）",
      maskedId: maskedNumber,
      errors,
      warnings: [],
      missing: [],
      form: null,
      match: { code: compactText(at("seq")), maskedId: maskedNumber, form },
    };
  }
  const data = complete && result.success ? result.data : null;
  return {
    line,
    name: name || "（未填姓名）",
    maskedId: normalisedId ? maskIdNumber(normalisedId) : shown(rawId).slice(0, 4) + "…",
    errors: [...new Set(errors)],
    // What the file alone shows; the check against the records says it again for the merged record.
    warnings: valid && data ? eligibilityHints(data) : [],
    missing: valid && data ? missingParts(data) : [],
    form: valid ? form : null,
  };
}

/**
 * The sheet read in the worker thread, handed back as text with a row per line (stringifyInTurns): a message's
 * objects are unpacked on the receiving thread in one block — 10,000 rows held every other request on the server's
 * thread for a fifth of a second — while text crosses as one copy and is read here a slice at a time.
 */
export const summaryTableTextOffThread = offThread(
  "summary-table.parse",
  async ({ bytes, target }: { bytes: Uint8Array; target: ImportTarget }) => stringifyInTurns({ ...(await parseSummaryTable(bytes, target)) }, "rows"),
  { expected: [SpreadsheetError], crashed: TOO_LARGE, small: ({ bytes }) => unpackedBound(bytes) <= SMALL_UPLOAD_BYTES },
);

/** The same, in the worker thread: reading thousands of rows must not hold up other users' pages. */
export async function parseSummaryTableOffThread(input: { bytes: Uint8Array; target: ImportTarget }): Promise<SummaryTable> {
  return parseInTurns<SummaryTable>(await summaryTableTextOffThread(input));
}

export async function parseSummaryTable(bytes: Uint8Array, chosen: ImportTarget): Promise<SummaryTable> {
  const csv = detectFormat(bytes) === "csv";
  const { rows, otherSheets } = await readWorkbook(bytes);
  const header = findHeaderRow(rows, ALIASES, ["name", "idNumber"]);
  if (!header) throw new SpreadsheetError("找不到表头：表格中需要有“姓名”和“身份证号码”两列");
  const { dataStart, columns } = header;
  const target = targetOfSheet(rows.slice(0, header.headerIndex), chosen);
  const headerNames = [rows[header.headerIndex], rows[dataStart - 1]].map((r) => (columns.birthDate === undefined ? "" : headerName(r[columns.birthDate])));
  const options: RowOptions = { csv, birthByMonth: !headerNames.includes("出生日期") && headerNames.some((n) => n === "出生年月") };
  const at = (row: Cell[], key: ColumnKey): Cell => {
    const index = columns[key];
    return index === undefined ? null : (row[index] ?? null);
  };
  const missingColumns = NOMINATION_PARTS.filter((k) => columns[k] === undefined).map((k) => COLUMNS[k].header);
  const parsed: ParsedRow[] = [];
  const skipped: SkippedLine[] = [];
  const skip = (line: number, reason: string) => {
    const last = skipped.at(-1);
    const range = last?.reason === reason ? last.lines.match(/^(\d+)(?:–(\d+))?$/) : null;
    // Runs of blank lines are one entry: "第 30–200 行".
    if (range && reason === "空行" && Number(range[2] ?? range[1]) === line - 1) last!.lines = `${range[1]}–${line}`;
    else skipped.push({ lines: String(line), reason });
  };
  const seen = new Map<string, number>();
  // The title and the unit/date lines above the header are the sheet's, not people.
  for (let r = 0; r < header.headerIndex; r++) if (rows[r].some((c) => cleanText(c))) skip(r + 1, "表头上方的标题或填报说明");

  for (let r = dataStart; r < rows.length; r++) {
    const row = rows[r];
    const line = r + 1;
    const cells = row.map((c) => cleanText(c)).filter(Boolean);
    if (!cells.length) {
      skip(line, "空行");
      continue;
    }
    const name = compactText(at(row, "name"));
    const rawId = at(row, "idNumber");
    const idLooking = /[\dXx*]{15,}/.test(compactText(rawId)) || typeof rawId === "number";
    if (!idLooking) {
      const first = cells[0];
      const furniture = FURNITURE.find(([pattern]) => cells.some((c) => pattern.test(c)) || pattern.test(first));
      if (furniture) {
        skip(line, furniture[1]);
        continue;
      }
      if (name === "姓名" || cells.every((c) => Object.values(ALIASES).some((list) => list.includes(headerName(c))))) {
        skip(line, "重复的表头");
        continue;
      }
      // One cell in a row that gives no number: a note or a sub-heading, not a person.
      if (cells.length === 1 || !name) {
        skip(line, "表中说明文字");
        continue;
      }
    }

    parsed.push(readPersonRow((key) => at(row, key), line, target, seen, options));
  }
  if (parsed.length === 0) throw new SpreadsheetError("表头下面没有人员数据行");
  return { rows: parsed, skipped, missingColumns, otherSheets, unitId: target.nominatingUnitId };
}

/**
 * Stores the parsed sheet for preview. A row whose number belongs to someone outside the officer's
 * scope is refused here, once, at the cost of one exact lookup each (see refuseNumberElsewhere),
 * so that neither the preview nor the commit says more about that person; rows of our own export
 * are matched to the nominations they came from.
 */
export async function createImportBatch(
  db: DB,
  actor: SessionUser,
  campaign: Campaign,
  unitId: number,
  filename: string,
  table: SummaryTable,
  today = todayInTaizhou(),
) {
  const batchId = await db.transaction().execute(async (tx) => {
    const rows = await matchOwnExport(tx, campaign, unitId, await refuseRowsOfOthers(tx, actor, table.rows));
    const row = await tx
      .insertInto("import_batch")
      .values({
        campaign_id: campaign.id,
        org_unit_id: unitId,
        uploaded_by: actor.id,
        filename: filename.slice(0, 200),
        rows_cipher: await encryptLarge(await stringifyInTurns({ ...table, rows }, "rows")),
        row_count: rows.length,
        error_count: rows.filter((r) => r.errors.length).length,
        status: "checking",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await enqueue(tx, "import.check", { batchId: row.id, actor }, { maxAttempts: 3 });
    return row.id;
  });
  // The job stays queued: if this request fails midway, it does the check; once done here, it finds nothing to do.
  if (table.rows.length <= CHECK_AT_ONCE_ROWS) {
    const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).executeTakeFirstOrThrow();
    try {
      await checkBatch(db, { batch, actor, campaign }, today);
    } catch (error) {
      // The database away: the queued job checks it when it is back. Bad data: the batch ends as
      // failed with the reason, as the job would end it — the upload itself is no 500.
      if (databaseAway(error)) return batchId;
      console.error("逐行核对出错：", error);
      await endFailed(db, batchId, "checking", "逐行核对", failureReason(error));
    }
  }
  return batchId;
}

async function refuseRowsOfOthers(tx: Tx, actor: SessionUser, rows: ParsedRow[]): Promise<ParsedRow[]> {
  const idOf = (r: ParsedRow) => String(r.form!.idNumber).toUpperCase();
  // 10,000 keyed hashes are 40 ms of the server's thread: taken in turns with other requests.
  const hashOf = new Map<ParsedRow, string>();
  const turn = turnTaker();
  for (const r of rows) {
    if (!r.form) continue;
    hashOf.set(r, lookupHash(idOf(r)));
    await turn();
  }
  if (!hashOf.size) return rows;
  // One array parameter, not one parameter per row: a 10,000-row sheet is one small statement.
  const people = await tx
    .selectFrom("person")
    .select(["id", "org_unit_id", "id_number_hash"])
    .where("id_number_hash", "=", sql<string>`any(${[...hashOf.values()]}::text[])`)
    .execute();
  const others = new Set(people.filter((p) => !canEditPerson(actor, p)).map((p) => p.id_number_hash));
  if (!others.size) return rows;
  const checked: ParsedRow[] = [];
  for (const r of rows) {
    if (!r.form || !others.has(hashOf.get(r)!)) checked.push(r);
    else checked.push({ ...r, form: null, errors: [(await refuseNumberElsewhere(tx, actor, idOf(r), "导入汇总表")).message] });
  }
  return checked;
}

/** Rows with a masked number, found again among the unit's nominations of this campaign. */
async function matchOwnExport(tx: Tx, campaign: Campaign, unitId: number, rows: ParsedRow[]): Promise<ParsedRow[]> {
  if (!rows.some((r) => r.match)) return rows;
  const filed = await tx
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["nomination.id", "nomination.seq", "person.name", "person.id_number_masked", "person.sex", "person.birth_date"])
    .where("nomination.campaign_id", "=", campaign.id)
    .where("nomination.nominating_unit_id", "=", unitId)
    .execute();
  return rows.map((r) => {
    if (!r.match) return r;
    const { code, maskedId, form } = r.match;
    const numbered = code ? filed.find((n) => code === nominationCode(campaign.number, n.seq)) : undefined;
    // A 序号 that is another nominee's: which record the row means is unclear (a row copied and renamed, a 序号
    // mistyped), and neither may be written from it.
    if (numbered && numbered.name !== form.name) {
      return { ...r, match: undefined, errors: [`序号：${code} 是本单位另一位人选的编号，与此行姓名不符，请核对序号和姓名`] };
    }
    // Without its 编号, the row names its person by name and masked number, narrowed by the sex and birth date it
    // gives; two nominees alike in all of them cannot be told apart, and guessing would write to the wrong record.
    const alike = numbered
      ? [numbered]
      : filed.filter(
          (n) =>
            n.name === form.name &&
            n.id_number_masked === maskedId &&
            (!form.sex || form.sex === n.sex) &&
            (!form.birthDate || form.birthDate === n.birth_date),
        );
    if (alike.length > 1) {
      return {
        ...r,
        match: undefined,
        errors: [`身份证号码：本单位本届推荐中有 ${alike.length} 位人选姓名和打码后的号码都与此行相同，无法确定是哪一位，请填写完整号码，或保留导出表中的序号`],
      };
    }
    const [found] = alike;
    if (!found) {
      return { ...r, match: undefined, errors: ["身份证号码：身份证号码是打码后的号码，且本单位本届推荐中没有对应的人选，请填写完整号码"] };
    }
    const matched = { ...form, sex: found.sex, birthDate: found.birth_date, existingId: String(found.id) };
    const given = new Set(givenFields(matched));
    const result = importNominationSchema.safeParse(schemaInput(matched));
    // As for any row, only what the file gives is checked here; the rest is the record's.
    const issues = result.success ? [] : result.error.issues.filter((i) => given.has(String(i.path[0])));
    if (issues.length) return { ...r, match: undefined, errors: issues.map((i) => `${LABEL[String(i.path[0])] ?? i.path[0]}：${i.message}`) };
    const data = result.success ? result.data : null;
    return { ...r, match: undefined, errors: [], form: matched, warnings: data ? eligibilityHints(data) : [], missing: data ? missingParts(data) : [] };
  });
}

/** A stored ciphertext's version, nonce and tag (null: none stored): new with every encryption, so it names what it holds. */
const cipherKey = (column: "rows_cipher" | "notes_cipher") =>
  sql<string | null>`split_part(${sql.ref(column)}, ':', 1) || ':' || split_part(${sql.ref(column)}, ':', 2) || ':' || split_part(${sql.ref(column)}, ':', 3)`;

/**
 * A batch as its page shows it. The page is read again and again (polled for the progress while the
 * check and the commit run, then paged through), and a county's file of 10,000 rows is megabytes to
 * fetch, decrypt and parse: the stored rows and check are read once per process and kept a while by
 * their ciphertext's key (a new check is a new key), not at every poll.
 */
export async function findImportBatch(db: DB, actor: SessionUser, campaignId: number, batchId: number) {
  const batch = await db
    .selectFrom("import_batch")
    .select([
      "id",
      "campaign_id",
      "org_unit_id",
      "uploaded_by",
      "filename",
      "row_count",
      "error_count",
      "status",
      "summary",
      "created_at",
      "committed_at",
      "checked_at",
      "failure",
      "confirmed_at",
      cipherKey("rows_cipher").as("rows_key"),
      cipherKey("notes_cipher").as("check_key"),
    ])
    .where("id", "=", batchId)
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  // A batch holds personal data: only the officer who uploaded it (or the city) opens it.
  if (!batch || (!isCityAdmin(actor) && batch.uploaded_by !== actor.id)) return null;
  const working = batch.status === "checking" || batch.status === "committing";
  const { rows_key, check_key, ...shown } = batch;
  const stored = async (column: "rows_cipher" | "notes_cipher") =>
    (await db.selectFrom("import_batch").select(column).where("id", "=", batch.id).executeTakeFirstOrThrow())[column];
  const [table, check] = await Promise.all([
    keptAWhile(`import-rows:${batch.id}:${rows_key}`, async () => storedTable((await stored("rows_cipher"))!), KEPT),
    check_key ? keptAWhile(`import-check:${batch.id}:${check_key}`, async () => storedCheck(await stored("notes_cipher")), KEPT) : storedCheck(null),
  ]);
  return {
    ...shown,
    table,
    check,
    failure: batch.failure as CommitFailure | null,
    progress: working ? await progressOf(db, progressKey(batch.id)) : null,
  };
}

/** Parsed batches kept per process: a few officers' previews at once, for as long as one is looked at. */
const KEPT = { limit: 4, ms: 10 * 60_000 };

const progressKey = (batchId: number) => `import:${batchId}`;

/** Batches stored before the sheet's own findings were kept hold their rows alone. */
async function storedTable(cipher: string): Promise<SummaryTable> {
  const stored = await parseInTurns<SummaryTable | ParsedRow[]>(await decryptLarge(cipher));
  return Array.isArray(stored) ? { rows: stored, skipped: [], missingColumns: [], otherSheets: [] } : stored;
}

/** One field an import would change, or that the file gives otherwise than the record: as shown to the officer. */
export interface FieldChange {
  field: string;
  label: string;
  was: string;
  will: string;
}

/** What checking a row against the records found: what committing it would do, or why it cannot. */
export type RowOutcome =
  | { ok: true; change: "created" | "updated" | "unchanged"; changes: FieldChange[]; conflicts: FieldChange[]; warnings: string[]; missing: string[] }
  | { ok: false; errors: string[] };

/** The unit's nominations against its quota, as the batch would leave them. */
export interface QuotaStatement {
  unit: string;
  before: number;
  after: number;
  quota: number;
}

export interface BatchCheck {
  rows: Map<number, RowOutcome>;
  quota: QuotaStatement | null;
}

async function storedCheck(cipher: string | null): Promise<BatchCheck> {
  if (!cipher) return { rows: new Map(), quota: null };
  const stored = (await parseInTurns(await decryptLarge(cipher))) as
    { rows: Array<[number, RowOutcome]>; quota: QuotaStatement | null } | Array<[number, string]>;
  // A check stored before outcomes were kept said only a word per row (or why it could not be written).
  if (Array.isArray(stored)) {
    const legacy = { 将新增推荐: "created", 将按表格更新: "updated", 无变化: "unchanged" } as const;
    const outcome = (note: string): RowOutcome =>
      note in legacy
        ? { ok: true, change: legacy[note as keyof typeof legacy], changes: [], conflicts: [], warnings: [], missing: [] }
        : { ok: false, errors: [note] };
    return { rows: new Map(stored.map(([line, note]) => [line, outcome(note)])), quota: null };
  }
  return { rows: new Map(stored.rows), quota: stored.quota };
}

/** Rows of a preview page: a sheet of thousands is read a hundred at a time. */
export const PREVIEW_PAGE_SIZE = 100;

/**
 * What the preview page shows of a batch: the counts, one page of rows (only what the table shows:
 * never the full numbers) with what committing would change, and, while the job queue works on
 * it, how far it has got.
 */
export function previewOf(batch: NonNullable<Awaited<ReturnType<typeof findImportBatch>>>, query: { page?: number; show?: "problems" }) {
  const { table, check } = batch;
  const outcomeOf = (r: ParsedRow) => (r.form ? (check.rows.get(r.line) ?? null) : null);
  const writable = (r: ParsedRow) => !!r.form && outcomeOf(r)?.ok !== false;
  const valid = table.rows.filter(writable).length;
  const chosen = query.show === "problems" ? table.rows.filter((r) => !writable(r)) : table.rows;
  const pages = Math.max(1, Math.ceil(chosen.length / PREVIEW_PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pages);
  const rows = chosen.slice((page - 1) * PREVIEW_PAGE_SIZE, page * PREVIEW_PAGE_SIZE).map((r) => {
    const outcome = outcomeOf(r);
    const checked = outcome?.ok ? outcome : null;
    return {
      line: r.line,
      source: r.source ?? null,
      storyFrom: r.storyFrom ?? null,
      name: r.name,
      maskedId: r.maskedId,
      errors: outcome && !outcome.ok ? outcome.errors : r.errors,
      // Once checked against the records, what the commit will store; before, what the file alone shows.
      warnings: checked ? checked.warnings : (r.warnings ?? []),
      missing: checked ? checked.missing : (r.missing ?? []),
      valid: writable(r),
      note: checked ? CHANGE_NOTES[checked.change] : null,
      changes: checked?.changes ?? [],
      conflicts: checked?.conflicts ?? [],
    };
  });
  return {
    batch: {
      id: batch.id,
      filename: batch.filename,
      status: batch.status,
      summary: batch.summary as Record<string, number> | null,
      failure: batch.failure,
      checkedAt: batch.checked_at,
      progress: batch.status === "checking" || batch.status === "committing" ? { done: batch.progress?.done ?? 0, total: table.rows.length } : null,
    },
    counts: {
      all: table.rows.length,
      valid,
      invalid: table.rows.length - valid,
      incomplete: table.rows.filter((r) => writable(r) && ((outcomeOf(r) as { missing?: string[] } | null)?.missing ?? r.missing).length).length,
      conflicts: table.rows.filter((r) => writable(r) && ((outcomeOf(r) as { conflicts?: FieldChange[] } | null)?.conflicts ?? []).length).length,
    },
    quota: check.quota,
    rows: { rows, total: chosen.length, page, pageSize: PREVIEW_PAGE_SIZE },
    fromFiles: table.rows.some((r) => r.source),
    skipped: table.skipped,
    missingColumns: table.missingColumns,
    otherSheets: table.otherSheets,
  };
}

const CHANGE_NOTES = { created: "将新增推荐", updated: "将更新", unchanged: "无变化" } as const;

/** Rolls a dry run back: what `work` finds, with nothing it wrote kept. */
class DryRun extends Error {
  constructor() {
    super("dry run");
  }
}

/** What `work` finds in a transaction that is then rolled back. */
async function rolledBack<T>(db: DB, work: (tx: Tx) => Promise<T>): Promise<T> {
  let found: { value: T } | undefined;
  try {
    await db.transaction().execute(async (tx) => {
      found = { value: await work(tx) };
      throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return found!.value;
}

/** What one import writes with: the file's name for the history, the officer's choices, the unit's running count. */
interface ImportContext {
  filename: string;
  /** "line:field" for each conflicting value the officer chose to take from the file. */
  take: Set<string>;
  unit: { name: string; kind: string; count: number };
}

async function importContext(q: DB | Tx, campaign: Campaign, unitId: number, filename: string, take: string[]): Promise<ImportContext> {
  const unit = await q.selectFrom("org_unit").select(["short_name", "kind"]).where("id", "=", unitId).executeTakeFirstOrThrow();
  const { n } = await q
    .selectFrom("nomination")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaign.id)
    .where("nominating_unit_id", "=", unitId)
    .executeTakeFirstOrThrow();
  return { filename, take: new Set(take), unit: { name: unit.short_name, kind: unit.kind, count: Number(n) } };
}

/** Rows whose records are read with one statement per table (people, nominations, opinions), and written so. */
const IMPORT_BATCH_ROWS = 1000;

type OpinionHeld = ReturnType<typeof opinionRecord> & { kind: OpinionInput["kind"] };
type ImportWarnings = string[];

/**
 * The records an import touches, as the database holds them and as the rows before the current one
 * leave them: a later row naming the same person (a row of our own export and one with the full
 * number, or the same exported row twice) finds what the earlier rows would write. Records an
 * earlier row creates have negative ids until they are inserted. What is to be written is kept
 * beside: which records changed, and the history rows in the order the rows wrote them.
 */
class ImportState {
  /** null: looked up and not on record. */
  readonly personByHash = new Map<string, Person | null>();
  readonly personById = new Map<number, Person>();
  readonly nominationById = new Map<number, NominationRecord | null>();
  /** The person's nomination in this campaign; null: looked up, none. */
  readonly nominationOfPerson = new Map<number, NominationRecord | null>();
  readonly opinions = new Map<number, OpinionHeld[]>();
  private nextId = -1;

  readonly newPersons: number[] = [];
  readonly changedPersons = new Set<number>();
  readonly newNominations: number[] = [];
  /** Nominations to update, and whether their content changed (updated_at) or only the check's warnings. */
  readonly changedNominations = new Map<number, { content: boolean }>();
  readonly changedOpinions = new Map<string, { nominationId: number; opinion: OpinionHeld }>();
  /** The history, in order; a phone changed on someone else's record is told by guardPhoneChange at its place. */
  readonly history: Array<{ row: Insertable<DBTables["audit_log"]> } | { phoneOf: Person; phone: string }> = [];

  constructor(readonly campaignId: number) {}

  hold(person: Person): void {
    if (this.personById.has(person.id)) return;
    this.personById.set(person.id, person);
    this.personByHash.set(person.id_number_hash, person);
  }

  holdNomination(nomination: NominationRecord): void {
    if (!this.nominationById.get(nomination.id)) this.nominationById.set(nomination.id, nomination);
    if (nomination.campaign_id === this.campaignId && !this.nominationOfPerson.get(nomination.person_id)) {
      this.nominationOfPerson.set(nomination.person_id, nomination);
    }
  }

  setPerson(person: Person, isNew: boolean): void {
    this.personById.set(person.id, person);
    this.personByHash.set(person.id_number_hash, person);
    if (!isNew && person.id > 0) this.changedPersons.add(person.id);
  }

  setNomination(nomination: NominationRecord, content: boolean): void {
    this.nominationById.set(nomination.id, nomination);
    this.nominationOfPerson.set(nomination.person_id, nomination);
    if (nomination.id > 0) this.changedNominations.set(nomination.id, { content: content || !!this.changedNominations.get(nomination.id)?.content });
  }

  newId(): number {
    return this.nextId--;
  }
}

const existingIdOf = (row: ParsedRow) => Number(row.form!.existingId) || 0;
/** The reading of a row's number the lookup uses. */
const numberHashOf = (row: ParsedRow) => lookupHash(String(row.form!.idNumber).normalize("NFKC").toUpperCase());
const byNumber = (row: ParsedRow) => !existingIdOf(row) && typeof row.form!.idNumber === "string";
const unique = <T>(list: T[]) => [...new Set(list)];

/**
 * The records a batch of rows touches, a statement per table whatever the number of rows; those the
 * state already holds are not read again (an earlier row may have changed them). The commit locks
 * the people it reads, as the one-row path does.
 */
async function loadRecords(q: DB | Tx, state: ImportState, rows: ParsedRow[], lock: boolean): Promise<void> {
  const byNomination = unique(rows.map(existingIdOf).filter((id) => id && !state.nominationById.has(id)));
  if (byNomination.length) {
    const found = await q
      .selectFrom("nomination")
      .selectAll()
      .where("id", "=", sql<number>`any(${byNomination}::int[])`)
      .execute();
    for (const id of byNomination) state.nominationById.set(id, null);
    for (const n of found) state.holdNomination(n);
  }
  const hashes = unique(rows.filter(byNumber).map(numberHashOf)).filter((h) => !state.personByHash.has(h));
  const personIds = unique(byNomination.map((id) => state.nominationById.get(id)?.person_id ?? 0)).filter((id) => id && !state.personById.has(id));
  if (hashes.length || personIds.length) {
    const query = q
      .selectFrom("person")
      .selectAll()
      .where((eb) => eb.or([eb("id_number_hash", "=", sql<string>`any(${hashes}::text[])`), eb("id", "=", sql<number>`any(${personIds}::int[])`)]));
    const found = await (lock ? query.forUpdate() : query).execute();
    for (const h of hashes) state.personByHash.set(h, null);
    for (const p of found) state.hold(p);
  }
  const unasked = unique(hashes.map((h) => state.personByHash.get(h)?.id ?? 0)).filter((id) => id && !state.nominationOfPerson.has(id));
  if (unasked.length) {
    const found = await q
      .selectFrom("nomination")
      .selectAll()
      .where("campaign_id", "=", state.campaignId)
      .where("person_id", "=", sql<number>`any(${unasked}::int[])`)
      .execute();
    for (const id of unasked) state.nominationOfPerson.set(id, null);
    for (const n of found) state.holdNomination(n);
  }
  const nominationIds = unique(
    rows.map((row) => {
      if (!byNumber(row)) return state.nominationById.get(existingIdOf(row))?.id ?? 0;
      const person = state.personByHash.get(numberHashOf(row));
      return person ? (state.nominationOfPerson.get(person.id)?.id ?? 0) : 0;
    }),
  ).filter((id) => id > 0 && !state.opinions.has(id));
  if (nominationIds.length) {
    const found = await q
      .selectFrom("nomination_opinion")
      .select(["nomination_id", "kind", "text", "signer", "signed_on"])
      .where("nomination_id", "=", sql<number>`any(${nominationIds}::int[])`)
      .execute();
    for (const id of nominationIds) state.opinions.set(id, []);
    for (const { nomination_id, ...o } of found) state.opinions.get(nomination_id)!.push(o);
  }
}

/** How the planner learns why a number is someone else's: the answer costs an exact lookup (refuseNumberElsewhere). */
type ElsewhereMessage = (idNumber: string) => Promise<string>;

interface Planning {
  actor: SessionUser;
  campaign: Campaign;
  unitId: number;
  today: string;
  context: ImportContext;
  state: ImportState;
  elsewhere: ElsewhereMessage;
}

/**
 * Every row, in the file's order, against the records: what it would do (its RowOutcome) and, in
 * the state, what it writes. The records are read a batch of rows at a time (a statement per table,
 * not per row); the CPU work takes turns with the event loop (turnTaker), so other users' requests
 * run meanwhile. The check stops here; the commit writes what the state says.
 */
async function planImport(
  q: DB | Tx,
  planning: Omit<Planning, "state">,
  rows: ParsedRow[],
  options: { include: (row: ParsedRow) => boolean; lock: boolean; progress: (done: number) => Promise<void>; stopAtFailure: boolean; batchRows?: number },
): Promise<{ outcomes: Map<number, RowOutcome>; state: ImportState; failed?: { line: number; errors: string[] } }> {
  const state = new ImportState(planning.campaign.id);
  const plan = { ...planning, state };
  const outcomes = new Map<number, RowOutcome>();
  const batchRows = options.batchRows ?? IMPORT_BATCH_ROWS;
  const turn = turnTaker();
  for (let start = 0; start < rows.length; start += batchRows) {
    const batch = rows.slice(start, start + batchRows);
    await loadRecords(q, state, batch.filter(options.include), options.lock);
    for (const [i, row] of batch.entries()) {
      if (options.include(row)) {
        const outcome = await planRow(row, plan);
        outcomes.set(row.line, outcome);
        if (!outcome.ok && options.stopAtFailure) return { outcomes, state, failed: { line: row.line, errors: outcome.errors } };
      }
      await options.progress(start + i + 1);
      await turn();
    }
  }
  return { outcomes, state };
}

/**
 * What committing would do to each valid row (新增, 更新 or 无变化, field by field): the plan of the
 * commit, read from the records as they are, writing nothing. The same planner as the commit's, so
 * the two cannot disagree; progress is reported as the rows go, and others' requests run between
 * the reads and between slices of the work.
 */
export async function previewStatus(
  db: DB,
  actor: SessionUser,
  campaign: Campaign,
  batch: { org_unit_id: number; filename: string; table: SummaryTable },
  today: string,
  progress: (done: number) => Promise<void> = async () => {},
  batchRows = IMPORT_BATCH_ROWS,
): Promise<BatchCheck> {
  const context = await importContext(db, campaign, batch.org_unit_id, batch.filename, []);
  const before = context.unit.count;
  const { outcomes } = await planImport(
    db,
    // Saying a number is someone else's spends a lookup in the commit; the check's spending is undone.
    { actor, campaign, unitId: batch.org_unit_id, today, context, elsewhere: (idNumber) => rolledBack(db, (tx) => elsewhereMessage(tx, actor, idNumber)) },
    batch.table.rows,
    { include: (row) => !!row.form, lock: false, progress, stopAtFailure: false, batchRows },
  );
  const quota = context.unit.kind === "county" ? { unit: context.unit.name, before, after: context.unit.count, quota: campaign.quota_per_unit } : null;
  return { rows: outcomes, quota };
}

const elsewhereMessage = async (tx: Tx, actor: SessionUser, idNumber: string) => (await refuseNumberElsewhere(tx, actor, idNumber, "推荐人选登记")).message;

/** The fields a file may fill, as the form names them: the person's, then the nomination's. */
export const PERSON_FIELDS = [
  "name",
  "sex",
  "birthDate",
  "ethnicity",
  "education",
  "politicalStatus",
  "employer",
  "industry",
  "position",
  "title",
  "skillLevel",
  "phone",
] as const;
const NOMINATION_FIELDS = [
  "frontlineYears",
  "inSkillPost",
  "teacherOrResearcher",
  "conditions",
  "honors",
  "achievements",
  "deedsSummary",
  "story",
  "remarks",
] as const;

type FormValue = string | string[];
type NominationRecord = Selectable<NominationTable>;

function personForm(person: Person): Record<string, FormValue> {
  return { ...personFormValues(person), phone: person.phone_cipher ? decrypt(person.phone_cipher) : "" };
}

function nominationForm(n: NominationRecord): Record<string, FormValue> {
  return {
    ...nominationFormValues(n),
    // The web form's unchecked box is an answer (否): a file saying 是 is a conflict, not a blank filled.
    teacherOrResearcher: n.teacher_or_researcher ? "on" : "no",
    remarks: n.remarks,
  };
}

const isBlank = (v: FormValue | undefined) => v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === "");

function sameValue(field: string, a: FormValue, b: FormValue): boolean {
  const norm = (v: FormValue) => {
    if (Array.isArray(v)) return [...v].sort().join(",");
    if (field === "phone") return normalisePhone(v);
    if (field === "teacherOrResearcher") return v === "on" ? "on" : "no";
    return v.trim();
  };
  return norm(a) === norm(b);
}

const FIELD_LABELS: Record<string, string> = { ...LABEL, birthDate: "出生日期", story: "事迹材料", remarks: "备注" };

/** A value as the preview shows it: choices in words, the phone masked, long text cut short. */
function displayValue(field: string, v: FormValue | undefined): string {
  if (v === undefined || isBlank(v)) return "（空）";
  if (Array.isArray(v)) return v.map((c) => "一二三四五"[Number(c) - 1] ?? c).join("、");
  if (field === "sex") return SEX_LABELS[v as "M" | "F"] ?? v;
  if (field === "inSkillPost") return v === "yes" ? "是" : "否";
  if (field === "teacherOrResearcher") return v === "on" ? "是" : "否";
  if (field === "phone") return maskPhone(v);
  if (field === "story") return `${v.length} 字`;
  return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

/**
 * One row into the nomination it files or completes, never losing what the record holds: a field
 * the file leaves blank keeps the record's value; a field the record leaves blank is filled; a
 * field both give differently keeps the record's unless the officer chose the file's (a
 * conflict, shown in the preview). The opinions a Word form carries go the same way. What the
 * row would write goes into the state — by the same decisions as the web form's write
 * (personRefusal, planPersonUpdate, planNewPerson, planNominationWrite) — with its history naming
 * the file; the warnings the preview shows are stored on the nomination for 资格初审.
 */
async function planRow(row: ParsedRow, { actor, campaign, unitId, today, context, state, elsewhere }: Planning): Promise<RowOutcome> {
  const file = row.form!;
  let person: Person | undefined;
  let nomination: NominationRecord | undefined;
  if (!byNumber(row)) {
    nomination = state.nominationById.get(existingIdOf(row)) ?? undefined;
    if (nomination) person = state.personById.get(nomination.person_id);
  } else {
    person = state.personByHash.get(numberHashOf(row)) ?? undefined;
    if (person) nomination = state.nominationOfPerson.get(person.id) ?? undefined;
  }
  // Someone else's person: refused below, saying nothing of the record.
  const readable = !person || canEditPerson(actor, person);
  const record: Record<string, FormValue> = {
    ...(person && readable ? personForm(person) : {}),
    ...(nomination && readable ? nominationForm(nomination) : {}),
  };

  const merged: Record<string, FormValue> = { ...file };
  const changes: FieldChange[] = [];
  const conflicts: FieldChange[] = [];
  for (const field of [...PERSON_FIELDS, ...NOMINATION_FIELDS]) {
    const was = record[field];
    const given = file[field];
    const change = { field, label: FIELD_LABELS[field] ?? field, was: displayValue(field, was), will: displayValue(field, given) };
    if (given === undefined) {
      if (was !== undefined && !isBlank(was)) merged[field] = was;
    } else if (isBlank(was)) {
      if (!isBlank(given) && !(field === "teacherOrResearcher" && given !== "on")) changes.push(change);
    } else if (sameValue(field, was, given)) merged[field] = was;
    else if (context.take.has(`${row.line}:${field}`)) changes.push(change);
    else {
      merged[field] = was;
      conflicts.push(change);
    }
  }
  // The person stays in their county and the nomination in its channel, whatever the file's unit.
  if (person && readable) merged.orgUnitId = String(person.org_unit_id);
  if (nomination && readable) merged.channel = nomination.channel;

  const parsed = importNominationSchema.safeParse(schemaInput(merged));
  if (!parsed.success) {
    return {
      ok: false,
      errors: [
        ...new Set(
          parsed.error.issues.map((issue) => {
            const field = String(issue.path[0] ?? "");
            const label = FIELD_LABELS[field] ?? field;
            if (!isBlank(merged[field])) return `${label}：${issue.message}`;
            return person
              ? `${label}：表中没有填写，已有的记录中也没有，请在表中填写后重新上传`
              : `${label}：表中没有填写（此人是第一次登记，须填写），请在表中补上后重新上传`;
          }),
        ),
      ],
    };
  }
  const input = parsed.data;
  const opinions = (row.opinions ?? []).filter((o) => canRecordOpinion(actor, o.kind, unitId));
  const current = nomination ? (state.opinions.get(nomination.id) ?? []) : [];
  const toWrite: OpinionInput[] = [];
  for (const o of opinions) {
    const held = current.find((c) => c.kind === o.kind);
    const field = `opinion_${o.kind}`;
    const change = { field, label: OPINION_LABELS[o.kind], was: held ? displayValue(field, held.text) : "（空）", will: displayValue(field, o.text) };
    if (held && held.text === o.text && held.signer === o.signer && held.signed_on === o.signedOn) continue;
    if (held && !context.take.has(`${row.line}:${field}`)) conflicts.push(change);
    else {
      toWrite.push(o);
      changes.push(change);
    }
  }

  // The check writes nothing, so what the database would refuse is refused here: a date no reading
  // of a file produces (a stored batch damaged) stops the work, as the write would.
  for (const o of toWrite) if (o.signedOn !== null && !isRealDate(o.signedOn)) throw new Error(`${OPINION_LABELS[o.kind]}的签署日期“${o.signedOn}”不存在`);

  // The opinions the record will hold: those kept as they are, and those the file writes. An
  // undated one stays a warning until a date is given, whichever import last touched the record.
  const heldOpinions = [...current.filter((c) => !toWrite.some((o) => o.kind === c.kind)).map((c) => ({ kind: c.kind, signedOn: c.signed_on })), ...toWrite];
  const warnings: ImportWarnings = [...eligibilityHints(input), ...heldOpinions.filter((o) => !o.signedOn).map(undatedOpinion)];
  const after = context.unit.count + (nomination ? 0 : 1);
  const overQuota = context.unit.kind === "county" && !nomination ? quotaWarning(context.unit.name, after, campaign.quota_per_unit) : null;
  if (overQuota) warnings.push(overQuota);

  // From here, what the one-record write (writeNomination) decides, by the same functions.
  const refused = personRefusal(actor, person, !nomination && !!input.idNumber);
  if (refused === "elsewhere") return { ok: false, errors: rowFailure(fieldsRefused({ idNumber: [await elsewhere(input.idNumber!.idNumber)] })) };
  if (refused) return { ok: false, errors: rowFailure(refused) };
  const notEditable = nomination && nominationEditRefusal(actor, campaign, nomination, today);
  if (notEditable) return { ok: false, errors: rowFailure(notEditable) };

  const comment = `导入文件：${context.filename}`;
  const history = <A extends string>(trail: AuditTrail<A>, entry: Omit<AuditEntry<NoInfer<A>>, "actor" | "comment">) =>
    state.history.push({ row: auditRow(trail, { actor, comment, ...entry }) });
  let personId: number;
  let personChanged = false;
  if (person) {
    const plan = planPersonUpdate(person, input);
    if (!plan.ok) return { ok: false, errors: rowFailure(plan) };
    if (plan.changed) {
      // The import finds people by their number and never changes it: no other record's number to clash with.
      state.setPerson({ ...plan.row, updated_at: new Date() }, false);
      history(PERSON_AUDIT, { id: person.id, unit: input.orgUnitId, action: "update", before: plan.before, after: plan.after });
      if (plan.newPhone) state.history.push({ phoneOf: person, phone: plan.newPhone });
      personChanged = true;
    }
    personId = person.id;
  } else {
    const plan = planNewPerson(input);
    if (!plan.ok) return { ok: false, errors: rowFailure(plan) };
    personId = state.newId();
    state.setPerson({ ...plan.values, id: personId, created_by: actor.id, created_at: new Date(), updated_at: new Date() }, true);
    state.newPersons.push(personId);
    history(PERSON_AUDIT, { id: personId, unit: plan.values.org_unit_id, action: "create", after: plan.after });
  }

  const plan = planNominationWrite(nomination, input, unitId, warnings);
  let change: "created" | "updated" | "unchanged";
  let nominationId: number;
  if (plan.kind === "create") {
    nominationId = state.newId();
    const { import_warnings: _, ...values } = plan.values;
    state.setNomination({ ...NEW_NOMINATION, ...values, import_warnings: warnings, id: nominationId, campaign_id: campaign.id, person_id: personId }, true);
    state.newNominations.push(nominationId);
    state.opinions.set(nominationId, []);
    history(NOMINATION_AUDIT, { id: nominationId, unit: unitId, action: "create", after: plan.after });
    context.unit.count++;
    change = "created";
  } else {
    nominationId = nomination!.id;
    if (plan.kind === "update") {
      const { import_warnings: _, ...set } = plan.set;
      state.setNomination({ ...nomination!, ...set, import_warnings: warnings, updated_at: new Date() }, true);
      history(NOMINATION_AUDIT, { id: nominationId, unit: unitId, action: "update", before: plan.before, after: plan.after });
      change = "updated";
    } else {
      if (plan.warnings) state.setNomination({ ...nomination!, import_warnings: warnings }, false);
      change = personChanged ? "updated" : "unchanged";
    }
  }
  for (const o of toWrite) {
    const held = state.opinions.get(nominationId)!;
    const before = held.find((c) => c.kind === o.kind);
    const opinion = { kind: o.kind, ...opinionRecord(o) };
    state.opinions.set(nominationId, [...held.filter((c) => c.kind !== o.kind), opinion]);
    state.changedOpinions.set(`${nominationId}:${o.kind}`, { nominationId, opinion });
    history(NOMINATION_AUDIT, {
      id: nominationId,
      action: `opinion_${o.kind}`,
      before: before ? { text: before.text, signer: before.signer, signed_on: before.signed_on } : null,
      after: opinionRecord(o),
    });
  }
  if (toWrite.length && change === "unchanged") change = "updated";
  return { ok: true, change, changes: change === "created" ? [] : changes, conflicts, warnings, missing: missingParts(input) };
}

/** A new nomination's columns the import does not set: what the table's defaults give it. */
const NEW_NOMINATION: Omit<NominationRecord, ImportWriteColumn | "id" | "campaign_id" | "person_id"> = {
  seq: 0,
  remarks: "",
  quota_acknowledged_by: null,
  quota_acknowledged_at: null,
  qualification_result: null,
  qualification_reason: null,
  candidate: false,
  vote_count: null,
  withdrawn_reason: null,
  final_rank: null,
  created_by: null,
  created_at: new Date(0),
  updated_at: new Date(0),
};

/** An opinion the form gives with no date: kept as written, and said. */
export const undatedOpinion = (o: Pick<OpinionInput, "kind">) => `${OPINION_LABELS[o.kind]}没有签署日期（已按原文录入），请对照纸质审批表补上日期`;

function rowFailure(refusal: Refusal): string[] {
  return refusal.fieldErrors ? Object.entries(refusal.fieldErrors).map(([f, m]) => `${LABEL[f] ?? f}：${m.join("；")}`) : [refusal.message];
}

/** The columns a person row is written with (insert or update): the form's fields and the numbers' stored forms. */
const PERSON_WRITE_COLUMNS = [
  "org_unit_id",
  "name",
  "sex",
  "birth_date",
  "ethnicity",
  "education",
  "political_status",
  "employer",
  "industry",
  "position",
  "title",
  "skill_level",
  "id_number_cipher",
  "id_number_hash",
  "id_number_masked",
  "phone_cipher",
  "phone_hash",
  "phone_masked",
] as const;
const PERSON_TYPES: Record<(typeof PERSON_WRITE_COLUMNS)[number], string> = {
  ...(Object.fromEntries(PERSON_WRITE_COLUMNS.map((c) => [c, "text"])) as Record<(typeof PERSON_WRITE_COLUMNS)[number], string>),
  org_unit_id: "int",
  birth_date: "date",
};

/** The columns a nomination row is written with: what the form and the file say, and the check's warnings. */
const NOMINATION_WRITE_COLUMNS = [
  "channel",
  "nominating_unit_id",
  "honors",
  "achievements",
  "deeds_summary",
  "story",
  "frontline_years",
  "in_skill_post",
  "teacher_or_researcher",
  "conditions",
  "remarks",
  "import_warnings",
] as const;
type ImportWriteColumn = Exclude<(typeof NOMINATION_WRITE_COLUMNS)[number], "remarks">;
const NOMINATION_TYPES: Record<(typeof NOMINATION_WRITE_COLUMNS)[number], string> = {
  channel: "text",
  nominating_unit_id: "int",
  honors: "text",
  achievements: "text",
  deeds_summary: "text",
  story: "text",
  frontline_years: "int",
  in_skill_post: "boolean",
  teacher_or_researcher: "boolean",
  conditions: "int[]",
  remarks: "text",
  import_warnings: "jsonb",
};

const pick = <T, K extends keyof T>(row: T, keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;

/**
 * In slices of IMPORT_BATCH_ROWS: a statement each. Building a thousand rows' statement is tens of milliseconds of
 * the event loop: other users' requests get a turn between statements.
 */
async function inBatches<T>(items: T[], write: (batch: T[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += IMPORT_BATCH_ROWS) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    await write(items.slice(start, start + IMPORT_BATCH_ROWS));
  }
}

/**
 * Updates many rows of a table by id, one statement per batch: the new values travel as one JSON
 * parameter, read back as a record set of the columns' types.
 */
async function updateById(tx: Tx, table: "person" | "nomination", types: Record<string, string>, rows: Array<Record<string, unknown>>, touch: string) {
  const columns = Object.keys(types);
  await inBatches(rows, async (batch) => {
    await sql`update ${sql.table(table)} as t set ${sql.join(
      columns.map((c) => sql`${sql.ref(c)} = x.${sql.ref(c)}`),
      sql`, `,
    )}, updated_at = ${sql.raw(touch)}
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(id int, touch boolean, ${sql.raw(columns.map((c) => `${c} ${types[c]}`).join(", "))})
      where t.id = x.id`.execute(tx);
  });
}

/**
 * What the plan says, written set-based in the commit's transaction: new people in multi-row
 * inserts (their ids read back by number), changed people and nominations a statement per batch,
 * new nominations numbered on from the campaign's highest, opinions upserted, and the history rows
 * in the order the rows wrote them (recordAudits), with a phone changed on a record that has an
 * account told by guardPhoneChange at its place.
 */
async function writePlan(tx: Tx, actor: SessionUser, campaign: Campaign, state: ImportState): Promise<void> {
  const realId = new Map<number, number>();
  const idOf = (id: number) => (id > 0 ? id : realId.get(id)!);

  await inBatches(state.newPersons, async (batch) => {
    const people = batch.map((id) => state.personById.get(id)!);
    const inserted = await tx
      .insertInto("person")
      .values(people.map((p) => ({ ...pick(p, PERSON_WRITE_COLUMNS), created_by: actor.id })))
      .returning(["id", "id_number_hash"])
      .execute();
    const byHash = new Map(inserted.map((r) => [r.id_number_hash, r.id]));
    for (const p of people) realId.set(p.id, byHash.get(p.id_number_hash)!);
  });
  await updateById(
    tx,
    "person",
    PERSON_TYPES,
    [...state.changedPersons].map((id) => ({ id, ...pick(state.personById.get(id)!, PERSON_WRITE_COLUMNS) })),
    "now()",
  );

  if (state.newNominations.length) {
    const { seq } = await tx
      .selectFrom("nomination")
      .where("campaign_id", "=", campaign.id)
      .select((eb) => eb.fn.coalesce(eb.fn.max("seq"), eb.lit(0)).as("seq"))
      .executeTakeFirstOrThrow();
    let next = Number(seq);
    await inBatches(state.newNominations, async (batch) => {
      const numbered = batch.map((id) => ({ id, seq: ++next, nomination: state.nominationById.get(id)! }));
      const inserted = await tx
        .insertInto("nomination")
        .values(
          numbered.map(({ seq, nomination: n }) => ({
            ...pick(n, NOMINATION_WRITE_COLUMNS),
            import_warnings: JSON.stringify(n.import_warnings),
            campaign_id: campaign.id,
            person_id: idOf(n.person_id),
            seq,
            created_by: actor.id,
          })),
        )
        .returning(["id", "seq"])
        .execute();
      const bySeq = new Map(inserted.map((r) => [r.seq, r.id]));
      for (const n of numbered) realId.set(n.id, bySeq.get(n.seq)!);
    });
  }
  // A nomination whose only change is the check's warnings keeps its updated_at, as the one-record path.
  await updateById(
    tx,
    "nomination",
    NOMINATION_TYPES,
    [...state.changedNominations].map(([id, { content }]) => ({ id, touch: content, ...pick(state.nominationById.get(id)!, NOMINATION_WRITE_COLUMNS) })),
    "case when x.touch then now() else t.updated_at end",
  );

  await inBatches([...state.changedOpinions.values()], async (batch) => {
    await tx
      .insertInto("nomination_opinion")
      .values(
        batch.map(({ nominationId, opinion: { kind, text, signer, signed_on } }) => ({
          nomination_id: idOf(nominationId),
          kind,
          text,
          signer,
          signed_on,
          recorded_by: actor.id,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["nomination_id", "kind"]).doUpdateSet((eb) => ({
          text: eb.ref("excluded.text"),
          signer: eb.ref("excluded.signer"),
          signed_on: eb.ref("excluded.signed_on"),
          recorded_by: eb.ref("excluded.recorded_by"),
          recorded_at: new Date(),
        })),
      )
      .execute();
  });

  // Only a record with an account or a WeChat binding has a sign-in to guard: found for all at once.
  const phoneChanged = unique(state.history.flatMap((h) => ("phoneOf" in h ? [h.phoneOf.id] : [])));
  const guarded = new Set<number>();
  await inBatches(phoneChanged, async (batch) => {
    const ids = sql<number>`any(${batch}::int[])`;
    const found = await tx
      .selectFrom("app_user")
      .select("person_id")
      .where("person_id", "=", ids)
      .where("role", "in", ["craftsman", "apprentice"])
      .union(tx.selectFrom("wechat_identity").select("person_id").where("person_id", "=", ids))
      .execute();
    for (const r of found) if (r.person_id) guarded.add(r.person_id);
  });
  let pending: Array<Insertable<DBTables["audit_log"]>> = [];
  for (const item of state.history) {
    if ("row" in item) {
      const id = Number(item.row.entity_id);
      pending.push(id < 0 ? { ...item.row, entity_id: String(idOf(id)) } : item.row);
    } else if (guarded.has(item.phoneOf.id)) {
      await recordAudits(tx, pending);
      pending = [];
      await guardPhoneChange(tx, actor, item.phoneOf, item.phone);
    }
  }
  await recordAudits(tx, pending);
}

/**
 * What a row's preview showed, as far as confirming it goes: a new nomination or not, and each field's was → will
 * (a conflict the officer takes becomes a change with the same values).
 */
function seenAs(outcome: RowOutcome | undefined): string {
  if (!outcome?.ok) return "refused";
  const fields = [...outcome.changes, ...outcome.conflicts].map((c) => `${c.field}\u0000${c.was}\u0000${c.will}`).sort();
  return JSON.stringify([outcome.change === "created", fields]);
}

/** The officer's choices of the file's value that were a conflict the preview showed; anything else sent is no choice. */
function chosenFromFile(take: string[], checked: Map<number, RowOutcome>): number {
  return [...new Set(take)].filter((choice) => {
    const [line, field] = choice.split(":");
    const outcome = checked.get(Number(line));
    return outcome?.ok && outcome.conflicts.some((c) => c.field === field);
  }).length;
}

const overtaken = (lines: number[]) =>
  `预览之后，第 ${lines.slice(0, 5).join("、")} 行${lines.length > 5 ? `等 ${lines.length} 行` : ""}涉及的记录已有改动（另一批导入或网页修改），与预览所示不同；本次未写入任何数据。请重新上传这份表格，核对新的预览后再确认。`;

export type CommitFailure =
  { ok: false; status: 403 | 409; message: string } | { ok: false; status: 400; rowErrors: Array<{ line: number; errors: string[] }> };
export type CommitResult = { ok: true; created: number; updated: number; unchanged: number } | CommitFailure;

/**
 * Writes every valid row in one transaction: all of them or, if any fails now that passed the
 * check, none. `take` holds the officer's choices of the file's value where it differs from the
 * record. The rows are planned again against the records as they are now (the people locked), by
 * the check's planner, and written set-based (writePlan).
 */
export async function commitImport(
  db: DB,
  actor: SessionUser,
  campaign: Campaign,
  batchId: number,
  today: string,
  progress: (done: number) => Promise<void> = async () => {},
  take: string[] = [],
): Promise<CommitResult> {
  if (!canCreateNomination(actor, campaign, today)) return { ok: false, status: 403, message: "推荐申报已截止，不能再导入" };
  class RowFailure extends Error {
    constructor(readonly rowErrors: Array<{ line: number; errors: string[] }>) {
      super("row failed");
    }
  }
  try {
    return await db.transaction().execute(async (tx) => {
      const batch = await tx.selectFrom("import_batch").selectAll().where("id", "=", batchId).forUpdate().executeTakeFirstOrThrow();
      if (batch.status === "committed") return { ok: false as const, status: 409 as const, message: "这批数据已经导入过了" };
      // The campaign row lock serialises sequence numbers, as for one nomination.
      await tx.selectFrom("campaign").select("id").where("id", "=", campaign.id).forUpdate().execute();
      const { rows } = await storedTable(batch.rows_cipher);
      const checked = (await storedCheck(batch.notes_cipher)).rows;
      const planned = async (chosen: string[], report: typeof progress) =>
        planImport(
          tx,
          {
            actor,
            campaign,
            unitId: batch.org_unit_id,
            today,
            context: await importContext(tx, campaign, batch.org_unit_id, batch.filename, chosen),
            elsewhere: (idNumber) => elsewhereMessage(tx, actor, idNumber),
          },
          rows,
          // A row the check already refused (a new person the file does not describe whole) is not written.
          { include: (row) => !!row.form && checked.get(row.line)?.ok !== false, lock: true, progress: report, stopAtFailure: true },
        );
      const plan = await planned(take, progress);
      if (plan.failed) throw new RowFailure([plan.failed]);
      // What the officer confirmed is the preview: a row whose record changed since (another batch, the web form)
      // would now do what nobody has seen — a value overwritten that the preview never showed. Nothing is written.
      // The preview was planned without the officer's choices, and a choice changes what a later row of the same
      // person finds (the file's own rows, not another change): with choices, the rows are planned again without
      // them to compare. (A batch is only confirmed once previewed; a direct call on one never checked has nothing to compare.)
      const compared = batch.notes_cipher && take.length ? await planned([], async () => {}) : plan;
      const moved = batch.notes_cipher
        ? [...compared.outcomes].filter(([line, outcome]) => seenAs(outcome) !== seenAs(checked.get(line))).map(([line]) => line)
        : [];
      if (compared.failed) moved.push(compared.failed.line);
      if (moved.length) return { ok: false as const, status: 409 as const, message: overtaken(moved) };
      const counts = { created: 0, updated: 0, unchanged: 0 };
      for (const outcome of plan.outcomes.values()) if (outcome.ok) counts[outcome.change]++;
      await writePlan(tx, actor, campaign, plan.state);
      await tx
        .updateTable("import_batch")
        .set({ status: "committed", committed_at: new Date(), summary: JSON.stringify(counts), failure: null })
        .where("id", "=", batchId)
        .execute();
      await recordAudit(tx, IMPORT_AUDIT, {
        actor,
        id: batchId,
        unit: batch.org_unit_id,
        action: "import",
        after: { filename: batch.filename, ...counts, skippedWithErrors: batch.error_count, chosenFromFile: chosenFromFile(take, checked) },
      });
      return { ok: true as const, ...counts };
    });
  } catch (error) {
    if (error instanceof RowFailure) return { ok: false, status: 400, rowErrors: error.rowErrors };
    throw error;
  }
}

/**
 * The officer's 确认导入: the batch moves to committing and the job queue writes it (thousands of
 * rows take a while; the page shows how far it has got). Only a checked batch may be committed,
 * and only once: a second press, or a press on another device, finds it no longer previewed.
 */
export async function requestCommit(db: DB, actor: SessionUser, campaign: Campaign, batchId: number, today: string, take: string[] = []): Promise<Result> {
  if (!canCreateNomination(actor, campaign, today)) return { ok: false, status: 403, message: "推荐申报已截止，不能再导入" };
  return db.transaction().execute(async (tx) => {
    const moved = await tx
      .updateTable("import_batch")
      // The press is what the deadline judges: a job that runs late (a crash past midnight) still writes it.
      .set({ status: "committing", failure: null, confirmed_at: new Date() })
      .where("id", "=", batchId)
      .where("status", "=", "previewed")
      .executeTakeFirst();
    if (!moved.numUpdatedRows) return { ok: false as const, status: 409 as const, message: "这批数据正在导入或已经导入过了" };
    await enqueue(tx, "import.commit", { batchId, actor, take }, { maxAttempts: 3 });
    return { ok: true as const };
  });
}

type ImportJobPayload = { batchId: number; actor: SessionUser; take?: string[] };

/** The batch a job works on, with the campaign and the uploader as they are now (a disabled account's work stops). */
async function jobBatch(db: DB, job: Job, status: "checking" | "committing") {
  const { batchId, actor } = job.payload as ImportJobPayload;
  const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).executeTakeFirst();
  if (!batch || batch.status !== status) return null;
  const active = await db.selectFrom("app_user").select("id").where("id", "=", actor.id).where("active", "=", true).executeTakeFirst();
  const campaign = active ? await findCampaign(db, batch.campaign_id) : undefined;
  return campaign ? { batch, actor, campaign } : null;
}

/**
 * A job that cannot finish — bad data the check did not foresee, or its attempts spent on a
 * database that stayed away — ends the batch as failed with the reason, never "checking" for ever.
 * A database that is only away for now is left to the queue's retry.
 */
function failsBatch(status: "checking" | "committing", what: string): JobHandler["gaveUp"] {
  return (db, job, error) => endFailed(db, (job.payload as ImportJobPayload).batchId, status, what, error);
}

async function endFailed(db: DB, batchId: number, status: "checking" | "committing", what: string, reason: string): Promise<void> {
  const failure: CommitFailure = {
    ok: false,
    status: 409,
    message: `${what}没有完成：${reason}。本次未写入任何数据，请改正表格后重新上传；如一再出现，请联系市总工会。`,
  };
  await db
    .updateTable("import_batch")
    .set({ status: "failed", failure: JSON.stringify(failure) })
    .where("id", "=", batchId)
    .where("status", "=", status)
    .execute();
  await clearProgress(db, progressKey(batchId));
}

/** Why bad data stopped a check or a commit, as the officer reads it. */
function failureReason(error: unknown): string {
  const reason = error instanceof ZodError ? error.issues.map((i) => i.message).join("；") : error instanceof Error ? error.message : String(error);
  return reason.slice(0, 300);
}

/** Runs an import job's work; an error that is not the database being away fails the batch at once (retrying bad data changes nothing). */
function importJob(status: "checking" | "committing", what: string, work: (db: DB, job: Job) => Promise<void>): JobHandler {
  const gaveUp = failsBatch(status, what)!;
  const run = async (db: DB, job: Job) => {
    try {
      await work(db, job);
    } catch (error) {
      if (databaseAway(error)) throw error;
      console.error(`${what}出错：`, error);
      await gaveUp(db, job, failureReason(error));
    }
  };
  return Object.assign(run, { gaveUp });
}

/** The check after an upload: the check's findings are kept with the batch, so the preview is read, not redone. */
async function checkImport(db: DB, job: Job): Promise<void> {
  const found = await jobBatch(db, job, "checking");
  if (found) await checkBatch(db, found, todayInTaizhou());
}

/** A county's list of a few dozen rows is checked in the upload's own request: the preview is ready when the page opens. */
const CHECK_AT_ONCE_ROWS = 50;

async function checkBatch(
  db: DB,
  { batch, actor, campaign }: { batch: Selectable<DBTables["import_batch"]>; actor: SessionUser; campaign: Campaign },
  today: string,
) {
  const table = await storedTable(batch.rows_cipher);
  const key = progressKey(batch.id);
  const check = await previewStatus(
    db,
    actor,
    campaign,
    { org_unit_id: batch.org_unit_id, filename: batch.filename, table },
    today,
    progressReporter(db, key, table.rows.length),
  );
  await db
    .updateTable("import_batch")
    .set({
      status: "previewed",
      checked_at: new Date(),
      notes_cipher: await encryptLarge(await stringifyInTurns({ quota: check.quota, rows: [...check.rows] }, "rows")),
    })
    .where("id", "=", batch.id)
    .where("status", "=", "checking")
    .execute();
  await clearProgress(db, key);
}

/**
 * The commit itself; refused (a row no longer fits, the deadline passed) it goes back to the
 * preview with the reason. The deadline is judged on the day the officer confirmed.
 */
async function commitImportBatch(db: DB, job: Job): Promise<void> {
  const found = await jobBatch(db, job, "committing");
  if (!found) return;
  const { batch, actor, campaign } = found;
  const key = progressKey(batch.id);
  const { take } = job.payload as ImportJobPayload;
  const today = todayInTaizhou(batch.confirmed_at ?? new Date());
  const result = await commitImport(db, actor, campaign, batch.id, today, progressReporter(db, key, batch.row_count), take ?? []);
  if (!result.ok) {
    await db
      .updateTable("import_batch")
      .set({ status: "previewed", failure: JSON.stringify(result) })
      .where("id", "=", batch.id)
      .where("status", "=", "committing")
      .execute();
  }
  await clearProgress(db, key);
}

/** The job queue's handlers for imports (see backgroundTick). */
export const IMPORT_JOBS = {
  "import.check": importJob("checking", "逐行核对", checkImport),
  "import.commit": importJob("committing", "导入", commitImportBatch),
} satisfies Record<string, JobHandler>;

/**
 * The 汇总表 a user may take away: a county officer their own unit's, the city all or one unit;
 * numbers masked unless a city officer asks for them in full, which the history records first.
 * The template is the same workbook with no people in it.
 */
export async function summaryTableFor(
  db: DB,
  actor: SessionUser,
  campaign: Campaign,
  request: { unitId?: number; template: boolean; full?: { reason: string } },
): Promise<Buffer> {
  const unitId = pinnedUnit(actor) ?? request.unitId;
  const revealIds = !!request.full && canRevealPersonalData(actor);
  if (revealIds) {
    await db.transaction().execute((tx) =>
      recordAudit(tx, CAMPAIGN_AUDIT, {
        actor,
        id: campaign.id,
        action: "reveal_personal_data",
        comment: `导出汇总表（含完整身份证号和电话）${unitId ? `，单位 ${unitId}` : ""}：${request.full!.reason}`,
      }),
    );
  }
  // Unit -1 matches none: the template.
  return exportSummaryTable(db, campaign, { unitId: request.template ? -1 : unitId, revealIds });
}

export async function exportSummaryTable(db: DB, campaign: Campaign, options: { unitId?: number; revealIds: boolean }): Promise<Buffer> {
  let query = db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .innerJoin("org_unit as nominator", "nominator.id", "nomination.nominating_unit_id")
    .innerJoin("org_unit as county", "county.id", "person.org_unit_id")
    .where("nomination.campaign_id", "=", campaign.id);
  if (options.unitId) query = query.where("nomination.nominating_unit_id", "=", options.unitId);
  const rows = await query
    .select([
      "nomination.seq",
      "nomination.channel",
      "nomination.frontline_years",
      "nomination.in_skill_post",
      "nomination.conditions",
      "nomination.teacher_or_researcher",
      "nomination.honors",
      "nomination.achievements",
      "nomination.deeds_summary",
      "nomination.remarks",
      ...PERSON_COLUMNS,
      // The export alone may carry whole numbers (for the city, with a reason): the ciphertexts too.
      "person.id_number_cipher",
      "person.phone_cipher",
      "county.short_name as county",
      "nominator.short_name as nominator",
    ])
    .orderBy("nomination.seq")
    .execute();

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "匠心 · 台州工匠服务平台";
  const sheet = workbook.addWorksheet("汇总表");
  const keys = (Object.keys(COLUMNS) as ColumnKey[]).filter((k): k is ExportKey => k !== "employerAndPosition");
  const headers = [...keys.map((k) => COLUMNS[k].header), "推荐方式", "推荐单位"];
  const title = sheet.addRow([`${campaign.title}推荐人选汇总表`]);
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, headers.length);
  const head = sheet.addRow(headers);
  head.font = { bold: true };
  for (const r of rows) {
    const values: Record<ExportKey, string | number> = {
      seq: nominationCode(campaign.number, r.seq),
      name: r.name,
      sex: SEX_LABELS[r.sex],
      idNumber: options.revealIds ? decrypt(r.id_number_cipher) : r.id_number_masked,
      birthDate: r.birth_date,
      ethnicity: r.ethnicity,
      education: r.education,
      politicalStatus: r.political_status,
      employer: r.employer,
      industry: r.industry,
      position: r.position,
      title: r.title,
      skillLevel: r.skill_level,
      frontlineYears: r.frontline_years ?? "",
      inSkillPost: r.in_skill_post === null ? "" : r.in_skill_post ? "是" : "否",
      conditions: r.conditions.map((c) => "一二三四五"[c - 1]).join("、"),
      teacherOrResearcher: r.teacher_or_researcher ? "是" : "否",
      honors: r.honors,
      achievements: r.achievements,
      deedsSummary: r.deeds_summary,
      phone: options.revealIds && r.phone_cipher ? decrypt(r.phone_cipher) : (r.phone_masked ?? ""),
      county: r.county,
      remarks: r.remarks,
    };
    sheet.addRow([...keys.map((k) => values[k]), CHANNEL_LABELS[r.channel], r.nominator]);
  }
  // ID and phone columns as text, so Excel never turns them into rounded numbers.
  for (const key of ["idNumber", "phone"] as const) {
    sheet.getColumn(keys.indexOf(key) + 1).numFmt = "@";
  }
  sheet.columns.forEach((column, i) => {
    column.width = [6, 8, 5, 21, 12, 6, 8, 10, 28, 14, 10, 10, 10, 8, 8, 10, 8, 30, 30, 40, 14, 10, 12, 14][i] ?? 12;
  });
  sheet.views = [{ state: "frozen", ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
