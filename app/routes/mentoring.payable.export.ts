import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { searchParams, xlsxResponse } from "~/lib/http.server";
import { payableWorkbook } from "~/modules/apprentices/allowance.server";
import { payableFilterSchema } from "~/modules/apprentices/assessment-schema.server";

/** The payable list as the enterprise or the union pays from it: the list's own scope and filter, every row. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "mentoring.payable");
  const filter = payableFilterSchema.parse(searchParams(request));
  return xlsxResponse(request, await payableWorkbook(getLongWorkDb(), user, filter), "mentor-payable.xlsx", "带徒津贴及奖励应付清单.xlsx");
}
