import type { Kysely } from "kysely";
import type { Database } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { escapeLike, paginate } from "~/lib/sql";
import { endOfDay, startOfDay } from "~/lib/time";

export interface AuditInput {
  actor: Pick<SessionUser, "id" | "displayName"> | null;
  entityType: string;
  entityId: string | number;
  orgUnitId?: number | null;
  action: string;
  before?: unknown;
  after?: unknown;
  comment?: string | null;
}

/**
 * The one way every workflow writes its history. Pass the transaction the change runs in, so
 * the change and its audit row commit or roll back together.
 */
export async function recordAudit(db: Kysely<Database>, input: AuditInput): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: input.actor?.id ?? null,
      actor_name: input.actor?.displayName ?? "系统",
      entity_type: input.entityType,
      entity_id: String(input.entityId),
      org_unit_id: input.orgUnitId ?? null,
      action: input.action,
      before: input.before === undefined ? null : JSON.stringify(input.before),
      after: input.after === undefined ? null : JSON.stringify(input.after),
      comment: input.comment ?? null,
    })
    .execute();
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  page?: number;
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAudit(db: Kysely<Database>, filter: AuditFilter) {
  let query = db.selectFrom("audit_log");
  if (filter.entityType) query = query.where("entity_type", "=", filter.entityType);
  if (filter.entityId) query = query.where("entity_id", "=", filter.entityId);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.actor) query = query.where("actor_name", "ilike", `%${escapeLike(filter.actor)}%`);
  if (filter.from) query = query.where("at", ">=", startOfDay(filter.from));
  if (filter.to) query = query.where("at", "<", endOfDay(filter.to));
  return paginate(query.selectAll().orderBy("id", "desc"), query, filter.page, AUDIT_PAGE_SIZE);
}

export async function historyOf(db: Kysely<Database>, entityType: string, entityId: string | number) {
  return db.selectFrom("audit_log").selectAll().where("entity_type", "=", entityType).where("entity_id", "=", String(entityId)).orderBy("id", "asc").execute();
}

export async function distinctAuditValues(db: Kysely<Database>) {
  const [entityTypes, actions] = await Promise.all([
    db.selectFrom("audit_log").select("entity_type").distinct().orderBy("entity_type").execute(),
    db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute(),
  ]);
  return { entityTypes: entityTypes.map((r) => r.entity_type), actions: actions.map((r) => r.action) };
}
