import crypto from "node:crypto";
import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { HonourKind } from "~db/types";
import { isCityAdmin, isCountyOfficer, type SessionUser } from "~/auth/roles";
import { isOfficerOf } from "~/auth/relation";
import { recordAudit } from "~/lib/audit.server";
import { offThread } from "~/lib/off-thread.server";
import { refuse, type Result } from "~/lib/result";
import {
  cleanText,
  compactText,
  plainText,
  readTypedDate,
  SMALL_UPLOAD_BYTES,
  SpreadsheetError,
  TOO_LARGE,
  unpackedBound,
  type Cell,
} from "~/lib/spreadsheet.server";
import { yearInTaizhou } from "~/lib/time";
import { HONOUR_AUDIT, HONOUR_IMPORT_AUDIT, HONOUR_KIND_LABELS } from "~/modules/honours/labels";
import {
  canManageHonours,
  FIRST_HONOUR_YEAR,
  honourKey,
  honourKindOf,
  honourLevelOf,
  honourStatusOf,
  revocationDateProblem,
  type HonourFacts,
  type HonourLine,
} from "~/modules/honours/policy";
import type { HonourInput } from "~/modules/honours/schema.server";
import { maskIdNumber, maskName } from "~/modules/people/id-number";
import { PERSON_COLUMNS, readPersonList, type PersonList } from "~/modules/people/id-list.server";
import { isUniqueViolation } from "~/modules/people/people.server";
import { lookupHash } from "~/modules/people/pii.server";
import { standingConsent } from "~/modules/showcase/showcase.server";

/**
 * The honour register (issue 35, item 3): a person's honours from other bodies, entered by an
 * officer or imported from a county's list, beside the platform's own 台州工匠 titles, which are
 * read from the award table (never copied), so a revoked title reads 撤销 the moment it is revoked.
 */

/** The platform's own titles stand as a city honour conferred by the city union. */
const PLATFORM_BODY = "台州市总工会";

async function platformTitles(db: DB, personId: number): Promise<HonourLine[]> {
  const rows = await db
    .selectFrom("award")
    .innerJoin("campaign", "campaign.id", "award.campaign_id")
    .leftJoin("revocation", "revocation.id", "award.revocation_id")
    .select(["award.title", "award.certificate_number", "award.named_on", "campaign.year", "revocation.revoked_on", "revocation.reason"])
    .where("award.person_id", "=", personId)
    .orderBy("campaign.year", "desc")
    .execute();
  return rows.map((a) => ({
    id: null,
    level: "city",
    kind: "craftsman",
    title: a.title,
    conferredBy: PLATFORM_BODY,
    year: a.year,
    conferredOn: a.named_on,
    status: a.revoked_on ? "revoked" : "kept",
    revokedOn: a.revoked_on,
    revokedNote: a.reason,
    source: `平台评选命名（证书 ${a.certificate_number}）`,
  }));
}

function registerRows(db: DB, personId: number) {
  return db
    .selectFrom("honour")
    .innerJoin("app_user as creator", "creator.id", "honour.created_by")
    .leftJoin("honour_import", "honour_import.id", "honour.import_id")
    .select([
      "honour.id",
      "honour.level",
      "honour.kind",
      "honour.title",
      "honour.conferred_by",
      "honour.year",
      "honour.conferred_on",
      "honour.status",
      "honour.revoked_on",
      "honour.revoked_note",
      "honour.import_line",
      "honour.withdrawn_at",
      "honour.withdrawn_reason",
      "creator.display_name as creator",
      "honour_import.filename",
    ])
    .where("honour.person_id", "=", personId)
    .orderBy("honour.year", "desc")
    .orderBy("honour.id", "desc");
}

type RegisterRow = Awaited<ReturnType<ReturnType<typeof registerRows>["execute"]>>[number];

const lineOf = (h: RegisterRow): HonourLine => ({
  id: h.id,
  level: h.level,
  kind: h.kind,
  title: h.title,
  conferredBy: h.conferred_by,
  year: h.year,
  conferredOn: h.conferred_on,
  status: h.status,
  revokedOn: h.revoked_on,
  revokedNote: h.revoked_note,
  source: h.filename ? `${h.creator} 导入自“${h.filename}”第 ${h.import_line} 行` : `${h.creator} 录入`,
});

