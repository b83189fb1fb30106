import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { Permission, SessionUser } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { submitForm } from "~/lib/reply.server";
import type { SaveResult } from "~/lib/result";
import type { DB } from "~db";

/**
 * The action of a page whose one form creates a record that hangs under no other (a campaign, a
 * person, an account): the user must hold `permission` (or pass the page's own guard, which
 * answers with the user), the module's `create` saves it, and the new record's page is next. Anything that stops it is the form's reply (lib/reply.server's submitForm).
 *
 * A route calls it inside its action (`export const action = (args) => createAction(args, …)`), never
 * at the top of the module: a call there stays in the browser's bundle, where this server module is empty.
 */
export async function createAction<S extends z.ZodType, T extends object>(
  { request }: ActionFunctionArgs,
  permission: Permission | ((request: Request) => Promise<SessionUser>),
  schema: S,
  create: (db: DB, user: SessionUser, value: z.output<S>) => Promise<SaveResult<T>>,
  next: (saved: T) => string,
  options: { hideFields?: string[] } = {},
) {
  const user = typeof permission === "string" ? await requirePermission(request, permission) : await permission(request);
  return submitForm(request, schema, (value) => create(getDb(), user, value), next, options);
}

/**
 * The action of a page whose one form changes a record or adds one under it (an edit form, a new
 * apprentice): the page's guard (guardedRecord: permission, scope, policy — the loader calls the same)
 * gives the user and the record, the module's `save` saves, and `next` is the page after.
 */
export async function guardedAction<R, S extends z.ZodType, T extends object>(
  args: ActionFunctionArgs,
  guard: (args: ActionFunctionArgs) => Promise<{ user: SessionUser; record: R }>,
  schema: S,
  save: (db: DB, user: SessionUser, record: R, value: z.output<S>) => Promise<SaveResult<T>>,
  next: (saved: T, record: R) => string,
) {
  const { user, record } = await guard(args);
  return submitForm(
    args.request,
    schema,
    (value) => save(getDb(), user, record, value),
    (saved) => next(saved, record),
  );
}
