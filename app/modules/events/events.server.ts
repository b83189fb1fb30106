import crypto from "node:crypto";
import ExcelJS from "exceljs";
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from "kysely";
import type { DB } from "~db";
import type { Database, EventKind } from "~db/types";
import { isApprentice, isCraftsman, isCityAdmin, type SessionUser } from "~/auth/roles";
import { PAGE_SIZE, paginate } from "~/lib/sql";
import { unitAudit } from "~/lib/audit.server";
import { accessTo, type Access } from "~/lib/access";
import { isUniqueViolation } from "~/modules/people/people.server";
import { checkinSecret, lookupHash } from "~/modules/people/pii.server";
import { canManageEvent, canViewEvent, organiserMayTake, participantMayTake, type EventTies } from "~/modules/events/policy";
import { CHANNEL_LABELS, checkinOpen, checkinOpensAt, computeReach, defaultHours, finished, KIND_LABELS, type Reach } from "~/modules/events/reach";
import { formatDateTime } from "~/lib/format";
import type { EventInput } from "~/modules/events/schema.server";
import { endOfDay, excelTaizhouTime, startOfDay } from "~/lib/time";
import { ownRowsOf } from "~/auth/scope.server";
import { studioVisibleTo } from "~/modules/studios/studios.server";
import { EVENT_AUDIT } from "~/modules/events/labels";
import { type Tx } from "~db";
import { fieldsRefused, type Result, type SaveResult } from "~/lib/result";
import { spendExactLookup } from "~/modules/people/lookup.server";
import { maskIdNumber } from "~/modules/people/id-number";
import { relationTo } from "~/auth/relation";

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function randomCode(length: number): string {
  const bytes = crypto.randomBytes(length);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
}

/** Where the user may organise: their unit, or their studio; the city anywhere. */
export async function organiserOptions(db: DB, user: SessionUser) {
  const units = await db
    .selectFrom("org_unit")
    .select(["id", "short_name"])
    .where(ownRowsOf<"org_unit">(user, { unit: "org_unit.id", person: null }))
    .orderBy("sort_order")
    .execute();
  const studios = await db
    .selectFrom("studio")
    .select(["id", "name", "org_unit_id"])
    .where("status", "in", ["accredited", "active"])
    .where(studioVisibleTo(user))
    // The city organises as the city union, never in a studio's name.
    .$if(isCityAdmin(user), (q) => q.where(sql<boolean>`false`))
    .execute();
  return {
    options: [
      ...units.map((u) => ({ value: `unit:${u.id}`, label: u.short_name, unitId: u.id, studioId: null as number | null })),
      ...studios.map((s) => ({ value: `studio:${s.id}`, label: s.name, unitId: s.org_unit_id, studioId: s.id as number | null })),
    ],
  };
}

/** An event's history row, kept under the event and its organising unit. */
const recordEventAudit = unitAudit(EVENT_AUDIT);

type EventSaveResult = SaveResult;

type Organiser = Awaited<ReturnType<typeof organiserOptions>>["options"][number];

const NOT_YOUR_ORGANISER = fieldsRefused({ organiser: ["您不能以该单位或工作室的名义组织活动"] });
const NOT_YOUR_SERIES = fieldsRefused({ seriesId: ["请选择本单位的系列活动"] });

async function organiserOf(db: DB, actor: SessionUser, input: EventInput): Promise<Organiser | undefined> {
  const { options } = await organiserOptions(db, actor);
  return options.find((o) => o.value === input.organiser);
}

/**
 * A chosen series must belong to the organising unit, and series are the unions' own: a studio's
 * event is filed under none of them (its leader would otherwise put events into the union's series).
 */
async function seriesFits(db: DB, seriesId: number, organiser: Organiser): Promise<boolean> {
  if (organiser.studioId !== null) return false;
  const series = await db.selectFrom("event_series").select("org_unit_id").where("id", "=", seriesId).executeTakeFirst();
  return series?.org_unit_id === organiser.unitId;
}

