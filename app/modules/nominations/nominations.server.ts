import { dateInTaizhou } from "~/lib/time";
import type { DB } from "~db";
import type { NominationTable, Person } from "~db/types";
import { isCountyOfficer, type SessionUser } from "~/auth/roles";
import { escapeLike, PAGE_SIZE } from "~/lib/sql";
import { recordAudit } from "~/lib/audit.server";
import type { Campaign } from "~/modules/campaigns/campaigns.server";
import { accessTo, type Access } from "~/lib/access";
import { applyPersonUpdate, insertPerson, isUniqueViolation, PERSON_COLUMNS } from "~/modules/people/people.server";
import { lookupHash } from "~/modules/people/pii.server";
import { canEditPerson } from "~/modules/people/policy";
import { checkEligibility, quotaWarning } from "~/modules/nominations/eligibility";
import { canCreateNomination, canEditNomination, canViewNomination } from "~/modules/nominations/policy";
import { type NominationInput } from "~/modules/nominations/schema.server";
import { ownRowsOf } from "~/auth/scope.server";
import { relationTo } from "~/auth/relation";
import { NOMINATION_AUDIT, STORY_MAX } from "~/modules/nominations/labels";
import { type Tx } from "~db";
import { fieldsRefused, type Refusal, type Result, type SaveResult } from "~/lib/result";
import { exactNumberOf, refuseNumberElsewhere, spendExactLookupAlone } from "~/modules/people/lookup.server";
import { sql, type Selectable } from "kysely";

/** What the nomination itself says: the fields the form or the county's summary table fills. */
export const NOMINATION_CONTENT_COLUMNS = [
  "nomination.channel",
  "nomination.nominating_unit_id",
  "nomination.honors",
  "nomination.achievements",
  "nomination.deeds_summary",
  "nomination.story",
  "nomination.frontline_years",
  "nomination.in_skill_post",
  "nomination.teacher_or_researcher",
  "nomination.conditions",
  "nomination.remarks",
] as const;

export const NOMINATION_COLUMNS = [
  "nomination.id",
  "nomination.campaign_id",
  "nomination.person_id",
  "nomination.seq",
  ...NOMINATION_CONTENT_COLUMNS,
  "nomination.import_warnings",
  "nomination.quota_acknowledged_by",
  "nomination.quota_acknowledged_at",
  "nomination.qualification_result",
  "nomination.qualification_reason",
  "nomination.candidate",
  "nomination.vote_count",
  "nomination.withdrawn_reason",
  "nomination.final_rank",
  "nomination.created_at",
  "nomination.updated_at",
] as const;

/** The list-query form of policy.canViewNomination. */
export function nominationVisibleTo(user: SessionUser) {
  return ownRowsOf<"nomination">(user, { unit: "nomination.nominating_unit_id", person: "nomination.person_id" });
}

function baseQuery(db: DB) {
  return db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .innerJoin("org_unit as unit", "unit.id", "nomination.nominating_unit_id")
    .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
    .leftJoin("award", "award.nomination_id", "nomination.id");
}

const VIEW_COLUMNS = [
  ...NOMINATION_COLUMNS,
  ...PERSON_COLUMNS.filter((c) => c !== "person.id" && c !== "person.created_at" && c !== "person.updated_at"),
  "unit.short_name as unit_name",
  "unit.kind as unit_kind",
  "campaign.number as campaign_number",
  "campaign.status as campaign_status",
  "campaign.quota_per_unit",
  "award.certificate_number",
  "award.rank as award_rank",
] as const;

export async function findNomination(db: DB, id: number) {
  return baseQuery(db).select(VIEW_COLUMNS).where("nomination.id", "=", id).executeTakeFirst();
}

export type NominationView = NonNullable<Awaited<ReturnType<typeof findNomination>>>;

export async function nominationForViewer(db: DB, user: SessionUser, id: number): Promise<Access<NominationView>> {
  return accessTo(await findNomination(db, id), (nomination) => canViewNomination(user, nomination));
}

