import type { DB } from "~db";
import type { StoredFile } from "~/lib/file-response.server";
import type { SessionUser } from "~/auth/roles";
import { checkEvidenceFiles, EVIDENCE_MAX_FILES } from "~/lib/files";
import { recordAudit } from "~/lib/audit.server";
import { accessTo, type Access } from "~/lib/access";
import { skillRank } from "~/modules/people/options";
import {
  canViewMentorship,
  initialMilestoneStatus,
  MILESTONE_FILING,
  milestoneRecord,
  milestoneWorkflow,
  relation,
  type MilestoneStep,
  MILESTONE_BATCH_MAX,
} from "~/modules/studios/policy";
import type { Result } from "~/lib/result";
import { milestoneDetails, type MilestoneInput } from "~/modules/studios/schema.server";
import { studioVisibleTo } from "~/modules/studios/studios.server";
import { findMentorship, studioRefOf, type MentorshipView } from "~/modules/studios/mentorships.server";
import { storedFileColumns } from "~/lib/upload.server";
import { isOfficerOf, type Relation } from "~/auth/relation";
import { MILESTONE_AUDIT, MILESTONE_KIND_LABELS } from "~/modules/studios/labels";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { type Tx } from "~db";

export async function milestonesOf(db: DB, mentorshipId: number) {
  const milestones = await db.selectFrom("milestone").selectAll().where("mentorship_id", "=", mentorshipId).orderBy("occurred_on", "desc").execute();
  const files = milestones.length
    ? await db
        .selectFrom("evidence_file")
        .select(["id", "milestone_id", "filename", "content_type", "size"])
        .where(
          "milestone_id",
          "in",
          milestones.map((m) => m.id),
        )
        .execute()
    : [];
  return milestones.map((m) => ({ ...m, files: files.filter((f) => f.milestone_id === m.id) }));
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** Files a milestone with its evidence; the craftsman's wait for verification. */
export async function addMilestone(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: MilestoneInput,
  files: UploadedFile[],
): Promise<Result<{ id: number }>> {
  if (!relation(actor, studioRefOf(m))) return { ok: false, status: 403, message: "您无权为该学徒登记成果" };
  if (!["accredited", "active"].includes(m.studio_status)) return { ok: false, status: 409, message: "工作室未在运行，不能登记成果" };
  if (files.length === 0) return { ok: false, status: 400, message: "请上传证书或证明材料的照片或 PDF", field: "evidence" };
  if (files.length > EVIDENCE_MAX_FILES) return { ok: false, status: 400, message: `每项成果最多上传${EVIDENCE_MAX_FILES}个文件`, field: "evidence" };
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
    await recordAudit(tx, MILESTONE_AUDIT, {
      actor,
      id: row.id,
      unit: m.org_unit_id,
      action: MILESTONE_FILING.action,
      // The economic benefit is part of what was claimed: kept in the history like the rest.
      after: {
        mentorshipId: m.id,
        kind: input.kind,
        occurredOn: input.occurredOn,
        status,
        files: checked.length,
        ...details,
        ...(benefitFen === null ? {} : { benefitFen }),
      },
    });
    return { ok: true as const, id: row.id };
  });
}

/** A verified skill upgrade raises the apprentice's recorded skill level. */
async function applyVerifiedMilestone(tx: Tx, actor: SessionUser, apprenticeId: number, kind: string, details: Record<string, string | number>) {
  if (kind !== "skill_upgrade") return;
  const person = await tx.selectFrom("person").select(["skill_level", "org_unit_id"]).where("id", "=", apprenticeId).forUpdate().executeTakeFirstOrThrow();
  const to = String(details.toLevel);
  if (skillRank(to) <= skillRank(person.skill_level)) return;
  // A record of another county is that county's to change: a verifier reaches it only through a
  // mentorship, and a link must not become a way to edit someone else's people.
  if (!isOfficerOf(actor, person.org_unit_id)) return;
  await tx.updateTable("person").set({ skill_level: to, updated_at: new Date() }).where("id", "=", apprenticeId).execute();
  await recordAudit(tx, PERSON_AUDIT, {
    actor,
    id: apprenticeId,
    unit: person.org_unit_id,
    action: "update",
    before: { skillLevel: person.skill_level },
    after: { skillLevel: to },
    comment: "经核实的技能等级提升",
  });
}

/** The step an officer's decision takes: the one leading to the status they chose. */
const stepTo = (decision: "verified" | "rejected"): MilestoneStep => (decision === "verified" ? "verify" : "reject");

export async function reviewMilestone(
  db: DB,
  actor: SessionUser,
  milestoneId: number,
  input: { decision: "verified" | "rejected"; comment: string | null },
): Promise<Result> {
  return db.transaction().execute((tx) => reviewInTx(tx, actor, milestoneId, input));
}

