import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { canRevealPersonalData } from "~/modules/people/policy";
import { exportSummaryTable } from "~/modules/nominations/summary-table.server";

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
  const requestedUnit = Number(url.searchParams.get("unitId")) || undefined;
  const unitId = user.role === "county_officer" ? user.orgUnitId! : requestedUnit;
  const revealIds = url.searchParams.get("full") === "1" && canRevealPersonalData(user);
  const template = url.searchParams.get("template") === "1";
  if (revealIds) {
    await recordAudit(db, {
      actor: user,
      entityType: "campaign",
      entityId: campaign.id,
      action: "reveal_personal_data",
      comment: `导出汇总表（含完整身份证号和电话）${unitId ? `，单位 ${unitId}` : ""}`,
    });
  }
  // The template is the same workbook with no people in it: unit -1 matches none.
  const body = await exportSummaryTable(db, campaign, { unitId: template ? -1 : unitId, revealIds });
  const name = `${campaignLabel(campaign.number)}台州工匠推荐汇总表${template ? "（模板）" : ""}.xlsx`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "no-store",
    },
  });
}
