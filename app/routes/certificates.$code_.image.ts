import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { certificateImageResponse } from "~/lib/certificate-file.server";
import { absoluteUrl, notFound } from "~/lib/http.server";
import { attendanceCertificateFace } from "~/modules/events/certificate";
import { verifyCertificate } from "~/modules/events/events.server";

/** The certificate of attendance as a picture to long-press and save; like its page, the code is the key. */
export async function loader({ params }: LoaderFunctionArgs) {
  const certificate = await verifyCertificate(getDb(), String(params.code ?? ""));
  if (!certificate) throw notFound("证书不存在");
  return certificateImageResponse(attendanceCertificateFace(certificate, absoluteUrl(`/verify?code=${certificate.certificate_code!}`)));
}
