import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { searchParams, xlsxResponse } from "~/lib/http.server";
import { peopleWorkbook } from "~/modules/people/people.server";
import { personFilterSchema } from "~/modules/people/schema.server";

/** The people list with its filter, in the viewer's scope, numbers masked, as .xlsx. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "person.read");
  const body = await peopleWorkbook(getLongWorkDb(), user, personFilterSchema.parse(searchParams(request)));
  return xlsxResponse(request, body, "people.xlsx", "人员档案.xlsx");
}
