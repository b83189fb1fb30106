import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { accessTo, type Access } from "~/lib/access";
import { recordAudit } from "~/lib/audit.server";
import type { StoredFile } from "~/lib/file-response.server";
import { checkEvidence } from "~/lib/files";
import { refuse, type Result } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { APPRENTICE_LOG_AUDIT } from "~/modules/apprentices/labels";
import { partyTo } from "~/modules/apprentices/policy";
import type { LogEntryInput } from "~/modules/apprentices/schema.server";
import type { MentorshipView } from "~/modules/studios/mentorships.server";

/**
 * The apprentice's log: training and practice, by date and hours, with a photo if they like. The
 * apprentice writes it; the mentor confirms or returns each entry; confirmed hours count toward
 * the studio year's plan (带徒学时, studios/cycle.server actualsOf).
 */

const MINUTES_A_DAY = 24 * 60;
/** The least an entry may be (schema.server's 0.25 hours): less left of a day than this is a full day. */
const MIN_ENTRY_MINUTES = 15;
/** Minutes as the hours the apprentice types: at most two decimals, no trailing zeros (23.75, 2.5, 3). */
const asHours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

/**
 * Adds an entry, pending the mentor's confirmation. Only while the pairing is learning (not paused, not
 * ended), and only while the date's entries not returned stay within a day's 24 hours.
 */
export async function addLogEntry(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: LogEntryInput,
  photos: Array<{ name: string; bytes: Uint8Array }>,
): Promise<Result<{ id: number }>> {
  if (partyTo(actor, m) !== "apprentice") return refuse("只有学徒本人可以登记学习日志", { status: 403 });
  if (photos.length > 1) return refuse("每条日志只能附一张照片", { field: "photo" });
  const [photo] = photos;
  let stored: { photo: Buffer; photo_type: string } | null = null;
  if (photo) {
    const check = checkEvidence(photo.name, photo.bytes);
    if (!check.ok) return refuse(check.message, { field: "photo" });
    if (check.type === "application/pdf") return refuse("照片须为 JPEG 或 PNG 图片", { field: "photo" });
    stored = { photo: Buffer.from(check.bytes), photo_type: check.type };
  }
  const minutes = Math.round(input.hours * 60);
  return db.transaction().execute(async (tx): Promise<Result<{ id: number }>> => {
    // Locked against a pause or an end taken at the same moment.
    const state = await tx.selectFrom("mentorship").select(["status", "start_date"]).where("id", "=", m.id).forUpdate().executeTakeFirstOrThrow();
    if (state.status === "paused") return refuse("结对暂停期间不能登记学习日志", { status: 409 });
    if (state.status !== "active") return refuse("该结对已经结束，不能再登记学习日志", { status: 409 });
    if (input.onDate < state.start_date) return refuse(`日期不能早于结对开始日期（${state.start_date}）`, { field: "onDate" });
    if (input.onDate > todayInTaizhou()) return refuse("日期不能晚于今天", { field: "onDate" });
    // Counted under the pairing's lock, so a double submit or two tabs cannot both fit into the same day.
    const logged = await tx
      .selectFrom("apprentice_log")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("minutes"), eb.lit(0)).as("minutes"))
      .where("mentorship_id", "=", m.id)
      .where("on_date", "=", input.onDate)
      .where("status", "!=", "returned")
      .executeTakeFirstOrThrow();
    const left = MINUTES_A_DAY - Number(logged.minutes);
    if (minutes > left) {
      const message =
        left < MIN_ENTRY_MINUTES
          ? `${input.onDate}已登记满24小时，不能再登记`
          : `${input.onDate}已登记${asHours(MINUTES_A_DAY - left)}小时，一天最多24小时，本条最多还能登记${asHours(left)}小时`;
      return refuse(message, { status: 409, field: "hours" });
    }
    const row = await tx
      .insertInto("apprentice_log")
      .values({ mentorship_id: m.id, on_date: input.onDate, minutes, kind: input.kind, content: input.content, created_by: actor.id, ...stored })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, APPRENTICE_LOG_AUDIT, {
      actor,
      id: row.id,
      unit: m.org_unit_id,
      action: "create",
      after: { mentorshipId: m.id, onDate: input.onDate, minutes, kind: input.kind, photo: !!stored },
    });
    return { ok: true, id: row.id };
  });
}

