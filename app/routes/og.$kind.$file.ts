import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { cardAddress, forgetShareCard, shareCardResponse } from "~/lib/share-card.server";
import { shareCardFace } from "~/modules/share-cards/share-cards.server";

/** A public page's share card (og:image), /og/<kind>/<id or page>.png: there while the page is, for everyone alike. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const address = cardAddress(params.kind, params.file);
  if (!address) throw notFound("没有这张分享卡片");
  const face = await shareCardFace(getDb(), address);
  if (!face) {
    forgetShareCard(request);
    throw notFound("没有这张分享卡片");
  }
  return shareCardResponse(request, face);
}
