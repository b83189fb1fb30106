import { sql, type ExpressionBuilder } from "kysely";
import type { DB, Tx } from "~db";
import type { Database } from "~db/types";
import { env } from "~db/env";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { isOfficerOf } from "~/auth/relation";
import { accessTo, type Access } from "~/lib/access";
import { recordAudit } from "~/lib/audit.server";
import type { StoredFile } from "~/lib/file-response.server";
import { refuse, type Result } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import { addDays, todayInTaizhou } from "~/lib/time";
import { storedFileColumns } from "~/lib/upload.server";
import { phoneCodeMatches, sendPhoneCode, usePhoneCode } from "~/modules/apprentices/phone-code.server";
import { decrypt, lookupHash } from "~/modules/people/pii.server";
import { canRevealPersonalData } from "~/modules/people/policy";
import { maskName } from "~/modules/people/id-number";
import { OBJECTION_OUTCOME_LABELS, SUBSIDY_AUDIT } from "~/modules/subsidies/labels";
import { subsidyNoticeState } from "~/modules/subsidies/policy";
import { filingLimit, filingLimitBeforeCode, lookupCode, objectionFiles, objectorColumns, type ObjectionFiling } from "~/modules/voting/notice.server";

/**
 * The online 公示 of approved subsidies (issue 34): the city publishes a year's approved
 * applications for the policy's days; the public page shows each with the name partly hidden; a
 * verified real-name objection (the campaign notice's form, its code sent by SMS to any number)
 * holds the payment until the city has looked into it, and an upheld one lets the city revoke the
 * approval. Payment waits for the 公示's end (paymentBlockers asks noticeBlockers).
 */

/** What the public sees of an application on the 公示, and the city before publishing it. */
const listed = (db: DB) =>
  db
    .selectFrom("subsidy_application")
    .innerJoin("person", "person.id", "subsidy_application.person_id")
    .select([
      "subsidy_application.id",
      "person.name",
      "person.employer",
      "subsidy_application.target_degree",
      "subsidy_application.institution",
      "subsidy_application.approved_fen",
    ])
    .orderBy("subsidy_application.id");

/** Approved in the year and in no 公示 yet. */
const unpublished = (year: number) => (eb: ExpressionBuilder<Database, "subsidy_application">) =>
  eb.and([eb("subsidy_application.year", "=", year), eb("subsidy_application.status", "=", "approved"), eb("subsidy_application.notice_id", "is", null)]);

/** The 公示's days from a date: the first and the last both count. */
const period = (startsOn: string, days: number) => ({ startsOn, endsOn: addDays(startsOn, days - 1), days });

/**
 * What publishing today would do, for the city to confirm: the approved applications of the year
 * in no 公示 yet, and the period the policy gives them (null without a policy).
 */
export async function publishPreview(db: DB, year: number, now = new Date()) {
  const [rows, policy] = await Promise.all([
    listed(db).where(unpublished(year)).limit(1000).execute(),
    db.selectFrom("subsidy_policy").select("notice_days").where("year", "=", year).executeTakeFirst(),
  ]);
  return { rows, period: policy ? period(todayInTaizhou(now), policy.notice_days) : null };
}

/** The year's 公示, newest first, with how many applications each holds and what became of their objections. */
export async function noticesOf(db: DB, year: number) {
  const objections = (outcome: "pending" | "upheld") =>
    db
      .selectFrom("subsidy_objection as o")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("o.outcome", "=", outcome)
      .where(sql<boolean>`o.notice_id = n.id`);
  const rows = await db
    .selectFrom("subsidy_notice as n")
    .select(["n.id", "n.starts_on", "n.ends_on", "n.published_at"])
    .select((eb) => [
      eb
        .selectFrom("subsidy_application as a")
        .select(eb.fn.countAll<number>().as("c"))
        .where(sql<boolean>`a.notice_id = n.id`)
        .as("count"),
      objections("pending").as("pending"),
      objections("upheld").as("upheld"),
    ])
    .where("n.year", "=", year)
    .orderBy("n.id", "desc")
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count), pending: Number(r.pending), upheld: Number(r.upheld) }));
}