/**
 * A person's honours: the register's standing entries and the platform's titles, newest year first.
 * Who may read them is the record page's question (personForViewer); withdrawn entries are the
 * officers' (`withdrawnHonoursOf`).
 */
export async function honoursOf(db: DB, personId: number): Promise<HonourLine[]> {
  const [register, platform] = await Promise.all([registerRows(db, personId).where("honour.withdrawn_at", "is", null).execute(), platformTitles(db, personId)]);
  return [...register.map(lineOf), ...platform].sort((a, b) => b.year - a.year);
}

/** Entries withdrawn as mistaken, with why: kept and shown to the officers, never counted as honours. */
export async function withdrawnHonoursOf(db: DB, personId: number) {
  const rows = await registerRows(db, personId).where("honour.withdrawn_at", "is not", null).execute();
  return rows.map((h) => ({ ...lineOf(h), withdrawnAt: h.withdrawn_at!, withdrawnReason: h.withdrawn_reason! }));
}

/** The history of every honour of a person, oldest first (each row is kept under its honour). */
export async function honourHistoryOf(db: DB, personId: number) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("entity_type", "=", HONOUR_AUDIT.entity)
    .where(
      "entity_id",
      "in",
      db
        .selectFrom("honour")
        .select(sql<string>`honour.id::text`.as("id"))
        .where("person_id", "=", personId),
    )
    .orderBy("id", "asc")
    .execute();
}

/**
 * What the public sees on a craftsman's page: honours held (保持, not withdrawn), level, name, body
 * and year — only while the person's publication consent stands, nothing without it.
 */
export async function publicHonours(db: DB, personId: number) {
  return db
    .selectFrom("honour")
    .innerJoin("publication_consent as consent", standingConsent("honour.person_id"))
    .select(["honour.id", "honour.level", "honour.title", "honour.conferred_by", "honour.year"])
    .where("honour.person_id", "=", personId)
    .where("honour.status", "=", "kept")
    .where("honour.withdrawn_at", "is", null)
    .orderBy("honour.year", "desc")
    .orderBy("honour.id", "desc")
    .execute();
}

/** The person, locked, if the actor may change their honours. */
async function managedPerson(tx: Tx, actor: SessionUser, personId: number): Promise<Result<{ person: { id: number; org_unit_id: number } }>> {
  const person = await tx.selectFrom("person").select(["id", "org_unit_id"]).where("id", "=", personId).forUpdate().executeTakeFirst();
  if (!person) return refuse("人员不存在", { status: 404 });
  if (!canManageHonours(actor, person)) return refuse("只有本人所在单位的工会或市总工会可以登记荣誉", { status: 403 });
  return { ok: true, person };
}

const ALREADY = "该荣誉已登记过（同一级别、类别、名称和年份），不能重复登记";

const honourAfter = (h: { level: string; kind: string; title: string; conferred_by: string; year: number; conferred_on?: string | null }) => ({
  level: h.level,
  kind: h.kind,
  title: h.title,
  conferredBy: h.conferred_by,
  year: h.year,
  ...(h.conferred_on ? { conferredOn: h.conferred_on } : {}),
});

