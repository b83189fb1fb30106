import type { DB, Tx } from "~db";
import { enqueue, type Job, type JobHandler } from "~/lib/jobs.server";
import type { SmsGateway } from "~/lib/sms.server";
import { hourInTaizhou, nextTaizhouHour, startOfDay, todayInTaizhou } from "~/lib/time";
import { SMS_CATEGORIES, render, type Audience, type Category, type Notice } from "~/lib/notices";
import { todosFor } from "~/modules/notifications/inbox.server";
import { sessionUserOf } from "~/auth/roles";
import type { NoticeSource, PhoneBook, Subject, TodoSource } from "~/modules/notifications/sources";

/**
 * From the history to the people concerned. Every workflow step writes its history row in its
 * own transaction; that row is the outbox. The fan-out turns new rows into 站内消息 (and SMS
 * jobs) once each: a step that rolled back left no row, and a process that died after the commit
 * left the row for the next tick. Who hears of which action, and who a row is about, the domains
 * declare (sources.ts); the worker hands their declarations in.
 */

/** Rows older than this are not fanned out any more (the workers were down for a week). */
const FANOUT_WINDOW_MS = 7 * 86_400_000;

/** The domains' notice declarations, by history entity; one declaration per entity. */
export function gatherNotices(sources: readonly NoticeSource[]): ReadonlyMap<string, NoticeSource> {
  const byEntity = new Map<string, NoticeSource>();
  for (const source of sources) {
    if (byEntity.has(source.entity)) throw new Error(`Notices for "${source.entity}" are declared twice`);
    byEntity.set(source.entity, source);
  }
  return byEntity;
}

async function recipients(tx: Tx, to: readonly Audience[], about: Subject, actorId: string | null): Promise<string[]> {
  // A record without a craftsman or a unit (a campaign) has no owner or unit to tell, an event nobody registered for no participants.
  const audience = to.filter((a) =>
    a === "owner"
      ? about.personId !== null
      : a === "unit"
        ? about.unitId !== null
        : a === "participants"
          ? !!about.participants?.length
          : a === "apprentice"
            ? !!about.apprenticeId
            : a === "account"
              ? !!about.accountId
              : true,
  );
  if (!audience.length) return [];
  const users = await tx
    .selectFrom("app_user")
    .select("id")
    .where("active", "=", true)
    .where((eb) =>
      eb.or(
        audience.map((a) =>
          a === "owner"
            ? eb("person_id", "=", about.personId)
            : a === "participants"
              ? eb("person_id", "in", about.participants!)
              : a === "apprentice"
                ? eb.and([eb("role", "=", "apprentice"), eb("person_id", "=", about.apprenticeId!)])
                : a === "account"
                  ? eb("id", "=", about.accountId!)
                  : a === "unit"
                    ? // The officers who answer for the unit: its county officers, or for the city's own records (an
                      // event the city organises) the city's.
                      eb.or([
                        eb.and([eb("role", "=", "county_officer"), eb("org_unit_id", "=", about.unitId)]),
                        ...(about.unitIsCity ? [eb("role", "=", "city_admin")] : []),
                      ])
                    : eb("role", "=", a === "counties" ? "county_officer" : "city_admin"),
        ),
      ),
    )
    .execute();
  // Whoever took the step knows it already.
  return users.map((u) => u.id).filter((id) => id !== actorId);
}

/** A history row's `after`, as an object: jsonb arrives parsed on both drivers, but a scalar or a list says nothing here. */
function recorded(after: unknown): Record<string, unknown> | null {
  return after && typeof after === "object" && !Array.isArray(after) ? (after as Record<string, unknown>) : null;
}

export const FANOUT_BATCH = 200;

