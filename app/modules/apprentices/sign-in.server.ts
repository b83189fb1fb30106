import type { AppLoadContext } from "@remix-run/node";
import type { DB, Tx } from "~db";
import { NO_PASSWORD } from "~/auth/password.server";
import { apprenticeUsername, sessionUserOf, type Apprentice, type Craftsman, type Role } from "~/auth/roles";
import { newUserId, openSession } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { refuse, type Result } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import { recordAudit } from "~/lib/audit.server";
import { sendPhoneCode, usePhoneCode } from "~/modules/apprentices/phone-code.server";
import { CODE_LIMITS } from "~/modules/voting/voting.server";
import { lookupHash } from "~/modules/people/pii.server";
import { phoneChangeHold } from "~/modules/people/phone-guard.server";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { USER_AUDIT } from "~/modules/users/labels";

/**
 * A craftsman or an apprentice signs in with the phone on their person record and a code sent to it
 * (issues 33 and 36): there is no password to remember, and the number is what the union or the
 * studio registered them with. Officers and experts sign in otherwise (a password, or the
 * government's single sign-on).
 */

/** What anyone who asks for a code is told, whether or not the number is a craftsman's or an apprentice's. */
export const CODE_SENT =
  "如果该号码已登记为工匠或学徒，验证码短信将在1分钟内送达，10分钟内有效。如未收到短信，请确认号码是工会或工作室登记的号码，或联系所在县级总工会";

/** The wait before another code may be asked for, which the page counts down (the vote's first limit per number). */
export const RESEND_AFTER_SECONDS = CODE_LIMITS.phone[0].withinMs / 1000;

/** The roles whose accounts a phone code opens. */
const CODE_ROLES = ["craftsman", "apprentice"] as const;

/**
 * The person a sign-in code for this number is for: one with a craftsman's or an apprentice's
 * account, or an apprentice of a pairing (in any state: a finished apprentice still reads their
 * record) whose account the first sign-in makes. Two records with one number are the same phone's
 * owner registered twice: an account comes first, then the latest pairing.
 */
