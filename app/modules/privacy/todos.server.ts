import { todosOf } from "~/modules/notifications/sources";
import { RIGHTS_KIND_LABELS } from "~/modules/privacy/labels";

/**
 * Every request not yet answered is the city's to-do until it is, due on the date fixed at filing (the policy's
 * working days by the city's calendar); the to-do list marks it overdue after that date.
 */
export const rightsToAnswer = todosOf("city_admin", async (db) => {
  const rows = await db
    .selectFrom("rights_request as r")
    .leftJoin("person", "person.id", "r.person_id")
    .select(["r.id", "r.kind", "r.filed_at", "r.due_on", "person.name", "r.phone_masked"])
    .where("r.status", "=", "pending")
    .orderBy("r.due_on")
    .execute();
  return rows.map((r) => ({
    label: `答复个人信息权利申请：${RIGHTS_KIND_LABELS[r.kind]}（${r.name ?? `手机 ${r.phone_masked}`}）`,
    link: `/privacy/desk#request-${r.id}`,
    since: r.filed_at,
    due: r.due_on,
  }));
});