/** One milestone's verification or rejection, its consequences and its history row, inside the caller's transaction. */
async function reviewInTx(
  tx: Tx,
  actor: SessionUser,
  milestoneId: number,
  input: { decision: "verified" | "rejected"; comment: string | null },
): Promise<Result> {
  const step = stepTo(input.decision);
  const badInput = milestoneWorkflow.checkInput(step, { reason: input.comment });
  if (badInput) return badInput;
  const milestone = await tx.selectFrom("milestone").selectAll().where("id", "=", milestoneId).forUpdate().executeTakeFirst();
  if (!milestone) return { ok: false, status: 404, message: "成果记录不存在" };
  const m = (await findMentorship(tx, milestone.mentorship_id))!;
  const record = milestoneRecord(studioRefOf(m), milestone);
  // Who may decide is asked before whether it is still open: the leader hears "not yours", not "decided".
  const who = milestoneWorkflow.relation(actor, record);
  const deciders: readonly Relation[] = milestoneWorkflow.steps[step].by;
  if (!who || !deciders.includes(who)) return { ok: false, status: 403, message: "您无权核实此成果" };
  if (!milestoneWorkflow.canTake(actor, record, step)) {
    return { ok: false, status: 409, message: milestone.status === "rejected" ? "该成果已被不予认定" : "该成果已核实过" };
  }
  const to = milestoneWorkflow.steps[step].to;
  await tx
    .updateTable("milestone")
    .set({ status: to, review_comment: input.comment, reviewed_by: actor.id, reviewed_at: new Date() })
    .where("id", "=", milestoneId)
    .execute();
  if (to === "verified") await applyVerifiedMilestone(tx, actor, m.apprentice_id, milestone.kind, milestone.details);
  await recordAudit(tx, MILESTONE_AUDIT, {
    actor,
    id: milestoneId,
    unit: m.org_unit_id,
    action: step,
    before: { status: milestone.status },
    after: { status: to },
    comment: input.comment,
  });
  return { ok: true };
}

/**
 * Verifies the chosen milestones in one transaction, each as if verified alone (its history row,
 * the leader told, a skill upgrade applied); one that cannot be verified is left as it is, with why.
 */
export async function verifyMilestones(
  db: DB,
  actor: SessionUser,
  milestoneIds: number[],
): Promise<{ verified: number; refused: Array<{ id: number; name: string; reason: string }> }> {
  const ids = [...new Set(milestoneIds)].slice(0, MILESTONE_BATCH_MAX);
  return db.transaction().execute(async (tx) => {
    const named = new Map(
      (
        await tx
          .selectFrom("milestone")
          .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
          .innerJoin("person", "person.id", "mentorship.apprentice_id")
          .select(["milestone.id", "milestone.kind", "person.name"])
          .where("milestone.id", "in", ids.length ? ids : [-1])
          .execute()
      ).map((r) => [r.id, `${r.name}·${MILESTONE_KIND_LABELS[r.kind]}`]),
    );
    let verified = 0;
    const refused: Array<{ id: number; name: string; reason: string }> = [];
    for (const id of ids) {
      const result = await reviewInTx(tx, actor, id, { decision: "verified", comment: "批量核实认定" });
      if (result.ok) verified++;
      // Another county's milestone is as unknown to this officer as a missing one.
      else
        refused.push({
          id,
          name: result.status === 409 ? (named.get(id) ?? `#${id}`) : `#${id}`,
          reason: result.status === 409 ? result.message : "成果记录不存在或不在您的范围内",
        });
    }
    return { verified, refused };
  });
}

/** Evidence is served only to those who may see the studio it belongs to. */
export async function evidenceForViewer(db: DB, user: SessionUser, fileId: number): Promise<Access<StoredFile>> {
  const file = await db
    .selectFrom("evidence_file")
    .innerJoin("milestone", "milestone.id", "evidence_file.milestone_id")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .select([
      "evidence_file.filename",
      "evidence_file.content_type",
      "evidence_file.data",
      "studio.status",
      "studio.org_unit_id",
      "studio.person_id",
      "mentorship.apprentice_id",
    ])
    .where("evidence_file.id", "=", fileId)
    .executeTakeFirst();
  return accessTo(file, (f) => canViewMentorship(user, f));
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

/** Whether a milestone id names one of this mentorship's milestones (a form can post any id). */
export async function milestoneBelongs(db: DB, mentorshipId: number, milestoneId: number): Promise<boolean> {
  return !!(await db.selectFrom("milestone").select("id").where("id", "=", milestoneId).where("mentorship_id", "=", mentorshipId).executeTakeFirst());
}