/** The mentor's answer to a pending entry: confirmed (its hours count), or returned with a reason. */
export async function reviewLogEntry(
  db: DB,
  actor: SessionUser,
  m: MentorshipView,
  input: { entryId: number; decision: "confirmed" | "returned"; comment: string | null },
): Promise<Result> {
  if (partyTo(actor, m) !== "mentor") return refuse("只有师傅可以确认学习日志", { status: 403 });
  if (input.decision === "returned" && !input.comment) return refuse("退回须写明原因", { field: "comment" });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const entry = await tx
      .selectFrom("apprentice_log")
      .select(["status"])
      .where("id", "=", input.entryId)
      .where("mentorship_id", "=", m.id)
      .forUpdate()
      .executeTakeFirst();
    if (!entry) return refuse("日志不存在", { status: 404 });
    if (entry.status !== "pending") return refuse("该日志已处理过", { status: 409 });
    await tx
      .updateTable("apprentice_log")
      .set({ status: input.decision, comment: input.comment, confirmed_by: actor.id, confirmed_at: new Date() })
      .where("id", "=", input.entryId)
      .execute();
    await recordAudit(tx, APPRENTICE_LOG_AUDIT, {
      actor,
      id: input.entryId,
      unit: m.org_unit_id,
      action: input.decision === "confirmed" ? "confirm" : "return",
      before: { status: "pending" },
      after: { mentorshipId: m.id, status: input.decision },
      comment: input.comment,
    });
    return { ok: true };
  });
}

/** The log as the pairing's page shows it, with what the viewer may do. */
export async function logPanelOf(db: DB, user: SessionUser, m: MentorshipView) {
  const party = partyTo(user, m);
  return { ...(await logOf(db, m.id)), canAdd: party === "apprentice" && m.status === "active", canReview: party === "mentor" };
}

/** A pairing's log, newest first, with its confirmed hours; photos are fetched one by one (logPhotoForViewer). */
export async function logOf(db: DB, mentorshipId: number) {
  const entries = await db
    .selectFrom("apprentice_log")
    .select(["id", "on_date", "minutes", "kind", "content", "status", "comment", "confirmed_at", "created_at"])
    .select((eb) => eb("photo", "is not", null).as("has_photo"))
    .where("mentorship_id", "=", mentorshipId)
    .orderBy("on_date", "desc")
    .orderBy("id", "desc")
    .execute();
  return { entries, confirmedMinutes: entries.filter((e) => e.status === "confirmed").reduce((sum, e) => sum + e.minutes, 0) };
}

/** An entry's photo, for the pairing's parties only (the same rule as the log itself). */
export async function logPhotoForViewer(db: DB, user: SessionUser, entryId: number): Promise<Access<StoredFile>> {
  const row = await db
    .selectFrom("apprentice_log")
    .innerJoin("mentorship", "mentorship.id", "apprentice_log.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .select(["apprentice_log.photo", "apprentice_log.photo_type", "mentorship.apprentice_id", "studio.org_unit_id", "studio.person_id"])
    .where("apprentice_log.id", "=", entryId)
    .executeTakeFirst();
  const access = accessTo(row, (r) => partyTo(user, r) !== null);
  if (access.status !== 200) return access;
  const { photo, photo_type } = access.value;
  return photo && photo_type
    ? { status: 200, value: { filename: `日志照片-${entryId}.${photo_type === "image/png" ? "png" : "jpg"}`, content_type: photo_type, data: photo } }
    : { status: 404 };
}

/** Entries waiting for a mentor, one line per pairing: the to-do of a studio's leader. */
export async function logsToConfirm(db: DB, mentorPersonId: number) {
  return db
    .selectFrom("apprentice_log")
    .innerJoin("mentorship", "mentorship.id", "apprentice_log.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .innerJoin("person", "person.id", "mentorship.apprentice_id")
    .select(["mentorship.id", "person.name"])
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("apprentice_log.created_at").as("since")])
    .where("studio.person_id", "=", mentorPersonId)
    .where("apprentice_log.status", "=", "pending")
    .groupBy(["mentorship.id", "person.name"])
    .execute();
}
