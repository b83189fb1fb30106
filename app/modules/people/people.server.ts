import { sql } from "kysely";
import type { DB } from "~db";
import type { Person } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import type { Access } from "~/lib/access";
import { escapeLike, paginate } from "~/lib/sql";
import { recordAudit } from "~/lib/audit.server";
import { crossCheckIdNumber, maskIdNumber, maskPhone, normalisePhone, parseIdNumber, SEX_LABELS } from "~/modules/people/id-number";
import { everyRow, sheet, workbook, type Column } from "~/lib/workbook.server";
import { decrypt, encrypt, lookupHash } from "~/modules/people/pii.server";
import { canEditPerson, canRevealPersonalData, canViewPerson } from "~/modules/people/policy";
import type { PersonInput, PersonUpdateInput } from "~/modules/people/schema.server";
import { ownRowsOf } from "~/auth/scope.server";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { type Tx } from "~db";
import { fieldsRefused, refuse, type Refusal, type Result, type SaveResult } from "~/lib/result";
import { exactNumberOf, refuseNumberElsewhere, spendExactLookupAlone } from "~/modules/people/lookup.server";
import { personFormValues } from "~/modules/people/form-values";
import { pinnedUnit } from "~/auth/relation";
import { guardPhoneChange } from "~/modules/people/phone-guard.server";

/** Every column a page may show: never the ciphertexts or lookup hashes. */
/** What a nominee's own record says about them: the fields a form or an import fills. */
export const PERSON_PROFILE_COLUMNS = [
  "person.name",
  "person.sex",
  "person.birth_date",
  "person.ethnicity",
  "person.education",
  "person.political_status",
  "person.employer",
  "person.industry",
  "person.position",
  "person.title",
  "person.skill_level",
] as const;

export const PERSON_COLUMNS = [
  "person.id",
  "person.org_unit_id",
  ...PERSON_PROFILE_COLUMNS,
  "person.id_number_masked",
  "person.phone_masked",
  "person.created_at",
  "person.updated_at",
] as const;

/** The list-query form of policy.canViewPerson. */
export function personVisibleTo(user: SessionUser) {
  return ownRowsOf<"person">(user, {
    unit: "person.org_unit_id",
    // Themself, and the apprentices of the studio they lead.
    owner: (eb, me) =>
      eb.or([
        eb("person.id", "=", me),
        eb.exists(
          eb
            .selectFrom("mentorship")
            .innerJoin("studio", "studio.id", "mentorship.studio_id")
            .select(sql`1`.as("x"))
            .whereRef("mentorship.apprentice_id", "=", "person.id")
            .where("studio.person_id", "=", me),
        ),
      ]),
  });
}

/** A named craftsman whose consent to be shown in public was never recorded, either way (the to-do and the list's filter). */
export const awaitingConsent = sql<boolean>`exists (select 1 from award where award.person_id = person.id)
  and not exists (select 1 from publication_consent where publication_consent.person_id = person.id)`;

export interface PersonFilter {
  q?: string;
  orgUnitId?: number;
  skillLevel?: string;
  consent?: "missing";
  page?: number;
}

export async function listPeople(db: DB, user: SessionUser, filter: PersonFilter, pageSize?: number) {
  let query = db.selectFrom("person").innerJoin("org_unit", "org_unit.id", "person.org_unit_id").where(personVisibleTo(user));
  if (filter.orgUnitId) query = query.where("person.org_unit_id", "=", filter.orgUnitId);
  if (filter.skillLevel) query = query.where("person.skill_level", "=", filter.skillLevel);
  if (filter.consent === "missing") query = query.where(awaitingConsent);
  let notice: string | undefined;
  if (filter.q) {
    const exact = exactNumberOf(filter.q);
    if (exact) {
      notice = (await spendExactLookupAlone(db, user, exact, "人员查询"))?.message;
      // Past the day's limit the search matches nothing, and the page says why.
      if (notice) query = query.where(sql<boolean>`false`);
      query = query.where(`person.${exact.column}`, "=", exact.hash);
    } else {
      const like = `%${escapeLike(filter.q)}%`;
      query = query.where((eb) => eb.or([eb("person.name", "ilike", like), eb("person.employer", "ilike", like)]));
    }
  }
  return {
    ...(await paginate(query.select([...PERSON_COLUMNS, "org_unit.short_name as unit_name"]).orderBy("person.id", "desc"), query, filter.page, pageSize)),
    notice,
  };
}

