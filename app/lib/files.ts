import { withoutMetadata } from "~/lib/image-metadata";
import { refuse, type Result } from "~/lib/result";

/** Evidence files are recognised by their first bytes, never by the name the user gave them. */

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 3;
/**
 * What one uploaded file may weigh on the way in: a phone's HEIC or camera JPEG of up to 20 MB
 * is read, then made a JPEG within EVIDENCE_MAX_BYTES (lib/photos.server) — kept, not refused.
 */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
/** The long edge photos are shrunk to, in the page before sending and on the server after. */
export const PHOTO_LONG_EDGE = 2560;

// The major brands of HEIF files from phones (iPhone: heic; some Android: mif1, heix).
const HEIF_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]);

/** Whether the bytes are a HEIC/HEIF picture (an ISO box "ftyp" with a HEIF brand), whatever the name says. */
export function isHeic(bytes: Uint8Array): boolean {
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(4, 8)) !== "ftyp") return false;
  return HEIF_BRANDS.has(String.fromCharCode(...bytes.subarray(8, 12)));
}

export type EvidenceType = "application/pdf" | "image/jpeg" | "image/png";

export function sniffEvidenceType(bytes: Uint8Array): EvidenceType | null {
  if (bytes.length >= 5 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d) {
    return "application/pdf";
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) {
    return "image/png";
  }
  return null;
}

export function checkEvidence(name: string, bytes: Uint8Array): Result<{ type: EvidenceType; bytes: Uint8Array }> {
  if (bytes.length === 0) return refuse(`“${name}”是空文件`);
  if (bytes.length > EVIDENCE_MAX_BYTES) return refuse(`“${name}”超过 5 MB，请压缩后再上传`);
  const type = sniffEvidenceType(bytes);
  if (!type && isHeic(bytes)) return refuse(`“${name}”这张 HEIC 照片无法读取，请在手机相册中重新选择或截图后上传`);
  if (!type) return refuse(`“${name}”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）`);
  // What is kept is the file without its location and camera data.
  return { ok: true, type, bytes: withoutMetadata(bytes, type) };
}

export type CheckedFile = { name: string; bytes: Uint8Array; type: EvidenceType };

/** Checks every file of an upload; the first bad one is reported and nothing is kept. */
export function checkEvidenceFiles(files: Array<{ name: string; bytes: Uint8Array }>): Result<{ files: CheckedFile[] }> {
  const checked: CheckedFile[] = [];
  for (const file of files) {
    const check = checkEvidence(file.name, file.bytes);
    if (!check.ok) return check;
    checked.push({ name: file.name, bytes: check.bytes, type: check.type });
  }
  return { ok: true, files: checked };
}
