import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { fileResponse } from "~/lib/file-response.server";
import { granted, idParam } from "~/lib/http.server";
import { objectionFileForViewer } from "~/modules/subsidies/notice.server";

/** A 公示 objection's attachment, for the city that looks into it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return fileResponse(granted(await objectionFileForViewer(getDb(), user, idParam(params.fileId))));
}
