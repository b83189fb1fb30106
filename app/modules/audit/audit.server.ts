import { sql, type Kysely, type Selectable } from "kysely";
import type { AuditLogTable, Database } from "~db/types";
import { actionLabel, type AuditNames, describeChange, entityLabel, recordLink, referencedIds } from "~/modules/audit/labels";
import { escapeLike, paginate } from "~/lib/sql";
import { endOfDay, startOfDay } from "~/lib/time";
import { objectionSourceSql } from "~/modules/nominations/review.server";
import { everyRow, sheet, workbook } from "~/lib/workbook.server";

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

export async function listAudit(db: Kysely<Database>, filter: AuditFilter, pageSize = AUDIT_PAGE_SIZE) {
  let query = db.selectFrom("audit_log");
  if (filter.entityType) query = query.where("entity_type", "=", filter.entityType);
  if (filter.entityId) query = query.where("entity_id", "=", filter.entityId);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.actor) query = query.where("actor_name", "ilike", `%${escapeLike(filter.actor)}%`);
  if (filter.from) query = query.where("at", ">=", startOfDay(filter.from));
  if (filter.to) query = query.where("at", "<", endOfDay(filter.to));
  return paginate(query.selectAll().orderBy("id", "desc"), query, filter.page, pageSize);
}

export async function historyOf(db: Kysely<Database>, entityType: string, entityId: string | number) {
  return db.selectFrom("audit_log").selectAll().where("entity_type", "=", entityType).where("entity_id", "=", String(entityId)).orderBy("id", "asc").execute();
}

/**
 * An account's history: its own rows, and those of its sign-in that are kept under another record — a single sign-on
 * identity bound or unbound, signing in; its one-time code turned on, off or reset — which name the account.
 */
export async function accountHistory(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb("entity_type", "=", "user"), eb("entity_id", "=", userId)]),
        eb.and([eb("entity_type", "in", ["external_identity", "second_factor"]), eb(sql<string>`after->>'account'`, "=", userId)]),
      ]),
    )
    .orderBy("id", "asc")
    .execute();
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

type AuditRow = Selectable<AuditLogTable>;

const numeric = (ids: Iterable<string | number>) => [
  ...new Set(
    [...ids]
      .map(String)
      .filter((id) => /^\d{1,9}$/.test(id))
      .map(Number),
  ),
];

/** `key:id` → name, from a query of (id, name) pairs; nothing is asked when there are no ids. */
async function named<T extends number | string>(ids: T[], key: string, query: (ids: T[]) => Promise<Array<{ id: number | string; name: string | null }>>) {
  if (!ids.length) return [];
  return (await query(ids)).map((r) => [`${key}:${r.id}`, r.name ?? ""] as const);
}

/**
 * The names a page of history stands for: each row's record (a person, a studio, a campaign, the
 * account of a sign-in) and the ids its changes mention (a unit, a leader, a mentorship…), in a
 * fixed handful of queries whatever the page holds.
 */
