import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { granted, idParam, notFound, xlsxResponse } from "~/lib/http.server";
import { idOrNull } from "~/lib/ids";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { namedListWorkbook } from "~/modules/nominations/named-list.server";

/** The campaign's 命名名单: the city's all or one unit's, a county officer's own unit's. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "campaign.read");
  const db = getLongWorkDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  const unitId = idOrNull(new URL(request.url).searchParams.get("unitId")) ?? undefined;
  const body = granted(await namedListWorkbook(db, user, campaign, unitId));
  return xlsxResponse(request, body, `campaign-${campaign.id}-awards.xlsx`, `${campaignLabel(campaign.number)}台州工匠命名名单.xlsx`);
}
