import type { Permission } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import type { DB } from "~db";

/**
 * The opening of an action on a page of several forms about one record: the user must hold
 * `permission`, the record must exist (`find` throws its 404) before the body is read, and the posted
 * `intent` (the button pressed) says which of the page's forms it is.
 */
export async function postedForm<T>(request: Request, permission: Permission, find: (db: DB) => Promise<T>) {
  const user = await requirePermission(request, permission);
  const db = getDb();
  const record = await find(db);
  const form = await request.formData();
  return { user, record, form, intent: form.get("intent"), db };
}
