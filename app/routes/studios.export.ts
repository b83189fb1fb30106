import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { searchParams, xlsxResponse } from "~/lib/http.server";
import { studiosWorkbook } from "~/modules/studios/exports.server";
import { studioFilterSchema } from "~/modules/studios/schema.server";

/** The studios list with its filter, in the viewer's scope, as .xlsx. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const body = await studiosWorkbook(getLongWorkDb(), user, studioFilterSchema.parse(searchParams(request)));
  return xlsxResponse(request, body, "studios.xlsx", "工匠工作室名单.xlsx");
}
