import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { newChallenge } from "~/modules/voting/challenge.server";
import { voteRulesOf } from "~/modules/voting/voting.server";

/** A fresh proof-of-work challenge for the vote page's widget; never cached. */
export async function loader({ params }: LoaderFunctionArgs) {
  if (!(await voteRulesOf(getDb(), idParam(params.campaignId)))) throw notFound("没有这场网络投票");
  return json(await newChallenge(), { headers: { "Cache-Control": "no-store" } });
}
