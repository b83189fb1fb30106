import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { searchParams, xlsxResponse } from "~/lib/http.server";
import { auditWorkbook } from "~/modules/audit/audit.server";
import { auditFilterSchema } from "~/modules/audit/schema.server";

/** The audit log with its filter, as the page describes it, as .xlsx. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const body = await auditWorkbook(getLongWorkDb(), auditFilterSchema.parse(searchParams(request)));
  return xlsxResponse(request, body, "audit-log.xlsx", "操作日志.xlsx");
}
