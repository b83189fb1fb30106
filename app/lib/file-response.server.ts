import { thumbnailOf, unreadableThumbnail } from "~/lib/photos.server";

/** An uploaded file as stored: what a `…ForViewer` lookup hands to fileResponse. */
export interface StoredFile {
  filename: string;
  content_type: string;
  data: Uint8Array;
}

/**
 * Uploaded proof, served with the type found in its content and never run as a page. With
 * `?size=thumb` a photo comes as a small JPEG for lists (lib/photos.server); a PDF comes as it is.
 * A picture the scaler cannot read (a file declaring 100000×100000 pixels in a kilobyte) is shown
 * in a list as a plain grey square, never as itself: a list is opened by every officer who looks.
 */
export async function fileResponse(file: StoredFile, request?: Request): Promise<Response> {
  let data = new Uint8Array(file.data);
  let type = file.content_type;
  if (request && new URL(request.url).searchParams.get("size") === "thumb" && type.startsWith("image/")) {
    try {
      data = new Uint8Array(await thumbnailOf(data));
      type = "image/jpeg";
    } catch {
      data = new Uint8Array(await unreadableThumbnail());
      type = "image/jpeg";
    }
  }
  return new Response(data, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `inline; filename="file"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; object-src 'self'",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