export function eligibilityOf(
  n: Pick<NominationView, "frontline_years" | "in_skill_post" | "teacher_or_researcher" | "conditions" | "skill_level" | "achievements" | "deeds_summary">,
) {
  return checkEligibility({
    frontlineYears: n.frontline_years,
    inSkillPost: n.in_skill_post,
    teacherOrResearcher: n.teacher_or_researcher,
    conditions: n.conditions,
    skillLevel: n.skill_level,
    achievements: n.achievements,
    deedsSummary: n.deeds_summary,
  });
}

/** How many nominations each county-level unit has in the campaign, for the quota warning. */
export async function unitCounts(db: DB, campaignId: number) {
  const rows = await db
    .selectFrom("nomination")
    .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
    .where("nomination.campaign_id", "=", campaignId)
    .select(["org_unit.id", "org_unit.short_name", "org_unit.kind", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["org_unit.id", "org_unit.short_name", "org_unit.kind"])
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.short_name, kind: r.kind, count: Number(r.n) }]));
}

export async function quotaWarningFor(db: DB, n: Pick<NominationView, "campaign_id" | "nominating_unit_id" | "quota_per_unit">) {
  const counts = await unitCounts(db, n.campaign_id);
  const unit = counts.get(n.nominating_unit_id);
  if (!unit || unit.kind !== "county") return null;
  return quotaWarning(unit.name, unit.count, n.quota_per_unit);
}

export interface NominationFilter {
  q?: string;
  unitId?: number;
  stage?: "all" | "eligible" | "ineligible" | "passed" | "failed" | "candidate" | "named";
  page?: number;
}