/**
 * Publishes every approved application of the year not yet in a 公示, from today for the policy's
 * days, in one transaction: the notice, each application's place in it and its history (which
 * tells the applicant and their county). The year's policy row is locked first, as approvals lock
 * it, so an approval arriving meanwhile waits; the count the city confirmed must still hold.
 */
export async function publishNotice(
  db: DB,
  actor: SessionUser,
  year: number,
  input: { expected: number; confirmed: boolean },
  now = new Date(),
): Promise<Result<{ noticeId: number; count: number; startsOn: string; endsOn: string }>> {
  if (!isCityAdmin(actor)) return refuse("只有市总工会可以发布补助公示", { status: 403 });
  if (!input.confirmed) return refuse("请确认后再发布公示", { field: "confirmed" });
  return db.transaction().execute(async (tx) => {
    const policy = await tx.selectFrom("subsidy_policy").select("notice_days").where("year", "=", year).forUpdate().executeTakeFirst();
    if (!policy) return refuse(`${year}年没有学历提升补助政策`, { status: 409 });
    const apps = await tx.selectFrom("subsidy_application").select(["id", "org_unit_id"]).where(unpublished(year)).orderBy("id").forUpdate().execute();
    if (!apps.length) return refuse("没有待公示的已批准申请", { status: 409 });
    if (apps.length !== input.expected) return refuse(`待公示的申请已变为 ${apps.length} 份，请核对名单后重新发布`, { status: 409 });
    const { startsOn, endsOn } = period(todayInTaizhou(now), policy.notice_days);
    const notice = await tx
      .insertInto("subsidy_notice")
      .values({ year, starts_on: startsOn, ends_on: endsOn, published_by: actor.id, published_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const ids = apps.map((a) => a.id);
    await tx.updateTable("subsidy_application").set({ notice_id: notice.id, updated_at: now }).where("id", "in", ids).execute();
    for (const app of apps) {
      await recordAudit(tx, SUBSIDY_AUDIT, {
        actor,
        id: app.id,
        unit: app.org_unit_id,
        action: "notice_publish",
        after: { noticeId: notice.id, startsOn, endsOn },
      });
    }
    return { ok: true as const, noticeId: notice.id, count: apps.length, startsOn, endsOn };
  });
}

/** The 公示 open today, for the public list and the landing page. */
export async function openNotices(db: DB, now = new Date()) {
  const today = todayInTaizhou(now);
  return db
    .selectFrom("subsidy_notice")
    .select(["id", "year", "starts_on", "ends_on"])
    .where("starts_on", "<=", today)
    .where("ends_on", ">=", today)
    .orderBy("id", "desc")
    .limit(50)
    .execute();
}

/** What the landing page lists of the 公示 open now, as it lists a vote or a campaign's notice. */
export async function noticeHappenings(db: DB, now = new Date()) {
  return (await openNotices(db, now)).map((n) => ({
    key: `subsidy-notice-${n.id}`,
    link: `/subsidy-notice/${n.id}`,
    label: `${n.year}年“台州工匠”学历提升补助公示中，欢迎监督`,
    until: n.ends_on,
  }));
}

/**
 * The public page of one 公示: its period, the union's contact and, while it is open, the
 * applications in it — the name reduced to the surname, the employer, the degree, the school and
 * the amount; nothing else about the person. An approval revoked meanwhile is no longer listed.
 */
export async function noticeBoard(db: DB, noticeId: number, now = new Date()) {
  const notice = await db.selectFrom("subsidy_notice").select(["id", "year", "starts_on", "ends_on"]).where("id", "=", noticeId).executeTakeFirst();
  if (!notice) return null;
  const state = subsidyNoticeState(notice, todayInTaizhou(now));
  const rows =
    state === "open"
      ? await listed(db).where("subsidy_application.notice_id", "=", noticeId).where("subsidy_application.status", "!=", "rejected").limit(1000).execute()
      : [];
  return {
    notice,
    state,
    contact: env().unionContact,
    rows: rows.map((r) => ({
      id: r.id,
      name: maskName(r.name),
      employer: r.employer,
      degree: r.target_degree,
      institution: r.institution,
      amountFen: r.approved_fen,
    })),
  };
}

/** The 公示 is taking objections: it exists and today is within its days. */
async function noticeOpen(db: DB, noticeId: number, now: Date): Promise<Result> {
  const notice = await db.selectFrom("subsidy_notice").select(["starts_on", "ends_on"]).where("id", "=", noticeId).executeTakeFirst();
  if (!notice) return refuse("没有这次公示", { status: 404 });
  const state = subsidyNoticeState(notice, todayInTaizhou(now));
  if (state === "before") return refuse("公示尚未开始", { status: 409 });
  if (state === "after") return refuse("公示期已结束，不能再提出异议", { status: 409 });
  return { ok: true };
}

/**
 * A code for an objection, sent to the number given (the objector is on no record): only while the
 * 公示 is open, and not to a number or from a network that has filed all it may already.
 */
export async function requestSubsidyObjectionCode(
  db: DB,
  gateway: SmsGateway,
  noticeId: number,
  input: { phone: string },
  origin: { address: string | null },
  now = new Date(),
): Promise<Result<{ masked: string }>> {
  const open = await noticeOpen(db, noticeId, now);
  if (!open.ok) return open;
  const limited = await filingLimitBeforeCode(db, "subsidy_objection", lookupHash(input.phone), origin.address, now);
  if (limited) return limited;
  return sendPhoneCode(db, gateway, { phone: input.phone, purpose: "subsidy_objection" }, origin.address, now);
}

export type SubsidyObjectionFiling = Omit<ObjectionFiling, "nominationId"> & { applicationId: number };

/**
 * Files a real-name objection to one application of an open 公示, its attachments checked by
 * content, in one transaction with the code it spends. The objector's name, ID number and phone are
 * kept encrypted (the city reveals them, audited); the application's county reads the content and
 * how the objector knows the applicant, never who they are.
 */
export async function fileSubsidyObjection(
  db: DB,
  noticeId: number,
  input: SubsidyObjectionFiling,
  attachments: () => Promise<Array<{ name: string; bytes: Uint8Array }>>,
  origin: { address: string | null },
  now = new Date(),
): Promise<Result<{ lookup: string }>> {
  const open = await noticeOpen(db, noticeId, now);
  if (!open.ok) return open;
  const purpose = "subsidy_objection" as const;
  const checked = await objectionFiles(await phoneCodeMatches(db, { ...input, purpose }, now), attachments);
  if (!checked.ok) return checked;
  return db.transaction().execute(async (tx): Promise<Result<{ lookup: string }>> => {
    const app = await tx
      .selectFrom("subsidy_application")
      .select(["id", "org_unit_id"])
      .where("id", "=", input.applicationId)
      .where("notice_id", "=", noticeId)
      .where("status", "!=", "rejected")
      .executeTakeFirst();
    if (!app) return refuse("请从公示名单中选择异议对象", { field: "applicationId" });
    const phoneHash = lookupHash(input.phone);
    const identityHash = lookupHash(input.idNumber.idNumber);
    const limited = await filingLimit(tx, "subsidy_objection", { phoneHash, identityHash, address: origin.address }, now);
    if (limited) return limited;
    // A wrong code costs a try, kept: the refusal is returned, so the transaction commits it.
    const code = await usePhoneCode(tx, { phone: input.phone, code: input.code, purpose }, now);
    if (!code.ok) return code;
    const lookup = lookupCode();
    const objection = await tx
      .insertInto("subsidy_objection")
      .values({
        application_id: app.id,
        notice_id: noticeId,
        content: input.content,
        relation: input.relation,
        objector_masked: maskName(input.name),
        ...objectorColumns(input),
        id_number_hash: identityHash,
        phone_hash: phoneHash,
        address: origin.address,
        lookup_code: lookup,
        filed_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (checked.files.length) {
      await tx
        .insertInto("subsidy_objection_file")
        .values(checked.files.map((f) => ({ objection_id: objection.id, ...storedFileColumns(f, "public") })))
        .execute();
    }
    // The history says an objection came and how its objector knows the applicant, never what it says.
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor: null,
      id: app.id,
      unit: app.org_unit_id,
      action: "objection_received",
      after: { objectionId: objection.id, relation: input.relation, attachments: checked.files.length },
    });
    return { ok: true, lookup };
  });
}

/** The objector looks up what became of their objection; the code shows nothing of anyone else's. */
export async function subsidyObjectionOutcome(db: DB, noticeId: number, lookup: string) {
  const row = await db
    .selectFrom("subsidy_objection as o")
    .innerJoin("subsidy_application as a", "a.id", "o.application_id")
    .innerJoin("person", "person.id", "a.person_id")
    .select(["person.name", "o.filed_at", "o.outcome", "o.handling"])
    .where("o.lookup_code", "=", lookup)
    .where("o.notice_id", "=", noticeId)
    .executeTakeFirst();
  return row ? { applicant: maskName(row.name), filedAt: row.filed_at, outcome: OBJECTION_OUTCOME_LABELS[row.outcome], handling: row.handling } : null;
}

/**
 * An application's 公示 as its page shows it: the period (to everyone who sees the application)
 * and the objections (to its officers), and whether one was upheld (what lets the city revoke).
 */
export async function noticeSideOf(db: DB, user: SessionUser, app: { id: number; org_unit_id: number; notice_id: number | null }) {
  const [notice, objections] = await Promise.all([
    app.notice_id === null ? null : db.selectFrom("subsidy_notice").select(["id", "starts_on", "ends_on"]).where("id", "=", app.notice_id).executeTakeFirst(),
    objectionsOf(db, user, app),
  ]);
  return { notice: notice ?? null, objections, upheld: objections.some((o) => o.outcome === "upheld") };
}

/**
 * An application's objections as its officers read them: the content and how the objector knows
 * the applicant for the city and the application's county; who filed it (masked until revealed)
 * and what they attached for the city alone. The applicant sees none of them.
 */
async function objectionsOf(db: DB, user: SessionUser, app: { id: number; org_unit_id: number }) {
  if (!isOfficerOf(user, app.org_unit_id)) return [];
  const city = canRevealPersonalData(user);
  const [objections, files] = await Promise.all([
    db
      .selectFrom("subsidy_objection")
      .select(["id", "filed_at", "relation", "content", "outcome", "handling", "handled_at", "objector_masked", "phone_masked"])
      .where("application_id", "=", app.id)
      .orderBy("id")
      .execute(),
    city
      ? db
          .selectFrom("subsidy_objection_file as f")
          .innerJoin("subsidy_objection as o", "o.id", "f.objection_id")
          .select(["f.id", "f.objection_id", "f.filename", "f.size"])
          .where("o.application_id", "=", app.id)
          .orderBy("f.id")
          .execute()
      : Promise.resolve([]),
  ]);
  return objections.map(({ objector_masked, phone_masked, ...o }) => ({
    ...o,
    objector: city
      ? {
          name: objector_masked,
          phone: phone_masked,
          files: files.filter((f) => f.objection_id === o.id).map((f) => ({ id: f.id, filename: f.filename, size: f.size })),
        }
      : null,
  }));
}

/** One of the application's objections (a form can post any id), with the unit its history belongs to. */
const objectionOf = (tx: Tx, applicationId: number, objectionId: number) =>
  tx
    .selectFrom("subsidy_objection as o")
    .innerJoin("subsidy_application as a", "a.id", "o.application_id")
    .select(["o.outcome", "o.name_cipher", "o.id_number_cipher", "o.phone_cipher", "a.org_unit_id"])
    .where("o.id", "=", objectionId)
    .where("o.application_id", "=", applicationId);

/**
 * The city's finding on an objection, once: dismissed (the approval stands) or upheld (the city
 * may then revoke the approval, a step of its own). Kept in the application's history.
 */
export async function resolveSubsidyObjection(
  db: DB,
  actor: SessionUser,
  applicationId: number,
  objectionId: number,
  input: { outcome: "dismissed" | "upheld"; handling: string; confirmed: boolean },
  now = new Date(),
): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("公示异议由市总工会核查处理", { status: 403 });
  if (!input.confirmed) return refuse("核查结果保存后不能修改，请确认后再保存", { field: "confirmed" });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const objection = await objectionOf(tx, applicationId, objectionId).forUpdate().executeTakeFirst();
    if (!objection) return refuse("异议记录不存在", { status: 404 });
    if (objection.outcome !== "pending") return refuse("该异议已处理", { status: 409 });
    await tx
      .updateTable("subsidy_objection")
      .set({ outcome: input.outcome, handling: input.handling, handled_by: actor.id, handled_at: now })
      .where("id", "=", objectionId)
      .execute();
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: applicationId,
      unit: objection.org_unit_id,
      action: "objection_resolved",
      before: { outcome: "pending" },
      after: { objectionId, outcome: input.outcome },
      comment: input.handling,
    });
    return { ok: true };
  });
}