function eventColumns(input: EventInput, organiser: Organiser, seriesId: number | null) {
  return {
    series_id: seriesId,
    title: input.title,
    kind: input.kind,
    org_unit_id: organiser.unitId,
    studio_id: organiser.studioId,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    channel: input.channel,
    place: input.place,
    description: input.description,
    capacity: input.capacity,
  };
}

export async function createEvent(db: DB, actor: SessionUser, input: EventInput): Promise<EventSaveResult> {
  const organiser = await organiserOf(db, actor, input);
  if (!organiser) return NOT_YOUR_ORGANISER;
  return db.transaction().execute(async (tx) => {
    let seriesId = input.seriesId ?? null;
    if (seriesId) {
      if (!(await seriesFits(tx, seriesId, organiser))) return NOT_YOUR_SERIES;
    } else if (input.newSeries) {
      if (organiser.studioId !== null) return NOT_YOUR_SERIES;
      const series = await tx
        .insertInto("event_series")
        .values({ title: input.newSeries, org_unit_id: organiser.unitId, created_by: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      seriesId = series.id;
    }
    const row = await tx
      .insertInto("event")
      .values({ ...eventColumns(input, organiser, seriesId), checkin_code: randomCode(6), created_by: actor.id })
      .returning(["id", "org_unit_id"])
      .executeTakeFirstOrThrow();
    await recordEventAudit(tx, actor, row, {
      action: "create",
      after: { title: input.title, kind: input.kind, organiser: organiser.label, startsAt: input.startsAt, endsAt: input.endsAt },
    });
    return { ok: true as const, id: row.id };
  });
}

export async function updateEvent(db: DB, actor: SessionUser, event: EventView, input: EventInput): Promise<EventSaveResult> {
  if (!organiserMayTake(actor, event, "update")) return fieldsRefused({ title: ["您无权修改此活动"] });
  const organiser = await organiserOf(db, actor, input);
  if (!organiser) return NOT_YOUR_ORGANISER;
  if (input.seriesId && !(await seriesFits(db, input.seriesId, organiser))) return NOT_YOUR_SERIES;
  await db.transaction().execute(async (tx) => {
    // The history goes under the unit the event now belongs to.
    const saved = await tx
      .updateTable("event")
      .set(eventColumns(input, organiser, input.seriesId ?? null))
      .where("id", "=", event.id)
      .returning(["id", "org_unit_id"])
      .executeTakeFirstOrThrow();
    await recordEventAudit(tx, actor, saved, {
      action: "update",
      before: { title: event.title, startsAt: event.starts_at, endsAt: event.ends_at, place: event.place },
      after: { title: input.title, startsAt: input.startsAt, endsAt: input.endsAt, place: input.place },
    });
  });
  return { ok: true, id: event.id };
}

function eventQuery(db: DB) {
  return db
    .selectFrom("event")
    .innerJoin("org_unit", "org_unit.id", "event.org_unit_id")
    .leftJoin("studio", "studio.id", "event.studio_id")
    .leftJoin("event_series", "event_series.id", "event.series_id")
    .selectAll("event")
    .select(["org_unit.short_name as unit_name", "studio.name as studio_name", "studio.person_id as studio_leader_id", "event_series.title as series_title"]);
}

export async function findEvent(db: DB, id: number) {
  return eventQuery(db).where("event.id", "=", id).executeTakeFirst();
}

export type EventView = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

/**
 * The events a craftsman may join: not yet over, run by their own county-level union (or one of
 * its studios) or by the city's. The list-query form; `tiesOf` answers it for one event.
 */
function openToPerson(eb: ExpressionBuilder<Database, "event">, personId: number, now = new Date()) {
  return eb.and([
    eb("event.ends_at", ">=", now),
    eb.or([
      eb("event.org_unit_id", "=", eb.selectFrom("person").select("person.org_unit_id").where("person.id", "=", personId)),
      eb("event.org_unit_id", "in", eb.selectFrom("org_unit as city").select("city.id").where("city.kind", "=", "city")),
    ]),
    // The organiser is not invited to their own studio's event.
    eb.not(eb.exists(eb.selectFrom("studio as own").select("own.id").whereRef("own.id", "=", "event.studio_id").where("own.person_id", "=", personId))),
  ]);
}

export async function tiesOf(db: DB, user: SessionUser, eventId: number, now = new Date()): Promise<EventTies> {
  // An apprentice is on the lists of events too (put there by the organiser), and joins none themself.
  if (!(isCraftsman(user) || isApprentice(user))) return { participates: false, open: false };
  const personId = user.personId;
  const row = await db
    .selectFrom("event")
    .where("event.id", "=", eventId)
    .select((eb) => [
      eb
        .exists(eb.selectFrom("event_participant as ep").select("ep.id").whereRef("ep.event_id", "=", "event.id").where("ep.person_id", "=", personId))
        .as("participates"),
      isCraftsman(user) ? openToPerson(eb, personId, now).as("open") : sql<boolean>`false`.as("open"),
    ])
    .executeTakeFirst();
  return { participates: !!row?.participates, open: !!row?.open };
}

export async function eventForViewer(db: DB, user: SessionUser, id: number): Promise<Access<EventView & { ties: EventTies }>> {
  const event = await findEvent(db, id);
  const ties = event ? await tiesOf(db, user, id) : { participates: false, open: false };
  return accessTo(event && { ...event, ties }, (e) => canViewEvent(user, e, ties));
}

/** A craftsman puts themself on the list of a coming event open to them; its organisers hear of it. */
export async function joinEvent(db: DB, actor: SessionUser, eventId: number): Promise<Result> {
  try {
    return await db.transaction().execute(async (tx) => {
      const event = await tx.selectFrom("event").select(["id", "org_unit_id", "capacity"]).where("id", "=", eventId).forUpdate().executeTakeFirst();
      if (!event) return { ok: false as const, status: 404 as const, message: "活动不存在" };
      if (!participantMayTake(actor, await tiesOf(tx, actor, eventId), "participant_join"))
        return { ok: false as const, status: 403 as const, message: "该活动不接受您报名（已结束，或不是本县或市总工会举办）" };
      if (!(await capacityLeft(tx, event.id, event.capacity))) return { ok: false as const, status: 409 as const, message: "已达到人数上限" };
      await tx.insertInto("event_participant").values({ event_id: event.id, registered_by: actor.id, person_id: actor.personId }).execute();
      await recordEventAudit(tx, actor, event, { action: "participant_join", after: { person_id: actor.personId } });
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 409, message: "您已在参加名单中" };
    throw error;
  }
}

function participantsQuery(db: DB) {
  return db
    .selectFrom("event_participant")
    .leftJoin("person", "person.id", "event_participant.person_id")
    .leftJoin("org_unit", (join) => join.on(sql<SqlBool>`org_unit.id = coalesce(person.org_unit_id, event_participant.outside_unit_id)`))
    .select([
      "event_participant.id",
      "event_participant.event_id",
      "event_participant.person_id",
      "event_participant.attended",
      "event_participant.checked_in_at",
      "event_participant.checked_in_via",
      "event_participant.walk_in",
      "event_participant.hours",
      "event_participant.certificate_code",
      sql<string>`coalesce(person.name, event_participant.outside_name)`.as("name"),
      sql<string>`coalesce(person.employer, event_participant.outside_employer)`.as("employer"),
      sql<string>`coalesce(person.industry, event_participant.outside_industry, '')`.as("industry"),
      "org_unit.id as unit_id",
      "org_unit.short_name as unit_name",
    ]);
}

/** Who attended: platform people with their unit, and outsiders as they gave themselves. */
export async function participantsOf(db: DB, eventId: number) {
  return participantsQuery(db).where("event_participant.event_id", "=", eventId).orderBy("event_participant.id").execute();
}

export async function reachOf(db: DB, eventId: number) {
  return (await reachOfEvents(db, [eventId])).get(eventId)!;
}

/** An event's reach from its participant list as participantsOf gives it: those who came count. */
export function reachOfParticipants(participants: Array<{ attended: boolean; employer: string; industry: string; unit_id: number | null }>): Reach {
  return computeReach(participants.filter((p) => p.attended).map((p) => ({ employer: p.employer, industry: p.industry, unitId: p.unit_id })));
}

/** The full reach (跨系统 needs the industry table in reach.ts) of several events from one query. */
export async function reachOfEvents(db: DB, eventIds: number[]): Promise<Map<number, Reach>> {
  const attendees = eventIds.length
    ? await participantsQuery(db).where("event_participant.event_id", "in", eventIds).where("event_participant.attended", "=", true).execute()
    : [];
  return new Map(eventIds.map((id) => [id, reachOfParticipants(attendees.filter((a) => a.event_id === id))]));
}

// The SQL twins of computeReach's counts, so lists and the dashboard can count and filter on the server.
const DISTINCT_EMPLOYERS = sql<number>`count(distinct nullif(trim(coalesce(p.employer, ep.outside_employer)), ''))`;
const DISTINCT_INDUSTRIES = sql<number>`count(distinct nullif(trim(coalesce(p.industry, ep.outside_industry)), ''))`;
const DISTINCT_REGIONS = sql<number>`count(distinct coalesce(p.org_unit_id, ep.outside_unit_id))`;

/** Attendance per event (attendees, employers, industries, county units, hours) in one grouped pass. */
export function attendanceByEvent(db: DB) {
  return db
    .selectFrom("event_participant as ep")
    .leftJoin("person as p", "p.id", "ep.person_id")
    .where("ep.attended", "=", true)
    .groupBy("ep.event_id")
    .select((eb) => [
      "ep.event_id",
      eb.fn.countAll<number>().as("attendees"),
      DISTINCT_EMPLOYERS.as("employers"),
      DISTINCT_INDUSTRIES.as("industries"),
      DISTINCT_REGIONS.as("regions"),
      sql<number>`coalesce(sum(ep.hours), 0)`.as("hours"),
    ]);
}

async function capacityLeft(tx: Tx, eventId: number, capacity: number | null): Promise<boolean> {
  if (capacity === null) return true;
  const row = await tx
    .selectFrom("event_participant")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("event_id", "=", eventId)
    .executeTakeFirstOrThrow();
  return Number(row.n) < capacity;
}

/** The organiser registers a platform person (by full ID number) or an outsider (name and employer). */
export async function addParticipant(
  db: DB,
  actor: SessionUser,
  event: EventView,
  who: { idNumber: string } | { outsideName: string; outsideEmployer: string; outsideIndustry: string; outsideUnitId: number },
): Promise<Result> {
  if (!organiserMayTake(actor, event, "participant_add")) return { ok: false, status: 403, message: "只有主办方可以登记参加人员" };
  try {
    return await db.transaction().execute(async (tx) => {
      await tx.selectFrom("event").select("id").where("id", "=", event.id).forUpdate().execute();
      if (!(await capacityLeft(tx, event.id, event.capacity))) return { ok: false as const, status: 409 as const, message: "已达到人数上限" };
      let values;
      if ("idNumber" in who) {
        const idNumber = who.idNumber.trim().toUpperCase();
        const refused = await spendExactLookup(tx, actor, { masked: maskIdNumber(idNumber) }, "登记活动参加人员");
        if (refused) return refused;
        const person = await tx
          .selectFrom("person")
          .select(["id", "name", "org_unit_id"])
          .where("id_number_hash", "=", lookupHash(idNumber))
          .executeTakeFirst();
        // Someone the organiser may not see is answered like no one: the form must not become a
        // way to learn who holds a number in another county.
        const reachable = person && (person.org_unit_id === event.org_unit_id || relationTo(actor, person.org_unit_id, person.id) !== null);
        if (!person || !reachable) return { ok: false as const, status: 404 as const, message: "本单位没有该身份证号码的人员，请按外部人员登记" };
        values = { person_id: person.id };
      } else {
        values = {
          outside_name: who.outsideName,
          outside_employer: who.outsideEmployer,
          outside_industry: who.outsideIndustry,
          outside_unit_id: who.outsideUnitId,
        };
      }
      await tx
        .insertInto("event_participant")
        .values({ event_id: event.id, registered_by: actor.id, ...values })
        .execute();
      await recordEventAudit(tx, actor, event, { action: "participant_add", after: values });
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 409, message: "该人员已在参加名单中" };
    throw error;
  }
}

/** The organiser marks someone present, on a phone at the door. */
export async function checkInByOrganiser(db: DB, actor: SessionUser, event: EventView, participantId: number): Promise<Result> {
  if (!organiserMayTake(actor, event, "checkin")) return { ok: false, status: 403, message: "只有主办方可以签到" };
  return db.transaction().execute(async (tx) => {
    const p = await tx
      .selectFrom("event_participant")
      .selectAll()
      .where("id", "=", participantId)
      .where("event_id", "=", event.id)
      .forUpdate()
      .executeTakeFirst();
    if (!p) return { ok: false as const, status: 404 as const, message: "参加人员不存在" };
    if (p.attended) return { ok: true as const };
    await tx
      .updateTable("event_participant")
      .set({ attended: true, checked_in_at: new Date(), checked_in_via: "organiser", hours: defaultHours(new Date(event.starts_at), new Date(event.ends_at)) })
      .where("id", "=", participantId)
      .execute();
    await recordEventAudit(tx, actor, event, { action: "checkin", after: { participantId, via: "organiser" } });
    return { ok: true as const };
  });
}

type CodeCheckin = Result<{ eventId: number; title: string; already: boolean }>;

/**
 * A signed-in craftsman checks themself in with the code the organiser announces. The code works
 * only from an hour before the start until the end; a used code only repeats the same person.
 */
export async function checkInByCode(db: DB, actor: SessionUser, code: string, now = new Date()): Promise<CodeCheckin> {
  if (!actor.personId) return { ok: false, status: 403, message: "请使用本人的工匠账号签到" };
  const event = await db.selectFrom("event").selectAll().where("checkin_code", "=", code).orderBy("starts_at", "desc").executeTakeFirst();
  if (!event) return { ok: false, status: 404, message: "签到码不正确" };
  return selfCheckIn(db, actor, event, "code", now);
}

/** The rotating QR code's step: a new code every 30 seconds. */
const QR_STEP_MS = 30_000;
const QR_GRACE_STEPS = 3;

const qrMac = (eventId: number, step: number) => crypto.createHmac("sha256", checkinSecret()).update(`${eventId}.${step}`).digest("hex").slice(0, 16);

/** What the organiser's screen shows now: a token for this event and this 30-second step. */
export function checkinToken(eventId: number, now = new Date()): { token: string; changesAt: Date } {
  const step = Math.floor(now.getTime() / QR_STEP_MS);
  return { token: `${step}.${qrMac(eventId, step)}`, changesAt: new Date((step + 1) * QR_STEP_MS) };
}

/**
 * A craftsman checks in by scanning the organiser's screen. The token is good for two minutes (its
 * own step and three more: time to sign in first on a phone that was not), so a photo passed round
 * a group is soon dead; and only inside the event's check-in window.
 */
export async function checkInByToken(db: DB, actor: SessionUser, eventId: number, token: string, now = new Date()): Promise<CodeCheckin> {
  if (!actor.personId) return { ok: false, status: 403, message: "请使用本人的工匠账号签到" };
  const [stepText, mac] = token.split(".");
  const step = Number(stepText);
  const current = Math.floor(now.getTime() / QR_STEP_MS);
  const fresh = /^\d{1,12}$/.test(stepText ?? "") && step <= current && step >= current - QR_GRACE_STEPS;
  const expected = fresh ? qrMac(eventId, step) : "";
  if (!fresh || !mac || mac.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
    return { ok: false, status: 409, message: "二维码已过期，请重新扫描现场屏幕上的二维码" };
  }
  const event = await db.selectFrom("event").selectAll().where("id", "=", eventId).executeTakeFirst();
  if (!event) return { ok: false, status: 404, message: "活动不存在" };
  return selfCheckIn(db, actor, event, "qr", now);
}

type EventRow = Selectable<Database["event"]>;

const NOT_IN_AUDIENCE =
  "您不在本次活动的报名名单中，也不属于它面向的范围（县级工会的活动面向本县，市总工会的活动面向全市），不能签到、不计学时。如确实参加，请联系主办方登记。";

/**
 * A signed-in craftsman checks themself in, by the code the organiser announces or the QR on their
 * screen. Only from an hour before the start until the end; a second check-in only repeats the
 * first. (Both are kept as a check-in "by code"; the history says which.) A code read out at the
 * door travels, so the code alone earns nothing: hours go to someone on the list, or to a walk-in
 * within the event's audience (the organiser's county, or every county for a city event), who is
 * put on the list then and there as 现场报名. Anyone else is turned away.
 */
async function selfCheckIn(db: DB, actor: SessionUser, event: EventRow, via: "code" | "qr", now: Date): Promise<CodeCheckin> {
  const personId = actor.personId;
  if (personId === null) return { ok: false, status: 403, message: "请使用本人的工匠账号签到" };
  if (!checkinOpen(event, now)) {
    return {
      ok: false,
      status: 409,
      message: finished(event, now) ? "活动已结束，签到码已失效" : `签到尚未开始，${formatDateTime(checkinOpensAt(event))} 起开放（活动开始前1小时）`,
    };
  }
  try {
    return await db.transaction().execute(async (tx): Promise<CodeCheckin> => {
      await tx.selectFrom("event").select("id").where("id", "=", event.id).forUpdate().execute();
      const existing = await tx
        .selectFrom("event_participant")
        .select(["id", "attended"])
        .where("event_id", "=", event.id)
        .where("person_id", "=", personId)
        .executeTakeFirst();
      if (existing?.attended) return { ok: true, eventId: event.id, title: event.title, already: true };
      const hours = defaultHours(new Date(event.starts_at), new Date(event.ends_at));
      if (existing) {
        await tx
          .updateTable("event_participant")
          .set({ attended: true, checked_in_at: now, checked_in_via: "code", hours })
          .where("id", "=", existing.id)
          .execute();
      } else {
        if (!participantMayTake(actor, await tiesOf(tx, actor, event.id, now), "participant_walk_in"))
          return { ok: false, status: 403, message: NOT_IN_AUDIENCE };
        if (!(await capacityLeft(tx, event.id, event.capacity))) return { ok: false, status: 409, message: "已达到人数上限" };
        await tx
          .insertInto("event_participant")
          .values({
            event_id: event.id,
            person_id: personId,
            attended: true,
            checked_in_at: now,
            checked_in_via: "code",
            hours,
            registered_by: actor.id,
            walk_in: true,
          })
          .execute();
        await recordEventAudit(tx, actor, event, { action: "participant_walk_in", after: { person_id: actor.personId } });
      }
      await recordEventAudit(tx, actor, event, { action: "checkin", after: { personId: actor.personId, via } });
      return { ok: true, eventId: event.id, title: event.title, already: false };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: true, eventId: event.id, title: event.title, already: true };
    throw error;
  }
}

export async function setHours(db: DB, actor: SessionUser, event: EventView, participantId: number, hours: number): Promise<Result> {
  if (!organiserMayTake(actor, event, "hours")) return { ok: false, status: 403, message: "只有主办方可以修改学时" };
  return db.transaction().execute(async (tx): Promise<Result> => {
    const result = await tx
      .updateTable("event_participant")
      .set({ hours })
      .where("id", "=", participantId)
      .where("event_id", "=", event.id)
      .where("attended", "=", true)
      .executeTakeFirst();
    if (!result.numUpdatedRows) return { ok: false, status: 404, message: "只能为已签到的人员登记学时" };
    await recordEventAudit(tx, actor, event, { action: "hours", after: { participantId, hours } });
    return { ok: true };
  });
}

/**
 * The certificate of attendance: issued once the event is over, with an unguessable code the
 * public check page looks up.
 */
export async function issueCertificate(
  db: DB,
  event: EventView,
  participantId: number,
  now = new Date(),
): Promise<{ ok: true; code: string } | { ok: false; message: string }> {
  if (!finished(event, now)) return { ok: false, message: "活动结束后才能开具证书" };
  const p = await db
    .selectFrom("event_participant")
    .select(["attended", "certificate_code"])
    .where("id", "=", participantId)
    .where("event_id", "=", event.id)
    .executeTakeFirst();
  if (!p?.attended) return { ok: false, message: "只为实际参加的人员开具证书" };
  if (p.certificate_code) return { ok: true, code: p.certificate_code };
  const code = `JX${randomCode(10)}`;
  await db.updateTable("event_participant").set({ certificate_code: code }).where("id", "=", participantId).where("certificate_code", "is", null).execute();
  const stored = await db.selectFrom("event_participant").select("certificate_code").where("id", "=", participantId).executeTakeFirstOrThrow();
  return { ok: true, code: stored.certificate_code! };
}

/** What the public may learn from a certificate code: whose it is, for what, how long. */
export async function verifyCertificate(db: DB, code: string) {
  if (!/^JX[A-Z0-9]{10}$/.test(code)) return null;
  return (
    (await db
      .selectFrom("event_participant")
      .innerJoin("event", "event.id", "event_participant.event_id")
      .innerJoin("org_unit", "org_unit.id", "event.org_unit_id")
      .leftJoin("studio", "studio.id", "event.studio_id")
      .leftJoin("person", "person.id", "event_participant.person_id")
      .select([
        sql<string>`coalesce(person.name, event_participant.outside_name)`.as("name"),
        "event.title",
        "event.kind",
        "event.starts_at",
        "event.ends_at",
        "event_participant.hours",
        "event_participant.certificate_code",
        "org_unit.name as unit_name",
        "studio.name as studio_name",
      ])
      .where("event_participant.certificate_code", "=", code)
      .where("event_participant.attended", "=", true)
      .executeTakeFirst()) ?? null
  );
}

/** The list-query form of policy.canViewEvent. */
export function eventVisibleTo(user: SessionUser) {
  return ownRowsOf<"event">(user, {
    unit: "event.org_unit_id",
    // The events they attended, those of the studio they lead, and the coming ones open to them.
    owner: (eb, me) =>
      eb.or([
        openToPerson(eb, me),
        eb.exists(
          eb
            .selectFrom("event_participant as ep")
            .select(sql`1`.as("x"))
            .whereRef("ep.event_id", "=", "event.id")
            .where("ep.person_id", "=", me),
        ),
        eb.exists(
          eb
            .selectFrom("studio as s")
            .select(sql`1`.as("x"))
            .whereRef("s.id", "=", "event.studio_id")
            .where("s.person_id", "=", me),
        ),
      ]),
  });
}

export interface EventFilter {
  from?: string;
  to?: string;
  kind?: EventKind;
  unitId?: number;
  reach?: "unit" | "industry" | "region";
  page?: number;
}

export async function listEvents(db: DB, user: SessionUser, filter: EventFilter) {
  const matching = (eb: ExpressionBuilder<Database, "event">) => {
    const conditions: Expression<SqlBool>[] = [eventVisibleTo(user)(eb)];
    if (filter.from) conditions.push(eb("event.starts_at", ">=", startOfDay(filter.from)));
    if (filter.to) conditions.push(eb("event.starts_at", "<", endOfDay(filter.to)));
    if (filter.kind) conditions.push(eb("event.kind", "=", filter.kind));
    if (filter.unitId) conditions.push(eb("event.org_unit_id", "=", filter.unitId));
    if (filter.reach) {
      const count = { unit: DISTINCT_EMPLOYERS, industry: DISTINCT_INDUSTRIES, region: DISTINCT_REGIONS }[filter.reach];
      conditions.push(eb("event.id", "in", attendanceByEvent(db).clearSelect().select("ep.event_id").having(count, ">", 1)));
    }
    return eb.and(conditions);
  };
  const page = await paginate(
    eventQuery(db).where(matching).orderBy("event.starts_at", "desc").orderBy("event.id", "desc"),
    db.selectFrom("event").where(matching),
    filter.page,
  );
  const ids = page.rows.map((e) => e.id);
  const attendance = ids.length ? await attendanceByEvent(db).where("ep.event_id", "in", ids).execute() : [];
  const rows = page.rows.map((e) => {
    const a = attendance.find((r) => r.event_id === e.id);
    return {
      ...e,
      // The check-in code is the organiser's to announce at the door, not list data for everyone who sees the event.
      checkin_code: canManageEvent(user, e) ? e.checkin_code : null,
      attendees: Number(a?.attendees ?? 0),
      employers: Number(a?.employers ?? 0),
      industries: Number(a?.industries ?? 0),
      regions: Number(a?.regions ?? 0),
    };
  });
  return { ...page, rows };
}

export async function seriesOf(db: DB, seriesId: number) {
  const series = await db.selectFrom("event_series").selectAll().where("id", "=", seriesId).executeTakeFirst();
  if (!series) return null;
  const events = await eventQuery(db).where("event.series_id", "=", seriesId).orderBy("event.starts_at").execute();
  return { series, events };
}

export async function seriesOptions(db: DB, user: SessionUser) {
  return db
    .selectFrom("event_series")
    .select(["id", "title", "org_unit_id"])
    .where(ownRowsOf<"event_series">(user, { unit: "event_series.org_unit_id", person: null }))
    .orderBy("id", "desc")
    .execute();
}

/** A person's events and hours, for their page. */
export async function eventsOfPerson(db: DB, personId: number) {
  const rows = await db
    .selectFrom("event_participant")
    .innerJoin("event", "event.id", "event_participant.event_id")
    .select([
      "event.id",
      "event.title",
      "event.kind",
      "event.starts_at",
      "event_participant.attended",
      "event_participant.hours",
      "event_participant.certificate_code",
    ])
    .where("event_participant.person_id", "=", personId)
    .orderBy("event.starts_at", "desc")
    .execute();
  return { rows, hours: rows.reduce((sum, r) => sum + (r.attended ? Number(r.hours ?? 0) : 0), 0) };
}

export async function exportEvents(db: DB, user: SessionUser, filter: EventFilter): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("交流培训活动");
  sheet.addRow([
    "活动",
    "类型",
    "主办",
    "开始",
    "结束",
    "形式",
    "地点",
    "签到人数",
    "单位数",
    "行业数",
    "县（市、区）数",
    "跨单位",
    "跨行业",
    "跨系统",
    "跨区域",
  ]).font = { bold: true };
  for (let page = 1; ; page++) {
    const { rows, total } = await listEvents(db, user, { ...filter, page });
    const reaches = await reachOfEvents(
      db,
      rows.map((e) => e.id),
    );
    for (const e of rows) {
      const reach = reaches.get(e.id)!;
      const yes = (v: boolean) => (v ? "是" : "否");
      sheet.addRow([
        e.title,
        KIND_LABELS[e.kind],
        e.studio_name ?? e.unit_name,
        excelTaizhouTime(e.starts_at),
        excelTaizhouTime(e.ends_at),
        CHANNEL_LABELS[e.channel],
        e.place,
        reach.attendees,
        reach.employers,
        reach.industries,
        reach.regions,
        yes(reach.crossUnit),
        yes(reach.crossIndustry),
        yes(reach.crossSystem),
        yes(reach.crossRegion),
      ]);
    }
    if (page * PAGE_SIZE >= total) break;
  }
  sheet.getColumn(4).numFmt = "yyyy-mm-dd hh:mm";
  sheet.getColumn(5).numFmt = "yyyy-mm-dd hh:mm";
  sheet.columns.forEach((c, i) => (c.width = [28, 10, 20, 16, 16, 8, 20][i] ?? 10));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