export async function addHonour(db: DB, actor: SessionUser, personId: number, input: HonourInput): Promise<Result<{ id: number }>> {
  try {
    return await db.transaction().execute(async (tx) => {
      const managed = await managedPerson(tx, actor, personId);
      if (!managed.ok) return managed;
      const values = {
        person_id: personId,
        level: input.level,
        kind: input.kind,
        title: input.title,
        conferred_by: input.conferredBy,
        year: input.year,
        conferred_on: input.conferredOn ?? null,
        created_by: actor.id,
      };
      const same = await tx
        .selectFrom("honour")
        .select("id")
        .where("person_id", "=", personId)
        .where("level", "=", input.level)
        .where("kind", "=", input.kind)
        .where("title", "=", input.title)
        .where("year", "=", input.year)
        .where("withdrawn_at", "is", null)
        .executeTakeFirst();
      if (same) return refuse(ALREADY, { status: 409, field: "title" });
      const { id } = await tx.insertInto("honour").values(values).returning("id").executeTakeFirstOrThrow();
      await recordAudit(tx, HONOUR_AUDIT, { actor, id, unit: managed.person.org_unit_id, action: "create", after: { ...honourAfter(values), personId } });
      return { ok: true as const, id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(ALREADY, { status: 409, field: "title" });
    throw error;
  }
}

/** A standing entry of the person, locked for a change. */
async function standingHonour(tx: Tx, personId: number, honourId: number) {
  return tx
    .selectFrom("honour")
    .select(["id", "status", "title", "year", "conferred_on", "withdrawn_at"])
    .where("id", "=", honourId)
    .where("person_id", "=", personId)
    .forUpdate()
    .executeTakeFirst();
}

/** 保持 → 撤销, with the date and a note; kept in the honour's history. A revocation is not undone here. */
export async function revokeHonour(
  db: DB,
  actor: SessionUser,
  personId: number,
  input: { honourId: number; revokedOn: string; note: string },
): Promise<Result> {
  return db.transaction().execute(async (tx): Promise<Result> => {
    const managed = await managedPerson(tx, actor, personId);
    if (!managed.ok) return managed;
    const honour = await standingHonour(tx, personId, input.honourId);
    if (!honour || honour.withdrawn_at) return refuse("荣誉不存在", { status: 404 });
    if (honour.status === "revoked") return refuse("该荣誉已登记为撤销", { status: 409 });
    const badDate = revocationDateProblem(input.revokedOn, { year: honour.year, conferredOn: honour.conferred_on });
    if (badDate) return refuse(badDate, { field: "revokedOn" });
    await tx.updateTable("honour").set({ status: "revoked", revoked_on: input.revokedOn, revoked_note: input.note }).where("id", "=", honour.id).execute();
    await recordAudit(tx, HONOUR_AUDIT, {
      actor,
      id: honour.id,
      unit: managed.person.org_unit_id,
      action: "revoke",
      before: { status: "kept" },
      after: { status: "revoked", revokedOn: input.revokedOn },
      comment: input.note,
    });
    return { ok: true };
  });
}

/** A mistaken entry is withdrawn with a reason, never deleted: it leaves the lists and stays in the history. */
export async function withdrawHonour(db: DB, actor: SessionUser, personId: number, input: { honourId: number; reason: string }): Promise<Result> {
  return db.transaction().execute(async (tx): Promise<Result> => {
    const managed = await managedPerson(tx, actor, personId);
    if (!managed.ok) return managed;
    const honour = await standingHonour(tx, personId, input.honourId);
    if (!honour) return refuse("荣誉不存在", { status: 404 });
    if (honour.withdrawn_at) return refuse("该录入已撤回", { status: 409 });
    await tx
      .updateTable("honour")
      .set({ withdrawn_at: new Date(), withdrawn_by: actor.id, withdrawn_reason: input.reason })
      .where("id", "=", honour.id)
      .execute();
    await recordAudit(tx, HONOUR_AUDIT, { actor, id: honour.id, unit: managed.person.org_unit_id, action: "withdraw", comment: input.reason });
    return { ok: true };
  });
}

// ——— Importing a list ———

/** A list's columns by the names counties give them; the header is found by them, below any title lines. */
const LIST_COLUMNS = {
  ...PERSON_COLUMNS,
  title: ["荣誉名称", "荣誉称号", "获得荣誉", "荣誉"],
  level: ["级别", "荣誉级别", "层级"],
  conferredBy: ["授予单位", "授予机关", "授予部门", "颁发单位"],
  year: ["年份", "授予年份", "获得年份", "授予时间", "获得时间", "时间"],
  status: ["状态", "荣誉状态"],
  kind: ["类别", "荣誉类别"],
  revokedOn: ["撤销日期", "撤销时间"],
  revokedNote: ["撤销原因", "撤销说明"],
};

/** A row read and checked, with the ID number it names (held in memory only; never stored). */
export interface ListedHonour extends HonourFacts {
  line: number;
  idNumber: string;
  name: string;
}

export type HonourFile = PersonList<ListedHonour>;

const KIND_BY_LABEL = new Map<string, HonourKind>(Object.entries(HONOUR_KIND_LABELS).map(([k, label]) => [label, k as HonourKind]));

/** A year as lists write it (2019, 2019年, ２０１９, 2019.05, a date cell), and the day when one is given. */
function readYear(value: Cell): Result<{ year: number; date: string | null }> {
  // A number cell or “2018年” is a year as it stands (the date reader would take 20240 for an Excel serial day).
  const bare = typeof value === "number" ? String(value) : compactText(value).match(/^(\d+)年?$/)?.[1];
  const typed = bare === undefined ? readTypedDate(value) : null;
  if (bare === undefined && !typed) return refuse("缺少年份");
  if (typed && !typed.ok) return refuse(`年份“${cleanText(value)}”无法识别，请写成 2019 或 2019-05-01`);
  const year = typed?.ok ? Number(typed.shown.slice(0, 4)) : /^\d+$/.test(bare ?? "") ? Number(bare) : NaN;
  if (Number.isNaN(year)) return refuse(`年份“${cleanText(value)}”无法识别，请写成 2019 或 2019-05-01`);
  if (year < FIRST_HONOUR_YEAR || year > yearInTaizhou()) return refuse(`年份应在 ${FIRST_HONOUR_YEAR} 到 ${yearInTaizhou()} 之间`);
  return { ok: true, year, date: typed?.ok ? typed.full : null };
}

/**
 * Reads a county's honour list; its people are read as the subsidy lists' are (readPersonList),
 * then each row's honour is checked.
 */
export async function parseHonourList(bytes: Uint8Array): Promise<HonourFile> {
  const list = {
    columns: LIST_COLUMNS,
    required: ["title", "level", "conferredBy", "year"],
    noHeader: "找不到表头：表格中需要有“姓名”“身份证号码”“荣誉名称”“级别”“授予单位”“年份”六列",
    noRows: "表头下面没有荣誉名单数据行",
  } as const;
  return readPersonList(bytes, list, ({ line, name, idNumber, at, reasons }) => {
    const title = plainText(at("title")).replace(/\s+/g, " ");
    if (!title) reasons.push("缺少荣誉名称");
    else if (title.length > 100) reasons.push("荣誉名称不能超过100字");
    const conferredBy = plainText(at("conferredBy")).replace(/\s+/g, " ");
    if (!conferredBy) reasons.push("缺少授予单位");
    else if (conferredBy.length > 100) reasons.push("授予单位不能超过100字");
    const levelText = compactText(at("level"));
    const level = honourLevelOf(levelText);
    if (!level) reasons.push(levelText ? `级别“${levelText.slice(0, 20)}”无法识别，应为全国、省级、市级或县级` : "缺少级别");
    const kindText = compactText(at("kind"));
    const kind = kindText ? (KIND_BY_LABEL.get(kindText) ?? null) : honourKindOf(title);
    if (!kind) reasons.push(`类别“${kindText.slice(0, 20)}”无法识别`);
    const year = readYear(at("year"));
    if (!year.ok) reasons.push(year.message);
    const statusText = compactText(at("status"));
    const status = honourStatusOf(statusText);
    if (!status) reasons.push(`状态“${statusText.slice(0, 20)}”无法识别，应为保持或撤销`);
    let revokedOn: string | null = null;
    if (status === "revoked") {
      const typed = readTypedDate(at("revokedOn"));
      const badDate = typed?.ok && typed.full && year.ok ? revocationDateProblem(typed.full, { year: year.year, conferredOn: year.date }) : null;
      if (!typed?.ok || !typed.full) reasons.push("状态为撤销时需填写撤销日期（年-月-日）");
      else if (badDate) reasons.push(badDate);
      else revokedOn = typed.full;
    }
    if (reasons.length || !idNumber || !level || !kind || !year.ok || !status) return null;
    return {
      line,
      idNumber,
      name,
      level,
      kind,
      title,
      conferredBy,
      year: year.year,
      conferredOn: year.date,
      status,
      revokedOn,
      revokedNote: status === "revoked" ? plainText(at("revokedNote")).slice(0, 500) || null : null,
    };
  });
}

const parseHonourListOffThread = offThread("honours.parse", parseHonourList, {
  expected: [SpreadsheetError],
  crashed: TOO_LARGE,
  small: (bytes) => unpackedBound(bytes) <= SMALL_UPLOAD_BYTES,
});

/** A good row as the preview keeps it: the person matched, never the ID number. */
export interface PreviewRow extends Omit<ListedHonour, "idNumber" | "name"> {
  personId: number;
}

/** What an upload found, kept until the officer commits or discards it. */
export interface ImportPreview {
  rows: PreviewRow[];
  /** Rows refused: unreadable, naming nobody known, or a person outside the county. */
  problems: string[];
  /** Rows passed over: an honour the person already has. */
  skipped: string[];
}

/** Rows matched per statement: a province's list is a few statements, not one too large. */
const MATCH_CHUNK = 1000;

async function existingKeys(db: DB | Tx, personIds: number[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let i = 0; i < personIds.length; i += MATCH_CHUNK) {
    const rows = await db
      .selectFrom("honour")
      .select(["person_id", "level", "kind", "title", "year"])
      .where("person_id", "in", personIds.slice(i, i + MATCH_CHUNK))
      .where("withdrawn_at", "is", null)
      .execute();
    for (const r of rows) keys.add(honourKey(r));
  }
  return keys;
}

const fileHash = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

const ALREADY_IMPORTED = "该文件已导入过，同一文件不能重复导入";

/** A county's row naming no one of its own people, whether or not the number is on the platform elsewhere. */
const NOT_OURS = "本单位人员中没有此身份证号码，只能导入本单位人员的荣誉（新人员请先登记再导入）";

/**
 * Reads and matches an uploaded list, storing only its preview: each good row's person (by the ID
 * number's keyed hash), what was refused and what was passed over. Honours are written when the
 * officer commits (`commitHonourImport`). A county reaches only its own people; a row naming
 * someone of another county is refused without saying who they are.
 */
export async function uploadHonourList(db: DB, actor: SessionUser, file: { name: string; bytes: Uint8Array }): Promise<Result<{ id: number }>> {
  if (!isCityAdmin(actor) && !isCountyOfficer(actor)) return refuse("只有市总工会和县级总工会可以导入荣誉名单", { status: 403 });
  const sha256 = fileHash(file.bytes);
  const committed = await db.selectFrom("honour_import").select("id").where("sha256", "=", sha256).where("status", "=", "committed").executeTakeFirst();
  if (committed) return refuse(ALREADY_IMPORTED, { status: 409, field: "file" });
  let parsed: HonourFile;
  try {
    parsed = await parseHonourListOffThread(file.bytes);
  } catch (error) {
    if (error instanceof SpreadsheetError) return refuse(error.message, { field: "file" });
    throw error;
  }
  const hashes = [...new Set(parsed.rows.map((r) => lookupHash(r.idNumber)))];
  const people = new Map<string, { id: number; name: string; org_unit_id: number }>();
  for (let i = 0; i < hashes.length; i += MATCH_CHUNK) {
    const found = await db
      .selectFrom("person")
      .select(["id", "name", "org_unit_id", "id_number_hash"])
      .where("id_number_hash", "in", hashes.slice(i, i + MATCH_CHUNK))
      .execute();
    for (const p of found) people.set(p.id_number_hash, p);
  }
  // The reader quotes what a bad cell showed (3.31E+17, 331081198506010000): kept, a preview must not hold it.
  const unquoted = (p: string) => p.replace(/\d(\.\d+)?E\+?\d+|[\dXx]{15,}/gi, (n) => maskIdNumber(n));
  const preview: ImportPreview = { rows: [], problems: parsed.problems.map(unquoted), skipped: [] };
  const known = await existingKeys(db, [...new Set([...people.values()].map((p) => p.id))]);
  const said = (r: ListedHonour, what: string) => `第 ${r.line} 行（${maskName(r.name)}）：${what}`;
  // A county hears the same of a number held under another county as of a number not on the platform: whether
  // someone's ID number is on the platform is not its to learn. The city sees everyone, so it is told which.
  const notFound = isCityAdmin(actor) ? "平台人员库中没有此身份证号码的人员，请先登记人员再导入" : NOT_OURS;
  for (const r of parsed.rows) {
    const person = people.get(lookupHash(r.idNumber));
    if (!person || !isOfficerOf(actor, person.org_unit_id)) preview.problems.push(said(r, notFound));
    else if (person.name !== r.name) preview.problems.push(said(r, "姓名与平台登记的不一致，请核对"));
    else {
      const { idNumber: _id, name: _name, ...honour } = r;
      const row: PreviewRow = { ...honour, personId: person.id };
      const key = honourKey({ person_id: person.id, ...row });
      if (known.has(key)) preview.skipped.push(said(r, `“${r.title}”（${r.year}）已登记过，跳过`));
      else {
        known.add(key);
        preview.rows.push(row);
      }
    }
  }
  // The reader's refusals and the matching's, in the sheet's order.
  const lineOf = (p: string) => Number(p.match(/^第 (\d+) 行/)?.[1] ?? Infinity);
  preview.problems.sort((a, b) => lineOf(a) - lineOf(b));
  // A list with nothing to write has nothing to confirm: refused at once, every row's reason said.
  if (!preview.rows.length && !preview.skipped.length) {
    return refuse(`没有可导入的行：${parsed.badRows + parsed.rows.length} 行都有问题，请改正后重新上传`, { field: "file", reasons: preview.problems });
  }
  const { id } = await db
    .insertInto("honour_import")
    .values({
      org_unit_id: isCountyOfficer(actor) ? actor.orgUnitId : null,
      filename: file.name.slice(0, 200) || "名单.xlsx",
      sha256,
      preview: JSON.stringify(preview),
      uploaded_by: actor.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ok: true, id };
}

/** An upload as its page shows it, if the actor may see it: the city every one, a county its own. */
export async function honourImportFor(db: DB, actor: SessionUser, importId: number) {
  const row = await db
    .selectFrom("honour_import")
    .innerJoin("app_user", "app_user.id", "honour_import.uploaded_by")
    .select([
      "honour_import.id",
      "honour_import.org_unit_id",
      "honour_import.filename",
      "honour_import.status",
      "honour_import.preview",
      "honour_import.uploaded_at",
      "honour_import.imported",
      "app_user.display_name as uploaded_by",
    ])
    .where("honour_import.id", "=", importId)
    .executeTakeFirst();
  if (!row) return refuse("导入记录不存在", { status: 404 });
  if (!mayReachImport(actor, row.org_unit_id)) return refuse("无权查看该导入", { status: 403 });
  const preview = row.preview as unknown as ImportPreview;
  const names = preview.rows.length
    ? await db
        .selectFrom("person")
        .select(["id", "name"])
        .where("id", "in", [...new Set(preview.rows.map((r) => r.personId))])
        .execute()
    : [];
  const nameOf = new Map(names.map((p) => [p.id, p.name]));
  return { ok: true as const, upload: { ...row, preview: { ...preview, rows: preview.rows.map((r) => ({ ...r, name: nameOf.get(r.personId) ?? "" })) } } };
}

/** The city reaches every upload; a county its own unit's (never the city's, which may hold any county's people). */
const mayReachImport = (actor: SessionUser, unitId: number | null) => (unitId === null ? isCityAdmin(actor) : isOfficerOf(actor, unitId));

/** The latest uploads the actor may see. */
export async function honourImports(db: DB, actor: SessionUser) {
  let query = db
    .selectFrom("honour_import")
    .innerJoin("app_user", "app_user.id", "honour_import.uploaded_by")
    .select([
      "honour_import.id",
      "honour_import.filename",
      "honour_import.status",
      "honour_import.uploaded_at",
      "honour_import.imported",
      "app_user.display_name as uploaded_by",
    ])
    .orderBy("honour_import.id", "desc")
    .limit(50);
  if (isCountyOfficer(actor)) query = query.where("honour_import.org_unit_id", "=", actor.orgUnitId);
  return query.execute();
}

async function lockedPreview(tx: Tx, actor: SessionUser, importId: number) {
  const row = await tx
    .selectFrom("honour_import")
    .select(["id", "org_unit_id", "status", "preview", "filename"])
    .where("id", "=", importId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return refuse("导入记录不存在", { status: 404 });
  if (!mayReachImport(actor, row.org_unit_id)) return refuse("无权操作该导入", { status: 403 });
  if (row.status !== "preview") return refuse(row.status === "committed" ? "该名单已导入" : "该名单已放弃导入", { status: 409 });
  return { ok: true as const, row, preview: row.preview as unknown as ImportPreview };
}

/**
 * Writes the preview's good rows as honours, all in one transaction with their history. Each row is
 * checked again (a person moved to another county, an honour entered meanwhile is passed over).
 */
export async function commitHonourImport(db: DB, actor: SessionUser, importId: number): Promise<Result<{ imported: number; skipped: number }>> {
  try {
    return await db.transaction().execute(async (tx) => {
      const locked = await lockedPreview(tx, actor, importId);
      if (!locked.ok) return locked;
      const { row, preview } = locked;
      const personIds = [...new Set(preview.rows.map((r) => r.personId))];
      const people = new Map<number, number>();
      for (let i = 0; i < personIds.length; i += MATCH_CHUNK) {
        const found = await tx
          .selectFrom("person")
          .select(["id", "org_unit_id"])
          .where("id", "in", personIds.slice(i, i + MATCH_CHUNK))
          .execute();
        for (const p of found) people.set(p.id, p.org_unit_id);
      }
      const known = await existingKeys(tx, personIds);
      let imported = 0;
      let skipped = 0;
      for (const r of preview.rows) {
        const unit = people.get(r.personId);
        const key = honourKey({ person_id: r.personId, ...r });
        if (unit === undefined || !isOfficerOf(actor, unit) || known.has(key)) {
          skipped++;
          continue;
        }
        known.add(key);
        const values = {
          person_id: r.personId,
          level: r.level,
          kind: r.kind,
          title: r.title,
          conferred_by: r.conferredBy,
          year: r.year,
          conferred_on: r.conferredOn,
          status: r.status,
          revoked_on: r.revokedOn,
          revoked_note: r.revokedNote,
          import_id: row.id,
          import_line: r.line,
          created_by: actor.id,
        };
        const { id } = await tx.insertInto("honour").values(values).returning("id").executeTakeFirstOrThrow();
        await recordAudit(tx, HONOUR_AUDIT, {
          actor,
          id,
          unit,
          action: "import",
          after: { ...honourAfter(values), personId: r.personId, status: r.status, file: row.filename, line: r.line },
        });
        imported++;
      }
      await tx
        .updateTable("honour_import")
        .set({ status: "committed", decided_by: actor.id, decided_at: new Date(), imported })
        .where("id", "=", row.id)
        .execute();
      await recordAudit(tx, HONOUR_IMPORT_AUDIT, {
        actor,
        id: row.id,
        unit: row.org_unit_id,
        action: "commit",
        after: { filename: row.filename, rows: imported, skippedRows: skipped + preview.skipped.length, refusedRows: preview.problems.length },
      });
      return { ok: true as const, imported, skipped };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(ALREADY_IMPORTED, { status: 409 });
    throw error;
  }
}

/** An upload the officer does not want: nothing was written from it, and it is kept as discarded. */
export async function discardHonourImport(db: DB, actor: SessionUser, importId: number): Promise<Result> {
  return db.transaction().execute(async (tx): Promise<Result> => {
    const locked = await lockedPreview(tx, actor, importId);
    if (!locked.ok) return locked;
    await tx.updateTable("honour_import").set({ status: "discarded", decided_by: actor.id, decided_at: new Date() }).where("id", "=", importId).execute();
    await recordAudit(tx, HONOUR_IMPORT_AUDIT, {
      actor,
      id: importId,
      unit: locked.row.org_unit_id,
      action: "discard",
      after: { filename: locked.row.filename },
    });
    return { ok: true };
  });
}
