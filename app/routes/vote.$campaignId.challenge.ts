import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { newChallenge } from "~/modules/voting/challenge.server";

/** A fresh proof-of-work challenge for the widget of the vote page and of the notice's objection form; never cached. */
export async function loader({ params }: LoaderFunctionArgs) {
  const campaign = await findCampaign(getDb(), idParam(params.campaignId));
  if (!campaign) throw notFound("没有这届评选");
  return json(await newChallenge(campaign.id), { headers: { "Cache-Control": "no-store" } });
}
