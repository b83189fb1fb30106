import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import crypto from "node:crypto";
import { UPLOAD_MAX_BYTES, type CheckedFile } from "~/lib/files";
import { photoForStorage } from "~/lib/photos.server";
import { readBounded } from "~/lib/body-gate.server";
import { checkFields } from "~/lib/form-guard.server";
import { refuse, type Result } from "~/lib/result";
import { withBodyInTurns } from "~/lib/turns.server";

/** Reads a form that may carry files (kept in memory, each at most a phone photo's size, before it is shrunk). */
export async function readForm(request: Request, address: string | null, maxPartSize = UPLOAD_MAX_BYTES): Promise<Result<{ formData: FormData }>> {
  const type = request.headers.get("content-type") ?? "";
  let formData: FormData;
  try {
    if (!type.startsWith("multipart/form-data")) return { ok: true, formData: await request.formData() };
    formData = await readBounded(request, () => parseMultipartInTurns(request, unstable_createMemoryUploadHandler({ maxPartSize })), address);
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError) {
      return refuse(`文件超过 ${Math.round(maxPartSize / 1024 / 1024)} MB，请压缩后再上传`);
    }
    return refuse("提交的内容无法读取，请重试");
  }
  checkFields(formData);
  return { ok: true, formData };
}

/** Remix's multipart parser, given the body in pieces with turns between (lib/turns.server). */
export function parseMultipartInTurns(request: Request, handler: UploadHandler): Promise<FormData> {
  return unstable_parseMultipartFormData(withBodyInTurns(request), handler);
}

const CONVERTED_PER_FIELD = 10;

/** The files of a field, phone photos (HEIC, oversized JPEG or PNG) already made JPEGs one at a time (lib/photos.server). */
export async function filesOf(formData: FormData, name: string, convertAtMost = CONVERTED_PER_FIELD) {
  const files = formData.getAll(name).filter((f): f is File => f instanceof File && f.size > 0);
  const read: Array<{ name: string; bytes: Uint8Array }> = [];
  for (const [i, f] of files.entries()) {
    const file = { name: f.name || "file", bytes: new Uint8Array(await f.arrayBuffer()) };
    // No upload takes more than a few files; past them nothing is converted (the module refuses the count).
    read.push(i < convertAtMost ? await photoForStorage(file) : file);
  }
  return read;
}

/** The columns every stored upload has (evidence, subsidy proofs): name, type by content, size, hash, bytes. */
export function storedFileColumns(file: CheckedFile, uploadedBy: string) {
  return {
    filename: file.name.slice(0, 200),
    content_type: file.type,
    size: file.bytes.length,
    sha256: crypto.createHash("sha256").update(file.bytes).digest("hex"),
    data: Buffer.from(file.bytes),
    uploaded_by: uploadedBy,
  };
}
