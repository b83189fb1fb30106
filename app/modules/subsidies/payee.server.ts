import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { fieldsRefused, refuse, type Result } from "~/lib/result";
import { decrypt, encrypt } from "~/modules/people/pii.server";
import { canRevealPersonalData } from "~/modules/people/policy";
import { PAYEE_KIND_LABELS, SUBSIDY_AUDIT } from "~/modules/subsidies/labels";
import { carriesCheckDigit, maskCardNumber, passesLuhn, sameName } from "~/modules/subsidies/payee";
import { canEditPayee, paymentDue, type ApplicationRef } from "~/modules/subsidies/policy";
import type { PayeeInput } from "~/modules/subsidies/schema.server";

/**
 * Where an application's subsidy is paid: the applicant's own bank or union card. The number is
 * kept encrypted (people/pii.server's key) beside its mask; pages show the mask, the city reveals
 * the number on a recorded request, and a payment batch's file carries it to the bank.
 */

/** The account as every page shows it: masked. */
export async function payeeOf(db: DB, applicationId: number) {
  return db
    .selectFrom("subsidy_payee")
    .select(["kind", "account_name", "bank_name", "number_masked", "updated_at"])
    .where("application_id", "=", applicationId)
    .executeTakeFirst();
}

/** Whether the payment the application waits for is already on a batch (its file may be with the bank). */
export async function onPaymentBatch(db: DB, app: { id: number; status: ApplicationRef["status"]; held_fen: number | null }): Promise<boolean> {
  const stage = paymentDue(app);
  if (!stage) return false;
  const line = await db
    .selectFrom("subsidy_payment_line")
    .select("batch_id")
    .where("application_id", "=", app.id)
    .where("stage", "=", stage)
    .executeTakeFirst();
  return !!line;
}

type PayeeApplication = ApplicationRef & { id: number; name: string; held_fen: number | null };

/**
 * Records or replaces the applicant's account. The account must be in the applicant's own name:
 * the union pays the subsidy to the person it was granted to, never to a relative or an employer
 * (a bank's 代发 checks the name against the account, and a mismatch comes back unpaid). A change
 * once approved is a change to where money is about to go: the county and the applicant hear of it.
 */
export async function savePayee(db: DB, actor: SessionUser, app: PayeeApplication, input: PayeeInput): Promise<Result> {
  const refused = refuse("当前状态下不能修改收款账户", { status: 403 });
  // Someone who may not change it learns nothing of what the form holds; asked again under the lock below.
  if (!canEditPayee(actor, app, await onPaymentBatch(db, app))) return refused;
  if (!sameName(input.accountName, app.name)) {
    return fieldsRefused({ accountName: [`户名应为申请人本人姓名“${app.name}”：补助只发放到申请人本人的账户`] });
  }
  return db.transaction().execute(async (tx): Promise<Result> => {
    // The application's row, locked: a batch made meanwhile sees the account as it was, or as it is now.
    const locked = await tx.selectFrom("subsidy_application").select(["status", "held_fen"]).where("id", "=", app.id).forUpdate().executeTakeFirstOrThrow();
    const current = { ...app, status: locked.status, held_fen: locked.held_fen };
    if (!canEditPayee(actor, current, await onPaymentBatch(tx, current))) return refused;
    const before = await tx.selectFrom("subsidy_payee").selectAll().where("application_id", "=", app.id).executeTakeFirst();
    const row = {
      kind: input.kind,
      account_name: input.accountName,
      bank_name: input.bankName,
      number_cipher: encrypt(input.number),
      number_masked: maskCardNumber(input.number),
      entered_by: actor.id,
      updated_at: new Date(),
    };
    if (before) await tx.updateTable("subsidy_payee").set(row).where("application_id", "=", app.id).execute();
    else
      await tx
        .insertInto("subsidy_payee")
        .values({ application_id: app.id, ...row })
        .execute();
    const shown = (p: { kind: keyof typeof PAYEE_KIND_LABELS; account_name: string; bank_name: string; number_masked: string }) => ({
      accountKind: PAYEE_KIND_LABELS[p.kind],
      accountName: p.account_name,
      bankName: p.bank_name,
      accountNumber: p.number_masked,
    });
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: app.id,
      unit: app.org_unit_id,
      action: paymentDue(current) ? "payee_change" : "payee",
      before: before ? shown(before) : null,
      // A number that fails its check digit was confirmed by the applicant: the history says so.
      after: { ...shown(row), ...(carriesCheckDigit(input.number) && !passesLuhn(input.number) ? { checkDigit: "未通过校验，申请人确认无误" } : {}) },
    });
    return { ok: true };
  });
}

/** Decrypts an application's account number for a city officer, and records who, when and why. */
export async function revealPayee(db: DB, actor: SessionUser, app: { id: number; org_unit_id: number }, reason: string): Promise<Result<{ number: string }>> {
  if (!canRevealPersonalData(actor)) return refuse("无权查看", { status: 403 });
  return db.transaction().execute(async (tx): Promise<Result<{ number: string }>> => {
    const payee = await tx.selectFrom("subsidy_payee").select("number_cipher").where("application_id", "=", app.id).executeTakeFirst();
    if (!payee) return refuse("收款账户尚未登记", { status: 409 });
    await recordAudit(tx, SUBSIDY_AUDIT, { actor, id: app.id, unit: app.org_unit_id, action: "reveal_payee", comment: reason });
    return { ok: true, number: decrypt(payee.number_cipher) };
  });
}