/** Turns the history rows not yet fanned out into messages, as the declarations say; returns how many rows it handled. */
export async function fanOut(db: DB, declared: ReadonlyMap<string, NoticeSource>, now = new Date(), limit = FANOUT_BATCH): Promise<number> {
  const heard = [...declared.values()].flatMap(({ entity, notices }) => Object.keys(notices).map((action) => [entity, action] as const));
  return db.transaction().execute(async (tx) => {
    const pending = await tx
      .selectFrom("audit_log as a")
      .leftJoin("audit_fanout as f", "f.audit_id", "a.id")
      .select(["a.id", "a.entity_type", "a.entity_id", "a.action", "a.actor_user_id", "a.comment", "a.after"])
      .where("f.audit_id", "is", null)
      // Only the actions someone hears of: the rest of the history is never queued behind.
      .where((eb) => eb.or(heard.map(([entity, action]) => eb.and([eb("a.entity_type", "=", entity), eb("a.action", "=", action)]))))
      .where("a.at", ">", new Date(now.getTime() - FANOUT_WINDOW_MS))
      .orderBy("a.id")
      .limit(limit)
      .execute();
    if (!pending.length) return 0;
    // Claiming by insert: a second worker's claim waits for this one to commit, then finds them taken.
    const claimed = await tx
      .insertInto("audit_fanout")
      .values(pending.map((p) => ({ audit_id: Number(p.id) })))
      .onConflict((oc) => oc.column("audit_id").doNothing())
      .returning("audit_id")
      .execute();
    const mine = new Set(claimed.map((c) => Number(c.audit_id)));
    for (const row of pending) {
      if (!mine.has(Number(row.id))) continue;
      const source = declared.get(row.entity_type);
      const rules: readonly Notice[] | undefined = source?.notices[row.action];
      const about = rules && /^\d+$/.test(row.entity_id) ? await source!.subject(tx, Number(row.entity_id), recorded(row.after)) : undefined;
      if (!rules || !about) continue;
      for (const rule of rules) {
        const text = render(rule.text, { ...about, reason: row.comment });
        const users = await recipients(tx, rule.to, about, row.actor_user_id);
        if (!users.length) continue;
        await tx
          .insertInto("message")
          .values(users.map((user_id) => ({ user_id, audit_id: Number(row.id), category: rule.category, text, link: about.link })))
          .onConflict((oc) => oc.columns(["user_id", "audit_id"]).doNothing())
          .execute();
        if (!SMS_CATEGORIES.includes(rule.category)) continue;
        for (const userId of users) {
          await enqueue(
            tx,
            "sms.send",
            { userId, category: rule.category, text, subject: about.subject, reason: row.comment ?? "" },
            { runAt: allowedFrom(now) },
          );
        }
      }
    }
    return pending.length;
  });
}

/** No SMS between 21:00 and 08:00 Taizhou time: held until the morning. */
export const QUIET_FROM = 21;
export const QUIET_UNTIL = 8;

function allowedFrom(now: Date): Date {
  const hour = hourInTaizhou(now);
  return hour >= QUIET_FROM || hour < QUIET_UNTIL ? nextTaizhouHour(QUIET_UNTIL, now) : now;
}

/** Per number: one a minute, five an hour, ten a day (providers' and recipients' patience alike). */
export const SMS_LIMITS: ReadonlyArray<{ withinMs: number; max: number }> = [
  { withinMs: 60_000, max: 1 },
  { withinMs: 3_600_000, max: 5 },
  { withinMs: 86_400_000, max: 10 },
];

async function smsPreference(db: DB, userId: string, category: string) {
  const row = await db.selectFrom("notification_preference").select("sms").where("user_id", "=", userId).where("category", "=", category).executeTakeFirst();
  return row?.sms ?? "immediate";
}

/** When the number may be sent to again, or null if now. */
async function limitedUntil(db: DB, phoneHash: string, now: Date): Promise<Date | null> {
  const sent = await db
    .selectFrom("sms_message")
    .select("sent_at")
    .where("phone_hash", "=", phoneHash)
    .where("status", "=", "sent")
    .where("sent_at", ">", new Date(now.getTime() - 86_400_000))
    .orderBy("sent_at", "desc")
    .execute();
  for (const { withinMs, max } of SMS_LIMITS) {
    const inWindow = sent.filter((s) => s.sent_at!.getTime() > now.getTime() - withinMs);
    if (inWindow.length >= max) return new Date(inWindow[max - 1].sent_at!.getTime() + withinMs);
  }
  return null;
}

interface SmsPayload {
  /** The account whose phone on record it goes to, or, for someone with no account, the number itself (sealed). */
  userId: string | null;
  to?: Recipient;
  category: Category;
  text: string;
  subject: string;
  reason: string;
}