export async function auditNames(db: Kysely<Database>, rows: AuditRow[]): Promise<AuditNames> {
  const refs = referencedIds(rows);
  const ofEntity = (...types: string[]) => rows.filter((r) => types.includes(r.entity_type)).map((r) => r.entity_id);
  const personIds = numeric([...refs.person, ...ofEntity("person")]);
  const nominationIds = numeric([...refs.nomination, ...ofEntity("nomination")]);
  const campaignIds = numeric(ofEntity("campaign", "online_vote", "expert_review"));
  const pairs = await Promise.all([
    named(numeric([...refs.unit, ...ofEntity("org_unit")]), "unit", (ids) => db.selectFrom("org_unit").select(["id", "name"]).where("id", "in", ids).execute()),
    named(personIds, "person", (ids) => db.selectFrom("person").select(["id", "name"]).where("id", "in", ids).execute()),
    named(numeric(refs.mentorship), "mentorship", (ids) =>
      db
        .selectFrom("mentorship")
        .innerJoin("person", "person.id", "mentorship.apprentice_id")
        .select(["mentorship.id", sql<string>`person.name || '（师徒结对）'`.as("name")])
        .where("mentorship.id", "in", ids)
        .execute(),
    ),
    named(numeric(refs.participant), "participant", (ids) =>
      db
        .selectFrom("event_participant")
        .leftJoin("person", "person.id", "event_participant.person_id")
        .select(["event_participant.id", sql<string>`coalesce(person.name, event_participant.outside_name)`.as("name")])
        .where("event_participant.id", "in", ids)
        .execute(),
    ),
    named(numeric(refs.objection), "objection", (ids) =>
      db
        .selectFrom("objection")
        .leftJoin("objection_filing as f", "f.objection_id", "objection.id")
        // An online objection is named without its objector (the county reads this history too).
        .select(["objection.id", sql<string>`${objectionSourceSql} || '（' || objection.received_on || '）'`.as("name")])
        .where("objection.id", "in", ids)
        .execute(),
    ),
    named(numeric(refs.grant), "grant", (ids) =>
      db
        .selectFrom("studio_grant")
        .select(["id", sql<string>`document_number || ' 资助'`.as("name")])
        .where("id", "in", ids)
        .execute(),
    ),
    named(numeric(refs.spending), "spending", (ids) =>
      db
        .selectFrom("studio_spending")
        .select(["id", sql<string>`description || '（' || spent_on || '）'`.as("name")])
        .where("id", "in", ids)
        .execute(),
    ),
    named(nominationIds, "nomination", (ids) =>
      db
        .selectFrom("nomination")
        .innerJoin("person", "person.id", "nomination.person_id")
        .select(["nomination.id", "person.name"])
        .where("nomination.id", "in", ids)
        .execute(),
    ),
    named([...new Set(ofEntity("user", "session"))], "user", (ids) =>
      db.selectFrom("app_user").select(["id", "display_name as name"]).where("id", "in", ids).execute(),
    ),
    named(campaignIds, "campaign", (ids) => db.selectFrom("campaign").select(["id", "title as name"]).where("id", "in", ids).execute()),
    named(numeric(ofEntity("studio")), "studio", (ids) => db.selectFrom("studio").select(["id", "name"]).where("id", "in", ids).execute()),
    named(numeric(ofEntity("event")), "event", (ids) => db.selectFrom("event").select(["id", "title as name"]).where("id", "in", ids).execute()),
    named(numeric(ofEntity("publicity")), "publicity", (ids) =>
      db.selectFrom("publicity_item").select(["id", "title as name"]).where("id", "in", ids).execute(),
    ),
    named(numeric(ofEntity("import_batch")), "import_batch", (ids) =>
      db.selectFrom("import_batch").select(["id", "filename as name"]).where("id", "in", ids).execute(),
    ),
    named(numeric(ofEntity("subsidy")), "subsidy", (ids) =>
      db
        .selectFrom("subsidy_application")
        .innerJoin("person", "person.id", "subsidy_application.person_id")
        .select(["subsidy_application.id", sql<string>`person.name || ' ' || subsidy_application.year || '年'`.as("name")])
        .where("subsidy_application.id", "in", ids)
        .execute(),
    ),
    named(numeric(ofEntity("milestone")), "milestone", (ids) =>
      db
        .selectFrom("milestone")
        .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
        .innerJoin("person", "person.id", "mentorship.apprentice_id")
        .select(["milestone.id", "person.name"])
        .where("milestone.id", "in", ids)
        .execute(),
    ),
  ]);
  return Object.fromEntries(pairs.flat());
}

/** Entity types whose record is named from another table, and the key it is found under. */
const NAMED_AS: Record<string, string> = {
  org_unit: "unit",
  session: "user",
  online_vote: "campaign",
  expert_review: "campaign",
};

/** Policies kept per year: their history rows are keyed by the year, not by a record's id. */
const YEAR_KEYED = new Set(["evaluation_criteria", "subsidy_policy", "studio_cycle_policy", "acceptance_checklist"]);

/** What a history row is about, by name: 王建国工匠工作室, 第三届“台州工匠”选树, the account that signed in. */
export function recordName(row: Pick<AuditRow, "entity_type" | "entity_id">, names: AuditNames): string {
  if (YEAR_KEYED.has(row.entity_type)) return `${row.entity_id}年度`;
  if (row.entity_type === "studio_plan") return "";
  if (row.entity_id === "lookup") return "按号码查找";
  return names[`${NAMED_AS[row.entity_type] ?? row.entity_type}:${row.entity_id}`] ?? "（记录已不存在）";
}

/** A page of history as the audit log shows it: every change in words, every id by its name. */
export async function describedAudit(db: Kysely<Database>, rows: AuditRow[]) {
  const names = await auditNames(db, rows);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor_name,
    what: `${entityLabel(r.entity_type)}${recordName(r, names) ? ` · ${recordName(r, names)}` : ""}`,
    link: recordLink(r.entity_type, r.entity_id),
    action: actionLabel(r.action, r.entity_type),
    before: describeChange(r.entity_type, r.before, names),
    after: describeChange(r.entity_type, r.after, names),
    comment: r.comment,
  }));
}

/** The audit log with its filter as .xlsx, every row described as the page shows it, times in Taizhou time. */
export async function auditWorkbook(db: Kysely<Database>, filter: AuditFilter): Promise<Buffer> {
  const rows = await everyRow(async (page, pageSize) => {
    const result = await listAudit(db, { ...filter, page }, pageSize);
    return { ...result, rows: await describedAudit(db, result.rows) };
  });
  return workbook(
    sheet(
      "操作日志",
      "操作日志",
      [
        { header: "时间", kind: "time", value: (r) => r.at },
        { header: "操作人", value: (r) => r.actor },
        { header: "对象", width: 28, value: (r) => r.what },
        { header: "操作", value: (r) => r.action },
        { header: "原", width: 40, value: (r) => r.before },
        { header: "新", width: 40, value: (r) => r.after },
        { header: "说明", width: 30, value: (r) => r.comment },
      ],
      rows,
    ),
  );
}