export async function findPerson(db: DB, id: number) {
  return db
    .selectFrom("person")
    .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
    .select([...PERSON_COLUMNS, "org_unit.name as unit_name"])
    .where("person.id", "=", id)
    .executeTakeFirst();
}

export type PersonView = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export async function personForViewer(db: DB, user: SessionUser, id: number): Promise<Access<PersonView>> {
  const person = await findPerson(db, id);
  if (!person) return { status: 404 };
  if (canViewPerson(user, person)) return { status: 200, value: person };
  // A craftsman also sees their apprentices, which only the database knows.
  const inScope = await db.selectFrom("person").select("id").where("id", "=", id).where(personVisibleTo(user)).executeTakeFirst();
  return inScope ? { status: 200, value: person } : { status: 403 };
}

type PersonSaveResult = SaveResult<{ id: number; changed?: boolean }>;

export async function checkUnit(db: DB, user: SessionUser, orgUnitId: number): Promise<string | null> {
  const forced = pinnedUnit(user);
  if (forced !== null && forced !== orgUnitId) return "只能登记本单位的人员";
  const unit = await db.selectFrom("org_unit").select("kind").where("id", "=", orgUnitId).executeTakeFirst();
  if (!unit || unit.kind !== "county") return "请选择县级总工会";
  return null;
}

/** The stored forms of an ID and a phone number: ciphertext, lookup hash and mask. */
export function piiColumns(idNumber: string, phone: string | null) {
  return {
    id_number_cipher: encrypt(idNumber),
    id_number_hash: lookupHash(idNumber),
    id_number_masked: maskIdNumber(idNumber),
    phone_cipher: phone ? encrypt(phone) : null,
    phone_hash: phone ? lookupHash(normalisePhone(phone)) : null,
    phone_masked: phone ? maskPhone(phone) : null,
  };
}

export const DUPLICATE_ID = "该身份证号码已登记过，请在人员列表中按号码查找";

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
}

function personColumns(input: PersonInput | PersonUpdateInput) {
  return {
    org_unit_id: input.orgUnitId,
    name: input.name,
    sex: input.sex,
    birth_date: input.birthDate,
    ethnicity: input.ethnicity,
    education: input.education,
    political_status: input.politicalStatus,
    employer: input.employer,
    industry: input.industry,
    position: input.position,
    title: input.title,
    skill_level: input.skillLevel,
  };
}

/** Why a number cannot be registered again: the person is in the user's own records, or elsewhere (which costs a lookup). */
async function clashMessage(tx: Tx, actor: SessionUser, existing: { id: number; org_unit_id: number }, idNumber: string): Promise<string> {
  if (canEditPerson(actor, existing)) return DUPLICATE_ID;
  return (await refuseNumberElsewhere(tx, actor, idNumber, "登记人员")).message;
}

/**
 * What registering a person writes: refused without a number, else the row's columns and what the
 * history keeps of it. Pure, so the form and the 汇总表 import (which writes many at once) decide alike.
 */
export function planNewPerson(
  input: PersonInput,
): Refusal | { ok: true; values: ReturnType<typeof personColumns> & ReturnType<typeof piiColumns>; after: PersonAudit } {
  if (!input.idNumber) return fieldsRefused({ idNumber: ["请输入身份证号码"] });
  const values = { ...personColumns(input), ...piiColumns(input.idNumber.idNumber, input.phone) };
  return { ok: true, values, after: auditSummary(values) };
}