/**
 * A message of this job that was being sent when its process died: the provider is asked whether it
 * got it (our row id is the OutId it keeps), never simply sent it again. Returns true when the job
 * is done (the message went out); false when it never reached the provider and may be sent now.
 */
async function reconcile(db: DB, gateway: SmsGateway, phones: PhoneBook, jobId: number): Promise<boolean> {
  const rows = await db.selectFrom("sms_message").select(["id", "status", "phone_cipher", "created_at"]).where("job_id", "=", jobId).execute();
  if (rows.some((r) => r.status === "sent")) return true;
  for (const row of rows.filter((r) => r.status === "sending")) {
    const outcome = await gateway.confirm({ phone: phones.open(row.phone_cipher), outId: String(row.id), sentAt: row.created_at });
    if (outcome === "unknown") throw new Error("短信平台暂时无法确认上次发送的结果，稍后再查");
    if (outcome === "sent") {
      await db.updateTable("sms_message").set({ status: "sent", sent_at: new Date(), error: null }).where("id", "=", row.id).execute();
      return true;
    }
    const error = outcome === "failed" ? "短信平台未能送达（发送时进程中断，事后查询得知）" : "短信平台未收到（发送时进程中断），已重新发送";
    await db.updateTable("sms_message").set({ status: "failed", error }).where("id", "=", row.id).execute();
  }
  return false;
}

/** A number on no account (a voter's or an objector's, proven by a code): sealed, hashed and masked as stored. */
interface Recipient {
  phone_cipher: string;
  phone_hash: string;
  phone_masked: string;
  org_unit_id: null;
}

/**
 * Queues one SMS to a number that belongs to no account, in the caller's transaction: the same queue, quiet
 * hours and per-number limits as every notice; there is no account, so no preference to ask.
 */
export async function queueSmsTo(tx: Tx, to: Omit<Recipient, "org_unit_id">, message: { category: Category; text: string; subject: string }, now = new Date()) {
  const payload: SmsPayload = { userId: null, to: { ...to, org_unit_id: null }, reason: "", ...message };
  await enqueue(tx, "sms.send", payload as unknown as Record<string, unknown>, { runAt: allowedFrom(now) });
}

/**
 * Sends one SMS job: preference, quiet hours and limits first; a failure the provider may get over is
 * retried. The row is committed as "sending" before the provider is called, so a crash in between is
 * reconciled by the job's next attempt (see reconcile): each message goes out at most once.
 */
