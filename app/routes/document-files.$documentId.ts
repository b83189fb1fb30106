import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { fileResponse } from "~/lib/file-response.server";
import { idParam, notFound } from "~/lib/http.server";
import { documentFile } from "~/modules/governance/documents.server";

/** A decision document's file, for signed-in officers; the public pages name the document, never serve it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "document.read");
  const file = await documentFile(getDb(), idParam(params.documentId));
  if (!file) throw notFound("该文件没有上传原件");
  return fileResponse(file, request);
}
