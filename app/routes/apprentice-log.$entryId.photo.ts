import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { fileResponse } from "~/lib/file-response.server";
import { granted, idParam } from "~/lib/http.server";
import { logPhotoForViewer } from "~/modules/apprentices/log.server";

/** A log entry's photo, for the pairing's parties only (apprentices/policy partyTo). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return fileResponse(granted(await logPhotoForViewer(getDb(), user, idParam(params.entryId))), request);
}
