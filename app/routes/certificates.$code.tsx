import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { shareCard, shareMeta } from "~/lib/og";
import { qrSvg } from "~/lib/qr.server";
import { formatDate } from "~/lib/format";
import { absoluteUrl, notFound } from "~/lib/http.server";
import { serverHasChineseFont } from "~/lib/certificate-file.server";
import { verifyCertificate } from "~/modules/events/events.server";
import { attendanceCertificateFace } from "~/modules/events/certificate";
import { KIND_LABELS } from "~/modules/events/reach";
import { CertificatePage } from "~/components/CertificateFiles";

export const meta: MetaFunction = (at) =>
  shareMeta("交流培训结业证书", "扫描证书上的二维码，或在证书查验页核验。", shareCard("page", "certificate", "交流培训结业证书"), at);

/** The certificate, as a page to print and as a picture and PDF to keep; its code is its key, so it opens without signing in, like the check page. */
export async function loader({ params }: LoaderFunctionArgs) {
  const certificate = await verifyCertificate(getDb(), String(params.code ?? ""));
  if (!certificate) throw notFound("证书不存在");
  // Printed on the certificate: the public check page for this code, as a QR and written out.
  const checkAt = absoluteUrl(`/verify?code=${encodeURIComponent(certificate.certificate_code!)}`);
  const face = attendanceCertificateFace(certificate, checkAt);
  return json(
    { certificate, face, qr: await qrSvg(checkAt), pdf: serverHasChineseFont() },
    { headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } },
  );
}

export default function Certificate() {
  const { certificate: c, face, qr, pdf } = useLoaderData<typeof loader>();
  return (
    <CertificatePage
      title="交流培训结业证书"
      base={`/certificates/${c.certificate_code}`}
      pdf={pdf}
      text={`交流培训证书：${face.paragraphs.join("")}证书编号 ${c.certificate_code}`}
      face={face}
      qr={qr}
    >
      <p className="certificate-body">
        <strong>{c.name}</strong> 同志于 {formatDate(c.starts_at)} 参加{c.studio_name ?? c.unit_name}组织的“{c.title}”（{KIND_LABELS[c.kind]}），计{" "}
        {Number(c.hours)} 学时。
      </p>
      <p className="certificate-body">特发此证。</p>
    </CertificatePage>
  );
}
