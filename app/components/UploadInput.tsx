import { useRef, useState, type ChangeEvent, type InputHTMLAttributes } from "react";
import { EVIDENCE_MAX_BYTES, PHOTO_LONG_EDGE, UPLOAD_MAX_BYTES } from "~/lib/files";

/**
 * Every file input that may take a photo. On a phone a camera photo is 5–20 MB: before anything
 * is sent, the page draws each photo it can decode onto a canvas, at most PHOTO_LONG_EDGE px on
 * the long edge, as a JPEG, and puts that in the input instead; then every file's size is
 * checked, and one still too big is named in Chinese and the form is held back (the input's
 * validity) — not refused by the server after minutes of upload on a slow network.
 *
 * A HEIC the browser cannot draw (most but Safari) goes as it is, up to UPLOAD_MAX_BYTES: the
 * server converts it (lib/photos.server). Without script the input is a plain one, and the
 * server still shrinks or bounds what arrives.
 */
export function UploadInput({ onChange, accept, ...input }: InputHTMLAttributes<HTMLInputElement>) {
  const [note, setNote] = useState<{ text: string; bad: boolean } | null>(null);
  const turn = useRef(0);

  async function prepare(event: ChangeEvent<HTMLInputElement>) {
    onChange?.(event);
    const field = event.currentTarget;
    const picked = [...(field.files ?? [])];
    const mine = ++turn.current;
    if (picked.length === 0) {
      field.setCustomValidity("");
      return setNote(null);
    }
    field.setCustomValidity("正在压缩照片，请稍候");
    setNote({ text: "正在压缩照片…", bad: false });
    const ready = await Promise.all(picked.map(shrunk));
    if (mine !== turn.current) return;
    const tooBig = ready.find((f) => f.size > limitOf(f));
    if (tooBig) {
      const text = `“${tooBig.name}”有 ${megabytes(tooBig.size)} MB，超过 ${megabytes(limitOf(tooBig))} MB，请压缩后再上传`;
      field.setCustomValidity(text);
      return setNote({ text, bad: true });
    }
    field.setCustomValidity("");
    if (ready.every((f, i) => f === picked[i])) return setNote(null);
    const files = new DataTransfer();
    for (const f of ready) files.items.add(f);
    field.files = files.files;
    const before = picked.reduce((n, f) => n + f.size, 0);
    const after = ready.reduce((n, f) => n + f.size, 0);
    setNote({ text: `照片已压缩：${megabytes(before)} MB → ${megabytes(after)} MB`, bad: false });
  }

  return (
    <>
      <input {...input} type="file" accept={withHeic(accept)} onChange={(event) => void prepare(event)} />
      <span className={note?.bad ? "upload-note bad" : "upload-note"} role={note?.bad ? "alert" : "status"}>
        {note?.text}
      </span>
    </>
  );
}

/** Where photos are taken, an iPhone's HEIC is too: the server converts it. */
function withHeic(accept: string | undefined): string | undefined {
  return accept?.includes("image/jpeg") ? `${accept},image/heic,image/heif,.heic,.heif` : accept;
}

const isPhoto = (f: File) => f.type.startsWith("image/") || /\.(heic|heif)$/i.test(f.name);

/** A photo already JPEG or PNG is kept as it came unless too big; others are JPEGs the server would make. */
function limitOf(f: File): number {
  if (f.type === "image/jpeg" || f.type === "image/png") return EVIDENCE_MAX_BYTES;
  return isPhoto(f) ? UPLOAD_MAX_BYTES : EVIDENCE_MAX_BYTES;
}

/** The photo as a JPEG within PHOTO_LONG_EDGE, or the file itself (not a photo, small enough, or one this browser cannot draw). */
async function shrunk(file: File): Promise<File> {
  if (!isPhoto(file)) return file;
  let picture: ImageBitmap;
  try {
    picture = await createImageBitmap(file);
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, PHOTO_LONG_EDGE / Math.max(picture.width, picture.height));
    const usable = file.type === "image/jpeg" || file.type === "image/png";
    if (scale === 1 && usable && file.size <= EVIDENCE_MAX_BYTES) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(picture.width * scale);
    canvas.height = Math.round(picture.height * scale);
    const context = canvas.getContext("2d");
    if (!context) return file;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    if (!blob) return file;
    return new File([blob], `${file.name.replace(/\.[A-Za-z0-9]{1,5}$/, "")}.jpg`, { type: "image/jpeg", lastModified: file.lastModified });
  } finally {
    picture.close();
  }
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
