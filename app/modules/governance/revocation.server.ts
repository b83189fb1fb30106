import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { RevocationScope } from "~db/types";
import { isOfficerOf } from "~/auth/relation";
import { can, type SessionUser } from "~/auth/roles";
import { ownRowsOf } from "~/auth/scope.server";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";
import { paginate } from "~/lib/sql";
import { AWARD_AUDIT, RECALL_KIND_LABELS, REVOCATION_AUDIT, REVOCATION_CONFIRM } from "~/modules/governance/revocation-labels";
import type { RecallInput, RevocationInput } from "~/modules/governance/revocation-schema.server";
import { recordStudioAudit } from "~/modules/studios/history.server";
import { isRunning, studioWorkflow } from "~/modules/studios/policy";

/**
 * Revocation (issue 35, item 2): the city takes back one 台州工匠 title, one studio (摘牌), every title of a
 * campaign or every studio of an accreditation batch — each with its reason and its own document, in one
 * transaction: the revocation row, the titles pointing at it, one history row per title (its holder and
 * county hear of it) and one for the decision. The physical certificate or plaque is then a to-do until
 * its recall is recorded.
 */

/** What a revocation did: how many it took back, and those it found already revoked (named, never skipped silently). */
export type RevocationDone = Result<{ id: number; revoked: number; alreadyRevoked: string[] }>;

const notCity = () => refuse("只有市总工会可以撤销称号或摘牌", { status: 403 });

/** The campaigns that named anyone: what a whole campaign's revocation chooses from. */
export async function campaignChoices(db: DB) {
  return db
    .selectFrom("campaign")
    .select(["id", sql<string>`'第' || number || '届（' || year || '年）'`.as("label")])
    .where((eb) => eb.exists(eb.selectFrom("award").select("award.id").whereRef("award.campaign_id", "=", "campaign.id")))
    .orderBy("number", "desc")
    .execute();
}

const documentOf = (tx: Tx, id: number) => tx.selectFrom("decision_document").select(["id", "number"]).where("id", "=", id).executeTakeFirst();

/**
 * A revocation's own document, locked (a basis being set on it at the same moment waits), with whether titles were
 * given under it: a naming basis, the programme's approval or a 授牌决定 is what a revocation takes back, never its own decision.
 */
const revokingDocument = (tx: Tx, id: number) =>
  tx
    .selectFrom("decision_document as d")
    .select([
      "d.id",
      "d.number",
      "d.issued_on",
      (eb) =>
        eb
          .or([
            eb.exists(eb.selectFrom("campaign").select("campaign.id").whereRef("campaign.basis_document_id", "=", "d.id")),
            eb.exists(eb.selectFrom("studio").select("studio.id").whereRef("studio.accreditation_document_id", "=", "d.id")),
            eb.exists(eb.selectFrom("studio_programme").select("studio_programme.id").whereRef("studio_programme.basis_document_id", "=", "d.id")),
          ])
          .as("grants"),
    ])
    .where("d.id", "=", id)
    .forUpdate("d")
    .executeTakeFirst();

/** Who a revoked title says it was revoked by, for a refusal: 已于 date 以 number 撤销. */
async function revokedBy(tx: Tx, revocationId: number) {
  const r = await tx
    .selectFrom("revocation")
    .innerJoin("decision_document as d", "d.id", "revocation.document_id")
    .select(["revocation.revoked_on", "d.number"])
    .where("revocation.id", "=", revocationId)
    .executeTakeFirstOrThrow();
  return `已于 ${r.revoked_on} 以${r.number}撤销`;
}

type Target =
  | { scope: "award"; certificateNumber: string }
  | { scope: "campaign"; campaignId: number }
  | { scope: "accreditation"; batchDocumentId: number }
  | { scope: "studio"; studioId: number; expected: string };

interface Found {
  /** The revocation row's target column. */
  column: Partial<Record<"award_id" | "studio_id" | "campaign_id" | "accreditation_document_id", number>>;
  awards: Array<{ id: number; certificate_number: string; title: string; unit: number; named_on: string }>;
  studios: Array<{ id: number; name: string; status: string; org_unit_id: number; accredited_on: string | null }>;
  alreadyRevoked: string[];
}

