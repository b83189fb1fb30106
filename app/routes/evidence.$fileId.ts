import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { fileResponse } from "~/lib/file-response.server";
import { granted, idParam } from "~/lib/http.server";
import { evidenceForViewer } from "~/modules/studios/milestones.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return fileResponse(granted(await evidenceForViewer(getDb(), user, idParam(params.fileId))), request);
}
