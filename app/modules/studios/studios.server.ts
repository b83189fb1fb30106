import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { DB } from "../../../db";
import type { Database, FocusSector, StudioStatus } from "../../../db/types";
import type { SessionUser } from "../../auth/roles";
import { checkEvidenceFiles } from "../../lib/files";
import { escapeLike, PAGE_SIZE } from "../../lib/sql";
import { recordAudit } from "../audit/audit.server";
import { accessTo, type Access } from "../../lib/access";
import { insertPerson, isUniqueViolation } from "../people/people.server";
import { skillRank } from "../people/options";
import { lookupHash } from "../people/pii.server";
import {
  canEditStudio,
  canManageApprentices,
  canTakeStep,
  canVerifyMilestone,
  canViewStudio,
  initialMilestoneStatus,
  relation,
  STUDIO_STEPS,
  type StudioStep,
} from "./policy";
import type { Figures } from "./evaluation";
import { milestoneDetails, type ApprenticeInput, type MilestoneInput, type StudioInput } from "./schema";
import { ownRowsOf } from "../../lib/scope.server";
import { storedFileColumns } from "../../lib/upload.server";

/** The list-query form of policy.canViewStudio. */
export function studioVisibleTo(user: SessionUser) {
  return ownRowsOf<"studio">(user, { unit: "studio.org_unit_id", person: "studio.person_id" });
}

export const ACTIVE_MENTORSHIPS = sql<number>`(select count(*) from mentorship m where m.studio_id = studio.id and m.status = 'active')`;

function studioQuery(db: DB) {
  return db
    .selectFrom("studio")
    .innerJoin("person as leader", "leader.id", "studio.person_id")
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .innerJoin("award", "award.id", "studio.award_id")
    .select([
      "studio.id",
      "studio.person_id",
      "studio.award_id",
      "studio.org_unit_id",
      "studio.name",
      "studio.host_enterprise",
      "studio.industry",
      "studio.focus_sector",
      "studio.address",
      "studio.focus_areas",
      "studio.founding_plan",
      "studio.status",
      "studio.status_reason",
      "studio.plaque_number",
      "studio.accredited_on",
      "studio.created_at",
      "leader.name as leader_name",
      "org_unit.short_name as unit_name",
      "award.title as award_title",
      "award.certificate_number",
      ACTIVE_MENTORSHIPS.as("apprentices"),
    ]);
}

export async function findStudio(db: DB, id: number) {
  return studioQuery(db).where("studio.id", "=", id).executeTakeFirst();
}

export type StudioView = NonNullable<Awaited<ReturnType<typeof findStudio>>>;

export async function studioForViewer(db: DB, user: SessionUser, id: number): Promise<Access<StudioView>> {
  return accessTo(await findStudio(db, id), (studio) => canViewStudio(user, studio));
}

export async function listStudios(
  db: DB,
  user: SessionUser,
  filter: { q?: string; status?: StudioStatus; unitId?: number; focusSector?: FocusSector; page?: number },
) {
  // One filter for the page and its count.
  const matching = (eb: ExpressionBuilder<Database & { leader: Database["person"] }, "studio" | "leader">) => {
    const conditions: Expression<SqlBool>[] = [studioVisibleTo(user)(eb as unknown as ExpressionBuilder<Database, "studio">)];
    if (filter.status) conditions.push(eb("studio.status", "=", filter.status));
    if (filter.unitId) conditions.push(eb("studio.org_unit_id", "=", filter.unitId));
    if (filter.focusSector) conditions.push(eb("studio.focus_sector", "=", filter.focusSector));
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      conditions.push(eb.or([eb("studio.name", "ilike", like), eb("studio.host_enterprise", "ilike", like), eb("leader.name", "ilike", like)]));
    }
    return eb.and(conditions);
  };
  const page = filter.page ?? 1;
  const [rows, count] = await Promise.all([
    studioQuery(db).where(matching).orderBy("studio.id", "desc").limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    db
      .selectFrom("studio")
      .innerJoin("person as leader", "leader.id", "studio.person_id")
      .where(matching)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n), page, pageSize: PAGE_SIZE };
}

