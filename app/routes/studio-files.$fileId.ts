import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { accessTo } from "~/lib/access";
import { fileResponse } from "~/lib/file-response.server";
import { canViewStudio } from "~/modules/studios/policy";
import { studioFile } from "~/modules/studios/funds.server";

/** A spending's receipt or a 验收 photo, for whoever may see the studio. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const file = granted(accessTo(await studioFile(getDb(), idParam(params.fileId)), (f) => canViewStudio(user, f)));
  return fileResponse(file, request);
}