export async function listNominations(db: DB, user: SessionUser, campaignId: number, filter: NominationFilter) {
  let query = baseQuery(db).where("nomination.campaign_id", "=", campaignId).where(nominationVisibleTo(user));
  if (filter.unitId) query = query.where("nomination.nominating_unit_id", "=", filter.unitId);
  let notice: string | undefined;
  if (filter.q) {
    const exact = exactNumberOf(filter.q);
    if (exact) {
      notice = (await spendExactLookupAlone(db, user, exact, "推荐人选查询"))?.message;
      // Past the day's limit the search matches nothing, and the page says why.
      query = notice ? query.where(sql<boolean>`false`) : query.where(`person.${exact.column}`, "=", exact.hash);
    } else {
      const like = `%${escapeLike(filter.q)}%`;
      query = query.where((eb) => eb.or([eb("person.name", "ilike", like), eb("person.employer", "ilike", like)]));
    }
  }
  switch (filter.stage) {
    case "passed":
    case "failed":
      query = query.where("nomination.qualification_result", "=", filter.stage === "passed" ? "pass" : "fail");
      break;
    case "candidate":
      query = query.where("nomination.candidate", "=", true);
      break;
    case "named":
      query = query.where("award.id", "is not", null);
      break;
  }
  // Eligibility is computed from several fields in code, so those two filters page in code too.
  const byEligibility = filter.stage === "eligible" || filter.stage === "ineligible";
  const page = filter.page ?? 1;
  const rows = await query
    .select(VIEW_COLUMNS)
    .orderBy("nomination.seq")
    .$if(!byEligibility, (q) => q.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    .execute();
  const withEligibility = rows.map((r) => ({ ...r, eligibility: eligibilityOf(r) }));
  if (byEligibility) {
    const wanted = withEligibility.filter((r) => r.eligibility.eligible === (filter.stage === "eligible"));
    return { rows: wanted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total: wanted.length, page, pageSize: PAGE_SIZE, notice };
  }
  const count = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return { rows: withEligibility, total: Number(count.n), page, pageSize: PAGE_SIZE, notice };
}

export type NominationSaveResult = SaveResult<{ id: number; change: "created" | "updated" | "unchanged" }> | Refusal;

/** The unit a nomination is filed under: a county officer's own; for the city, one that fits the channel. */
async function resolveNominatingUnit(db: DB, actor: SessionUser, input: NominationInput): Promise<number | string> {
  if (isCountyOfficer(actor)) {
    if (input.channel === "social_group") return "社会团体推荐由市总工会录入";
    return actor.orgUnitId;
  }
  const unit = await db.selectFrom("org_unit").select("kind").where("id", "=", input.nominatingUnitId).executeTakeFirst();
  if (!unit) return "请选择推荐单位";
  if (input.channel === "social_group" && unit.kind !== "social_group") return "社会团体推荐须选择社会团体";
  if (input.channel !== "social_group" && unit.kind !== "county") return "工会推荐和个人自荐须选择县级总工会";
  return input.nominatingUnitId;
}

function nominationColumns(input: NominationInput) {
  return {
    channel: input.channel,
    honors: input.honors,
    achievements: input.achievements,
    deeds_summary: input.deedsSummary,
    story: input.story,
    frontline_years: input.frontlineYears,
    in_skill_post: input.inSkillPost,
    teacher_or_researcher: input.teacherOrResearcher,
    conditions: input.conditions,
    // Only an import says these; the web form leaves what is stored as it is.
    ...(input.remarks === undefined ? {} : { remarks: input.remarks }),
  };
}

function nominationSummary(n: ReturnType<typeof nominationColumns> & { nominating_unit_id: number }) {
  return {
    channel: n.channel,
    nominatingUnitId: n.nominating_unit_id,
    frontlineYears: n.frontline_years,
    inSkillPost: n.in_skill_post,
    teacherOrResearcher: n.teacher_or_researcher,
    conditions: n.conditions,
    remarks: n.remarks,
    honors: n.honors,
    achievements: n.achievements,
    deedsSummary: n.deeds_summary,
    storyLength: n.story.length,
  };
}

type NominationRecord = Selectable<NominationTable>;

/**
 * Whether the person a nomination is written for may be written by the actor: someone else's
 * person is refused before anything about their nominations is said. "elsewhere" when the number
 * was typed (not reached through a nomination): saying so costs the actor an exact lookup
 * (refuseNumberElsewhere). Pure: the form and the 汇总表 import share it.
 */
export function personRefusal(actor: SessionUser, person: Person | undefined, byNumber: boolean): "elsewhere" | Refusal | null {
  if (!person || canEditPerson(actor, person)) return null;
  return byNumber ? "elsewhere" : fieldsRefused({ idNumber: ["该人员的档案属于其他县级总工会，请联系市总工会修改"] });
}

/** Whether the actor may change the nomination on record (the form and the import alike). */
export function nominationEditRefusal(
  actor: SessionUser,
  campaign: Campaign,
  existing: Pick<NominationRecord, "nominating_unit_id">,
  today: string,
): Refusal | null {
  return canEditNomination(actor, campaign, existing.nominating_unit_id, today) ? null : { ok: false, status: 403, message: "您无权修改此推荐" };
}

/** What writing a nomination does, decided without the database (see planNominationWrite). */
export type NominationWritePlan =
  | { kind: "unchanged"; /** The import's warnings, when they differ from those stored (no history: they are the check's). */ warnings: string | null }
  | { kind: "update"; set: NominationWriteColumns; before: NominationAudit; after: NominationAudit }
  | { kind: "create"; values: NominationWriteColumns; after: NominationAudit };

type NominationWriteColumns = ReturnType<typeof nominationColumns> & { nominating_unit_id: number; import_warnings?: string };
type NominationAudit = ReturnType<typeof nominationSummary>;

/**
 * A nomination written from a form or a 汇总表 row: unchanged (the record is as the input says),
 * the columns to update with the history's before and after, or the row to create. Pure: the form
 * and the import (which writes thousands at once) decide alike.
 */
export function planNominationWrite(
  existing: NominationRecord | undefined,
  input: NominationInput,
  nominatingUnitId: number,
  importWarnings?: string[],
): NominationWritePlan {
  const warnings = importWarnings === undefined ? {} : { import_warnings: JSON.stringify(importWarnings) };
  const columns = { ...nominationColumns(input), nominating_unit_id: nominatingUnitId };
  if (existing) {
    const before = nominationSummary(existing);
    const after = nominationSummary({ ...existing, ...columns });
    if (JSON.stringify(before) === JSON.stringify(after)) {
      // The record is as the file says; the warnings are those of this check.
      const differ = importWarnings && JSON.stringify(existing.import_warnings) !== JSON.stringify(importWarnings);
      return { kind: "unchanged", warnings: differ ? warnings.import_warnings! : null };
    }
    return { kind: "update", set: { ...columns, ...warnings }, before, after };
  }
  return { kind: "create", values: { ...columns, ...warnings }, after: nominationSummary({ remarks: "", ...columns }) };
}

/**
 * Files a nomination, or updates the one this person already has in the campaign. The person
 * record is created or brought up to date from the same form, all in the caller's transaction.
 */
export async function writeNomination(
  tx: Tx,
  actor: SessionUser,
  campaign: Campaign,
  input: NominationInput,
  options: {
    nominatingUnitId: number;
    today: string;
    existingId?: number;
  },
): Promise<NominationSaveResult> {
  let person: Person | undefined;
  if (options.existingId) {
    const nomination = await tx.selectFrom("nomination").select("person_id").where("id", "=", options.existingId).executeTakeFirstOrThrow();
    person = await tx.selectFrom("person").selectAll().where("id", "=", nomination.person_id).forUpdate().executeTakeFirstOrThrow();
  } else if (input.idNumber) {
    person = await tx.selectFrom("person").selectAll().where("id_number_hash", "=", lookupHash(input.idNumber.idNumber)).forUpdate().executeTakeFirst();
  }

  const refused = personRefusal(actor, person, !options.existingId && !!input.idNumber);
  if (refused === "elsewhere") return fieldsRefused({ idNumber: [(await refuseNumberElsewhere(tx, actor, input.idNumber!.idNumber, "推荐人选登记")).message] });
  if (refused) return refused;

  const existing = options.existingId ? await tx.selectFrom("nomination").selectAll().where("id", "=", options.existingId).executeTakeFirst() : undefined;
  if (!existing && person) {
    const other = await tx
      .selectFrom("nomination")
      .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
      .select(["nomination.id", "org_unit.short_name"])
      .where("nomination.campaign_id", "=", campaign.id)
      .where("nomination.person_id", "=", person.id)
      .executeTakeFirst();
    if (other) return fieldsRefused({ idNumber: [`该人员已被推荐参加本届评选（推荐单位：${other.short_name}），同一人每届只能推荐一次`] });
  }
  const notEditable = existing && nominationEditRefusal(actor, campaign, existing, options.today);
  if (notEditable) return notEditable;

  let personId: number;
  let personChanged = false;
  if (person) {
    const saved = await applyPersonUpdate(tx, actor, person, input);
    if (!saved.ok) return saved;
    personChanged = saved.changed ?? false;
    personId = person.id;
  } else {
    const created = await insertPerson(tx, actor, input);
    if (!created.ok) return created;
    personId = created.id;
  }

  const plan = planNominationWrite(existing, input, options.nominatingUnitId);
  if (plan.kind === "unchanged") return { ok: true, id: existing!.id, change: personChanged ? "updated" : "unchanged" };
  if (plan.kind === "update") {
    await tx
      .updateTable("nomination")
      .set({ ...plan.set, updated_at: new Date() })
      .where("id", "=", existing!.id)
      .execute();
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor,
      id: existing!.id,
      unit: options.nominatingUnitId,
      action: "update",
      before: plan.before,
      after: plan.after,
    });
    return { ok: true, id: existing!.id, change: "updated" };
  }

  // The campaign row lock serialises sequence numbers.
  await tx.selectFrom("campaign").select("id").where("id", "=", campaign.id).forUpdate().execute();
  const next = await tx
    .selectFrom("nomination")
    .where("campaign_id", "=", campaign.id)
    .select((eb) => eb.fn.coalesce(eb.fn.max("seq"), eb.lit(0)).as("seq"))
    .executeTakeFirstOrThrow();
  const row = await tx
    .insertInto("nomination")
    .values({ ...plan.values, campaign_id: campaign.id, person_id: personId, seq: Number(next.seq) + 1, created_by: actor.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(tx, NOMINATION_AUDIT, { actor, id: row.id, unit: options.nominatingUnitId, action: "create", after: plan.after });
  return { ok: true, id: row.id, change: "created" };
}

const DUPLICATE_NOMINATION = "该人员已被推荐参加本届评选，同一人每届只能推荐一次";

export async function createNomination(db: DB, actor: SessionUser, campaign: Campaign, input: NominationInput, today: string): Promise<NominationSaveResult> {
  if (!canCreateNomination(actor, campaign, today)) return { ok: false, status: 403, message: "您无权新增此推荐" };
  const unit = await resolveNominatingUnit(db, actor, input);
  if (typeof unit === "string") return fieldsRefused({ nominatingUnitId: [unit] });
  if (isCountyOfficer(actor) && input.orgUnitId !== actor.orgUnitId) {
    return fieldsRefused({ orgUnitId: ["只能推荐本单位的人员"] });
  }
  try {
    return await db.transaction().execute((tx) => writeNomination(tx, actor, campaign, input, { nominatingUnitId: unit, today }));
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ idNumber: [DUPLICATE_NOMINATION] });
    throw error;
  }
}

