import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { idParam, notFound, xlsxResponse } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { expertWorkbook } from "~/modules/experts/experts.server";

/** The expert review's ranking and progress as .xlsx. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "expert.manage");
  const db = getLongWorkDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  return xlsxResponse(request, await expertWorkbook(db, campaign.id), "expert-review.xlsx", `${campaignLabel(campaign.number)}台州工匠专家评审.xlsx`);
}
