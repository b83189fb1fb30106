import crypto from "node:crypto";
import { sql, type SqlBool } from "kysely";
import type { DB, Tx } from "~db";
import type { PhoneCodePurpose } from "~db/types";
import { refuse, type Result } from "~/lib/result";
import { sanitizedError, type SmsGateway, type SmsRequest, type SmsResult } from "~/lib/sms.server";
import { lookupHash } from "~/modules/people/pii.server";
import { maskPhone } from "~/modules/people/id-number";
import { chargedCode, CODE_LIMITS, CODE_MASK, limitReached, lockVoter } from "~/modules/voting/voting.server";

/**
 * One-time codes sent to a person's own phone, the one on their record: to sign in (an apprentice
 * has no password to remember) or to confirm the 师徒结对协议 — or, for the purposes that prove a
 * number nobody has on record (a member of the public objecting to a subsidy 公示), to the number
 * given. The same limits as the vote's codes (per number, per network); a code is valid ten minutes
 * and five tries, and only the latest one sent for a purpose counts. The code leaves once, by SMS;
 * the log keeps it masked.
 */

const CODE_VALID_MS = 10 * 60_000;
const CODE_ATTEMPTS = 5;

/** The number's limits split: the minute counted per purpose, the hour and the day over all of them. */
const PER_PURPOSE = CODE_LIMITS.phone.filter((l) => l.withinMs <= 60_000);
const EVERY_PURPOSE = CODE_LIMITS.phone.filter((l) => l.withinMs > 60_000);

const codeHash = (phone: string, purpose: PhoneCodePurpose, code: string) => lookupHash(`phone-code:${purpose}:${phone}:${code}`);

const PURPOSE_TEXT: Record<PhoneCodePurpose, string> = {
  sign_in: "登录",
  agreement: "确认师徒结对协议",
  subsidy_objection: "对补助公示提出异议",
  rights_request: "申请行使个人信息权利",
  wechat_bind: "绑定微信",
};

/**
 * The purposes whose code goes to whatever number is given: the one asking is on no record, and
 * the code proves only that they hold the number. Every other purpose's code goes to a person's
 * own number and nowhere else.
 */
const ANY_NUMBER = ["subsidy_objection", "rights_request"] as const satisfies readonly PhoneCodePurpose[];
type AnyNumber = (typeof ANY_NUMBER)[number];
const toAnyNumber = (purpose: PhoneCodePurpose): purpose is AnyNumber => (ANY_NUMBER as readonly PhoneCodePurpose[]).includes(purpose);

type CodeRecipient =
  { purpose: AnyNumber } | { purpose: Exclude<PhoneCodePurpose, AnyNumber>; personId: number | null; userId?: string | null; orgUnitId?: number | null };

/**
 * Sends a code to `phone` for `purpose`. For a person's purpose the caller has already found the
 * person the number belongs to (or not: sign-in asks for any number and says the same either way,
 * so it cannot be used to learn who is registered — `personId` null then sends nothing but spends
 * the limits). An any-number purpose sends to the number given, for no one on record (an objector, or a voter
 * or objector asking the rights desk about what is held under their number).
 */
