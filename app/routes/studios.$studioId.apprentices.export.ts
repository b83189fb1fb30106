import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { granted, idParam, xlsxResponse } from "~/lib/http.server";
import { apprenticesWorkbook } from "~/modules/studios/exports.server";
import { studioForViewer } from "~/modules/studios/studios.server";

/** A studio's apprentices and their verified results, for whoever may see the studio. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getLongWorkDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  return xlsxResponse(request, await apprenticesWorkbook(db, studio), `studio-${studio.id}-apprentices.xlsx`, `${studio.name}学徒及成果.xlsx`);
}
