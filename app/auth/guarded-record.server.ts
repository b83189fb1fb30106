import { json } from "@remix-run/node";
import type { Permission, SessionUser } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import type { Access } from "~/lib/access";
import { granted, idParam } from "~/lib/http.server";
import type { DB } from "~db";

/**
 * The record behind a page that changes it (an edit form, a new child record): the user must hold
 * `permission`, see the record (its 404/403), and be allowed this change by the module's policy,
 * else a 403 with `refusal`. Loader and action both call it, so a form cannot be posted past it.
 */
export async function guardedRecord<T>(
  request: Request,
  permission: Permission,
  forViewer: (db: DB, user: SessionUser, id: number) => Promise<Access<T>>,
  rawId: string | undefined,
  may: (user: SessionUser, record: T) => boolean,
  refusal: string,
): Promise<{ user: SessionUser; record: T }> {
  const { user, record } = await viewedRecord(request, permission, forViewer, rawId);
  if (!may(user, record)) throw json({ error: refusal }, { status: 403 });
  return { user, record };
}

/** The record a page shows or posts to: the user must hold `permission` and see the record (else its 404/403). */
export async function viewedRecord<T>(
  request: Request,
  permission: Permission,
  forViewer: (db: DB, user: SessionUser, id: number) => Promise<Access<T>>,
  rawId: string | undefined,
): Promise<{ user: SessionUser; record: T }> {
  const user = await requirePermission(request, permission);
  return { user, record: granted(await forViewer(getDb(), user, idParam(rawId))) };
}
