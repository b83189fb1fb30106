import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { fileResponse } from "~/lib/file-response.server";
import { idParam, notFound } from "~/lib/http.server";
import { withoutMetadata } from "~/lib/image-metadata";
import { publicPhoto } from "~/modules/showcase/showcase.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const photo = await publicPhoto(getDb(), idParam(params.personId));
  if (!photo?.photo || !photo.photo_type) throw notFound("没有公开的照片");
  // Stripped again as it leaves: a photo stored before uploads were cleaned still carries its GPS.
  return fileResponse({ filename: "photo", content_type: photo.photo_type, data: withoutMetadata(photo.photo, photo.photo_type) }, request);
}
