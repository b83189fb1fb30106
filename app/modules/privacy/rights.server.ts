import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { RightsKind, RightsStatus } from "~db/types";
import { isApprentice, isCityAdmin, isCountyOfficer, isCraftsman, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import { PAGE_SIZE, paginate, type Page } from "~/lib/sql";
import { todayInTaizhou } from "~/lib/time";
import { sendPhoneCode, usePhoneCode } from "~/modules/apprentices/phone-code.server";
import { queueSmsTo } from "~/modules/notifications/notify.server";
import { maskPhone } from "~/modules/people/id-number";
import { encrypt, lookupHash } from "~/modules/people/pii.server";
import { withdrawConsentIn } from "~/modules/showcase/showcase.server";
import { copySubject, dataCopy } from "~/modules/privacy/data-copy.server";
import { RIGHTS_AUDIT, RIGHTS_KIND_LABELS } from "~/modules/privacy/labels";
import { ANSWER_DAYS, answeredAtOnce, answerProblem, dueAfter, type WorkingCalendar } from "~/modules/privacy/policy";
import type { PhoneRightsRequestInput, RightsRequestInput } from "~/modules/privacy/schema.server";

/**
 * The rights desk: a person asks to see or copy, correct or delete what is held about them, or to withdraw their
 * consent to be shown in public; the city answers within the working days its policy sets. A craftsman or an
 * apprentice asks about their own record, signed in; a voter or an objector, who has no account, proves their
 * number by a code and asks about what is held under it.
 */

/** Only a person with a record of their own asks signed in: a craftsman or an apprentice. */
type Requester = Extract<SessionUser, { role: "craftsman" | "apprentice" }>;
const isRequester = (user: SessionUser): user is Requester => isCraftsman(user) || isApprentice(user);

/** The answer the desk records for a withdrawal, which the filing carries out. */
const WITHDRAWN_AT_ONCE = "已即时撤回公开展示同意，公开页面不再展示本人";

export async function privacyPolicy(db: DB) {
  const policy = await db.selectFrom("privacy_policy").select(["answer_working_days", "updated_at"]).where("id", "=", 1).executeTakeFirstOrThrow();
  const days = await db.selectFrom("privacy_calendar_day").select(["day", "working", "name"]).orderBy("day").execute();
  return { answerWorkingDays: policy.answer_working_days, updatedAt: policy.updated_at, days };
}

/** The date an answer filed today is due: the policy's working days, by the city's calendar. */
async function dueOn(db: DB | Tx, now: Date): Promise<string> {
  const policy = await db.selectFrom("privacy_policy").select("answer_working_days").where("id", "=", 1).executeTakeFirstOrThrow();
  const days = await db.selectFrom("privacy_calendar_day").select(["day", "working"]).where("day", ">", todayInTaizhou(now)).execute();
  const calendar: WorkingCalendar = new Map(days.map((d) => [d.day, d.working]));
  return dueAfter(todayInTaizhou(now), policy.answer_working_days, calendar);
}

export async function setAnswerDays(db: DB, actor: SessionUser, days: number): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("答复期限由市总工会设定", { status: 403 });
  if (!Number.isInteger(days) || days < ANSWER_DAYS.min || days > ANSWER_DAYS.max) {
    return refuse(`答复期限应为 ${ANSWER_DAYS.min} 到 ${ANSWER_DAYS.max} 个工作日`, { field: "answerWorkingDays" });
  }
  await db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("privacy_policy").select("answer_working_days").where("id", "=", 1).executeTakeFirstOrThrow();
    await tx.updateTable("privacy_policy").set({ answer_working_days: days, updated_by: actor.id, updated_at: new Date() }).where("id", "=", 1).execute();
    await recordAudit(tx, RIGHTS_AUDIT, { actor, id: "policy", action: "policy_updated", before, after: { answer_working_days: days } });
  });
  return { ok: true };
}

/** Lists a weekday as a holiday or a weekend day as a 调休 working day (a date listed again is replaced). */
export async function setCalendarDay(db: DB, actor: SessionUser, input: { day: string; working: "holiday" | "workday"; name: string }): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("节假日由市总工会维护", { status: 403 });
  const row = { day: input.day, working: input.working === "workday", name: input.name };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("privacy_calendar_day")
      .values(row)
      .onConflict((oc) => oc.column("day").doUpdateSet({ working: row.working, name: row.name }))
      .execute();
    await recordAudit(tx, RIGHTS_AUDIT, { actor, id: "calendar", action: "calendar_updated", after: row });
  });
  return { ok: true };
}

/** What a request says and when it is due, however it was filed: a correction is kept only with a request to correct. */
async function requestFacts(tx: Tx, input: RightsRequestInput, now: Date) {
  return {
    kind: input.kind,
    details: input.details,
    correction: input.kind === "correct" ? input.correction : null,
    filed_at: now,
    due_on: await dueOn(tx, now),
  };
}