export async function updateNomination(
  db: DB,
  actor: SessionUser,
  campaign: Campaign,
  id: number,
  input: NominationInput,
  today: string,
): Promise<NominationSaveResult> {
  const current = await db.selectFrom("nomination").select(["nominating_unit_id", "person_id"]).where("id", "=", id).executeTakeFirst();
  if (!current) return { ok: false, status: 404, message: "推荐不存在" };
  if (!canEditNomination(actor, campaign, current.nominating_unit_id, today)) return { ok: false, status: 403, message: "您无权修改此推荐" };
  const unit = isCountyOfficer(actor) ? current.nominating_unit_id : await resolveNominatingUnit(db, actor, input);
  if (typeof unit === "string") return fieldsRefused({ nominatingUnitId: [unit] });
  // As on creation: a county officer keeps their nominees in their own unit (the form's 所属单位 can
  // be edited, and would otherwise move the person to another county's records).
  if (isCountyOfficer(actor) && input.orgUnitId !== actor.orgUnitId) {
    return fieldsRefused({ orgUnitId: ["只能推荐本单位的人员"] });
  }
  try {
    return await db.transaction().execute((tx) => writeNomination(tx, actor, campaign, input, { nominatingUnitId: unit, today, existingId: id }));
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ idNumber: [DUPLICATE_NOMINATION] });
    throw error;
  }
}

