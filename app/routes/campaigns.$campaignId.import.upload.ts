import type { ActionFunctionArgs } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { importTarget } from "~/modules/nominations/import-target.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import { MAX_UPLOAD_BYTES, SpreadsheetError } from "~/lib/spreadsheet.server";
import { createImportBatch, parseSummaryTable } from "~/modules/nominations/summary-table.server";
import { idOrNull } from "~/lib/ids";

/**
 * Receives a 汇总表, checks every row, and stores the result as a batch to preview. Answers JSON
 * to the page's upload script, and redirects a plain form post.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "nomination.create");
  const db = getDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  const back = `/campaigns/${campaign.id}/import`;
  const fail = (message: string, status: number) =>
    wantsJson ? json({ error: message }, { status }) : redirect(`${back}?error=${encodeURIComponent(message)}`);

  if (!canCreateNomination(user, campaign, todayInTaizhou())) return fail("推荐申报已截止，不能再导入", 403);
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return fail("文件超过 5 MB，请拆分后分批导入", 413);
    return fail("上传的内容无法读取，请重新选择文件", 400);
  }
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return fail("请选择要导入的汇总表文件", 400);
  const target = await importTarget(db, user, idOrNull(formData.get("unitId")));
  if (typeof target === "string") return fail(target, 400);
  try {
    const table = await parseSummaryTable(new Uint8Array(await file.arrayBuffer()), target);
    const batchId = await createImportBatch(db, user, campaign, target.nominatingUnitId, file.name || "汇总表", table);
    const url = `${back}/${batchId}`;
    return wantsJson ? json({ url }) : redirect(url);
  } catch (error) {
    if (error instanceof SpreadsheetError) return fail(error.message, 400);
    throw error;
  }
}

export function loader({ params }: ActionFunctionArgs) {
  return redirect(`/campaigns/${params.campaignId}/import`);
}
