/** Uploaded proof, served with the type found in its content and never run as a page. */
export function fileResponse(file: { filename: string; content_type: string; data: Uint8Array }): Response {
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": file.content_type,
      "Content-Disposition": `inline; filename="file"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; object-src 'self'",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