export async function codeHolderByPhone(db: DB, phone: string): Promise<{ id: number; name: string } | undefined> {
  return db
    .selectFrom("person")
    .leftJoin("app_user", "app_user.person_id", "person.id")
    .leftJoin("mentorship", "mentorship.apprentice_id", "person.id")
    .select(["person.id", "person.name"])
    .where("person.phone_hash", "=", lookupHash(phone))
    .where((eb) => eb.or([eb("app_user.role", "in", CODE_ROLES), eb.and([eb("app_user.id", "is", null), eb("mentorship.id", "is not", null)])]))
    .orderBy((eb) => eb("app_user.id", "is", null))
    .orderBy("mentorship.id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Step one: sends a sign-in code if the number is an apprentice's, and answers the same either way,
 * so the page cannot be used to learn who is registered; an unknown number still spends its limits.
 */
export async function requestSignInCode(
  db: DB,
  gateway: SmsGateway,
  phone: string,
  address: string | null,
  now = new Date(),
): Promise<Result<{ message: string; resendAfterSeconds: number }>> {
  const person = await codeHolderByPhone(db, phone);
  const sent = await sendPhoneCode(db, gateway, { phone, purpose: "sign_in", personId: person?.id ?? null }, address, now);
  return sent.ok ? { ok: true, message: CODE_SENT, resendAfterSeconds: RESEND_AFTER_SECONDS } : sent;
}

export type CodeSignInResult = { ok: true; user: Craftsman | Apprentice; cookie: string; deviceCookie: string | null } | Extract<Result, { ok: false }>;

/** What a code (or a WeChat identity bound by one) opens: the person's account row. */
type CodeAccount = { id: string; username: string; display_name: string; role: Role; org_unit_id: number | null; person_id: number | null; active: boolean };

/**
 * The account a proven person signs in to, inside the caller's transaction: a craftsman's, or an
 * apprentice's made the first time, one per person, with no password that could ever be typed.
 * Shared by the code sign-in and WeChat's (issue 36), which ends in the same account. `how` is what
 * the history says made a new account.
 */
export async function codeAccountOf(tx: Tx, personId: number, how = "学徒首次用短信验证码登录"): Promise<Result<{ account: CodeAccount }>> {
  const existing = await tx
    .selectFrom("app_user")
    .select(["id", "username", "display_name", "role", "org_unit_id", "person_id", "active"])
    .where("person_id", "=", personId)
    .executeTakeFirst();
  // A person has one account (app_user.person_id is unique): a craftsman taken on as an apprentice
  // signs in to their craftsman's account; the code opens no second account beside it, and no
  // officer's or expert's account (theirs is signed in otherwise).
  if (existing && !(CODE_ROLES as readonly string[]).includes(existing.role)) return refuse("您的账号请用用户名和密码登录", { status: 409, field: "phone" });
  if (existing) return { ok: true, account: existing };
  const person = await tx.selectFrom("person").select("name").where("id", "=", personId).executeTakeFirstOrThrow();
  const row = {
    id: newUserId(),
    username: apprenticeUsername(personId),
    display_name: person.name,
    password_hash: NO_PASSWORD,
    role: "apprentice" as const,
    org_unit_id: null,
    person_id: personId,
  };
  await tx.insertInto("app_user").values(row).execute();
  await recordAudit(tx, USER_AUDIT, {
    actor: null,
    id: row.id,
    action: "create",
    after: { username: row.username, displayName: row.display_name, role: row.role, person_id: row.person_id },
    comment: how,
  });
  return { ok: true, account: { ...row, active: true } };
}

/**
 * The last step of a code's (or a bound WeChat identity's) sign-in: a deactivated account opens nothing; the rest
 * get a month-long session bound to this browser (the code, or WeChat on the phone, proved the phone is theirs;
 * see app/auth/README.md).
 */
export async function openCodeSession(db: DB, request: Request, account: CodeAccount, address: string | null, now = new Date()): Promise<CodeSignInResult> {
  if (!account.active) return refuse("该账号已停用，请联系所在工作室或县级总工会", { status: 403, field: "phone" });
  const { cookie, deviceCookie, deviceLabel } = await openSession(db, request, account, address, { onDevice: true, now });
  // A new device token was issued: this browser never signed in to the account before. The person
  // hears of it in the inbox (the row's declared notice; no acting account, so the owner is told).
  if (deviceCookie && account.person_id !== null) {
    const personId = account.person_id;
    await db.transaction().execute((tx) =>
      recordAudit(tx, PERSON_AUDIT, {
        actor: null,
        id: personId,
        unit: null,
        action: "new_device_sign_in",
        after: { device: deviceLabel ?? "未知设备" },
        comment: address ?? undefined,
      }),
    );
  }
  return { ok: true, user: sessionUserOf(account) as Craftsman | Apprentice, cookie, deviceCookie };
}

/**
 * Step two: the code is spent, the person's account found (codeAccountOf) and a session opened for it.
 */
export async function signInWithCode(
  db: DB,
  request: Request,
  input: { phone: string; code: string },
  now = new Date(),
  context: AppLoadContext = {},
): Promise<CodeSignInResult> {
  const address = clientAddress(request, context);
  const found = await db.transaction().execute(async (tx) => {
    const used = await usePhoneCode(tx, { ...input, purpose: "sign_in" }, now);
    if (!used.ok) return used;
    // A number someone else just put on the record opens nothing yet (a takeover would be silent otherwise).
    const held = await phoneChangeHold(tx, used.personId, now);
    if (held) return held;
    return codeAccountOf(tx, used.personId);
  });
  if (!found.ok) return found;
  return openCodeSession(db, request, found.account, address, now);
}
