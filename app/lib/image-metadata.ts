/**
 * Photos from phones carry where and when they were taken (EXIF GPS, camera serials, XMP, IPTC,
 * comments). None of it belongs in evidence or on a public page, so it is cut before a photo is
 * stored — at the byte level, without re-encoding the picture. Only the orientation survives (in
 * a minimal EXIF of its own), or phone photos would show on their side.
 */
export function withoutMetadata(bytes: Uint8Array, type: string): Uint8Array {
  if (type === "image/jpeg") return jpegWithoutMetadata(bytes);
  if (type === "image/png") return pngWithoutMetadata(bytes);
  return bytes;
}

const APP1 = 0xe1;
// APP1 (EXIF, XMP), APP12 (Ducky), APP13 (IPTC/Photoshop) and comments: dropped. APP0 (JFIF),
// APP2 (the colour profile) and APP14 (Adobe colour transform) decide how the picture looks: kept.
const DROPPED = new Set([APP1, 0xec, 0xed, 0xfe]);

function jpegWithoutMetadata(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let orientation = 1;
  let i = 2;
  while (i + 4 <= bytes.length && bytes[i] === 0xff) {
    const marker = bytes[i + 1];
    if (marker === 0xda) break; // start of scan: the picture itself follows
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(bytes.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const end = i + 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
    if (end > bytes.length) break;
    const segment = bytes.subarray(i, end);
    if (marker === APP1) orientation = exifOrientation(segment.subarray(4)) ?? orientation;
    if (!DROPPED.has(marker)) kept.push(segment);
    i = end;
  }
  if (orientation !== 1) kept.splice(1, 0, orientationOnlyExif(orientation));
  kept.push(bytes.subarray(i));
  return concat(kept);
}

/** The Orientation tag (0x0112) of EXIF's first directory, if there is one. */
function exifOrientation(app1: Uint8Array): number | null {
  if (app1.length < 14 || String.fromCharCode(...app1.subarray(0, 4)) !== "Exif") return null;
  const tiff = app1.subarray(6);
  const little = tiff[0] === 0x49;
  const u16 = (at: number) => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1]);
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 65536 : u16(at) * 65536 + u16(at + 2));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

function orientationOnlyExif(orientation: number): Uint8Array {
  // "Exif\0\0", a big-endian TIFF header, one directory entry (Orientation, SHORT, 1), no next directory.
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const length = body.length + 2;
  return Uint8Array.from([0xff, APP1, length >> 8, length & 0xff, ...body]);
}

// Text chunks (where EXIF-like data, software and authors go), EXIF itself and the time stamp.
const DROPPED_CHUNKS = new Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]);

function pngWithoutMetadata(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= bytes.length) {
    const length = ((bytes[i] << 24) >>> 0) + (bytes[i + 1] << 16) + (bytes[i + 2] << 8) + bytes[i + 3];
    const end = i + 12 + length;
    if (end > bytes.length) break;
    const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8));
    if (!DROPPED_CHUNKS.has(type)) kept.push(bytes.subarray(i, end));
    i = end;
  }
  kept.push(bytes.subarray(i));
  return concat(kept);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
