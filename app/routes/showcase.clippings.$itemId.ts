import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { fileResponse } from "~/lib/file-response.server";
import { idParam, notFound } from "~/lib/http.server";
import { withoutMetadata } from "~/lib/image-metadata";
import { publicClipping } from "~/modules/showcase/showcase.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const item = await publicClipping(getDb(), idParam(params.itemId));
  if (!item?.clipping || !item.clipping_type) throw notFound("没有公开的剪报");
  // Stripped again as it leaves: a clipping stored before uploads were cleaned still carries its GPS.
  return fileResponse({ filename: item.title, content_type: item.clipping_type, data: withoutMetadata(item.clipping, item.clipping_type) }, request);
}
