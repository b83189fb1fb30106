import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { certificatePdfResponse } from "~/lib/certificate-file.server";
import { absoluteUrl, notFound } from "~/lib/http.server";
import { attendanceCertificateFace } from "~/modules/events/certificate";
import { verifyCertificate } from "~/modules/events/events.server";

/** The certificate of attendance as an A4 PDF; like its page, the code is the key. */
export async function loader({ params }: LoaderFunctionArgs) {
  const certificate = await verifyCertificate(getDb(), String(params.code ?? ""));
  if (!certificate) throw notFound("证书不存在");
  const code = certificate.certificate_code!;
  return certificatePdfResponse(attendanceCertificateFace(certificate, absoluteUrl(`/verify?code=${code}`)), `交流培训证书-${code}.pdf`);
}
