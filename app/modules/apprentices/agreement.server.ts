import type { DB, Tx } from "~db";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import { todayInTaizhou } from "~/lib/time";
import { AGREEMENT_AUDIT } from "~/modules/apprentices/labels";
import { sendPhoneCode, usePhoneCode } from "~/modules/apprentices/phone-code.server";
import { isOfficerParty, partyTo } from "~/modules/apprentices/policy";
import { decrypt } from "~/modules/people/pii.server";
import type { MentorshipView } from "~/modules/studios/mentorships.server";
import { isOngoing } from "~/modules/studios/policy";

/**
 * The 师徒结对协议 confirmed by both sides — the apprentice with a code sent to the phone on their
 * own record, the mentor with a confirming press — and the pairing paused for a break in learning
 * and resumed. Each step locks the pairing's row, so two presses at once make one step.
 */

const NO_PHONE = "您的档案中没有登记手机号码，无法发送验证码。请联系师傅所在工作室或县（市、区）总工会补充手机号码后再确认";

/** The pairing's row, locked for the step: its state now, not as the page showed it. */
const lockPairing = (tx: Tx, id: number) =>
  tx
    .selectFrom("mentorship")
    .select(["status", "start_date", "apprentice_confirmed_at", "mentor_confirmed_at"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();

const unitOf = (m: MentorshipView) => ({ id: m.id, unit: m.org_unit_id });

/** The apprentice's own number, opened from their record only to send or check a code; they never type it. */
async function apprenticePhone(db: DB | Tx, m: MentorshipView): Promise<string | null> {
  const person = await db.selectFrom("person").select("phone_cipher").where("id", "=", m.apprentice_id).executeTakeFirstOrThrow();
  return person.phone_cipher ? decrypt(person.phone_cipher) : null;
}

function apprenticeMay(actor: SessionUser, m: MentorshipView, state: { status: string; apprentice_confirmed_at: Date | null }): Result | null {
  if (partyTo(actor, m) !== "apprentice") return refuse("只有学徒本人可以用手机验证码确认结对协议", { status: 403 });
  if (!isOngoing(state.status)) return refuse("该结对已经结束", { status: 409 });
  if (state.apprentice_confirmed_at) return refuse("您已确认过结对协议", { status: 409 });
  return null;
}

/** Step one of the apprentice's confirmation: a code to the phone on their person record. */
export async function sendAgreementCode(
  db: DB,
  gateway: SmsGateway,
  actor: SessionUser,
  m: MentorshipView,
  address: string | null,
  now = new Date(),
): Promise<Result<{ masked: string }>> {
  const state = await db.selectFrom("mentorship").select(["status", "apprentice_confirmed_at"]).where("id", "=", m.id).executeTakeFirstOrThrow();
  const refused = apprenticeMay(actor, m, state);
  if (refused) return refused as Result<{ masked: string }>;
  const phone = await apprenticePhone(db, m);
  if (!phone) return refuse(NO_PHONE, { status: 409, field: "code" });
  return sendPhoneCode(db, gateway, { phone, purpose: "agreement", personId: m.apprentice_id, userId: actor.id, orgUnitId: m.org_unit_id }, address, now);
}

/** Step two: the code checked and spent in the transaction that records the confirmation. */
export async function confirmAsApprentice(db: DB, actor: SessionUser, m: MentorshipView, code: string, now = new Date()): Promise<Result> {
  const phone = partyTo(actor, m) === "apprentice" ? await apprenticePhone(db, m) : null;
  return db.transaction().execute(async (tx): Promise<Result> => {
    const state = await lockPairing(tx, m.id);
    const refused = apprenticeMay(actor, m, state);
    if (refused) return refused;
    if (!phone) return refuse(NO_PHONE, { status: 409, field: "code" });
    // A wrong code is counted (usePhoneCode commits its try because this returns rather than throws).
    const used = await usePhoneCode(tx, { phone, code, purpose: "agreement" }, now);
    if (!used.ok) return used;
    if (used.personId !== m.apprentice_id) return refuse("验证码不正确", { field: "code" });
    await tx.updateTable("mentorship").set({ apprentice_confirmed_at: now }).where("id", "=", m.id).execute();
    await recordAudit(tx, AGREEMENT_AUDIT, { ...unitOf(m), actor, action: "apprentice_confirm", after: { apprentice: m.name } });
    return { ok: true };
  });
}

/** The mentor's confirmation: the studio's leader, once, with the confirming press. */
export async function confirmAsMentor(db: DB, actor: SessionUser, m: MentorshipView, input: { confirmed: boolean }): Promise<Result> {
  if (partyTo(actor, m) !== "mentor") return refuse("只有师傅（工作室领衔工匠）可以确认结对协议", { status: 403 });
  if (!input.confirmed) return refuse("确认后不能撤回，请再按一次“确认同意协议”", { field: "confirmed" });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const state = await lockPairing(tx, m.id);
    if (!isOngoing(state.status)) return refuse("该结对已经结束", { status: 409 });
    if (state.mentor_confirmed_at) return refuse("您已确认过结对协议", { status: 409 });
    await tx.updateTable("mentorship").set({ mentor_confirmed_at: new Date(), mentor_confirmed_by: actor.id }).where("id", "=", m.id).execute();
    await recordAudit(tx, AGREEMENT_AUDIT, { ...unitOf(m), actor, action: "mentor_confirm", after: { apprentice: m.name } });
    return { ok: true };
  });
}