/** A request by a signed-in craftsman or apprentice about their own record. A withdrawal takes effect at once. */
export async function fileOwnRequest(db: DB, actor: SessionUser, input: RightsRequestInput, now = new Date()): Promise<Result<{ id: number }>> {
  if (!isRequester(actor)) return refuse("个人信息权利申请由工匠或学徒本人提出", { status: 403 });
  const person = await db.selectFrom("person").select(["id", "org_unit_id"]).where("id", "=", actor.personId).executeTakeFirstOrThrow();
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("rights_request")
      .values({
        person_id: person.id,
        user_id: actor.id,
        org_unit_id: person.org_unit_id,
        ...(await requestFacts(tx, input, now)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, RIGHTS_AUDIT, { actor, id: row.id, unit: person.org_unit_id, action: "filed", after: { kind: input.kind }, comment: input.details });
    if (answeredAtOnce(input.kind)) {
      await withdrawConsentIn(tx, actor, person, `个人信息权利申请：${input.details}`);
      await answer(tx, null, { id: row.id, org_unit_id: person.org_unit_id }, "granted", WITHDRAWN_AT_ONCE, now);
    }
    return row.id;
  });
  return { ok: true, id };
}

/** The code for a request by phone: to any number, within the limits of every code (per number, per network). */
export function requestRightsCode(db: DB, gateway: SmsGateway, phone: string, address: string | null, now = new Date()) {
  return sendPhoneCode(db, gateway, { phone, purpose: "rights_request" }, address, now);
}

/**
 * A request by someone with no account (a voter, an objector): the code proves the number, and the request is
 * about what is held under it. A number has no publication consent to withdraw.
 */
