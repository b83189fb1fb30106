import ExcelJS from "exceljs";
import type { DB, Tx } from "~db";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import type { Campaign } from "~/modules/campaigns/campaigns.server";
import { nominationCode } from "~/modules/campaigns/stages";
import { maskIdNumber, SEX_LABELS } from "~/modules/people/id-number";
import { decrypt, encrypt, lookupHash } from "~/modules/people/pii.server";
import { CONDITIONS } from "~/modules/nominations/eligibility";
import { writeNomination } from "~/modules/nominations/nominations.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { CHANNEL_LABELS, updateNominationSchema } from "~/modules/nominations/schema";
import { cleanText, compactText, findHeaderRow, idNumberCell, parseDateCell, readSpreadsheet, SpreadsheetError, type Cell } from "~/lib/spreadsheet.server";
import { IMPORT_AUDIT } from "~/modules/nominations/labels";
import { canEditPerson, canRevealPersonalData } from "~/modules/people/policy";
import { refuseNumberElsewhere } from "~/modules/people/lookup.server";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { PERSON_COLUMNS } from "~/modules/people/people.server";

/** The 汇总表 columns, in export order; import finds them by name, wherever they are. */
const COLUMNS = {
  seq: { header: "序号", aliases: ["序号", "编号"] },
  name: { header: "姓名", aliases: ["姓名"] },
  sex: { header: "性别", aliases: ["性别"] },
  idNumber: { header: "身份证号码", aliases: ["身份证号码", "身份证号", "公民身份号码", "身份证"] },
  birthDate: { header: "出生日期", aliases: ["出生日期", "出生年月", "出生年月日"] },
  ethnicity: { header: "民族", aliases: ["民族"] },
  education: { header: "学历", aliases: ["学历", "文化程度"] },
  politicalStatus: { header: "政治面貌", aliases: ["政治面貌"] },
  employer: { header: "工作单位", aliases: ["工作单位", "单位", "所在单位"] },
  industry: { header: "所属行业", aliases: ["所属行业", "行业"] },
  position: { header: "职务", aliases: ["职务"] },
  title: { header: "职称", aliases: ["职称"] },
  skillLevel: { header: "技术等级", aliases: ["技术等级", "技能等级", "职业资格等级"] },
  frontlineYears: { header: "一线技能工作年限", aliases: ["一线技能工作年限", "一线工作年限", "从事一线技能工作年限"] },
  inSkillPost: { header: "是否仍在技能岗位", aliases: ["是否仍在技能岗位", "是否在技能岗位", "在技能岗位"] },
  conditions: { header: "符合条件", aliases: ["符合条件", "符合选树条件", "选树条件"] },
  teacherOrResearcher: { header: "是否教师或研究人员", aliases: ["是否教师或研究人员", "是否教师或专门研究人员"] },
  honors: { header: "已获荣誉", aliases: ["已获荣誉", "获得荣誉", "荣誉"] },
  achievements: { header: "主要技术成果", aliases: ["主要技术成果", "技术成果"] },
  deedsSummary: { header: "主要事迹", aliases: ["主要事迹", "事迹简介", "主要事迹简介"] },
  phone: { header: "联系电话", aliases: ["联系电话", "手机", "手机号码", "电话"] },
  county: { header: "所属县（市、区）", aliases: ["所属县", "所属县市区", "所在县市区", "所属地区"] },
} as const;

type ColumnKey = keyof typeof COLUMNS;

const LABEL: Record<string, string> = {
  ...Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, v.header])),
  orgUnitId: "所属县（市、区）",
  nominatingUnitId: "推荐单位",
  channel: "推荐方式",
};

const ALIASES = Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, [...v.aliases]])) as Record<ColumnKey, string[]>;

const YES = new Set(["是", "Y", "YES", "√", "✓", "1", "TRUE", "在岗"]);
const NO = new Set(["否", "N", "NO", "×", "0", "FALSE", "不在岗"]);
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
    return { error: `符合条件“${text}”无法识别，请填写（一）至（五）中的编号，如“一、五”` };
  }
  return [...new Set(digits)];
}

