import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { CertificatePage } from "~/components/CertificateFiles";
import { getDb } from "~/db.server";
import { shareCard, shareMeta } from "~/lib/og";
import { serverHasChineseFont } from "~/lib/certificate-file.server";
import { absoluteUrl, notFound } from "~/lib/http.server";
import { qrSvg } from "~/lib/qr.server";
import { awardCertificateFace } from "~/modules/showcase/certificate";
import { awardCertificate } from "~/modules/showcase/showcase.server";
import { campaignBasis } from "~/modules/governance/documents.server";

export const meta: MetaFunction = (at) =>
  shareMeta("“台州工匠”荣誉证书", "扫描证书上的二维码，或在证书查验页核验。", shareCard("page", "award-certificate", "“台州工匠”荣誉证书"), at);

/** The 台州工匠 certificate: for its holder, their county and the city, and for anyone once the holder has agreed to be shown. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const award = await awardCertificate(db, await getUser(request, db), String(params.number ?? ""));
  if (!award) throw notFound("证书不存在或已撤销，可在证书查验页查询");
  const checkAt = absoluteUrl(`/verify?code=${encodeURIComponent(award.certificate_number)}`);
  const face = awardCertificateFace(award, checkAt, await campaignBasis(db, award.campaign_id));
  return json(
    { face, qr: await qrSvg(checkAt), pdf: serverHasChineseFont() },
    { headers: { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" } },
  );
}

export default function AwardCertificate() {
  const { face, qr, pdf } = useLoaderData<typeof loader>();
  return (
    <CertificatePage
      title="“台州工匠”荣誉证书"
      base={`/awards/${encodeURIComponent(face.number)}`}
      pdf={pdf}
      text={`${face.heading}：${face.paragraphs.join("")}证书编号 ${face.number}`}
      face={face}
      qr={qr}
    >
      {face.paragraphs.map((p) => (
        <p key={p} className="certificate-body">
          {p}
        </p>
      ))}
    </CertificatePage>
  );
}
