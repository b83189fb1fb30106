import type { Tx } from "~db";
import { noticeBlockers } from "~/modules/subsidies/notice.server";
import { combinedCapRefusal } from "~/modules/subsidies/other-schemes.server";

/**
 * Why an approved subsidy may not be paid yet, every reason at once: the one check both the
 * 登记拨付 step and the payment batch ask, so neither pays what the other would refuse.
 * Each practice adds its own condition here (the 公示, the payee's account).
 */
export async function paymentBlockers(tx: Tx, app: { id: number }, now: Date): Promise<string[]> {
  const blockers: string[] = [];

  // The payee (issue 34, item 5): money goes only to the account the applicant recorded in their own name.
  const payee = await tx.selectFrom("subsidy_payee").select("application_id").where("application_id", "=", app.id).executeTakeFirst();
  if (!payee) blockers.push("收款账户尚未登记");

  // No double claims (item 4): a list imported after the approval may show the others paying more than
  // was known then; the approved amount is paid only while it still fits beside them.
  const approved = await tx
    .selectFrom("subsidy_application")
    .select(["id", "status", "org_unit_id", "person_id", "tuition_fen", "target_degree", "year", "approved_fen"])
    .where("id", "=", app.id)
    .executeTakeFirst();
  const overCap = approved?.approved_fen ? await combinedCapRefusal(tx, approved, Number(approved.approved_fen)) : null;
  if (overCap) blockers.push(`批准后的其他项目补助记录显示已超出上限：${overCap}`);

  // The 公示: published, its last day past, and no objection pending or upheld.
  blockers.push(...(await noticeBlockers(tx, app.id, now)));

  return blockers;
}