/** Inserts a person inside the caller's transaction (nominations and studios add people too). */
export async function insertPerson(tx: Tx, actor: SessionUser, input: PersonInput): Promise<PersonSaveResult> {
  const plan = planNewPerson(input);
  if (!plan.ok) return plan;
  const existing = await tx.selectFrom("person").select(["id", "org_unit_id"]).where("id_number_hash", "=", plan.values.id_number_hash).executeTakeFirst();
  if (existing) return fieldsRefused({ idNumber: [await clashMessage(tx, actor, existing, input.idNumber!.idNumber)] });
  const row = await tx
    .insertInto("person")
    .values({ ...plan.values, created_by: actor.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(tx, PERSON_AUDIT, { actor, id: row.id, unit: plan.values.org_unit_id, action: "create", after: plan.after });
  return { ok: true, id: row.id };
}

export async function createPerson(db: DB, actor: SessionUser, input: PersonInput): Promise<PersonSaveResult> {
  const unitProblem = await checkUnit(db, actor, input.orgUnitId);
  if (unitProblem) return fieldsRefused({ orgUnitId: [unitProblem] });
  try {
    return await db.transaction().execute((tx) => insertPerson(tx, actor, input));
  } catch (error) {
    // Two officers registering the same number at once: the unique index decides.
    if (isUniqueViolation(error)) return fieldsRefused({ idNumber: [DUPLICATE_ID] });
    throw error;
  }
}

/** What an edit of a person writes, decided without the database (see planPersonUpdate). */
export type PersonUpdatePlan =
  | Refusal
  | { ok: true; changed: false }
  | {
      ok: true;
      changed: true;
      /** The columns to set (the numbers encrypted again), and the row as it will read. */
      set: ReturnType<typeof personColumns> & ReturnType<typeof piiColumns>;
      row: Person;
      /** The history's before and after. */
      before: PersonAudit;
      after: PersonAudit;
      /** A new phone number, which guardPhoneChange must hear of. */
      newPhone: string | null;
    };

/**
 * What an edit does to a person as stored: refused (the stored number no longer agrees with the sex
 * or birth date), nothing (every field as it is: the row, its ciphertexts and timestamps are left
 * alone), or the columns to set and the history. Empty ID and phone fields keep the stored numbers
 * (officers only ever see them masked). Pure: the form and the 汇总表 import share it.
 */
export function planPersonUpdate(current: Person, input: PersonUpdateInput): PersonUpdatePlan {
  const idNumber = input.idNumber?.idNumber ?? decrypt(current.id_number_cipher);
  if (!input.idNumber) {
    // The stored number must still agree with the sex and birth date as edited.
    const parsed = parseIdNumber(idNumber);
    const problem = parsed.ok ? crossCheckIdNumber(parsed.value, input.sex, input.birthDate) : null;
    if (problem) return fieldsRefused({ idNumber: [problem] });
  }
  const storedPhone = current.phone_cipher ? decrypt(current.phone_cipher) : null;
  const phone = input.phone ?? (input.clearPhone ? null : storedPhone);
  const columns = personColumns(input);
  const idHash = lookupHash(idNumber);
  // Compared as written: 0576-87231234 for 057687231234 is a change worth keeping.
  const unchanged =
    idHash === current.id_number_hash && phone === storedPhone && (Object.keys(columns) as Array<keyof typeof columns>).every((k) => columns[k] === current[k]);
  if (unchanged) return { ok: true, changed: false };
  const set = { ...columns, ...piiColumns(idNumber, phone) };
  const row = { ...current, ...set };
  return {
    ok: true,
    changed: true,
    set,
    row,
    before: auditSummary(current),
    after: auditSummary(row),
    newPhone: phone && row.phone_hash !== current.phone_hash ? phone : null,
  };
}

/** Applies an edit to a locked person row inside the caller's transaction (see planPersonUpdate). */
export async function applyPersonUpdate(tx: Tx, actor: SessionUser, current: Person, input: PersonUpdateInput): Promise<PersonSaveResult> {
  const plan = planPersonUpdate(current, input);
  if (!plan.ok) return plan;
  if (!plan.changed) return { ok: true, id: current.id, changed: false };
  if (plan.set.id_number_hash !== current.id_number_hash) {
    const clash = await tx.selectFrom("person").select(["id", "org_unit_id"]).where("id_number_hash", "=", plan.set.id_number_hash).executeTakeFirst();
    if (clash) return fieldsRefused({ idNumber: [await clashMessage(tx, actor, clash, input.idNumber!.idNumber)] });
  }
  await tx
    .updateTable("person")
    .set({ ...plan.set, updated_at: new Date() })
    .where("id", "=", current.id)
    .execute();
  await recordAudit(tx, PERSON_AUDIT, { actor, id: current.id, unit: input.orgUnitId, action: "update", before: plan.before, after: plan.after });
  // A new number is a new sign-in credential for the person's account: see phone-guard.server.ts.
  if (plan.newPhone) await guardPhoneChange(tx, actor, current, plan.newPhone);
  return { ok: true, id: current.id, changed: true };
}

export async function updatePerson(db: DB, actor: SessionUser, id: number, input: PersonUpdateInput): Promise<PersonSaveResult | Refusal> {
  const unitProblem = await checkUnit(db, actor, input.orgUnitId);
  if (unitProblem) return fieldsRefused({ orgUnitId: [unitProblem] });
  try {
    return await db.transaction().execute(async (tx): Promise<PersonSaveResult | Refusal> => {
      const current = await tx.selectFrom("person").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
      if (!current) return { ok: false, status: 404, message: "人员不存在" };
      if (!canEditPerson(actor, current)) return { ok: false, status: 403, message: "您无权修改此人员" };
      return applyPersonUpdate(tx, actor, current, input);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ idNumber: [DUPLICATE_ID] });
    throw error;
  }
}

/** What the history keeps of a person: the fields, with personal numbers masked. */
export type PersonAudit = ReturnType<typeof auditSummary>;

function auditSummary(p: Parameters<typeof personFormValues>[0] & Pick<Person, "org_unit_id" | "id_number_masked" | "phone_masked">) {
  return {
    orgUnitId: p.org_unit_id,
    ...personFormValues(p),
    idNumber: p.id_number_masked,
    phone: p.phone_masked,
  };
}

/** Decrypts a person's ID and phone numbers for a city officer, and records that it was done. */
export async function revealPersonalData(
  db: DB,
  actor: SessionUser,
  id: number,
  reason: string,
  // A form that needs the full number (the 推荐审批表) decides by its own rule; the reveal is recorded the same way.
  allowed = canRevealPersonalData(actor),
): Promise<Result<{ idNumber: string; phone: string | null }>> {
  if (!allowed) return refuse("无权查看", { status: 403 });
  return db.transaction().execute(async (tx) => {
    const person = await tx.selectFrom("person").selectAll().where("id", "=", id).executeTakeFirst();
    if (!person) return refuse("记录不存在", { status: 404 });
    await recordAudit(tx, PERSON_AUDIT, { actor, id, unit: person.org_unit_id, action: "reveal_personal_data", comment: reason });
    return {
      ok: true as const,
      idNumber: decrypt(person.id_number_cipher),
      phone: person.phone_cipher ? decrypt(person.phone_cipher) : null,
    };
  });
}

/** People per county-level unit, within what the user may see. */
export async function peopleByUnit(db: DB, user: SessionUser) {
  return db
    .selectFrom("org_unit")
    .leftJoin("person", (join) => join.onRef("person.org_unit_id", "=", "org_unit.id"))
    .where("org_unit.kind", "=", "county")
    .where(ownRowsOf<"org_unit">(user, { unit: "org_unit.id", person: null }))
    .select(["org_unit.id", "org_unit.short_name", (eb) => eb.fn.count<number>("person.id").as("people")])
    .groupBy(["org_unit.id", "org_unit.short_name", "org_unit.sort_order"])
    .orderBy("org_unit.sort_order")
    .execute();
}

/** The people list with its filter as .xlsx: ID and phone numbers masked, as the page shows them. */
export async function peopleWorkbook(db: DB, user: SessionUser, filter: PersonFilter): Promise<Buffer> {
  const rows = await everyRow((page, pageSize) => listPeople(db, user, { ...filter, page }, pageSize));
  const columns: Array<Column<(typeof rows)[number]>> = [
    { header: "姓名", value: (p) => p.name },
    { header: "性别", value: (p) => SEX_LABELS[p.sex] },
    { header: "身份证号", width: 22, value: (p) => p.id_number_masked },
    { header: "手机号", value: (p) => p.phone_masked },
    { header: "民族", value: (p) => p.ethnicity },
    { header: "学历", value: (p) => p.education },
    { header: "政治面貌", value: (p) => p.political_status },
    { header: "工作单位", width: 28, value: (p) => p.employer },
    { header: "所属行业", value: (p) => p.industry },
    { header: "职务", value: (p) => p.position },
    { header: "职称", value: (p) => p.title },
    { header: "技术等级", value: (p) => p.skill_level },
    { header: "所属工会", value: (p) => p.unit_name },
  ];
  return workbook(sheet("人员档案", "人员档案（身份证号、手机号已隐去部分数字）", columns, rows));
}