type ObjectorReveal = Result<{ name: string; idNumber: string; phone: string }>;

const OBJECTOR_ERASED = "异议人的身份信息已按保存期限删除，异议内容和处理结论仍保留";

/** The city reads who filed an objection — name, ID number, phone — to reach them, with a reason kept in the history. */
export async function revealSubsidyObjector(db: DB, actor: SessionUser, applicationId: number, objectionId: number, reason: string): Promise<ObjectorReveal> {
  if (!canRevealPersonalData(actor)) return refuse("无权查看", { status: 403 });
  return db.transaction().execute(async (tx): Promise<ObjectorReveal> => {
    const objection = await objectionOf(tx, applicationId, objectionId).executeTakeFirst();
    if (!objection) return refuse("异议记录不存在", { status: 404 });
    const { name_cipher: name, id_number_cipher: idNumber, phone_cipher: phone } = objection;
    // The retention schedule erases the three together once the objection has been decided long enough.
    if (name === null || idNumber === null || phone === null) return refuse(OBJECTOR_ERASED, { status: 409 });
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: applicationId,
      unit: objection.org_unit_id,
      action: "reveal_objector",
      after: { objectionId },
      comment: reason,
    });
    return { ok: true, name: decrypt(name), idNumber: decrypt(idNumber), phone: decrypt(phone) };
  });
}