export function sendSmsJob(gateway: SmsGateway, phones: PhoneBook, now: () => Date = () => new Date()): JobHandler {
  return async (db: DB, job: Job) => {
    if (await reconcile(db, gateway, phones, job.id)) return;
    const payload = job.payload as unknown as SmsPayload;
    if (payload.userId !== null && (await smsPreference(db, payload.userId, payload.category)) !== "immediate") return;
    const person = payload.userId !== null ? await phones.phoneOf(db, payload.userId) : payload.to;
    if (!person?.phone_cipher || !person.phone_hash || !person.phone_masked) return;
    const at = now();
    const morning = allowedFrom(at);
    const later = morning > at ? morning : await limitedUntil(db, person.phone_hash, at);
    if (later) {
      await enqueue(db, "sms.send", payload as unknown as Record<string, unknown>, { runAt: later });
      return;
    }
    const text = `【匠心】${payload.text}`;
    const params = { subject: payload.subject.slice(0, 20), reason: payload.reason.slice(0, 20) };
    const row = await db
      .insertInto("sms_message")
      .values({
        user_id: payload.userId,
        org_unit_id: person.org_unit_id,
        phone_cipher: person.phone_cipher,
        phone_hash: person.phone_hash,
        phone_masked: person.phone_masked,
        template: payload.category,
        params: JSON.stringify(params),
        text,
        status: "sending",
        driver: gateway.driver,
        job_id: job.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const result = await gateway.send({ phone: phones.open(person.phone_cipher), template: payload.category, params, text, outId: String(row.id) });
    await db
      .updateTable("sms_message")
      .set(result.ok ? { status: "sent", sent_at: now(), provider_id: result.providerId } : { status: "failed", error: result.error })
      .where("id", "=", row.id)
      .execute();
    if (!result.ok && result.retry) throw new Error(result.error);
  };
}

/**
 * Those who chose a daily digest get one SMS each morning for the day's messages in those
 * categories. One job per day whatever the number of processes (its key is the date), which only
 * plans one send job per recipient (keyed by the date and the user): a crash half-way through
 * repeats nobody's and leaves nobody out.
 */
export function digestJob(now: () => Date = () => new Date()): JobHandler {
  return async (db: DB) => {
    const since = new Date(now().getTime() - 86_400_000);
    const today = todayInTaizhou(now());
    const rows = await db
      .selectFrom("notification_preference as p")
      .innerJoin("message as m", (join) => join.onRef("m.user_id", "=", "p.user_id").onRef("m.category", "=", "p.category"))
      .select(["p.user_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("p.sms", "=", "digest")
      .where("m.created_at", ">", since)
      .where("m.read_at", "is", null)
      .groupBy("p.user_id")
      .execute();
    for (const r of rows) {
      // The digest itself is not held back by the user's per-category choice (nobody sets one for "digest").
      const payload = { userId: r.user_id, category: "digest", text: `您有 ${r.n} 条新消息，请登录匠心平台查看`, subject: `${r.n}条新消息`, reason: "" };
      await enqueue(db, "sms.send", payload, { uniqueKey: `digest:${today}:${r.user_id}` });
    }
  };
}

/**
 * Messages left "queued" or "sending" by work that will not come back to them (its job is over, or
 * a vote code's request died between the provider and the answer) are closed as failed after a
 * while, with the reason, so the SMS log never shows a message pending for ever.
 */
export async function settleStaleSms(db: DB, now = new Date()): Promise<void> {
  await db
    .updateTable("sms_message")
    .set({ status: "failed", error: "发送时进程中断，未能确认是否送达" })
    .where("status", "in", ["queued", "sending"])
    .where("created_at", "<", new Date(now.getTime() - STALE_SMS_MS))
    .where((eb) =>
      eb.or([
        eb("job_id", "is", null),
        eb.not(
          eb.exists(
            eb
              .selectFrom("job")
              .select("job.id")
              .whereRef("job.id", "=", "sms_message.job_id")
              .where("job.done_at", "is", null)
              .where("job.failed_at", "is", null),
          ),
        ),
      ]),
    )
    .execute();
}

/** Longer than any request or job attempt takes to call the provider (10 s) and record its answer. */
const STALE_SMS_MS = 10 * 60_000;

/**
 * Each working morning, officers whose 待办 has overdue items are told how many. One job a day
 * (keyed by the date), so several processes remind once.
 */
export function remindersJob(sources: readonly TodoSource[], now: () => Date = () => new Date()): JobHandler {
  return async (db: DB) => {
    const today = todayInTaizhou(now());
    const weekday = new Date(startOfDay(today).getTime() + 12 * 3_600_000).getUTCDay();
    if (weekday === 0 || weekday === 6) return;
    const officers = await db
      .selectFrom("app_user")
      .select(["id", "username", "display_name", "role", "org_unit_id", "person_id"])
      .where("active", "=", true)
      .where("role", "in", ["county_officer", "city_admin"])
      .execute();
    for (const officer of officers.flatMap((row) => sessionUserOf(row) ?? [])) {
      const overdue = (await todosFor(db, sources, officer, now())).filter((i) => i.overdue).length;
      if (!overdue) continue;
      await db
        .insertInto("message")
        .values({ user_id: officer.id, category: "todo", text: `您有 ${overdue} 项待办已逾期，请尽快办理`, link: "/home" })
        .execute();
    }
  };
}

/** Today's digest at 08:30 and the reminders a quarter of an hour before, planned by whichever process gets there first. */
export async function planDailyNotices(db: DB, now = new Date()): Promise<void> {
  const today = todayInTaizhou(now);
  const digestAt = new Date(startOfDay(today).getTime() + (QUIET_UNTIL + 0.5) * 3_600_000);
  await enqueue(db, "sms.digest", { date: today }, { uniqueKey: `digest:${today}`, runAt: digestAt });
  await enqueue(db, "reminders", { date: today }, { uniqueKey: `reminders:${today}`, runAt: new Date(digestAt.getTime() - 15 * 60_000) });
}