export async function opinionsOf(db: DB, nominationId: number) {
  return db.selectFrom("nomination_opinion").selectAll().where("nomination_id", "=", nominationId).execute();
}

export type FormBlock = "employer" | "county" | "expert" | "city" | "qualification";

/**
 * Who entered or decided each block of the 审批表, as its history says: the officer's name, their
 * unit (the city's officers belong to the city union) and the Taizhou date — the latest of each.
 */
export async function formSigners(db: DB, nominationId: number): Promise<Partial<Record<FormBlock, { name: string; unit: string | null; on: string }>>> {
  const [rows, city] = await Promise.all([
    db
      .selectFrom("audit_log")
      .leftJoin("app_user", "app_user.id", "audit_log.actor_user_id")
      .leftJoin("org_unit", "org_unit.id", "app_user.org_unit_id")
      .select(["audit_log.action", "audit_log.actor_name", "audit_log.at", "org_unit.name as unit_name", "app_user.role"])
      .where("audit_log.entity_type", "=", "nomination")
      .where("audit_log.entity_id", "=", String(nominationId))
      .where("audit_log.action", "in", ["opinion_employer", "opinion_county", "opinion_expert", "opinion_city", "qualification"])
      .orderBy("audit_log.id", "desc")
      .execute(),
    db.selectFrom("org_unit").select("name").where("kind", "=", "city").executeTakeFirst(),
  ]);
  const signers: Partial<Record<FormBlock, { name: string; unit: string | null; on: string }>> = {};
  for (const row of rows) {
    const block = row.action.replace(/^opinion_/, "") as FormBlock;
    if (signers[block]) continue;
    signers[block] = { name: row.actor_name, unit: row.unit_name ?? (row.role === "city_admin" ? (city?.name ?? null) : null), on: dateInTaizhou(row.at) };
  }
  return signers;
}