export interface ParsedRow {
  /** The row number as the spreadsheet shows it. */
  line: number;
  name: string;
  maskedId: string;
  errors: string[];
  /** The row as form fields, ready for the same schema the web form uses. */
  form: Record<string, string | string[]> | null;
}

export interface ImportTarget {
  nominatingUnitId: number;
  kind: "county" | "social_group";
  /** County units by short name, for the person's unit on social-group imports. */
  counties: Array<{ id: number; short_name: string; name: string }>;
}

function sexCode(value: Cell): string | undefined {
  const text = compactText(value);
  if (text === "男" || text.toUpperCase() === "M") return "M";
  if (text === "女" || text.toUpperCase() === "F") return "F";
  return text ? text : undefined;
}

export async function parseSummaryTable(bytes: Uint8Array, target: ImportTarget): Promise<ParsedRow[]> {
  const rows = await readSpreadsheet(bytes);
  const header = findHeaderRow(rows, ALIASES, ["name", "idNumber"]);
  if (!header) throw new SpreadsheetError("找不到表头：表格中需要有“姓名”和“身份证号码”两列");
  const { headerIndex, columns } = header;
  const at = (row: Cell[], key: ColumnKey): Cell => {
    const index = columns[key];
    return index === undefined ? null : (row[index] ?? null);
  };
  const parsed: ParsedRow[] = [];
  const seen = new Map<string, number>();

  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = rows[r];
    const name = cleanText(at(row, "name"));
    const rawId = at(row, "idNumber");
    if (!name && compactText(rawId) === "") continue;
    // Footer lines such as 合计 or 填表人 have no ID number.
    if (!compactText(rawId) && /^(合计|总计|填表|审核|制表|备注|说明)/.test(name)) continue;

    const errors: string[] = [];
    // Fields whose cell was already explained; the schema's generic message would repeat it.
    const explained = new Set<string>();
    const form: Record<string, string | string[]> = {
      channel: target.kind === "social_group" ? "social_group" : "union",
      nominatingUnitId: String(target.nominatingUnitId),
    };
    const id = idNumberCell(rawId);
    if (id.ok) form.idNumber = id.value;
    else {
      errors.push(`身份证号码：${id.message}`);
      explained.add("idNumber");
    }

    for (const key of [
      "name",
      "ethnicity",
      "education",
      "politicalStatus",
      "employer",
      "industry",
      "position",
      "title",
      "skillLevel",
      "honors",
      "achievements",
      "deedsSummary",
      "phone",
    ] as const) {
      const text = key === "honors" || key === "achievements" || key === "deedsSummary" ? cleanText(at(row, key)) : compactText(at(row, key));
      if (text) form[key] = text;
    }
    const sex = sexCode(at(row, "sex"));
    const birth = parseDateCell(at(row, "birthDate"));
    if (birth && !birth.ok) {
      errors.push(`出生日期：${birth.message}`);
      explained.add("birthDate");
    }
    // Sex and birth date may be left out: the ID number says them, and the schema cross-checks either way.
    const idText = id.ok ? id.value.toUpperCase() : "";
    form.sex = sex ?? (/^\d{17}[\dX]$/.test(idText) ? (Number(idText[16]) % 2 ? "M" : "F") : "");
    form.birthDate = birth?.ok ? birth.value : /^\d{17}[\dX]$/.test(idText) ? `${idText.slice(6, 10)}-${idText.slice(10, 12)}-${idText.slice(12, 14)}` : "";

    const years = compactText(at(row, "frontlineYears")).replace(/年$/, "");
    if (years) form.frontlineYears = years;
    const post = at(row, "inSkillPost");
    if (compactText(post)) {
      const answer = yesNo(post);
      if (answer) form.inSkillPost = answer;
      else {
        errors.push(`是否仍在技能岗位：请填写“是”或“否”（表中为“${compactText(post)}”）`);
        explained.add("inSkillPost");
      }
    }
    const teacher = at(row, "teacherOrResearcher");
    if (yesNo(teacher) === "yes") form.teacherOrResearcher = "on";
    const conditions = conditionList(at(row, "conditions"));
    if ("error" in conditions) {
      errors.push(conditions.error);
      explained.add("conditions");
    } else form.conditions = conditions;

    if (target.kind === "county") form.orgUnitId = String(target.nominatingUnitId);
    else {
      const county = compactText(at(row, "county"));
      const unit = target.counties.find((c) => county && (c.short_name === county || c.name === county || c.name.startsWith(county)));
      if (unit) form.orgUnitId = String(unit.id);
      else errors.push(county ? `所属县（市、区）“${county}”不是台州市的县级单位` : "社会团体推荐须填写所属县（市、区）");
    }

    const result = updateNominationSchema.safeParse(form);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? "");
        if (explained.has(field)) continue;
        const message = `${LABEL[field] ?? field}：${issue.message}`;
        // The schema's "please choose" wording reads oddly for a spreadsheet; say what was there.
        errors.push(message.replace(/：请选择(.+)$/, `：$1填写有误（表中为“${compactText(at(row, field as ColumnKey)) || "空"}”）`));
      }
    }
    const normalisedId = idText.length === 18 ? idText : "";
    if (normalisedId) {
      const earlier = seen.get(normalisedId);
      if (earlier) errors.push(`身份证号码与第 ${earlier} 行重复`);
      else seen.set(normalisedId, r + 1);
    }
    parsed.push({
      line: r + 1,
      name: name || "（未填姓名）",
      maskedId: normalisedId ? maskIdNumber(normalisedId) : compactText(rawId).slice(0, 4) + "…",
      errors: [...new Set(errors)],
      form: errors.length || !result.success ? null : form,
    });
  }
  if (parsed.length === 0) throw new SpreadsheetError("表头下面没有数据行");
  return parsed;
}

