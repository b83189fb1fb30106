import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { certificateImageResponse } from "~/lib/certificate-file.server";
import { absoluteUrl, notFound } from "~/lib/http.server";
import { awardCertificateFace } from "~/modules/showcase/certificate";
import { awardCertificate } from "~/modules/showcase/showcase.server";
import { campaignBasis } from "~/modules/governance/documents.server";

/** The 台州工匠 certificate as a picture to long-press and save, for whoever may see its page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const award = await awardCertificate(db, await getUser(request, db), String(params.number ?? ""));
  if (!award) throw notFound("证书不存在或已撤销，可在证书查验页查询");
  const checkAt = absoluteUrl(`/verify?code=${encodeURIComponent(award.certificate_number)}`);
  return certificateImageResponse(awardCertificateFace(award, checkAt, await campaignBasis(db, award.campaign_id)));
}
