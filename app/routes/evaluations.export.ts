import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { xlsxResponse } from "~/lib/http.server";
import { yearParam } from "~/lib/time";
import { yearlyFigures } from "~/modules/studios/cycle.server";
import { yearlyFiguresWorkbook } from "~/modules/studios/statement-workbook.server";

/** The year's figures of every studio in scope, as the superior union's statistics ask for them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "evaluation.grade");
  const year = yearParam(new URL(request.url).searchParams.get("year"));
  const rows = await yearlyFigures(getDb(), user, year);
  return xlsxResponse(request, await yearlyFiguresWorkbook(year, rows), `studios-${year}.xlsx`, `${year}年度工匠工作室统计表.xlsx`);
}
