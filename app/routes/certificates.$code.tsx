import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { QrCode } from "~/components/QrCode";
import { qrSvg } from "~/lib/qr.server";
import { formatDate } from "~/lib/format";
import { absoluteUrl, notFound } from "~/lib/http.server";
import { serverHasChineseFont } from "~/lib/certificate-file.server";
import { verifyCertificate } from "~/modules/events/events.server";
import { attendanceCertificateFace } from "~/modules/events/certificate";
import { KIND_LABELS } from "~/modules/events/reach";
import { CertificateFiles } from "~/components/CertificateFiles";

export const meta: MetaFunction = () => [{ title: "交流培训结业证书 · 匠心" }];

/** The certificate, as a page to print and as a picture and PDF to keep; its code is its key, so it opens without signing in, like the check page. */
export async function loader({ params }: LoaderFunctionArgs) {
  const certificate = await verifyCertificate(getDb(), String(params.code ?? ""));
  if (!certificate) throw notFound("证书不存在");
  // Printed on the certificate: the public check page for this code, as a QR and written out.
  const checkAt = absoluteUrl(`/verify?code=${encodeURIComponent(certificate.certificate_code!)}`);
  const face = attendanceCertificateFace(certificate, checkAt);
  return json(
    { certificate, checkAt, qr: await qrSvg(checkAt), text: face.paragraphs.join(""), pdf: serverHasChineseFont() },
    { headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } },
  );
}

export default function Certificate() {
  const { certificate: c, checkAt, qr, text, pdf } = useLoaderData<typeof loader>();
  const base = `/certificates/${c.certificate_code}`;
  return (
    <section className="certificate">
      <CertificateFiles
        title="交流培训结业证书"
        image={`${base}/image`}
        pdf={pdf ? `${base}/pdf` : null}
        text={`交流培训证书：${text}证书编号 ${c.certificate_code}`}
      />
      <div className="certificate-sheet print-only">
        <h1>证　书</h1>
        <p className="certificate-body">
          <strong>{c.name}</strong> 同志于 {formatDate(c.starts_at)} 参加{c.studio_name ?? c.unit_name}组织的“{c.title}”（{KIND_LABELS[c.kind]}），计{" "}
          {Number(c.hours)} 学时。
        </p>
        <p className="certificate-body">特发此证。</p>
        <p className="certificate-issuer">
          {c.unit_name}
          <br />
          {formatDate(c.ends_at)}
        </p>
        <div className="certificate-check">
          <QrCode svg={qr} label="核验二维码" />
          <p className="certificate-code">
            证书编号 <span className="mono">{c.certificate_code}</span>
            <br />
            扫码或访问 <span className="mono">{checkAt}</span> 核验
          </p>
        </div>
      </div>
    </section>
  );
}