/** Named craftsmen the user may open a studio for, who do not already lead an open or running one. */
export async function eligibleLeaders(db: DB, user: SessionUser) {
  return eligibleLeadersQuery(db, user).execute();
}

/** Whether the user may apply for anyone, without reading the whole list. */
export async function hasEligibleLeader(db: DB, user: SessionUser): Promise<boolean> {
  return !!(await eligibleLeadersQuery(db, user).limit(1).executeTakeFirst());
}

function eligibleLeadersQuery(db: DB, user: SessionUser) {
  return db
    .selectFrom("award")
    .innerJoin("person", "person.id", "award.person_id")
    .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
    .select(["person.id", "person.name", "person.employer", "person.industry", "person.org_unit_id", "org_unit.short_name as unit_name", "award.title", "award.id as award_id"])
    .$if(user.role === "county_officer", (q) => q.where("person.org_unit_id", "=", user.orgUnitId ?? -1))
    .$if(user.role === "craftsman", (q) => q.where("person.id", "=", user.personId ?? -1))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("studio").select(sql`1`.as("x")).whereRef("studio.person_id", "=", "person.id").where("studio.status", "not in", ["rejected", "revoked"]),
        ),
      ),
    )
    .orderBy("award.id", "desc");
}

export type StudioSaveResult = { ok: true; id: number } | { ok: false; fieldErrors: Record<string, string[]> } | { ok: false; status: 403 | 404 | 409; message: string };

function studioColumns(input: StudioInput) {
  return {
    name: input.name,
    host_enterprise: input.hostEnterprise,
    industry: input.industry,
    focus_sector: input.focusSector,
    org_unit_id: input.orgUnitId,
    address: input.address,
    focus_areas: input.focusAreas,
    founding_plan: input.foundingPlan,
  };
}

const ONE_STUDIO = "该工匠已领衔一个工作室（申请中或运行中），每位工匠最多领衔一个工作室";

async function checkStudioUnit(db: DB, actor: SessionUser, orgUnitId: number): Promise<string | null> {
  if (actor.role === "county_officer" && orgUnitId !== actor.orgUnitId) return "只能为本单位申请工作室";
  const unit = await db.selectFrom("org_unit").select("kind").where("id", "=", orgUnitId).executeTakeFirst();
  return unit?.kind === "county" ? null : "请选择县级总工会";
}

export async function createStudio(db: DB, actor: SessionUser, input: StudioInput): Promise<StudioSaveResult> {
  const leaders = await eligibleLeaders(db, actor);
  const leader = leaders.find((l) => l.id === input.leaderPersonId);
  if (!leader) return { ok: false, fieldErrors: { leaderPersonId: [actor.role === "craftsman" ? ONE_STUDIO : "请选择本单位尚未领衔工作室的“台州工匠”"] } };
  const unitProblem = await checkStudioUnit(db, actor, input.orgUnitId);
  if (unitProblem) return { ok: false, fieldErrors: { orgUnitId: [unitProblem] } };
  try {
    return await db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto("studio")
        .values({ ...studioColumns(input), person_id: leader.id, award_id: leader.award_id, created_by: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        actor,
        entityType: "studio",
        entityId: row.id,
        orgUnitId: input.orgUnitId,
        action: "create",
        after: { ...input, status: "draft" },
      });
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, fieldErrors: { leaderPersonId: [ONE_STUDIO] } };
    throw error;
  }
}