/** Employer and county opinions come from the nominating side; the expert and city ones from the city union. */
export function canRecordOpinion(actor: SessionUser, kind: "employer" | "county" | "expert" | "city", unitId: number): boolean {
  const relation = relationTo(actor, unitId, null);
  return relation === "city" || (relation === "county" && (kind === "employer" || kind === "county"));
}

export interface OpinionInput {
  kind: "employer" | "county" | "expert" | "city";
  text: string;
  signer: string;
  /** Null when the signed form gives no date (an import keeps it, with a warning). */
  signedOn: string | null;
}

export function recordOpinion(db: DB, actor: SessionUser, nominationId: number, input: OpinionInput) {
  return db.transaction().execute((tx) => writeOpinion(tx, actor, nominationId, input));
}

/** An opinion as stored and as its history row shows it. */
export function opinionRecord(input: OpinionInput) {
  return { text: input.text, signer: input.signer, signed_on: input.signedOn };
}

/** One of the 审批表's four signed opinions, recorded or replaced inside the caller's transaction. */
export async function writeOpinion(tx: Tx, actor: SessionUser, nominationId: number, input: OpinionInput) {
  const before = await tx
    .selectFrom("nomination_opinion")
    .select(["text", "signer", "signed_on"])
    .where("nomination_id", "=", nominationId)
    .where("kind", "=", input.kind)
    .executeTakeFirst();
  await tx
    .insertInto("nomination_opinion")
    .values({ nomination_id: nominationId, kind: input.kind, ...opinionRecord(input), recorded_by: actor.id })
    .onConflict((oc) => oc.columns(["nomination_id", "kind"]).doUpdateSet({ ...opinionRecord(input), recorded_by: actor.id, recorded_at: new Date() }))
    .execute();
  await recordAudit(tx, NOMINATION_AUDIT, { actor, id: nominationId, action: `opinion_${input.kind}`, before: before ?? null, after: opinionRecord(input) });
}

/** Every campaign a person took part in, how far they got, and their title if named. */
export async function selectionRecord(db: DB, personId: number) {
  return db
    .selectFrom("nomination")
    .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
    .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
    .leftJoin("award", "award.nomination_id", "nomination.id")
    .select([
      "nomination.id",
      "nomination.seq",
      "nomination.qualification_result",
      "nomination.candidate",
      "nomination.vote_count",
      "nomination.withdrawn_reason",
      "campaign.id as campaign_id",
      "campaign.number as campaign_number",
      "campaign.year as campaign_year",
      "campaign.status as campaign_status",
      "org_unit.short_name as unit_name",
      "award.title as award_title",
      "award.certificate_number",
      "award.named_on",
      "award.may_day_medal",
    ])
    .where("nomination.person_id", "=", personId)
    .orderBy("campaign.number", "desc")
    .execute();
}

/** The 事迹材料 of a nomination, from a Word file, by whoever may edit the nomination. */
export async function setStory(db: DB, actor: SessionUser, nominationId: number, story: string, today: string): Promise<Result<{ length: number }>> {
  if (story.length > STORY_MAX)
    return { ok: false, status: 400, message: `事迹材料有 ${story.length} 字，超过了 ${STORY_MAX} 字，请删减后重新上传`, field: "story" };
  if (!story.trim()) return { ok: false, status: 400, message: "Word 文件里没有文字", field: "story" };
  return db.transaction().execute(async (tx): Promise<Result<{ length: number }>> => {
    const current = await tx
      .selectFrom("nomination")
      .select(["story", "nominating_unit_id", "campaign_id"])
      .where("id", "=", nominationId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return { ok: false, status: 404, message: "推荐不存在" };
    const campaign = await tx.selectFrom("campaign").selectAll().where("id", "=", current.campaign_id).executeTakeFirstOrThrow();
    if (!canEditNomination(actor, campaign, current.nominating_unit_id, today)) return { ok: false, status: 403, message: "您无权修改此推荐" };
    await tx.updateTable("nomination").set({ story, updated_at: new Date() }).where("id", "=", nominationId).execute();
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor,
      id: nominationId,
      unit: current.nominating_unit_id,
      action: "story",
      before: { storyLength: current.story.length },
      after: { storyLength: story.length },
    });
    return { ok: true, length: story.length };
  });
}
