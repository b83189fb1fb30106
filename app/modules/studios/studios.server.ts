import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { DB } from "~db";
import type { Database, FocusSector, StudioStatus } from "~db/types";
import { isCountyOfficer, isCraftsman, type SessionUser } from "~/auth/roles";
import { escapeLike, paginate } from "~/lib/sql";
import { accessTo, type Access } from "~/lib/access";
import { isUniqueViolation } from "~/modules/people/people.server";
import { canEditStudio, canViewStudio, STUDIO_STEPS, type StudioStep, studioWorkflow } from "~/modules/studios/policy";
import { type StudioInput } from "~/modules/studios/schema.server";
import { ownRowsOf } from "~/auth/scope.server";
import { isRecordDate } from "~/lib/time";
import { fieldsRefused, type Result } from "~/lib/result";
import { recordStudioAudit } from "~/modules/studios/history.server";

/** The list-query form of policy.canViewStudio. */
export function studioVisibleTo(user: SessionUser) {
  return ownRowsOf<"studio">(user, { unit: "studio.org_unit_id", person: "studio.person_id" });
}

export const ACTIVE_MENTORSHIPS = sql<number>`(select count(*) from mentorship m where m.studio_id = studio.id and m.status in ('active', 'paused'))`;

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
  pageSize?: number,
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
  return paginate(
    studioQuery(db).where(matching).orderBy("studio.id", "desc"),
    db.selectFrom("studio").innerJoin("person as leader", "leader.id", "studio.person_id").where(matching),
    filter.page,
    pageSize,
  );
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
    .select([
      "person.id",
      "person.name",
      "person.employer",
      "person.industry",
      "person.org_unit_id",
      "org_unit.short_name as unit_name",
      "award.title",
      "award.id as award_id",
    ])
    .where(ownRowsOf(user, { unit: "person.org_unit_id", person: "person.id" }))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("studio")
            .select(sql`1`.as("x"))
            .whereRef("studio.person_id", "=", "person.id")
            .where("studio.status", "not in", ["rejected", "revoked"]),
        ),
      ),
    )
    .orderBy("award.id", "desc");
}

export type StudioSaveResult = Result<{ id: number }>;

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
  if (isCountyOfficer(actor) && orgUnitId !== actor.orgUnitId) return "只能为本单位申请工作室";
  const unit = await db.selectFrom("org_unit").select("kind").where("id", "=", orgUnitId).executeTakeFirst();
  return unit?.kind === "county" ? null : "请选择县级总工会";
}

export async function createStudio(db: DB, actor: SessionUser, input: StudioInput): Promise<StudioSaveResult> {
  const leaders = await eligibleLeaders(db, actor);
  const leader = leaders.find((l) => l.id === input.leaderPersonId);
  if (!leader) return fieldsRefused({ leaderPersonId: [isCraftsman(actor) ? ONE_STUDIO : "请选择本单位尚未领衔工作室的“台州工匠”"] });
  const unitProblem = await checkStudioUnit(db, actor, input.orgUnitId);
  if (unitProblem) return fieldsRefused({ orgUnitId: [unitProblem] });
  try {
    return await db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto("studio")
        .values({ ...studioColumns(input), person_id: leader.id, award_id: leader.award_id, created_by: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordStudioAudit(tx, actor, { id: row.id, org_unit_id: input.orgUnitId }, { action: "create", after: { ...input, status: "draft" } });
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ leaderPersonId: [ONE_STUDIO] });
    throw error;
  }
}

