import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { xlsxResponse } from "~/lib/http.server";
import { yearParam } from "~/lib/time";
import { evaluationWorkbook } from "~/modules/studios/exports.server";

/** The year's figures and 年度考核 results of every studio in scope, as the superior union's statistics ask for them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "evaluation.grade");
  const year = yearParam(new URL(request.url).searchParams.get("year"));
  return xlsxResponse(request, await evaluationWorkbook(getLongWorkDb(), user, year), `studios-${year}.xlsx`, `${year}年度工匠工作室统计表及考核结果.xlsx`);
}
