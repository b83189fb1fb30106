import { sql } from "kysely";
import type { DB } from "~db";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { accessTo, type Access } from "~/lib/access";
import { insertPerson, isUniqueViolation } from "~/modules/people/people.server";
import { lookupHash } from "~/modules/people/pii.server";
import { canManageApprentices, canViewMentorship, isOngoing, ONGOING_MENTORSHIP, relation } from "~/modules/studios/policy";
import { type ApprenticeInput } from "~/modules/studios/schema.server";
import { recordStudioAudit } from "~/modules/studios/history.server";
import { spendExactLookup } from "~/modules/people/lookup.server";
import { maskIdNumber } from "~/modules/people/id-number";
import { fieldsRefused, type Refusal, type Result, type SaveResult } from "~/lib/result";

/** A pairing as its pages show it, with the apprentice's name, level and employer. */
export const MENTORSHIP_COLUMNS = [
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

export type MentorshipResult = SaveResult | Refusal;

/**
 * Takes an apprentice on: the person is found by ID number or registered under the studio's
 * unit, and the 师徒结对协议 is recorded. An existing person's record is linked, not changed.
 */
export async function addApprentice(db: DB, actor: SessionUser, studioId: number, input: ApprenticeInput): Promise<MentorshipResult> {
  if (!input.idNumber) return fieldsRefused({ idNumber: ["请输入身份证号码"] });
  const idNumber = input.idNumber.idNumber;
  try {
    return await db.transaction().execute(async (tx): Promise<MentorshipResult> => {
      const studio = await tx.selectFrom("studio").selectAll().where("id", "=", studioId).forUpdate().executeTakeFirst();
      if (!studio) return { ok: false, status: 404, message: "工作室不存在" };
      if (!canManageApprentices(actor, studio)) return { ok: false, status: 403, message: "工作室授牌后才能登记学徒" };
      if (studio.person_id !== null) {
        const leaderHash = await tx.selectFrom("person").select("id_number_hash").where("id", "=", studio.person_id).executeTakeFirstOrThrow();
        if (leaderHash.id_number_hash === lookupHash(idNumber)) return fieldsRefused({ idNumber: ["领衔工匠不能做自己工作室的学徒"] });
      }
      // Finding a person by the whole number is an exact lookup: counted, recorded, and it must not
      // reach, name or link anyone outside the studio's unit (only the city links across units).
      const refused = await spendExactLookup(tx, actor, { masked: maskIdNumber(idNumber) }, "登记学徒");
      if (refused) return refused;
      let person = await tx.selectFrom("person").select(["id", "name", "org_unit_id"]).where("id_number_hash", "=", lookupHash(idNumber)).executeTakeFirst();
      if (person && person.org_unit_id !== studio.org_unit_id && !isCityAdmin(actor)) {
        return fieldsRefused({ idNumber: ["该身份证号码已在其他县（市、区）登记，不能在本工作室直接登记；跨单位结对请联系市总工会"] });
      }
      if (person && person.name !== input.name) {
        return fieldsRefused({ name: ["姓名与该身份证号码已登记的姓名不一致，请核对"] });
      }
      if (!person) {
        // The registering user may be the craftsman: the studio's unit files the record.
        const created = await insertPerson(tx, actor, { ...input, orgUnitId: studio.org_unit_id });
        if (!created.ok) return created;
        person = { id: created.id, name: input.name, org_unit_id: studio.org_unit_id };
      }
      const already = await tx
        .selectFrom("mentorship")
        .select("id")
        .where("studio_id", "=", studioId)
        .where("apprentice_id", "=", person.id)
        .where("status", "in", [...ONGOING_MENTORSHIP])
        .executeTakeFirst();
      if (already) return fieldsRefused({ idNumber: ["该学徒已在本工作室结对中"] });
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
      await recordStudioAudit(tx, actor, studio, {
        action: "mentorship_start",
        after: { mentorshipId: row.id, apprentice: input.name, startDate: input.startDate, plannedEnd: input.plannedEnd },
      });
      return { ok: true, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ idNumber: ["该学徒已在本工作室结对中"] });
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

/** A mentorship is seen by whoever may see its studio, and by its apprentice. */
export async function mentorshipForViewer(db: DB, user: SessionUser, id: number): Promise<Access<MentorshipView>> {
  return accessTo(await findMentorship(db, id), (m) => canViewMentorship(user, { ...studioRefOf(m), apprentice_id: m.apprentice_id }));
}

export function studioRefOf(m: MentorshipView) {
  return { status: m.studio_status, org_unit_id: m.org_unit_id, person_id: m.person_id };
}

export async function endMentorship(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: { outcome: "completed" | "ended_early"; endedOn: string; reason: string | null; confirmed: boolean },
): Promise<Result> {
  if (!relation(actor, studioRefOf(m))) return { ok: false, status: 403, message: "您无权操作" };
  // The page asks twice; a post that skips the second press (a script, an old page) is refused.
  if (!input.confirmed) return { ok: false, status: 400, message: "结束结对后不能恢复，请确认后再结束", field: "confirmed" };
  return db.transaction().execute(async (tx): Promise<Result> => {
    const current = await tx.selectFrom("mentorship").select("status").where("id", "=", m.id).forUpdate().executeTakeFirstOrThrow();
    // A paused pairing may be ended too (the break became the end); its open pause stays as it was, the record of the break.
    if (!isOngoing(current.status)) return { ok: false, status: 409, message: "该结对已经结束" };
    await tx.updateTable("mentorship").set({ status: input.outcome, ended_on: input.endedOn, end_reason: input.reason }).where("id", "=", m.id).execute();
    await recordStudioAudit(
      tx,
      actor,
      { id: m.studio_id, org_unit_id: m.org_unit_id },
      {
        action: "mentorship_end",
        before: { mentorshipId: m.id, status: current.status },
        after: { mentorshipId: m.id, status: input.outcome, endedOn: input.endedOn },
        comment: input.reason,
      },
    );
    return { ok: true };
  });
}