export async function updateStudio(db: DB, actor: SessionUser, id: number, input: StudioInput): Promise<StudioSaveResult> {
  return db.transaction().execute(async (tx): Promise<StudioSaveResult> => {
    const current = await tx.selectFrom("studio").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!current) return { ok: false, status: 404, message: "工作室不存在" };
    if (!canEditStudio(actor, current)) return { ok: false, status: 403, message: "当前状态下不能修改申请" };
    const unitProblem = await checkStudioUnit(tx, actor, input.orgUnitId);
    if (unitProblem) return fieldsRefused({ orgUnitId: [unitProblem] });
    await tx
      .updateTable("studio")
      .set({ ...studioColumns(input), updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await recordStudioAudit(
      tx,
      actor,
      { id, org_unit_id: input.orgUnitId },
      {
        action: "update",
        before: { name: current.name, hostEnterprise: current.host_enterprise, address: current.address, focusSector: current.focus_sector },
        after: { name: input.name, hostEnterprise: input.hostEnterprise, address: input.address, focusSector: input.focusSector },
      },
    );
    return { ok: true, id };
  });
}

export type StepResult = Result<{ to: StudioStatus }>;

/** One step of the lifecycle, checked against the policy, written with its history row (摘牌 is governance's revokeStudio: it needs its document). */
export async function takeStudioStep(
  db: DB,
  actor: SessionUser,
  id: number,
  step: Exclude<StudioStep, "revoke">,
  input: {
    expected: string;
    reason: string | null;
    confirmed?: boolean;
    plaqueNumber: string | null;
    accreditedOn: string | null;
    accreditationDocumentId?: number | null;
  },
): Promise<StepResult> {
  const rule = STUDIO_STEPS[step];
  const badInput = studioWorkflow.checkInput(step, input);
  if (badInput) return badInput;
  if (step === "accredit") {
    if (!input.plaqueNumber) return { ok: false, status: 400, message: "请填写牌匾编号", field: "plaqueNumber" };
    if (!input.accreditedOn || !isRecordDate(input.accreditedOn)) {
      return { ok: false, status: 400, message: input.accreditedOn ? "授牌日期不合理，请核对" : "请填写授牌日期", field: "accreditedOn" };
    }
    // A plaque names the decision it was given under (issue 35).
    if (!input.accreditationDocumentId) return { ok: false, status: 400, message: "请选择授牌决定文件", field: "accreditationDocumentId" };
  }
  try {
    return await db.transaction().execute(async (tx): Promise<StepResult> => {
      const studio = await tx.selectFrom("studio").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
      if (!studio) return { ok: false, status: 404, message: "工作室不存在" };
      const refused = studioWorkflow.checkRecord(actor, studio, step, input);
      if (refused) return refused;
      // The batch's decision is governance's record; read here by id, as the step only cites it (governance builds on studios).
      // Locked for share: a revocation citing it at the same moment (it locks the document) waits or is waited for.
      const decision =
        step === "accredit"
          ? await tx
              .selectFrom("decision_document as d")
              .select([
                "d.id",
                "d.number",
                "d.issued_on",
                (eb) => eb.exists(eb.selectFrom("revocation").select("revocation.id").whereRef("revocation.document_id", "=", "d.id")).as("revokes"),
              ])
              .where("d.id", "=", input.accreditationDocumentId!)
              .forShare("d")
              .executeTakeFirst()
          : null;
      if (step === "accredit") {
        if (!decision) return { ok: false, status: 400, message: "所选授牌决定文件不存在，请先在“决定文件”中登记", field: "accreditationDocumentId" };
        // A document a revocation cites takes titles back; it is no 授牌决定.
        if (decision.revokes) {
          return { ok: false, status: 400, message: `${decision.number}是撤销决定的文件，不能作为授牌决定`, field: "accreditationDocumentId" };
        }
        if (input.accreditedOn! < decision.issued_on) {
          return { ok: false, status: 400, message: `授牌日期不能早于授牌决定的发文日期（${decision.issued_on}）`, field: "accreditedOn" };
        }
      }
      const accreditation = decision ? { plaque_number: input.plaqueNumber, accredited_on: input.accreditedOn, accreditation_document_id: decision.id } : {};
      await tx
        .updateTable("studio")
        .set({
          status: rule.to,
          status_reason: input.reason,
          ...accreditation,
          updated_at: new Date(),
        })
        .where("id", "=", id)
        .execute();
      await recordStudioAudit(tx, actor, studio, {
        action: `step_${step}`,
        before: { status: studio.status },
        after: {
          status: rule.to,
          ...(decision ? { plaqueNumber: input.plaqueNumber, accreditedOn: input.accreditedOn, accreditationDocument: decision.number } : {}),
        },
        comment: input.reason,
      });
      return { ok: true, to: rule.to };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 400, message: "该牌匾编号已被使用", field: "plaqueNumber" };
    throw error;
  }
}

/** The studio a craftsman leads or has applied for (not one rejected or revoked). */
export async function openStudioOf(db: DB, personId: number) {
  return db
    .selectFrom("studio")
    .select(["id", "name", "status"])
    .where("person_id", "=", personId)
    .where("status", "not in", ["rejected", "revoked"])
    .executeTakeFirst();
}

/** The leading craftsman of a studio, as the application form shows them. */
export async function studioLeader(db: DB, personId: number) {
  return db.selectFrom("person").select(["id", "name", "employer", "industry", "org_unit_id"]).where("id", "=", personId).executeTakeFirstOrThrow();
}