/** An objection's attachment, for the city that looks into it (it may well say who the objector is). */
export async function objectionFileForViewer(db: DB, actor: SessionUser, id: number): Promise<Access<StoredFile>> {
  const file = await db.selectFrom("subsidy_objection_file").select(["filename", "content_type", "data"]).where("id", "=", id).executeTakeFirst();
  return accessTo(file, () => canRevealPersonalData(actor));
}

/** Whether an objection to the application's 公示 was upheld: what lets the city revoke the approval. */
export async function objectionUpheld(db: DB, applicationId: number): Promise<boolean> {
  const row = await db
    .selectFrom("subsidy_objection")
    .select("id")
    .where("application_id", "=", applicationId)
    .where("outcome", "=", "upheld")
    .executeTakeFirst();
  return !!row;
}

/**
 * Why the 公示 does not allow the payment yet: not published, its last day not yet past in Taizhou,
 * an objection not yet looked into, or one upheld.
 */
export async function noticeBlockers(tx: Tx, applicationId: number, now: Date): Promise<string[]> {
  const row = await tx
    .selectFrom("subsidy_application as a")
    .leftJoin("subsidy_notice as n", "n.id", "a.notice_id")
    .leftJoin("subsidy_objection as o", "o.application_id", "a.id")
    .select("n.ends_on")
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere("o.outcome", "=", "pending").as("pending"),
      eb.fn.countAll<number>().filterWhere("o.outcome", "=", "upheld").as("upheld"),
    ])
    .where("a.id", "=", applicationId)
    .groupBy("n.ends_on")
    .executeTakeFirstOrThrow();
  const blockers: string[] = [];
  if (!row.ends_on) blockers.push("尚未网上公示：批准的补助须经公示、期满无异议后才能拨付");
  else if (row.ends_on >= todayInTaizhou(now)) blockers.push(`公示期至 ${row.ends_on}，期满后才能拨付`);
  if (Number(row.pending)) blockers.push(`有 ${Number(row.pending)} 件公示异议尚未处理，处理完毕后才能拨付`);
  if (Number(row.upheld)) blockers.push("公示异议经核查属实，不能拨付");
  return blockers;
}
