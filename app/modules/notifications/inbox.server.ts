import type { DB } from "~db";
import { untilDataChanges } from "~/lib/memo.server";
import { isCraftsman, isCountyOfficer, type SessionUser } from "~/auth/roles";
import { versionsFor } from "~/auth/session.server";
import type { SmsMode } from "~db/types";
import { PAGE_SIZE, paginate, type Page } from "~/lib/sql";
import type { Result } from "~/lib/result";
import { addWorkingDays, dateInTaizhou, todayInTaizhou } from "~/lib/time";
import { CATEGORIES, SMS_CATEGORIES, type Category } from "~/lib/notices";
import type { TodoSource } from "~/modules/notifications/sources";

/** 站内消息: always on, each user's own. */

export function listMessages(db: DB, user: SessionUser, page = 1) {
  const own = db.selectFrom("message").where("user_id", "=", user.id);
  return paginate(own.select(["id", "category", "text", "link", "created_at", "read_at"]).orderBy("id", "desc"), own, page);
}

export async function unreadCount(db: DB, user: SessionUser): Promise<number> {
  const row = await db
    .selectFrom("message")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", user.id)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one message read (only the user's own: anyone else's is no message of theirs). */
export async function markRead(db: DB, user: SessionUser, id: number): Promise<Result> {
  const updated = await db
    .updateTable("message")
    .set({ read_at: new Date() })
    .where("id", "=", id)
    .where("user_id", "=", user.id)
    .where("read_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  if (updated) return { ok: true };
  const mine = await db.selectFrom("message").select("id").where("id", "=", id).where("user_id", "=", user.id).executeTakeFirst();
  return mine ? { ok: true } : { ok: false, status: 404, message: "消息不存在" };
}

/** Opens one of the user's messages: read from now on, and where it leads. */
export async function openMessage(db: DB, user: SessionUser, id: number): Promise<Result<{ link: string | null }>> {
  const message = await db.selectFrom("message").select(["id", "link"]).where("id", "=", id).where("user_id", "=", user.id).executeTakeFirst();
  if (!message) return { ok: false, status: 404, message: "消息不存在" };
  await markRead(db, user, id);
  return { ok: true, link: message.link };
}

export async function markAllRead(db: DB, user: SessionUser): Promise<void> {
  await db.updateTable("message").set({ read_at: new Date() }).where("user_id", "=", user.id).where("read_at", "is", null).execute();
}

/** The SMS choice per category: immediate by default. */
export async function smsPreferences(db: DB, user: SessionUser): Promise<Array<{ category: Category; label: string; sms: SmsMode }>> {
  const rows = await db.selectFrom("notification_preference").select(["category", "sms"]).where("user_id", "=", user.id).execute();
  return SMS_CATEGORIES.map((category) => ({ category, label: CATEGORIES[category], sms: rows.find((r) => r.category === category)?.sms ?? "immediate" }));
}

export async function setSmsPreferences(db: DB, user: SessionUser, choices: Partial<Record<Category, SmsMode>>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const [category, sms] of Object.entries(choices) as Array<[Category, SmsMode]>) {
      if (!SMS_CATEGORIES.includes(category)) continue;
      await tx
        .insertInto("notification_preference")
        .values({ user_id: user.id, category, sms })
        .onConflict((oc) => oc.columns(["user_id", "category"]).doUpdateSet({ sms }))
        .execute();
    }
  });
}

/** The city's 短信记录: every SMS, its number masked, newest first. */
export function smsLog(db: DB, page = 1) {
  const all = db.selectFrom("sms_message");
  return paginate(
    all.select(["id", "phone_masked", "template", "text", "status", "driver", "error", "created_at", "sent_at"]).orderBy("id", "desc"),
    all,
    page,
  );
}

export interface TodoItem {
  label: string;
  link: string;
  /** When the item started waiting. */
  since: string;
  due: string | null;
  overdue: boolean;
}

/**
 * 我的待办: what waits for this user, from the workflow states in their scope — each item the
 * exact page to act on, oldest first. Computed, never stored, so it cannot disagree with the records.
 */
export async function todosFor(db: DB, sources: readonly TodoSource[], user: SessionUser, instant = new Date()): Promise<TodoItem[]> {
  // A county officer without a unit, or a craftsman without a person record, has nothing in scope.
  if ((isCountyOfficer(user) && !user.orgUnitId) || (isCraftsman(user) && !user.personId)) return [];
  const now = { instant, today: todayInTaizhou(instant) };
  const mine = sources.filter((source) => source.roles.includes(user.role));
  const found = (await Promise.all(mine.map((source) => source.list(db, user, now)))).flat();
  return found
    .map(({ label, link, since, dueDays, due }) => {
      const start = typeof since === "string" ? since : dateInTaizhou(since);
      const until = due !== undefined ? due : dueDays === undefined ? null : addWorkingDays(start, dueDays);
      return { label, link, since: start, due: until, overdue: until !== null && until < now.today };
    })
    .sort((a, b) => a.since.localeCompare(b.since));
}

/** The user's to-dos as of now, remembered per user and day until what they are read from changes. */
async function currentTodos(db: DB, sources: readonly TodoSource[], user: SessionUser): Promise<TodoItem[]> {
  return untilDataChanges(db, `todos|${user.id}|${todayInTaizhou()}`, () => todosFor(db, sources, user), { version: (await versionsFor(db, user)).work });
}

/**
 * One page of the user's to-dos, oldest first. The city can have thousands waiting at once (every
 * subsidy to pay, every consent to record): the home page shows the first few and the to-do page
 * the rest, a page at a time, instead of one list of all of them.
 */
export async function todoPage(db: DB, sources: readonly TodoSource[], user: SessionUser, page = 1, pageSize = PAGE_SIZE): Promise<Page<TodoItem>> {
  const all = await currentTodos(db, sources, user);
  return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
}

/**
 * The navigation's badges, on every page: remembered until what they are read from changes, so a
 * page between changes spends no statement on them instead of a query per source.
 */
export async function workCounts(db: DB, sources: readonly TodoSource[], user: SessionUser): Promise<{ todo: number; unread: number }> {
  return untilDataChanges(
    db,
    `counts|${user.id}|${todayInTaizhou()}`,
    async () => {
      const [todos, unread] = await Promise.all([currentTodos(db, sources, user), unreadCount(db, user)]);
      return { todo: todos.length, unread };
    },
    { version: (await versionsFor(db, user)).work },
  );
}