/** The titles a target names, locked; or why it cannot be revoked. */
async function findTarget(tx: Tx, actor: SessionUser, target: Target): Promise<Found | Exclude<RevocationDone, { ok: true }>> {
  const awards = () =>
    tx
      .selectFrom("award")
      .innerJoin("person", "person.id", "award.person_id")
      .select(["award.id", "award.certificate_number", "award.title", "award.revocation_id", "award.named_on", "person.org_unit_id as unit"])
      .forUpdate("award")
      .orderBy("award.id");
  switch (target.scope) {
    case "award": {
      const award = await awards().where("award.certificate_number", "=", target.certificateNumber).executeTakeFirst();
      if (!award) return refuse(`证书编号“${target.certificateNumber}”不存在，请核对`, { status: 404, field: "certificateNumber" });
      if (award.revocation_id) {
        const by = await revokedBy(tx, award.revocation_id);
        return refuse(`证书 ${award.certificate_number} 的称号${by}，不能再次撤销`, { status: 409, field: "certificateNumber" });
      }
      return { column: { award_id: award.id }, awards: [award], studios: [], alreadyRevoked: [] };
    }
    case "campaign": {
      const campaign = await tx.selectFrom("campaign").select("id").where("id", "=", target.campaignId).executeTakeFirst();
      if (!campaign) return refuse("评选活动不存在，请从列表中选择", { status: 404, field: "campaignId" });
      const all = await awards().where("award.campaign_id", "=", campaign.id).execute();
      const standing = all.filter((a) => !a.revocation_id);
      if (!standing.length) return refuse(all.length ? `该届的 ${all.length} 个称号都已撤销` : "该届没有命名任何人", { status: 409, field: "campaignId" });
      const already = all.filter((a) => a.revocation_id).map((a) => a.certificate_number);
      return { column: { campaign_id: campaign.id }, awards: standing, studios: [], alreadyRevoked: already };
    }
    case "accreditation": {
      const batch = await documentOf(tx, target.batchDocumentId);
      if (!batch) return refuse("授牌批次文件不存在，请从列表中选择", { status: 404, field: "batchDocumentId" });
      const all = await tx
        .selectFrom("studio")
        .select(["id", "name", "status", "org_unit_id", "accredited_on"])
        .where("accreditation_document_id", "=", batch.id)
        .orderBy("id")
        .forUpdate()
        .execute();
      // A batch's studios are accredited ones; any no longer running was taken off before (摘牌).
      const standing = all.filter((s) => isRunning(s.status));
      if (!standing.length) {
        return refuse(all.length ? `该批次的 ${all.length} 个工作室都已摘牌` : `${batch.number}没有授牌任何工作室`, { status: 409, field: "batchDocumentId" });
      }
      const already = all.filter((s) => !isRunning(s.status)).map((s) => s.name);
      return { column: { accreditation_document_id: batch.id }, awards: [], studios: standing, alreadyRevoked: already };
    }
    case "studio": {
      const studio = await tx.selectFrom("studio").selectAll().where("id", "=", target.studioId).forUpdate().executeTakeFirst();
      if (!studio) return refuse("工作室不存在", { status: 404 });
      if (studio.status === "revoked") {
        const by = studio.revocation_id ? await revokedBy(tx, studio.revocation_id) : "已摘牌";
        return refuse(`该工作室${by}，不能再次摘牌`, { status: 409 });
      }
      // The workflow's own checks: the city's step, from a running state, on the page's state.
      const refused = studioWorkflow.checkRecord(actor, studio, "revoke", { expected: target.expected, confirmed: true });
      if (refused) return refused;
      return { column: { studio_id: studio.id }, awards: [], studios: [studio], alreadyRevoked: [] };
    }
  }
}

/**
 * A title is revoked on or after the day it was given. A whole decision's date is checked against the latest
 * title it takes back (each must have existed on that day), and the refusal names it.
 */
function revokedBeforeGiven(found: Found, revokedOn: string) {
  const given = [
    ...found.awards.map((a) => ({ on: a.named_on, what: `证书 ${a.certificate_number} 的命名日期` })),
    ...found.studios.flatMap((s) => (s.accredited_on ? [{ on: s.accredited_on, what: `${s.name}的授牌日期` }] : [])),
  ];
  const latest = given.reduce<(typeof given)[number] | null>((last, g) => (last && last.on >= g.on ? last : g), null);
  return latest && revokedOn < latest.on ? refuse(`撤销日期不能早于${latest.what}（${latest.on}）`, { field: "revokedOn" }) : null;
}

