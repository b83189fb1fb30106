import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { idParam, xlsxResponse } from "~/lib/http.server";
import { DATA_COPY_FILENAME } from "~/modules/privacy/labels";
import { ownCopy } from "~/modules/privacy/rights.server";

/** The copy of everything held about the signed-in person, once the city has granted their request. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "privacy.request");
  const copy = await ownCopy(getLongWorkDb(), user, idParam(params.requestId));
  if (!copy.ok) throw json({ error: copy.message }, { status: copy.status });
  return xlsxResponse(request, copy.file, "data-copy.xlsx", DATA_COPY_FILENAME);
}