export async function sendPhoneCode(
  db: DB,
  gateway: SmsGateway,
  input: { phone: string } & CodeRecipient,
  address: string | null,
  now = new Date(),
): Promise<Result<{ masked: string }>> {
  const person = "personId" in input ? input : null;
  const sends = person ? person.personId !== null : toAnyNumber(input.purpose);
  const phoneHash = lookupHash(input.phone);
  const masked = maskPhone(input.phone);
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  const textWith = (shown: string) => `【匠心】您的${PURPOSE_TEXT[input.purpose]}验证码是 ${shown}，10分钟内有效。如非本人操作请忽略。`;
  const queued = await db.transaction().execute(async (tx): Promise<Result<{ smsId: number | null }>> => {
    await lockVoter(tx, `phone-code:${phoneHash}`);
    const limited = await limitReached(
      tx,
      "phone_code",
      "sent_at",
      now,
      [
        // A number's minute is per purpose: signing in and then asking at once for the agreement's code
        // is the apprentice's normal way through, not a second try. Its hour and day count every
        // purpose together: the stated ten a day are ten texts to the handset, whatever they are for.
        { limits: PER_PURPOSE, rows: sql<SqlBool>`phone_hash = ${phoneHash} and purpose = ${input.purpose}`, field: "phone" },
        { limits: EVERY_PURPOSE, rows: sql<SqlBool>`phone_hash = ${phoneHash}`, field: "phone" },
        // The network's limit stands by the number too: that is where the person looks, having just typed it.
        { limits: CODE_LIMITS.address, rows: address ? sql<SqlBool>`address = ${address}` : null, field: "phone" },
      ],
      chargedCode("phone_code", now),
    );
    if (limited) return limited;
    const sms = !sends
      ? null
      : await tx
          .insertInto("sms_message")
          .values({
            user_id: person?.userId ?? null,
            org_unit_id: person?.orgUnitId ?? null,
            // Sent at once, so the number is never needed again (a person's is on their record): the log keeps hash and mask.
            phone_cipher: "",
            phone_hash: phoneHash,
            phone_masked: masked,
            template: "phone_code",
            params: JSON.stringify({ code: CODE_MASK, purpose: input.purpose }),
            text: textWith(CODE_MASK),
            status: "sending",
            driver: gateway.driver,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
    await tx
      .insertInto("phone_code")
      .values({
        person_id: person?.personId ?? null,
        phone_hash: phoneHash,
        purpose: input.purpose,
        // A number that is nobody's gets a code nobody can know.
        code_hash: sends ? codeHash(input.phone, input.purpose, code) : "-",
        address,
        sent_at: now,
        expires_at: new Date(now.getTime() + CODE_VALID_MS),
        sms_id: sms?.id ?? null,
      })
      .execute();
    return { ok: true, smsId: sms?.id ?? null };
  });
  if (!queued.ok) return queued;
  if (queued.smsId === null) return { ok: true, masked };
  const smsId = queued.smsId;
  // The provider is called after the row is committed as sending: a crash in between leaves a row the
  // SMS log closes as failed (settleStaleSms), never one sent again — the code lived only in memory.
  const delivery = deliver(db, gateway, smsId, { phone: input.phone, template: "phone_code", params: { code }, text: textWith(code), outId: String(smsId) });
  if (HIDES_HOLDER.includes(input.purpose)) {
    // The answer must not tell a number on record from one that is not: it leaves now, as it does for
    // an unknown number, and the provider's answer (or failure) goes only to the SMS log.
    void delivery;
    return { ok: true, masked };
  }
  if (!(await delivery)) return refuse("短信发送失败，请稍后再试", { status: 409, field: "phone" });
  return { ok: true, masked };
}

/**
 * The purposes answered the same whether or not the number is on record ("如果该号码已登记…"): their
 * answer does not wait for the provider, whose delay or failure would otherwise tell the two apart.
 */
const HIDES_HOLDER: readonly PhoneCodePurpose[] = ["sign_in", "wechat_bind"];

/**
 * Hands one code's SMS to the provider and records its answer on the row. Never rejects (it may run
 * after the request has been answered): a thrown error is recorded as a failure like a refused send.
 * Resolves to whether the provider took it.
 */
async function deliver(db: DB, gateway: SmsGateway, smsId: number, request: SmsRequest): Promise<boolean> {
  try {
    const sent = await (async () => gateway.send(request))().catch((error: unknown): SmsResult => ({
      ok: false,
      error: sanitizedError(`短信发送出错：${String(error)}`),
      retry: false,
    }));
    await db
      .updateTable("sms_message")
      .set(sent.ok ? { status: "sent", sent_at: new Date(), provider_id: sent.providerId } : { status: "failed", error: sent.error })
      .where("id", "=", smsId)
      .execute();
    return sent.ok;
  } catch (error) {
    // The log itself could not be written (the database gone): the stale row is closed by settleStaleSms.
    console.error("验证码短信的发送结果未能记录", error);
    return false;
  }
}

/** The latest code sent to a number for a purpose: the only one that counts. */
const latestCode = (db: DB, phoneHash: string, purpose: PhoneCodePurpose) =>
  db
    .selectFrom("phone_code")
    .select(["id", "person_id", "code_hash", "attempts", "used_at", "expires_at"])
    .where("phone_hash", "=", phoneHash)
    .where("purpose", "=", purpose)
    .orderBy("id", "desc")
    .limit(1);

/**
 * Whether the code given is the number's live one, without spending a try: asked before costly work
 * on a request (an objection's photos converted), so a made-up code costs nothing. The real check,
 * which counts the try, is usePhoneCode's inside the step's transaction.
 */
export async function phoneCodeMatches(db: DB, input: { phone: string; code: string; purpose: PhoneCodePurpose }, now = new Date()): Promise<boolean> {
  const row = await latestCode(db, lookupHash(input.phone), input.purpose).executeTakeFirst();
  return !!row && !row.used_at && row.expires_at > now && row.attempts < CODE_ATTEMPTS && row.code_hash === codeHash(input.phone, input.purpose, input.code);
}

/**
 * Checks the latest code sent to the number for this purpose and spends it when it matches, inside
 * the caller's transaction (so a code is used only by a step that commits). A wrong code costs one
 * of its five tries — committed even when the caller's step fails, because the caller returns the
 * refusal rather than throwing. Answers the person the code was sent for (none, for an any-number
 * purpose).
 */
export async function usePhoneCode<P extends PhoneCodePurpose>(
  tx: Tx,
  input: { phone: string; code: string; purpose: P },
  now = new Date(),
): Promise<Result<{ personId: P extends AnyNumber ? null : number }>> {
  const phoneHash = lookupHash(input.phone);
  await lockVoter(tx, `phone-code:${phoneHash}`);
  const row = await latestCode(tx, phoneHash, input.purpose).forUpdate().executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now) return refuse("验证码已过期或已使用，请重新获取", { field: "code" });
  if (row.attempts >= CODE_ATTEMPTS) return refuse("验证码错误次数过多，请重新获取", { field: "code" });
  if ((row.person_id === null && !toAnyNumber(input.purpose)) || row.code_hash !== codeHash(input.phone, input.purpose, input.code)) {
    await tx
      .updateTable("phone_code")
      .set({ attempts: row.attempts + 1 })
      .where("id", "=", row.id)
      .execute();
    return refuse("验证码不正确", { field: "code" });
  }
  await tx.updateTable("phone_code").set({ used_at: now }).where("id", "=", row.id).execute();
  // A person's purpose was sent for a person (checked above), an any-number purpose for no one.
  return { ok: true, personId: row.person_id as P extends AnyNumber ? null : number };
}