/**
 * Stores the parsed rows for preview. A row whose number belongs to someone outside the officer's
 * scope is refused here, once, at the cost of one exact lookup each (see refuseNumberElsewhere),
 * so that neither the preview nor the commit says more about that person.
 */
export async function createImportBatch(db: DB, actor: SessionUser, campaign: Campaign, unitId: number, filename: string, parsed: ParsedRow[]) {
  return db.transaction().execute(async (tx) => {
    const rows = await refuseRowsOfOthers(tx, actor, parsed);
    const row = await tx
      .insertInto("import_batch")
      .values({
        campaign_id: campaign.id,
        org_unit_id: unitId,
        uploaded_by: actor.id,
        filename: filename.slice(0, 200),
        rows_cipher: encrypt(JSON.stringify(rows)),
        row_count: rows.length,
        error_count: rows.filter((r) => r.errors.length).length,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

async function refuseRowsOfOthers(tx: Tx, actor: SessionUser, rows: ParsedRow[]): Promise<ParsedRow[]> {
  const idOf = (r: ParsedRow) => String(r.form!.idNumber).toUpperCase();
  const hashes = rows.filter((r) => r.form).map((r) => lookupHash(idOf(r)));
  if (!hashes.length) return rows;
  const people = await tx.selectFrom("person").select(["id", "org_unit_id", "id_number_hash"]).where("id_number_hash", "in", hashes).execute();
  const others = new Set(people.filter((p) => !canEditPerson(actor, p)).map((p) => p.id_number_hash));
  const checked: ParsedRow[] = [];
  for (const r of rows) {
    if (!r.form || !others.has(lookupHash(idOf(r)))) checked.push(r);
    else checked.push({ ...r, form: null, errors: [(await refuseNumberElsewhere(tx, actor, idOf(r), "导入汇总表")).message] });
  }
  return checked;
}

export async function findImportBatch(db: DB, actor: SessionUser, campaignId: number, batchId: number) {
  const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).where("campaign_id", "=", campaignId).executeTakeFirst();
  // A batch holds personal data: only the officer who uploaded it (or the city) opens it.
  if (!batch || (actor.role !== "city_admin" && batch.uploaded_by !== actor.id)) return null;
  return { ...batch, rows: JSON.parse(decrypt(batch.rows_cipher)) as ParsedRow[] };
}

/** What committing would do to each valid row: new nomination, or one already on file. */
export async function previewStatus(db: DB, campaignId: number, rows: ParsedRow[]) {
  const hashes = rows.filter((r) => r.form).map((r) => lookupHash(String(r.form!.idNumber).toUpperCase()));
  if (!hashes.length) return new Map<string, string>();
  const existing = await db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["person.id_number_hash", "nomination.seq"])
    .where("nomination.campaign_id", "=", campaignId)
    .where("person.id_number_hash", "in", hashes)
    .execute();
  return new Map(existing.map((e) => [e.id_number_hash, `已在本届推荐名单中（编号 ${e.seq}），将按表格核对`]));
}

export type CommitResult =
  | { ok: true; created: number; updated: number; unchanged: number }
  | { ok: false; status: 403 | 409; message: string }
  | { ok: false; status: 400; rowErrors: Array<{ line: number; errors: string[] }> };

/** Writes every valid row in one transaction: all of them or, if any fails now, none. */
export async function commitImport(db: DB, actor: SessionUser, campaign: Campaign, batchId: number, today: string): Promise<CommitResult> {
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
      const rows = JSON.parse(decrypt(batch.rows_cipher)) as ParsedRow[];
      const counts = { created: 0, updated: 0, unchanged: 0 };
      for (const row of rows) {
        if (!row.form) continue;
        const input = updateNominationSchema.parse(row.form);
        const result = await writeNomination(tx, actor, campaign, input, {
          nominatingUnitId: batch.org_unit_id,
          today,
          allowUpdateByIdNumber: true,
        });
        if (!result.ok) {
          const errors = "fieldErrors" in result ? Object.entries(result.fieldErrors).map(([f, m]) => `${LABEL[f] ?? f}：${m.join("；")}`) : ["无权修改该推荐"];
          throw new RowFailure([{ line: row.line, errors }]);
        }
        counts[result.change]++;
      }
      await tx
        .updateTable("import_batch")
        .set({ status: "committed", committed_at: new Date(), summary: JSON.stringify(counts) })
        .where("id", "=", batchId)
        .execute();
      await recordAudit(tx, IMPORT_AUDIT, {
        actor,
        id: batchId,
        unit: batch.org_unit_id,
        action: "import",
        after: { filename: batch.filename, ...counts, skippedWithErrors: batch.error_count },
      });
      return { ok: true as const, ...counts };
    });
  } catch (error) {
    if (error instanceof RowFailure) return { ok: false, status: 400, rowErrors: error.rowErrors };
    throw error;
  }
}

/** The 汇总表 of a campaign (or one unit) in the same columns the import reads. */
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
  const unitId = actor.role === "county_officer" ? actor.orgUnitId! : request.unitId;
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
  const keys = Object.keys(COLUMNS) as ColumnKey[];
  const headers = [...keys.map((k) => COLUMNS[k].header), "推荐方式", "推荐单位"];
  const title = sheet.addRow([`${campaign.title}推荐人选汇总表`]);
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, headers.length);
  const head = sheet.addRow(headers);
  head.font = { bold: true };
  for (const r of rows) {
    const values: Record<ColumnKey, string | number> = {
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
      frontlineYears: r.frontline_years,
      inSkillPost: r.in_skill_post ? "是" : "否",
      conditions: r.conditions.map((c) => "一二三四五"[c - 1]).join("、"),
      teacherOrResearcher: r.teacher_or_researcher ? "是" : "否",
      honors: r.honors,
      achievements: r.achievements,
      deedsSummary: r.deeds_summary,
      phone: options.revealIds && r.phone_cipher ? decrypt(r.phone_cipher) : (r.phone_masked ?? ""),
      county: r.county,
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