export async function filePhoneRequest(db: DB, input: PhoneRightsRequestInput, now = new Date()): Promise<Result<{ id: number }>> {
  if (input.kind === "withdraw") return refuse("撤回公开展示同意请由工匠或学徒登录后提出", { field: "kind" });
  return db.transaction().execute(async (tx): Promise<Result<{ id: number }>> => {
    const code = await usePhoneCode(tx, { phone: input.phone, code: input.code, purpose: "rights_request" }, now);
    if (!code.ok) return code;
    const masked = maskPhone(input.phone);
    const row = await tx
      .insertInto("rights_request")
      .values({
        phone_hash: lookupHash(input.phone),
        phone_cipher: encrypt(input.phone),
        phone_masked: masked,
        ...(await requestFacts(tx, input, now)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, RIGHTS_AUDIT, { actor: null, id: row.id, action: "filed", after: { kind: input.kind, phone: masked }, comment: input.details });
    return { ok: true, id: row.id };
  });
}

/** Records the answer; a requester by phone hears it by SMS (one on record, through the notices, see notices.server). */
async function answer(
  tx: Tx,
  actor: SessionUser | null,
  request: { id: number; org_unit_id: number | null },
  outcome: "granted" | "refused",
  text: string,
  now: Date,
) {
  const done = await tx
    .updateTable("rights_request")
    .set({ status: outcome, answer: text, answered_by: actor?.id ?? null, answered_at: now })
    .where("id", "=", request.id)
    .where("status", "=", "pending")
    .returning(["kind", "phone_cipher", "phone_hash", "phone_masked"])
    .executeTakeFirst();
  if (!done) return false;
  await recordAudit(tx, RIGHTS_AUDIT, { actor, id: request.id, unit: request.org_unit_id, action: outcome, comment: text });
  if (done.phone_cipher && done.phone_hash && done.phone_masked) {
    const what = outcome === "granted" ? `已办理：${text}` : `不予同意：${text}`;
    const copy = done.kind === "copy" && outcome === "granted" ? `。请到平台“个人信息保护”页面，以申请编号 ${request.id} 和验证码下载副本` : "";
    await queueSmsTo(
      tx,
      { phone_cipher: done.phone_cipher, phone_hash: done.phone_hash, phone_masked: done.phone_masked },
      {
        category: outcome === "granted" ? "approved" : "rejected",
        text: `您的个人信息权利申请（${RIGHTS_KIND_LABELS[done.kind]}）${what}${copy}`,
        subject: "个人信息权利申请",
      },
      now,
    );
  }
  return true;
}

/** The city's answer: granted with what was done, or refused with the reason. Answered once. */
export async function answerRequest(
  db: DB,
  actor: SessionUser,
  input: { requestId: number; outcome: "granted" | "refused"; answer: string | null; confirmed: boolean },
  now = new Date(),
): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("个人信息权利申请由市总工会答复", { status: 403 });
  const request = await db.selectFrom("rights_request").select(["id", "status", "org_unit_id"]).where("id", "=", input.requestId).executeTakeFirst();
  if (!request) return refuse("申请不存在", { status: 404, field: "requestId" });
  if (request.status !== "pending") return refuse("该申请已答复", { status: 409 });
  const text = input.answer?.trim() ?? "";
  const problem = answerProblem(input.outcome, text);
  if (problem) return refuse(problem, { field: "answer" });
  if (!input.confirmed) return refuse("答复后不能更改，请确认后提交", { field: "confirmed" });
  const answered = await db.transaction().execute((tx) => answer(tx, actor, request, input.outcome, text, now));
  return answered ? { ok: true } : refuse("该申请已答复", { status: 409 });
}

export interface RightsRow {
  id: number;
  kind: RightsKind;
  status: RightsStatus;
  details: string;
  correction: string | null;
  filed_at: Date;
  due_on: string;
  answer: string | null;
  answered_at: Date | null;
  person_id: number | null;
  person_name: string | null;
  phone_masked: string | null;
  unit_name: string | null;
}

function requests(db: DB) {
  return db
    .selectFrom("rights_request as r")
    .leftJoin("person", "person.id", "r.person_id")
    .leftJoin("org_unit", "org_unit.id", "r.org_unit_id")
    .select([
      "r.id",
      "r.kind",
      "r.status",
      "r.details",
      "r.correction",
      "r.filed_at",
      "r.due_on",
      "r.answer",
      "r.answered_at",
      "r.person_id",
      "person.name as person_name",
      "r.phone_masked",
      "org_unit.short_name as unit_name",
    ]);
}

/**
 * The desk's list, pending first and by due date: the city all requests; a county officer its own county's people's,
 * read only (they keep those records, and a correction or deletion will be theirs to carry out); requests by phone
 * are the city's alone.
 */
export async function deskList(db: DB, actor: SessionUser, filter: { status?: RightsStatus; page?: number }): Promise<Page<RightsRow>> {
  // Nobody else reads the desk, whatever calls this.
  if (!isCityAdmin(actor) && !isCountyOfficer(actor)) return { rows: [], total: 0, page: 1, pageSize: PAGE_SIZE };
  const unit = isCountyOfficer(actor) ? actor.orgUnitId : null;
  const rows = requests(db)
    .$if(unit !== null, (q) => q.where("r.org_unit_id", "=", unit))
    .$if(!!filter.status, (q) => q.where("r.status", "=", filter.status!));
  const counted = db
    .selectFrom("rights_request as r")
    .$if(unit !== null, (q) => q.where("r.org_unit_id", "=", unit))
    .$if(!!filter.status, (q) => q.where("r.status", "=", filter.status!));
  return paginate(
    rows
      .orderBy(sql`r.status = 'pending'`, "desc")
      .orderBy("r.due_on")
      .orderBy("r.id"),
    counted,
    filter.page,
  );
}

/** A signed-in person's own requests, newest first. */
export async function ownRequests(db: DB, actor: SessionUser): Promise<RightsRow[]> {
  if (!isRequester(actor)) return [];
  return requests(db).where("r.person_id", "=", actor.personId).orderBy("r.id", "desc").execute();
}

/** A granted copy request of the actor's own: the file of everything held about them, made now. */
export async function ownCopy(db: DB, actor: SessionUser, requestId: number, now = new Date()): Promise<Result<{ file: Buffer }>> {
  if (!isRequester(actor)) return refuse("您无权下载", { status: 403 });
  const request = await db
    .selectFrom("rights_request")
    .select(["id", "person_id", "kind", "status", "org_unit_id"])
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request || request.person_id !== actor.personId) return refuse("申请不存在", { status: 404 });
  if (request.kind !== "copy" || request.status !== "granted") return refuse("该申请没有可下载的副本", { status: 409 });
  const file = await dataCopy(db, await copySubject(db, { personId: actor.personId }), todayInTaizhou(now));
  await db.transaction().execute((tx) => recordAudit(tx, RIGHTS_AUDIT, { actor, id: request.id, unit: request.org_unit_id, action: "copy_downloaded" }));
  return { ok: true, file };
}

/** A granted copy request by phone: a fresh code proves the number again, and the copy is of what is held under it. */
export async function phoneCopy(db: DB, input: { phone: string; code: string; requestId: number }, now = new Date()): Promise<Result<{ file: Buffer }>> {
  const checked = await db.transaction().execute(async (tx): Promise<Result> => {
    const code = await usePhoneCode(tx, { phone: input.phone, code: input.code, purpose: "rights_request" }, now);
    if (!code.ok) return code;
    const request = await tx.selectFrom("rights_request").select(["id", "phone_hash", "kind", "status"]).where("id", "=", input.requestId).executeTakeFirst();
    if (!request || request.phone_hash !== lookupHash(input.phone)) return refuse("该手机号码没有这一申请", { status: 404, field: "requestId" });
    if (request.kind !== "copy" || request.status !== "granted") return refuse("该申请没有可下载的副本", { status: 409, field: "requestId" });
    await recordAudit(tx, RIGHTS_AUDIT, { actor: null, id: request.id, action: "copy_downloaded", comment: maskPhone(input.phone) });
    return { ok: true };
  });
  if (!checked.ok) return checked;
  return { ok: true, file: await dataCopy(db, await copySubject(db, { phone: input.phone }), todayInTaizhou(now)) };
}
