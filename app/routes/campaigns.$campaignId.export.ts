import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getLongWorkDb } from "~/db.server";
import { idParam, notFound, xlsxResponse } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { summaryTableFor } from "~/modules/nominations/summary-table.server";
import { idOrNull } from "~/lib/ids";
import { parseWithZod, submissionErrors } from "~/lib/form.server";
import { canRevealPersonalData } from "~/modules/people/policy";
import { fullExportSchema } from "~/modules/people/schema.server";

/**
 * The 汇总表 as .xlsx. County officers get their own unit's; the city all or one unit. Numbers
 * are masked; a city officer gets them in full only by posting a reason (the export page's form),
 * which the history keeps — never by a link another site could make a browser follow.
 */
async function workbook(request: Request, campaignId: string | undefined, full?: { reason: string }) {
  const user = await requirePermission(request, "campaign.read");
  const db = getLongWorkDb();
  const campaign = await findCampaign(db, idParam(campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  if (full && !canRevealPersonalData(user)) throw json({ error: "只有市总工会可以导出完整号码" }, { status: 403 });
  const url = new URL(request.url);
  const template = !full && url.searchParams.get("template") === "1";
  const body = await summaryTableFor(db, user, campaign, { unitId: idOrNull(url.searchParams.get("unitId")) ?? undefined, template, full });
  const name = `${campaignLabel(campaign.number)}台州工匠推荐汇总表${template ? "（模板）" : ""}.xlsx`;
  return xlsxResponse(request, body, "export.xlsx", name);
}

export function loader({ request, params }: LoaderFunctionArgs) {
  return workbook(request, params.campaignId);
}

export async function action({ request, params }: ActionFunctionArgs): Promise<never> {
  await requirePermission(request, "campaign.read");
  const submission = parseWithZod(await request.clone().formData(), { schema: fullExportSchema });
  if (submission.status !== "success") throw json({ error: submissionErrors(submission)[0] ?? "请说明导出完整号码的事由" }, { status: 400 });
  // The file is the answer, not a reply to show on a page: thrown, as a redirect would be.
  throw await workbook(request, params.campaignId, { reason: submission.value.reason });
}
