import type { Insertable, Transaction } from "kysely";
import type { Database } from "~db/types";
import type { AuditTrail } from "~/lib/audit";

export interface AuditEntry<A extends string> {
  actor: { id: string; displayName: string } | null;
  /** The record's id, and the unit it belongs to (what a county officer's history view filters on). */
  id: string | number;
  unit?: number | null;
  action: A;
  before?: unknown;
  after?: unknown;
  comment?: string | null;
}

/** One history row as it is stored: what recordAudit and recordAudits write. */
export function auditRow<A extends string>(trail: AuditTrail<A>, entry: AuditEntry<NoInfer<A>>): Insertable<Database["audit_log"]> {
  return {
    actor_user_id: entry.actor?.id ?? null,
    actor_name: entry.actor?.displayName ?? "系统",
    entity_type: trail.entity,
    entity_id: String(entry.id),
    org_unit_id: entry.unit ?? null,
    action: entry.action,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    comment: entry.comment ?? null,
  };
}

/**
 * The one way every workflow writes its history. It takes a transaction, not a database: the
 * change and its history row commit or roll back together, or the call does not compile.
 */
export async function recordAudit<A extends string>(tx: Transaction<Database>, trail: AuditTrail<A>, entry: AuditEntry<NoInfer<A>>): Promise<void> {
  await tx.insertInto("audit_log").values(auditRow(trail, entry)).execute();
}

/** Rows per statement: nine parameters a row stays well under PostgreSQL's 65,535. */
const AUDIT_ROWS_PER_STATEMENT = 1000;

/**
 * Many history rows (built with auditRow, any trails), in the order given, a statement per
 * thousand: what a work on thousands of records (an import) writes, the same rows one by one would.
 */
export async function recordAudits(tx: Transaction<Database>, rows: Array<Insertable<Database["audit_log"]>>): Promise<void> {
  for (let start = 0; start < rows.length; start += AUDIT_ROWS_PER_STATEMENT) {
    await tx
      .insertInto("audit_log")
      .values(rows.slice(start, start + AUDIT_ROWS_PER_STATEMENT))
      .execute();
  }
}

/**
 * The history writer of a trail whose rows are kept under a record and its unit (what a county
 * officer's history view filters on): a studio, an event. Each step then names only what it did.
 */
export function unitAudit<A extends string>(trail: AuditTrail<A>) {
  return (
    tx: Transaction<Database>,
    actor: AuditEntry<A>["actor"],
    record: { id: number; org_unit_id: number },
    entry: Omit<AuditEntry<A>, "actor" | "id" | "unit">,
  ) => recordAudit(tx, trail, { actor, id: record.id, unit: record.org_unit_id, ...entry });
}
