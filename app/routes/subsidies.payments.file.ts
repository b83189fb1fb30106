import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { xlsxResponse } from "~/lib/http.server";
import { replyInvalid, replyRefused } from "~/lib/reply.server";
import { batchFile } from "~/modules/subsidies/payments.server";
import { batchSchema } from "~/modules/subsidies/schema.server";

/**
 * A payment batch's bank file, with every full account number: posted, since the download is
 * recorded like a reveal. A resource route of its own (the payments page's form posts here) so
 * the browser gets the file itself: a page route's action would hand it to the page as data.
 * The file is the answer, not a reply: thrown, as a redirect would be, and so are refusals.
 */
export async function action({ request }: ActionFunctionArgs): Promise<never> {
  const user = await requirePermission(request, "subsidy.pay");
  const submission = parseWithZod(await request.formData(), { schema: batchSchema });
  if (submission.status !== "success") throw replyInvalid("download", submission);
  const file = await batchFile(getDb(), user, submission.value.batchId);
  if (!file.ok) throw replyRefused("download", file);
  throw xlsxResponse(request, file.body, `subsidy-batch-${submission.value.batchId}.xlsx`, file.filename);
}
