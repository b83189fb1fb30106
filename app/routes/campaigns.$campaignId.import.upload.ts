import type { ActionFunctionArgs } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, type UploadHandler } from "@remix-run/node";
import { parseMultipartInTurns } from "~/lib/upload.server";
import { readBounded } from "~/lib/body-gate.server";
import { checkFields } from "~/lib/form-guard.server";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { importTarget } from "~/modules/nominations/import-target.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import { MAX_UPLOAD_BYTES, SpreadsheetError } from "~/lib/spreadsheet.server";
import { createImportBatch, parseSummaryTableOffThread } from "~/modules/nominations/summary-table.server";
import { parseReviewFormsOffThread } from "~/modules/nominations/review-form.server";
import { wordKind } from "~/lib/word.server";
import { parseWithZod } from "~/lib/form.server";
import { replyDone, replyRefused } from "~/lib/reply.server";
import { refuse, type Refusal } from "~/lib/result";
import { importUploadSchema } from "~/modules/nominations/schema.server";

/**
 * Receives a 汇总表, checks every row, and stores the result as a batch to preview. Answers JSON
 * to the page's upload script, and redirects a plain form post.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "nomination.create");
  const db = getDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  const wantsJson = (request.headers.get("accept") ?? "").includes("application/json");
  const back = `/campaigns/${campaign.id}/import`;
  const fail = (message: string, status: Refusal["status"]) =>
    wantsJson ? replyRefused("upload", refuse(message, { status })) : redirect(`${back}?error=${encodeURIComponent(message)}`);

  if (!canCreateNomination(user, campaign, todayInTaizhou())) return fail("推荐申报已截止，不能再导入", 403);
  let formData: FormData;
  try {
    formData = await readBounded(request, () => parseMultipartInTurns(request, boundedUploads()), clientAddress(request, context));
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError)
      return fail(`文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB（一次上传合计不超过 ${MAX_TOTAL_BYTES / 1024 / 1024} MB），请拆分后分批导入`, 413);
    return fail("上传的内容无法读取，请重新选择文件", 400);
  }
  checkFields(formData);
  const files = formData.getAll("file").filter((f): f is File => f instanceof File && f.size > 0);
  if (!files.length) return fail("请选择要导入的汇总表或推荐审批表文件", 400);
  const fields = parseWithZod(formData, { schema: importUploadSchema });
  const target = await importTarget(db, user, fields.status === "success" ? (fields.value.unitId ?? null) : null);
  if (typeof target === "string") return fail(target, 400);
  try {
    const uploads = await Promise.all(files.map(async (f) => ({ name: f.name || "文件", bytes: new Uint8Array(await f.arrayBuffer()) })));
    // One 汇总表 at a time; Word forms (or a .zip of them) as many as come.
    const word = uploads.every((u) => wordKind(u.name, u.bytes) !== null || u.name.toLowerCase().endsWith(".zip"));
    if (!word && uploads.length > 1) return fail("汇总表请一次上传一个；Word 版推荐审批表可以一次选择多个", 400);
    const table = word ? await parseReviewFormsOffThread({ files: uploads, target }) : await parseSummaryTableOffThread({ bytes: uploads[0].bytes, target });
    const filename = uploads.length === 1 ? uploads[0].name : `${uploads[0].name} 等 ${uploads.length} 个文件`;
    // A sheet's own unit line may have named the unit the city files it under.
    const batchId = await createImportBatch(db, user, campaign, table.unitId ?? target.nominatingUnitId, filename, table);
    const url = `${back}/${batchId}`;
    return wantsJson ? replyDone("upload", { data: { url } }) : redirect(url);
  } catch (error) {
    if (error instanceof SpreadsheetError) return fail(error.message, 400);
    throw error;
  }
}

/** Several files may come at once: each within the per-file limit, and all of them within one total. */
const MAX_TOTAL_BYTES = 20 * 1024 * 1024;

function boundedUploads(): UploadHandler {
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES });
  let total = 0;
  return (part) => {
    async function* counted() {
      for await (const chunk of part.data) {
        total += chunk.length;
        if (total > MAX_TOTAL_BYTES) throw new MaxPartSizeExceededError(part.name, MAX_TOTAL_BYTES);
        yield chunk;
      }
    }
    return memory({ ...part, data: counted() });
  };
}

export function loader({ params }: ActionFunctionArgs) {
  return redirect(`/campaigns/${idParam(params.campaignId)}/import`);
}