/** Who may pause and resume: the mentor and the unit's officers (the apprentice asks them). */
function mayPause(actor: SessionUser, m: MentorshipView): Result | null {
  const party = partyTo(actor, m);
  if (party === "mentor" || isOfficerParty(party)) return null;
  return refuse("只有师傅或工会可以暂停、恢复结对", { status: 403 });
}

/** A break in learning: the pairing paused from a date, for a reason; no log entries meanwhile. */
export async function pauseMentorship(db: DB, actor: SessionUser, m: MentorshipView, input: { pausedOn: string; reason: string }): Promise<Result> {
  const refused = mayPause(actor, m);
  if (refused) return refused;
  return db.transaction().execute(async (tx): Promise<Result> => {
    const state = await lockPairing(tx, m.id);
    if (state.status === "paused") return refuse("该结对已处于暂停中", { status: 409 });
    if (state.status !== "active") return refuse("该结对已经结束", { status: 409 });
    if (input.pausedOn < state.start_date) return refuse(`暂停日期不能早于结对开始日期（${state.start_date}）`, { field: "pausedOn" });
    const last = await tx
      .selectFrom("mentorship_pause")
      .select("resumed_on")
      .where("mentorship_id", "=", m.id)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (last?.resumed_on && input.pausedOn < last.resumed_on) return refuse(`暂停日期不能早于上次恢复日期（${last.resumed_on}）`, { field: "pausedOn" });
    await tx.insertInto("mentorship_pause").values({ mentorship_id: m.id, paused_on: input.pausedOn, reason: input.reason, paused_by: actor.id }).execute();
    await tx.updateTable("mentorship").set({ status: "paused" }).where("id", "=", m.id).execute();
    await recordAudit(tx, AGREEMENT_AUDIT, {
      ...unitOf(m),
      actor,
      action: "pause",
      before: { status: "active" },
      after: { status: "paused", pausedOn: input.pausedOn },
      comment: input.reason,
    });
    return { ok: true };
  });
}

/** The end of the break: on or after the day it began, not in the future. */
export async function resumeMentorship(db: DB, actor: SessionUser, m: MentorshipView, input: { resumedOn: string }): Promise<Result> {
  const refused = mayPause(actor, m);
  if (refused) return refused;
  return db.transaction().execute(async (tx): Promise<Result> => {
    const state = await lockPairing(tx, m.id);
    if (state.status !== "paused") return refuse(isOngoing(state.status) ? "该结对没有暂停" : "该结对已经结束", { status: 409 });
    const open = await tx
      .selectFrom("mentorship_pause")
      .select(["id", "paused_on"])
      .where("mentorship_id", "=", m.id)
      .where("resumed_on", "is", null)
      .executeTakeFirstOrThrow();
    if (input.resumedOn < open.paused_on) return refuse(`恢复日期不能早于暂停日期（${open.paused_on}）`, { field: "resumedOn" });
    await tx.updateTable("mentorship_pause").set({ resumed_on: input.resumedOn, resumed_by: actor.id }).where("id", "=", open.id).execute();
    await tx.updateTable("mentorship").set({ status: "active" }).where("id", "=", m.id).execute();
    await recordAudit(tx, AGREEMENT_AUDIT, {
      ...unitOf(m),
      actor,
      action: "resume",
      before: { status: "paused", pausedOn: open.paused_on },
      after: { status: "active", resumedOn: input.resumedOn },
    });
    return { ok: true };
  });
}

/** The agreement as the pairing's page shows it: both confirmations, the pauses, and what the viewer may do. */
export async function agreementOf(db: DB, user: SessionUser, m: MentorshipView) {
  const [row, pauses] = await Promise.all([
    db
      .selectFrom("mentorship")
      .leftJoin("app_user as u", "u.id", "mentorship.mentor_confirmed_by")
      .select(["mentorship.apprentice_confirmed_at", "mentorship.mentor_confirmed_at", "u.display_name as mentor_confirmed_by"])
      .where("mentorship.id", "=", m.id)
      .executeTakeFirstOrThrow(),
    db.selectFrom("mentorship_pause").select(["id", "paused_on", "reason", "resumed_on"]).where("mentorship_id", "=", m.id).orderBy("id", "desc").execute(),
  ]);
  const party = partyTo(user, m);
  const ongoing = isOngoing(m.status);
  return {
    ...row,
    pauses,
    today: todayInTaizhou(),
    canConfirmAsApprentice: party === "apprentice" && ongoing && !row.apprentice_confirmed_at,
    canConfirmAsMentor: party === "mentor" && ongoing && !row.mentor_confirmed_at,
    canPause: !mayPause(user, m) && m.status === "active",
    canResume: !mayPause(user, m) && m.status === "paused",
  };
}
