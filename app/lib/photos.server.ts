import heicDecode from "heic-decode";
import sharp, { type Sharp } from "sharp";
import { EVIDENCE_MAX_BYTES, PHOTO_LONG_EDGE, isHeic, sniffEvidenceType } from "~/lib/files";
import { offThread } from "~/lib/off-thread.server";

/**
 * Photos as phones take them: an iPhone's HEIC, a 7 or 20 MB camera JPEG. The page shrinks what
 * it can before sending (components/UploadInput); what still arrives — a HEIC the browser cannot
 * draw, a big photo sent without script — is made a JPEG of at most PHOTO_LONG_EDGE px here, so it
 * is kept rather than refused. Everything else (a PDF, a photo already small) passes untouched.
 *
 * HEIC is decoded by libheif compiled to WebAssembly (heic-decode): plain npm, nothing native,
 * no patent-encumbered codec in the server's own libraries. Decoding a 12-megapixel HEIC takes
 * seconds of CPU, so it runs in the worker thread (lib/off-thread.server), one photo at a time per
 * process, with the thread's memory and time limits: a 20 MB HEIC never stalls anyone's page.
 * Scaling and JPEG encoding are sharp's (libvips, prebuilt in its npm package).
 */

/** A picture of more than this many pixels is not decoded at all (a 200-megapixel file is not a phone photo). */
const MAX_PIXELS = 100_000_000;

export class UnreadablePhoto extends Error {}

async function toJpeg(bytes: Uint8Array): Promise<Uint8Array> {
  let input: Sharp;
  if (isHeic(bytes)) {
    const images = await heicDecode.all({ buffer: bytes }).catch(() => {
      throw new UnreadablePhoto("not a HEIC picture libheif can read");
    });
    try {
      const primary = images[0];
      if (primary.width * primary.height > MAX_PIXELS) throw new UnreadablePhoto("too many pixels");
      const { width, height, data } = await primary.decode();
      input = sharp(data, { raw: { width, height, channels: 4 } });
    } finally {
      images.dispose();
    }
  } else {
    // EXIF's orientation is applied to the pixels, since the new file carries no EXIF.
    input = sharp(bytes, { limitInputPixels: MAX_PIXELS }).rotate();
  }
  const out = await input
    .resize({ width: PHOTO_LONG_EDGE, height: PHOTO_LONG_EDGE, fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 85 })
    .toBuffer();
  return new Uint8Array(out);
}

const toJpegOffThread = offThread("photo.jpeg", toJpeg, {
  expected: [UnreadablePhoto],
  crashed: () => new UnreadablePhoto("the photo took too much memory or time"),
});

/** Whether a file is a photo this server turns into a JPEG before checking it: a HEIC, or a JPEG or PNG too big to keep. */
function needsConverting(bytes: Uint8Array): boolean {
  if (isHeic(bytes)) return true;
  const type = sniffEvidenceType(bytes);
  return (type === "image/jpeg" || type === "image/png") && bytes.length > EVIDENCE_MAX_BYTES;
}

/**
 * An uploaded file as it is to be checked and kept: a HEIC or an oversized photo becomes a JPEG
 * (named .jpg); a file that cannot be decoded is left as it came, for the check to refuse by name.
 */
export async function photoForStorage(file: { name: string; bytes: Uint8Array }): Promise<{ name: string; bytes: Uint8Array }> {
  if (!needsConverting(file.bytes)) return file;
  try {
    const bytes = await toJpegOffThread(file.bytes);
    return { name: `${file.name.replace(/\.[A-Za-z0-9]{1,5}$/, "")}.jpg`, bytes };
  } catch {
    return file;
  }
}

/** The long edge of a thumbnail: sharp on a phone's 3× screen at the 96 px it is shown at. */
const THUMBNAIL_EDGE = 320;

/**
 * A small rendition of a stored photo for lists of evidence. Made on request rather than stored:
 * libvips shrinks a 5 MB JPEG while decoding it, in its own threads (the event loop waits for
 * nothing), and the files' table stays as it was.
 */
let grey: Promise<Uint8Array> | null = null;

/** The thumbnail of a picture that cannot be scaled: a light grey square, made once. */
export function unreadableThumbnail(): Promise<Uint8Array> {
  grey ??= sharp({ create: { width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, channels: 3, background: "#e6e6e6" } })
    .jpeg({ quality: 60 })
    .toBuffer()
    .then((out) => new Uint8Array(out));
  return grey;
}

export async function thumbnailOf(bytes: Uint8Array): Promise<Uint8Array> {
  const out = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 75 })
    .toBuffer();
  return new Uint8Array(out);
}
