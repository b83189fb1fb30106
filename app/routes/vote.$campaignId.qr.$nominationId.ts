import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { qrSvg } from "~/lib/qr.server";
import { absoluteUrl, idParam, notFound } from "~/lib/http.server";
import { publicCandidates } from "~/modules/voting/voting.server";

/** A candidate's share link as a QR code (SVG), for posters and WeChat groups. */
export async function loader({ params }: LoaderFunctionArgs) {
  const campaignId = idParam(params.campaignId);
  const nominationId = idParam(params.nominationId);
  const candidates = await publicCandidates(getDb(), campaignId);
  if (!candidates.some((c) => c.id === nominationId)) throw notFound("没有这位候选人");
  const link = absoluteUrl(`/vote/${campaignId}#c-${nominationId}`);
  const svg = await qrSvg(link);
  return new Response(svg, { headers: { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
