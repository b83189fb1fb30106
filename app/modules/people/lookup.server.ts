import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { Role } from "~/auth/roles";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import type { Refusal } from "~/lib/result";
import { maskIdNumber, maskPhone, normaliseIdNumber, normalisePhone } from "~/modules/people/id-number";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { lookupHash } from "~/modules/people/pii.server";

/**
 * A search by a whole ID or phone number answers "is this the number of someone here?" — an
 * oracle that confirms a number rebuilt from a mask and a birth date. So every such search, in
 * every list and form that offers one, is counted per user over the last day and recorded in
 * the history (with the number masked), and refused past the limit.
 */
export const EXACT_LOOKUPS_PER_DAY: Record<Role, number> = { city_admin: 200, county_officer: 30, craftsman: 10, expert: 0, apprentice: 0 };

export type ExactNumber = { column: "id_number_hash" | "phone_hash"; hash: string; masked: string };

/** A search text that is a whole ID or phone number, as its lookup hash; null when it is neither. */
export function exactNumberOf(q: string): ExactNumber | null {
  const id = normaliseIdNumber(q);
  if (/^\d{17}[\dX]$/.test(id)) return { column: "id_number_hash", hash: lookupHash(id), masked: maskIdNumber(id) };
  const phone = normalisePhone(q);
  if (/^(1\d{10}|0\d{9,11})$/.test(phone)) return { column: "phone_hash", hash: lookupHash(phone), masked: maskPhone(phone) };
  return null;
}

/** Counts one exact-number search against the user's day, inside the caller's transaction. */
export async function spendExactLookup(tx: Tx, actor: SessionUser, number: Pick<ExactNumber, "masked">, where: string): Promise<Refusal | null> {
  // One user's searches are counted one at a time, so parallel requests cannot overrun the limit.
  await sql`select pg_advisory_xact_lock(hashtext(${`exact-lookup:${actor.id}`}))`.execute(tx);
  const since = new Date(Date.now() - 86_400_000);
  const { n } = await tx
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("actor_user_id", "=", actor.id)
    .where("action", "=", "exact_lookup")
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  const limit = EXACT_LOOKUPS_PER_DAY[actor.role];
  if (Number(n) >= limit) {
    return { ok: false, status: 429, message: `按完整证件号或电话查找每天最多${limit}次，今天的次数已用完；请改用姓名查找，或明天再试`, field: "idNumber" };
  }
  await recordAudit(tx, PERSON_AUDIT, { actor, id: "lookup", unit: actor.orgUnitId, action: "exact_lookup", comment: `${where}：${number.masked}` });
  return null;
}

/** The same, in a transaction of its own (for list searches, which write nothing else). */
export function spendExactLookupAlone(db: DB, actor: SessionUser, number: Pick<ExactNumber, "masked">, where: string): Promise<Refusal | null> {
  return db.transaction().execute((tx) => spendExactLookup(tx, actor, number, where));
}

export const REGISTERED_ELSEWHERE = "该身份证号码已在其他县（市、区）登记，本单位不能登记或推荐；如需跨单位办理请联系市总工会";

/**
 * A number that belongs to someone outside the user's scope. Saying so answers the oracle's
 * question just as a search would, so it costs one exact lookup — and names no unit or person.
 */
export async function refuseNumberElsewhere(tx: Tx, actor: SessionUser, idNumber: string, where: string): Promise<Refusal> {
  const spent = await spendExactLookup(tx, actor, { masked: maskIdNumber(idNumber) }, where);
  return spent ?? { ok: false, status: 409, message: REGISTERED_ELSEWHERE, field: "idNumber" };
}
