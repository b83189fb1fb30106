import type { AppLoadContext } from "@remix-run/node";
import type { DB } from "~db";
import { NO_PASSWORD } from "~/auth/password.server";
import { apprenticeUsername, sessionUserOf, type Apprentice } from "~/auth/roles";
import { newUserId, openSession } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { refuse, type Result } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import { recordAudit } from "~/lib/audit.server";
import { sendPhoneCode, usePhoneCode } from "~/modules/apprentices/phone-code.server";
import { lookupHash } from "~/modules/people/pii.server";
import { USER_AUDIT } from "~/modules/users/labels";

/**
 * An apprentice signs in with the phone on their person record and a code sent to it (issue 33):
 * there is no password to remember, and the number is what the studio registered them with.
 */

/** What anyone who asks for a code is told, whether or not the number is an apprentice's. */
export const CODE_SENT = "如果该号码已登记为学徒，验证码短信将在1分钟内送达，10分钟内有效";

/**
 * The apprentice whose record carries this number: the person of the most recent pairing, in any
 * state (a finished apprentice still reads their record). Two records with one number are the same
 * phone's owner registered twice; the latest pairing is the one they came for.
 */
async function apprenticeByPhone(db: DB, phone: string): Promise<{ id: number; name: string } | undefined> {
  return db
    .selectFrom("person")
    .innerJoin("mentorship", "mentorship.apprentice_id", "person.id")
    .select(["person.id", "person.name"])
    .where("person.phone_hash", "=", lookupHash(phone))
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
): Promise<Result<{ message: string }>> {
  const person = await apprenticeByPhone(db, phone);
  const sent = await sendPhoneCode(db, gateway, { phone, purpose: "sign_in", personId: person?.id ?? null }, address, now);
  return sent.ok ? { ok: true, message: CODE_SENT } : sent;
}

export type CodeSignInResult = { ok: true; user: Apprentice; cookie: string } | Extract<Result, { ok: false }>;

/**
 * Step two: the code is spent, the person's apprentice account found — or made, the first time,
 * one per person, with no password that could ever be typed — and a session opened for it.
 */
export async function signInWithCode(
  db: DB,
  request: Request,
  input: { phone: string; code: string },
  now = new Date(),
  context: AppLoadContext = {},
): Promise<CodeSignInResult> {
  const address = clientAddress(request, context);
  const account = await db.transaction().execute(async (tx) => {
    const used = await usePhoneCode(tx, { ...input, purpose: "sign_in" }, now);
    if (!used.ok) return used;
    const existing = await tx
      .selectFrom("app_user")
      .select(["id", "username", "display_name", "role", "org_unit_id", "person_id", "active"])
      .where("person_id", "=", used.personId)
      .executeTakeFirst();
    // A person has one account (app_user.person_id is unique): a craftsman taken on as an apprentice
    // keeps signing in with their password; the code opens no second account beside it.
    if (existing && existing.role !== "apprentice") return refuse("您已有平台账号，请用用户名和密码登录", { status: 409, field: "phone" });
    if (existing) return { ok: true as const, ...existing };
    const person = await tx.selectFrom("person").select("name").where("id", "=", used.personId).executeTakeFirstOrThrow();
    const row = {
      id: newUserId(),
      username: apprenticeUsername(used.personId),
      display_name: person.name,
      password_hash: NO_PASSWORD,
      role: "apprentice" as const,
      org_unit_id: null,
      person_id: used.personId,
    };
    await tx.insertInto("app_user").values(row).execute();
    await recordAudit(tx, USER_AUDIT, {
      actor: null,
      id: row.id,
      action: "create",
      after: { username: row.username, displayName: row.display_name, role: row.role, person_id: row.person_id },
      comment: "学徒首次用短信验证码登录",
    });
    return { ok: true as const, ...row, active: true };
  });
  if (!account.ok) return account;
  if (!account.active) return refuse("该学徒账号已停用，请联系所在工作室或县级总工会", { status: 403, field: "phone" });
  const cookie = await openSession(db, request, account, address);
  return { ok: true, user: sessionUserOf(account) as Apprentice, cookie };
}
