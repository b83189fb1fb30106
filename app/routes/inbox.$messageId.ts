import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam } from "~/lib/http.server";
import { openMessage } from "~/modules/notifications/inbox.server";

/** Opening a message marks it read and goes to the record it is about. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const opened = await openMessage(getDb(), user, idParam(params.messageId));
  if (!opened.ok) throw json({ error: opened.message }, { status: opened.status });
  return redirect(opened.link ?? "/inbox");
}
