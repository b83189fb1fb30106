import type { Tx } from "~db";
import type { Person } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Refusal } from "~/lib/result";
import { queueSmsTo } from "~/modules/notifications/notify.server";
import { maskPhone } from "~/modules/people/id-number";
import { PERSON_AUDIT } from "~/modules/people/labels";

/**
 * The phone on a person's record is a sign-in credential for a craftsman or an apprentice (a code
 * sent to it opens their account, and binds a WeChat). Someone else changing it — an officer, a
 * studio — could take the account over silently; so the person is told at once (an SMS to the old
 * number, a message in their inbox), and for PHONE_HOLD_HOURS the new number opens nothing by code.
 * See app/auth/README.md, "Phone changed by someone else".
 */
export const PHONE_HOLD_HOURS = 24;

/** Whom to ask when a change was not theirs: the union that keeps their record. */
const CONTACT = "所在县级总工会";

/**
 * Called inside the edit's transaction after a person's phone was set to `phone` (a new number) by
 * `actor`: when the record has a craftsman's or apprentice's account or a WeChat binding, and the
 * actor is not the person themself, the change is kept in the history as the hold's start (the row
 * the sign-in checks), the person hears of it in the inbox (the row's declared notice), and the old
 * number, when there was one, gets an SMS.
 */
export async function guardPhoneChange(tx: Tx, actor: SessionUser, before: Person, phone: string, now = new Date()): Promise<void> {
  if (actor.personId === before.id) return;
  const account = await tx
    .selectFrom("app_user")
    .select("id")
    .where("person_id", "=", before.id)
    .where("role", "in", ["craftsman", "apprentice"])
    .executeTakeFirst();
  const wechat = await tx.selectFrom("wechat_identity").select("person_id").where("person_id", "=", before.id).executeTakeFirst();
  if (!account && !wechat) return;
  const unit = actor.orgUnitId === null ? null : await tx.selectFrom("org_unit").select("name").where("id", "=", actor.orgUnitId).executeTakeFirst();
  const by = unit ? `${unit.name} ${actor.displayName}` : actor.displayName;
  const masked = maskPhone(phone);
  await recordAudit(tx, PERSON_AUDIT, {
    actor,
    id: before.id,
    unit: before.org_unit_id,
    action: "phone_changed_by_other",
    before: { phone: before.phone_masked },
    after: { phone: masked },
    // Who changed it, as the person's message names them ({reason}).
    comment: by,
  });
  if (before.phone_cipher && before.phone_hash && before.phone_masked) {
    await queueSmsTo(
      tx,
      { phone_cipher: before.phone_cipher, phone_hash: before.phone_hash, phone_masked: before.phone_masked },
      { category: "account", subject: "登记手机号修改", text: phoneChangedText(by, masked) },
      now,
    );
  }
}

/** What the person is told, by SMS to the old number and in the inbox. */
export const phoneChangedText = (by: string, masked: string) =>
  `您在匠心平台登记的手机号已由${by}修改为 ${masked}；为保护您的账号，${PHONE_HOLD_HOURS}小时内不能用新号码验证码登录或绑定微信。如非本人申请，请立即联系${CONTACT}`;

/**
 * The hold on signing in by a code sent to the person's number: a refusal while a change by someone
 * else is younger than PHONE_HOLD_HOURS, said by the phone field (the one who asks proved they hold
 * the number, so this tells them nothing they could not learn).
 */
export async function phoneChangeHold(tx: Tx, personId: number, now = new Date()): Promise<Refusal | null> {
  const since = new Date(now.getTime() - PHONE_HOLD_HOURS * 3_600_000);
  const change = await tx
    .selectFrom("audit_log")
    .select("at")
    .where("entity_type", "=", PERSON_AUDIT.entity)
    .where("entity_id", "=", String(personId))
    .where("action", "=", "phone_changed_by_other")
    .where("at", ">", since)
    .orderBy("at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!change) return null;
  return refuse(
    `该号码刚由工作人员登记到您的档案，为保护您的账号，${PHONE_HOLD_HOURS}小时内不能用它验证码登录或绑定微信。已登录的设备和已绑定的微信不受影响；如有疑问请联系${CONTACT}`,
    { status: 409, field: "phone" },
  );
}
