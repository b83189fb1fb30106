import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { xlsxResponse } from "~/lib/http.server";
import { dashboardYears, loadDashboard } from "~/modules/dashboard/dashboard.server";
import { dashboardWorkbook } from "~/modules/dashboard/export.server";
import { idOrNull } from "~/lib/ids";
import { yearParam } from "~/lib/time";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard.read");
  const db = getLongWorkDb();
  const url = new URL(request.url);
  const year = (name: string) => {
    const raw = url.searchParams.get(name);
    return raw && yearParam(raw) === Number(raw) ? Number(raw) : undefined;
  };
  const { fromYear, toYear } = await dashboardYears(db, user, { fromYear: year("fromYear"), toYear: year("toYear") });
  const unitId = idOrNull(url.searchParams.get("unitId")) ?? undefined;
  const board = await loadDashboard(db, user, { fromYear, toYear, unitId });
  const body = await dashboardWorkbook(board, `匠心数据看板 ${fromYear}–${toYear}`);
  return xlsxResponse(request, body, "dashboard.xlsx", `数据看板${fromYear}-${toYear}.xlsx`);
}
