import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam, xlsxResponse } from "~/lib/http.server";
import { statementPeriod } from "~/modules/studios/cycle";
import { statementOf } from "~/modules/studios/funds.server";
import { statementWorkbook } from "~/modules/studios/statement-workbook.server";
import { studioForViewer } from "~/modules/studios/studios.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const period = statementPeriod(new URL(request.url).searchParams);
  const statement = await statementOf(db, studio, period);
  const name = "closing" in period ? "清算表" : `${period.year}年度收支表`;
  return xlsxResponse(request, await statementWorkbook(studio.name, statement), `studio-${studio.id}-funds.xlsx`, `${studio.name}经费${name}.xlsx`);
}