/** Revokes what `target` names, as one decision with its document: all of it or, if any part fails, none. */
async function revoke(db: DB, actor: SessionUser, target: Target, input: RevocationInput): Promise<RevocationDone> {
  if (!can(actor, "revocation.manage")) return notCity();
  return db.transaction().execute(async (tx): Promise<RevocationDone> => {
    const document = await revokingDocument(tx, input.documentId);
    if (!document) return refuse("撤销文件不存在，请从列表中选择", { status: 404, field: "documentId" });
    if (document.grants) return refuse(`${document.number}是命名或授牌的依据，不能作为撤销决定的文件`, { field: "documentId" });
    if (input.revokedOn < document.issued_on) {
      return refuse(`撤销日期不能早于撤销文件的发文日期（${document.issued_on}）`, { field: "revokedOn" });
    }
    const found = await findTarget(tx, actor, target);
    if ("ok" in found) return found;
    const tooEarly = revokedBeforeGiven(found, input.revokedOn);
    if (tooEarly) return tooEarly;
    // Asked last, of one who may take the step on what exists: only they are asked to confirm.
    if (!input.confirmed) return refuse(`请确认后再办理：${REVOCATION_CONFIRM}`, { field: "confirmed" });
    const scope: RevocationScope = target.scope;
    const { id } = await tx
      .insertInto("revocation")
      .values({ scope, ...found.column, document_id: document.id, reason: input.reason, revoked_on: input.revokedOn, revoked_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    const recorded = { documentNumber: document.number, revokedOn: input.revokedOn };
    if (found.awards.length) {
      await tx
        .updateTable("award")
        .set({ revocation_id: id })
        .where(
          "id",
          "in",
          found.awards.map((a) => a.id),
        )
        .execute();
    }
    for (const a of found.awards) {
      await recordAudit(tx, AWARD_AUDIT, {
        actor,
        id: a.id,
        unit: a.unit,
        action: "revoke",
        after: { certificateNumber: a.certificate_number, ...recorded },
        comment: input.reason,
      });
    }
    for (const s of found.studios) {
      await tx
        .updateTable("studio")
        .set({ status: "revoked", status_reason: input.reason, revocation_id: id, updated_at: new Date() })
        .where("id", "=", s.id)
        .execute();
      // The studio's own step: its history and its notices (the leader, the county) are the 摘牌's.
      await recordStudioAudit(tx, actor, s, {
        action: "step_revoke",
        before: { status: s.status },
        after: { status: "revoked", ...recorded },
        comment: input.reason,
      });
    }
    const revoked = found.awards.length + found.studios.length;
    await recordAudit(tx, REVOCATION_AUDIT, {
      actor,
      id,
      action: scope,
      after: { ...recorded, revokedCount: revoked, alreadyRevoked: found.alreadyRevoked },
      comment: input.reason,
    });
    return { ok: true, id, revoked, alreadyRevoked: found.alreadyRevoked };
  });
}

export const revokeAward = (db: DB, actor: SessionUser, input: RevocationInput & { certificateNumber: string }) =>
  revoke(db, actor, { scope: "award", certificateNumber: input.certificateNumber }, input);

export const revokeCampaign = (db: DB, actor: SessionUser, input: RevocationInput & { campaignId: number }) =>
  revoke(db, actor, { scope: "campaign", campaignId: input.campaignId }, input);

export const revokeAccreditation = (db: DB, actor: SessionUser, input: RevocationInput & { batchDocumentId: number }) =>
  revoke(db, actor, { scope: "accreditation", batchDocumentId: input.batchDocumentId }, input);

/** The studio page's 摘牌: the workflow's step, now with its document and a revocation row. */
export const revokeStudio = (db: DB, actor: SessionUser, studioId: number, input: RevocationInput & { expected: string }) =>
  revoke(db, actor, { scope: "studio", studioId, expected: input.expected }, input);

/** The revocations, newest first, one page at a time, with how many titles each took back. */
export async function listRevocations(db: DB, page?: number) {
  const query = db.selectFrom("revocation").innerJoin("decision_document as d", "d.id", "revocation.document_id");
  return paginate(
    query
      .leftJoin("award", "award.id", "revocation.award_id")
      .leftJoin("studio", "studio.id", "revocation.studio_id")
      .leftJoin("campaign", "campaign.id", "revocation.campaign_id")
      .leftJoin("decision_document as batch", "batch.id", "revocation.accreditation_document_id")
      .select([
        "revocation.id",
        "revocation.scope",
        "revocation.reason",
        "revocation.revoked_on",
        "d.number as document_number",
        "d.issuer as document_issuer",
        sql<string>`coalesce(award.certificate_number, studio.name, '第' || campaign.number || '届', batch.number)`.as("target"),
        sql<number>`(select count(*) from award a where a.revocation_id = revocation.id) + (select count(*) from studio s where s.revocation_id = revocation.id)`.as(
          "revoked",
        ),
      ])
      .orderBy("revocation.revoked_on", "desc")
      .orderBy("revocation.id", "desc"),
    query,
    page,
  );
}

/** Revoked titles and studios whose certificate or plaque has not been recalled, in the user's scope (their unit's, or all for the city). */
export async function recallsDue(db: DB, user: SessionUser) {
  const [awards, studios] = await Promise.all([
    db
      .selectFrom("award")
      .innerJoin("revocation", "revocation.id", "award.revocation_id")
      .innerJoin("person", "person.id", "award.person_id")
      .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
      .leftJoin("title_recall", "title_recall.award_id", "award.id")
      .select([
        "award.id",
        sql<string>`person.name || '（' || award.certificate_number || '）'`.as("name"),
        "org_unit.short_name as unit_name",
        "revocation.revoked_on",
        "revocation.created_at as since",
      ])
      .where("title_recall.id", "is", null)
      .where(ownRowsOf(user, { unit: "person.org_unit_id", person: null }))
      .orderBy("revocation.revoked_on")
      .orderBy("award.id")
      .limit(500)
      .execute(),
    db
      .selectFrom("studio")
      .innerJoin("revocation", "revocation.id", "studio.revocation_id")
      .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
      .leftJoin("title_recall", "title_recall.studio_id", "studio.id")
      .select(["studio.id", "studio.name", "org_unit.short_name as unit_name", "revocation.revoked_on", "revocation.created_at as since"])
      .where("title_recall.id", "is", null)
      .where(ownRowsOf(user, { unit: "studio.org_unit_id", person: null }))
      .orderBy("revocation.revoked_on")
      .orderBy("studio.id")
      .limit(500)
      .execute(),
  ]);
  return [...awards.map((a) => ({ kind: "award" as const, ...a })), ...studios.map((s) => ({ kind: "studio" as const, ...s }))];
}

/** The certificate or plaque of a revoked title is back: recorded once, by its county or the city, in its history. */
export async function recordRecall(db: DB, actor: SessionUser, input: RecallInput): Promise<Result> {
  const what = RECALL_KIND_LABELS[input.kind];
  return db.transaction().execute(async (tx): Promise<Result> => {
    const record =
      input.kind === "award"
        ? await tx
            .selectFrom("award")
            .innerJoin("person", "person.id", "award.person_id")
            .leftJoin("revocation", "revocation.id", "award.revocation_id")
            .select(["award.id", "award.revocation_id", "revocation.revoked_on", "person.org_unit_id"])
            .where("award.id", "=", input.id)
            .forUpdate("award")
            .executeTakeFirst()
        : await tx
            .selectFrom("studio")
            .leftJoin("revocation", "revocation.id", "studio.revocation_id")
            .select(["studio.id", "studio.revocation_id", "revocation.revoked_on", "studio.org_unit_id"])
            .where("studio.id", "=", input.id)
            .forUpdate("studio")
            .executeTakeFirst();
    if (!record) return refuse(`要收回${what}的记录不存在`, { status: 404 });
    if (!isOfficerOf(actor, record.org_unit_id)) return refuse(`只有所在县级工会或市总工会可以登记收回${what}`, { status: 403 });
    if (!record.revocation_id || !record.revoked_on) return refuse(`该${input.kind === "award" ? "称号" : "工作室"}未被撤销，无需收回${what}`, { status: 409 });
    // Handed back after the revocation, never before it (the form's own check keeps it out of the future).
    if (input.recalledOn < record.revoked_on) return refuse(`收回日期不能早于撤销日期（${record.revoked_on}）`, { field: "recalledOn" });
    const recall = await tx
      .insertInto("title_recall")
      .values({ [input.kind === "award" ? "award_id" : "studio_id"]: record.id, recalled_on: input.recalledOn, note: input.note ?? "", recorded_by: actor.id })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!recall) return refuse(`该${what}已登记收回`, { status: 409 });
    const entry = { action: "recall" as const, after: { recalledOn: input.recalledOn }, comment: input.note };
    if (input.kind === "award") await recordAudit(tx, AWARD_AUDIT, { actor, id: record.id, unit: record.org_unit_id, ...entry });
    else await recordStudioAudit(tx, actor, record, entry);
    return { ok: true };
  });
}
