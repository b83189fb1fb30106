import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { attachmentForViewer } from "~/modules/subsidies/subsidies.server";
import { fileResponse } from "~/lib/file-response.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return fileResponse(granted(await attachmentForViewer(getDb(), user, idParam(params.fileId))), request);
}
