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
 */
export function createAction<S extends z.ZodType, T extends object>(
  permission: Permission | ((request: Request) => Promise<SessionUser>),
  schema: S,
  create: (db: DB, user: SessionUser, value: z.output<S>) => Promise<SaveResult<T>>,
  next: (saved: T) => string,
  options: { hideFields?: string[] } = {},
) {
  return async ({ request }: ActionFunctionArgs) => {
    const user = typeof permission === "string" ? await requirePermission(request, permission) : await permission(request);
    return submitForm(request, schema, (value) => create(getDb(), user, value), next, options);
  };
}