export async function updateStudio(db: DB, actor: SessionUser, id: number, input: StudioInput): Promise<StudioSaveResult> {
  return db.transaction().execute(async (tx): Promise<StudioSaveResult> => {
    const current = await tx.selectFrom("studio").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!current) return { ok: false, status: 404, message: "工作室不存在" };
    if (!canEditStudio(actor, current)) return { ok: false, status: 403, message: "当前状态下不能修改申请" };
    const unitProblem = await checkStudioUnit(tx, actor, input.orgUnitId);
    if (unitProblem) return { ok: false, fieldErrors: { orgUnitId: [unitProblem] } };
    await tx.updateTable("studio").set({ ...studioColumns(input), updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(tx, {
      actor,
      entityType: "studio",
      entityId: id,
      orgUnitId: input.orgUnitId,
      action: "update",
      before: { name: current.name, hostEnterprise: current.host_enterprise, address: current.address, focusSector: current.focus_sector },
      after: { name: input.name, hostEnterprise: input.hostEnterprise, address: input.address, focusSector: input.focusSector },
    });
    return { ok: true, id };
  });
}

export type StepResult = { ok: true; to: StudioStatus } | { ok: false; status: 400 | 403 | 404 | 409; message: string; field?: string };

/** One step of the lifecycle, checked against the policy, written with its history row. */
export async function takeStudioStep(
  db: DB,
  actor: SessionUser,
  id: number,
  step: StudioStep,
  input: { expected: string; reason: string | null; plaqueNumber: string | null; accreditedOn: string | null },
): Promise<StepResult> {
  const rule = STUDIO_STEPS[step];
  if ("needsReason" in rule && !input.reason) return { ok: false, status: 400, message: "请说明理由", field: "reason" };
  if (step === "accredit") {
    if (!input.plaqueNumber) return { ok: false, status: 400, message: "请填写牌匾编号", field: "plaqueNumber" };
    if (!input.accreditedOn || !/^\d{4}-\d{2}-\d{2}$/.test(input.accreditedOn) || Number.isNaN(Date.parse(input.accreditedOn))) {
      return { ok: false, status: 400, message: "请填写授牌日期", field: "accreditedOn" };
    }
  }
  try {
    return await db.transaction().execute(async (tx): Promise<StepResult> => {
      const studio = await tx.selectFrom("studio").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
      if (!studio) return { ok: false, status: 404, message: "工作室不存在" };
      if (!relation(actor, studio)) return { ok: false, status: 403, message: "您无权操作此工作室" };
      if (studio.status !== input.expected) return { ok: false, status: 409, message: "工作室状态已变化，请刷新页面后重试" };
      if (!canTakeStep(actor, studio, step)) return { ok: false, status: 403, message: "当前状态下您不能进行此操作" };
      await tx
        .updateTable("studio")
        .set({
          status: rule.to,
          status_reason: input.reason,
          ...(step === "accredit" ? { plaque_number: input.plaqueNumber, accredited_on: input.accreditedOn } : {}),
          updated_at: new Date(),
        })
        .where("id", "=", id)
        .execute();
      await recordAudit(tx, {
        actor,
        entityType: "studio",
        entityId: id,
        orgUnitId: studio.org_unit_id,
        action: `step_${step}`,
        before: { status: studio.status },
        after: { status: rule.to, ...(step === "accredit" ? { plaqueNumber: input.plaqueNumber, accreditedOn: input.accreditedOn } : {}) },
        comment: input.reason,
      });
      return { ok: true, to: rule.to };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 400, message: "该牌匾编号已被使用", field: "plaqueNumber" };
    throw error;
  }
}

/** A pairing as its pages show it, with the apprentice's name, level and employer. */
const MENTORSHIP_COLUMNS = [
  "mentorship.id",
  "mentorship.apprentice_id",
  "mentorship.start_date",
  "mentorship.planned_end",
  "mentorship.goals",
  "mentorship.status",
  "mentorship.ended_on",
  "mentorship.end_reason",
  "person.name",
  "person.skill_level",
  "person.employer",
] as const;

export async function mentorshipsOf(db: DB, studioId: number) {
  return db
    .selectFrom("mentorship")
    .innerJoin("person", "person.id", "mentorship.apprentice_id")
    .select([
      ...MENTORSHIP_COLUMNS,
      sql<number>`(select count(*) from milestone ms where ms.mentorship_id = mentorship.id and ms.status = 'verified')`.as("verified"),
      sql<number>`(select count(*) from milestone ms where ms.mentorship_id = mentorship.id and ms.status = 'pending')`.as("pending"),
    ])
    .where("mentorship.studio_id", "=", studioId)
    .orderBy("mentorship.status")
    .orderBy("mentorship.start_date", "desc")
    .execute();
}

export type MentorshipResult = { ok: true; id: number } | { ok: false; fieldErrors: Record<string, string[]> } | { ok: false; status: 403 | 404; message: string };

/**
 * Takes an apprentice on: the person is found by ID number or registered under the studio's
 * unit, and the 师徒结对协议 is recorded. An existing person's record is linked, not changed.
 */
export async function addApprentice(db: DB, actor: SessionUser, studioId: number, input: ApprenticeInput): Promise<MentorshipResult> {
  if (!input.idNumber) return { ok: false, fieldErrors: { idNumber: ["请输入身份证号码"] } };
  const idNumber = input.idNumber.idNumber;
  try {
    return await db.transaction().execute(async (tx): Promise<MentorshipResult> => {
      const studio = await tx.selectFrom("studio").selectAll().where("id", "=", studioId).forUpdate().executeTakeFirst();
      if (!studio) return { ok: false, status: 404, message: "工作室不存在" };
      if (!canManageApprentices(actor, studio)) return { ok: false, status: 403, message: "工作室授牌后才能登记学徒" };
      if (studio.person_id !== null) {
        const leaderHash = await tx.selectFrom("person").select("id_number_hash").where("id", "=", studio.person_id).executeTakeFirstOrThrow();
        if (leaderHash.id_number_hash === lookupHash(idNumber)) return { ok: false, fieldErrors: { idNumber: ["领衔工匠不能做自己工作室的学徒"] } };
      }
      let person = await tx.selectFrom("person").select(["id", "name"]).where("id_number_hash", "=", lookupHash(idNumber)).executeTakeFirst();
      if (person && person.name !== input.name) {
        return { ok: false, fieldErrors: { name: [`该身份证号码已登记，姓名为“${person.name}”，请核对`] } };
      }
      if (!person) {
        // The registering user may be the craftsman: the studio's unit files the record.
        const created = await insertPerson(tx, actor, { ...input, orgUnitId: studio.org_unit_id });
        if (!created.ok) return created;
        person = { id: created.id, name: input.name };
      }
      const already = await tx
        .selectFrom("mentorship")
        .select("id")
        .where("studio_id", "=", studioId)
        .where("apprentice_id", "=", person.id)
        .where("status", "=", "active")
        .executeTakeFirst();
      if (already) return { ok: false, fieldErrors: { idNumber: ["该学徒已在本工作室结对中"] } };
      const row = await tx
        .insertInto("mentorship")
        .values({
          studio_id: studioId,
          apprentice_id: person.id,
          start_date: input.startDate,
          planned_end: input.plannedEnd,
          goals: input.goals,
          created_by: actor.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        actor,
        entityType: "studio",
        entityId: studioId,
        orgUnitId: studio.org_unit_id,
        action: "mentorship_start",
        after: { mentorshipId: row.id, apprentice: input.name, startDate: input.startDate, plannedEnd: input.plannedEnd },
      });
      return { ok: true, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, fieldErrors: { idNumber: ["该学徒已在本工作室结对中"] } };
    throw error;
  }
}

export async function findMentorship(db: DB, id: number) {
  return db
    .selectFrom("mentorship")
    .innerJoin("person", "person.id", "mentorship.apprentice_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .select([
      ...MENTORSHIP_COLUMNS,
      "mentorship.studio_id",
      "studio.name as studio_name",
      "studio.status as studio_status",
      "studio.org_unit_id",
      "studio.person_id",
    ])
    .where("mentorship.id", "=", id)
    .executeTakeFirst();
}

export type MentorshipView = NonNullable<Awaited<ReturnType<typeof findMentorship>>>;

/** A mentorship is seen by whoever may see its studio. */
export async function mentorshipForViewer(db: DB, user: SessionUser, id: number): Promise<Access<MentorshipView>> {
  return accessTo(await findMentorship(db, id), (m) => canViewStudio(user, { status: m.studio_status, org_unit_id: m.org_unit_id, person_id: m.person_id }));
}

export function studioRefOf(m: MentorshipView) {
  return { status: m.studio_status, org_unit_id: m.org_unit_id, person_id: m.person_id };
}

export async function endMentorship(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: { outcome: "completed" | "ended_early"; endedOn: string; reason: string | null },
): Promise<{ ok: true } | { ok: false; status: 403 | 409; message: string }> {
  if (!relation(actor, studioRefOf(m))) return { ok: false, status: 403, message: "您无权操作" };
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom("mentorship").select("status").where("id", "=", m.id).forUpdate().executeTakeFirstOrThrow();
    if (current.status !== "active") return { ok: false as const, status: 409 as const, message: "该结对已经结束" };
    await tx
      .updateTable("mentorship")
      .set({ status: input.outcome, ended_on: input.endedOn, end_reason: input.reason })
      .where("id", "=", m.id)
      .execute();
    await recordAudit(tx, {
      actor,
      entityType: "studio",
      entityId: m.studio_id,
      orgUnitId: m.org_unit_id,
      action: "mentorship_end",
      before: { mentorshipId: m.id, status: "active" },
      after: { mentorshipId: m.id, status: input.outcome, endedOn: input.endedOn },
      comment: input.reason,
    });
    return { ok: true as const };
  });
}

export async function milestonesOf(db: DB, mentorshipId: number) {
  const milestones = await db.selectFrom("milestone").selectAll().where("mentorship_id", "=", mentorshipId).orderBy("occurred_on", "desc").execute();
  const files = milestones.length
    ? await db
        .selectFrom("evidence_file")
        .select(["id", "milestone_id", "filename", "content_type", "size"])
        .where("milestone_id", "in", milestones.map((m) => m.id))
        .execute()
    : [];
  return milestones.map((m) => ({ ...m, files: files.filter((f) => f.milestone_id === m.id) }));
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export type MilestoneResult = { ok: true; id: number } | { ok: false; status: 400 | 403 | 409; message: string; field?: string };

/** Files a milestone with its evidence; the craftsman's wait for verification. */
export async function addMilestone(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: MilestoneInput,
  files: UploadedFile[],
): Promise<MilestoneResult> {
  if (!relation(actor, studioRefOf(m))) return { ok: false, status: 403, message: "您无权为该学徒登记成果" };
  if (!["accredited", "active"].includes(m.studio_status)) return { ok: false, status: 409, message: "工作室未在运行，不能登记成果" };
  if (files.length === 0) return { ok: false, status: 400, message: "请上传证书或证明材料的照片或 PDF", field: "evidence" };
  if (files.length > 3) return { ok: false, status: 400, message: "每项成果最多上传3个文件", field: "evidence" };
  const result = checkEvidenceFiles(files);
  if (!result.ok) return { ok: false, status: 400, message: result.message, field: "evidence" };
  const checked = result.files;
  const { details, benefitFen } = milestoneDetails(input);
  const status = initialMilestoneStatus(actor);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("milestone")
      .values({
        mentorship_id: m.id,
        kind: input.kind,
        occurred_on: input.occurredOn,
        details: JSON.stringify(details),
        benefit_fen: benefitFen,
        status,
        created_by: actor.id,
        ...(status === "verified" ? { reviewed_by: actor.id, reviewed_at: new Date(), review_comment: "由审核人员录入" } : {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const file of checked) {
      await tx
        .insertInto("evidence_file")
        .values({ milestone_id: row.id, ...storedFileColumns(file, actor.id) })
        .execute();
    }
    if (status === "verified") await applyVerifiedMilestone(tx, actor, m.apprentice_id, input.kind, details);
    await recordAudit(tx, {
      actor,
      entityType: "milestone",
      entityId: row.id,
      orgUnitId: m.org_unit_id,
      action: "create",
      after: { mentorshipId: m.id, kind: input.kind, occurredOn: input.occurredOn, status, files: checked.length, ...details },
    });
    return { ok: true as const, id: row.id };
  });
}

/** A verified skill upgrade raises the apprentice's recorded skill level. */
async function applyVerifiedMilestone(tx: DB, actor: SessionUser, apprenticeId: number, kind: string, details: Record<string, string | number>) {
  if (kind !== "skill_upgrade") return;
  const person = await tx.selectFrom("person").select(["skill_level", "org_unit_id"]).where("id", "=", apprenticeId).forUpdate().executeTakeFirstOrThrow();
  const to = String(details.toLevel);
  if (skillRank(to) <= skillRank(person.skill_level)) return;
  await tx.updateTable("person").set({ skill_level: to, updated_at: new Date() }).where("id", "=", apprenticeId).execute();
  await recordAudit(tx, {
    actor,
    entityType: "person",
    entityId: apprenticeId,
    orgUnitId: person.org_unit_id,
    action: "update",
    before: { skillLevel: person.skill_level },
    after: { skillLevel: to },
    comment: "经核实的技能等级提升",
  });
}

export async function reviewMilestone(
  db: DB,
  actor: SessionUser,
  milestoneId: number,
  input: { decision: "verified" | "rejected"; comment: string | null },
): Promise<{ ok: true } | { ok: false; status: 403 | 404 | 409; message: string }> {
  return db.transaction().execute(async (tx) => {
    const milestone = await tx.selectFrom("milestone").selectAll().where("id", "=", milestoneId).forUpdate().executeTakeFirst();
    if (!milestone) return { ok: false as const, status: 404 as const, message: "成果记录不存在" };
    const m = (await findMentorship(tx, milestone.mentorship_id))!;
    const studio = studioRefOf(m);
    if (!relation(actor, studio) || actor.role === "craftsman") return { ok: false as const, status: 403 as const, message: "您无权核实此成果" };
    if (!canVerifyMilestone(actor, studio, milestone)) return { ok: false as const, status: 409 as const, message: "该成果已核实过" };
    await tx
      .updateTable("milestone")
      .set({ status: input.decision, review_comment: input.comment, reviewed_by: actor.id, reviewed_at: new Date() })
      .where("id", "=", milestoneId)
      .execute();
    if (input.decision === "verified") await applyVerifiedMilestone(tx, actor, m.apprentice_id, milestone.kind, milestone.details);
    await recordAudit(tx, {
      actor,
      entityType: "milestone",
      entityId: milestoneId,
      orgUnitId: m.org_unit_id,
      action: input.decision === "verified" ? "verify" : "reject",
      before: { status: "pending" },
      after: { status: input.decision },
      comment: input.comment,
    });
    return { ok: true as const };
  });
}

/** Evidence is served only to those who may see the studio it belongs to. */
export async function evidenceForViewer(
  db: DB,
  user: SessionUser,
  fileId: number,
): Promise<Access<{ filename: string; content_type: string; data: Uint8Array }>> {
  const file = await db
    .selectFrom("evidence_file")
    .innerJoin("milestone", "milestone.id", "evidence_file.milestone_id")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .select(["evidence_file.filename", "evidence_file.content_type", "evidence_file.data", "studio.status", "studio.org_unit_id", "studio.person_id"])
    .where("evidence_file.id", "=", fileId)
    .executeTakeFirst();
  return accessTo(file, (f) => canViewStudio(user, f));
}

/** Milestones waiting for an officer, within what the officer may see. */
export async function pendingMilestones(db: DB, user: SessionUser) {
  return db
    .selectFrom("milestone")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .innerJoin("person", "person.id", "mentorship.apprentice_id")
    .where(studioVisibleTo(user))
    .where("milestone.status", "=", "pending")
    .select([
      "milestone.id",
      "milestone.kind",
      "milestone.occurred_on",
      "milestone.details",
      "milestone.created_at",
      "mentorship.id as mentorship_id",
      "person.name as apprentice_name",
      "studio.name as studio_name",
    ])
    .orderBy("milestone.created_at")
    .limit(200)
    .execute();
}

const noFigures = (): Figures => ({
  apprenticesMentored: 0,
  skillUpgrades: 0,
  competitionPlacings: 0,
  backbones: 0,
  innovations: 0,
  eventsHeld: 0,
  eventsAttended: 0,
  benefitFen: 0,
});

/**
 * The figures of each studio in each of the given years, from verified records only, in four
 * grouped queries however many studios and years are asked for.
 */
export async function figuresByStudioAndYear(db: DB, studioIds: number[], years: number[]): Promise<Map<number, Map<number, Figures>>> {
  const result = new Map(studioIds.map((id) => [id, new Map(years.map((y) => [y, noFigures()]))]));
  if (!studioIds.length || !years.length) return result;
  const at = (studioId: number | null, year: number) => result.get(studioId!)?.get(Number(year));
  const from = `${Math.min(...years)}-01-01`;
  const to = `${Math.max(...years)}-12-31`;
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(`${Math.max(...years) + 1}-01-01T00:00:00+08:00`);
  const yearOf = (column: string) => sql<number>`extract(year from ${sql.ref(column)} at time zone 'Asia/Shanghai')::int`;
  // The studio's people: its leader and the apprentices of its mentorships.
  const people = db
    .selectFrom("studio")
    .select(["studio.id as studio_id", "studio.person_id"])
    .where("studio.id", "in", studioIds)
    .union(db.selectFrom("mentorship").select(["mentorship.studio_id", "mentorship.apprentice_id as person_id"]).where("mentorship.studio_id", "in", studioIds));
  const [mentored, milestones, held, attended] = await Promise.all([
    // Mentored in a year: the pairing overlapped it.
    sql<{ studio_id: number; year: number; n: number }>`
      select m.studio_id, y.year, count(*)::int as n
      from mentorship m cross join unnest(array[${sql.join(years)}]::int[]) as y(year)
      where m.studio_id in (${sql.join(studioIds)})
        and m.start_date <= make_date(y.year, 12, 31)
        and (m.ended_on is null or m.ended_on >= make_date(y.year, 1, 1))
      group by m.studio_id, y.year`
      .execute(db)
      .then((r) => r.rows),
    db
      .selectFrom("milestone")
      .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
      .where("mentorship.studio_id", "in", studioIds)
      .where("milestone.status", "=", "verified")
      .where("milestone.occurred_on", ">=", from)
      .where("milestone.occurred_on", "<=", to)
      .select((eb) => [
        "mentorship.studio_id",
        sql<number>`extract(year from milestone.occurred_on)::int`.as("year"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "skill_upgrade").as("skill_upgrades"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "competition").as("competition_placings"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "backbone").as("backbones"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "innovation").as("innovations"),
        eb.fn.coalesce(eb.fn.sum<number>("milestone.benefit_fen"), eb.lit(0)).as("benefit_fen"),
      ])
      .groupBy(["mentorship.studio_id", sql`extract(year from milestone.occurred_on)`])
      .execute(),
    db
      .selectFrom("event")
      .where("studio_id", "in", studioIds)
      .where("starts_at", ">=", start)
      .where("starts_at", "<", end)
      .where("ends_at", "<", new Date())
      .select(["studio_id", yearOf("event.starts_at").as("year"), (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["studio_id", yearOf("event.starts_at")])
      .execute(),
    db
      .selectFrom(people.as("sp"))
      .innerJoin("event_participant as ep", "ep.person_id", "sp.person_id")
      .innerJoin("event", "event.id", "ep.event_id")
      .where("ep.attended", "=", true)
      .where("event.starts_at", ">=", start)
      .where("event.starts_at", "<", end)
      .select(["sp.studio_id", yearOf("event.starts_at").as("year"), (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["sp.studio_id", yearOf("event.starts_at")])
      .execute(),
  ]);
  for (const row of mentored) {
    const f = at(row.studio_id, row.year);
    if (f) f.apprenticesMentored = Number(row.n);
  }
  for (const row of milestones) {
    const f = at(row.studio_id, row.year);
    if (f) {
      Object.assign(f, {
        skillUpgrades: Number(row.skill_upgrades),
        competitionPlacings: Number(row.competition_placings),
        backbones: Number(row.backbones),
        innovations: Number(row.innovations),
        benefitFen: Number(row.benefit_fen),
      });
    }
  }
  for (const row of held) {
    const f = at(row.studio_id, row.year);
    if (f) f.eventsHeld = Number(row.n);
  }
  for (const row of attended) {
    const f = at(row.studio_id, row.year);
    if (f) f.eventsAttended = Number(row.n);
  }
  return result;
}

export async function yearFiguresByStudio(db: DB, studioIds: number[], year: number): Promise<Map<number, Figures>> {
  const all = await figuresByStudioAndYear(db, studioIds, [year]);
  return new Map(studioIds.map((id) => [id, all.get(id)!.get(year)!]));
}

export async function studioYearFigures(db: DB, studioId: number, year: number): Promise<Figures> {
  return (await yearFiguresByStudio(db, [studioId], year)).get(studioId)!;
}
