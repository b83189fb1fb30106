import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { searchParams, xlsxResponse } from "~/lib/http.server";
import { exportEvents } from "~/modules/events/events.server";
import { eventFilterSchema } from "~/modules/events/schema.server";

/** The filtered event list with its reach, as .xlsx. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const body = await exportEvents(getLongWorkDb(), user, eventFilterSchema.parse(searchParams(request)));
  return xlsxResponse(request, body, "events.xlsx", "交流培训活动.xlsx");
}
