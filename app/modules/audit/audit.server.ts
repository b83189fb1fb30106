import type { Kysely } from "kysely";
import type { Database } from "~db/types";
import { escapeLike, paginate } from "~/lib/sql";
import { endOfDay, startOfDay } from "~/lib/time";

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

/** 已办: the user's own latest steps, newest first. Signing in is not work done. */
export async function doneBy(db: Kysely<Database>, userId: string, limit = 8) {
  return db
    .selectFrom("audit_log")
    .select(["id", "entity_type", "entity_id", "action", "at"])
    .where("actor_user_id", "=", userId)
    .where("entity_type", "!=", "session")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
