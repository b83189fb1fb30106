import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { xlsxResponse } from "~/lib/http.server";
import { exportApplications } from "~/modules/subsidies/subsidies.server";
import { yearParam } from "~/lib/time";

/** The year's applications and payments as .xlsx, for the finance office. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "subsidy.policy");
  const year = yearParam(new URL(request.url).searchParams.get("year"));
  const body = await exportApplications(getLongWorkDb(), year);
  return xlsxResponse(request, body, `subsidies-${year}.xlsx`, `${year}年学历提升补助明细.xlsx`);
}
