import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { summaryTableFor } from "~/modules/nominations/summary-table.server";
import { idOrNull } from "~/lib/ids";

/**
 * The 汇总表 as .xlsx. County officers get their own unit's; the city all or one unit. Numbers
 * are masked unless a city officer asks for them in full, which is recorded.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "campaign.read");
  const db = getDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  const url = new URL(request.url);
  const template = url.searchParams.get("template") === "1";
  const body = await summaryTableFor(db, user, campaign, {
    unitId: idOrNull(url.searchParams.get("unitId")) ?? undefined,
    full: url.searchParams.get("full") === "1",
    template,
  });
  const name = `${campaignLabel(campaign.number)}台州工匠推荐汇总表${template ? "（模板）" : ""}.xlsx`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "no-store",
    },
  });
}
