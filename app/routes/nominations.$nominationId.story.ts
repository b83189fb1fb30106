import type { ActionFunctionArgs } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { json, redirect } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { MAX_UPLOAD_BYTES, SpreadsheetError } from "~/lib/spreadsheet.server";
import { readForm } from "~/lib/upload.server";
import { todayInTaizhou } from "~/lib/time";
import { nominationForViewer, setStory } from "~/modules/nominations/nominations.server";
import { storyFromWordOffThread } from "~/modules/nominations/review-form.server";

/**
 * Receives a nomination's 事迹材料 as a .docx and keeps its text as the story; back on the
 * nomination's page, the reply says how many characters it has (or why it was refused).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "nomination.create");
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const back = (query: string) => redirect(`/nominations/${nomination.id}?${query}`);
  const read = await readForm(request, clientAddress(request, context), MAX_UPLOAD_BYTES);
  if (!read.ok) return back(`storyError=${encodeURIComponent(read.message)}`);
  const { formData } = read;
  const file = formData.get("story");
  if (!(file instanceof File) || file.size === 0) return back(`storyError=${encodeURIComponent("请选择事迹材料的 Word 文件")}`);
  let text: string;
  try {
    text = await storyFromWordOffThread({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  } catch (error) {
    if (error instanceof SpreadsheetError) return back(`storyError=${encodeURIComponent(error.message)}`);
    throw error;
  }
  const result = await setStory(db, user, nomination.id, text, todayInTaizhou());
  if (!result.ok) {
    if (result.status === 403 || result.status === 404) throw json({ error: result.message }, { status: result.status });
    return back(`storyError=${encodeURIComponent(result.message)}`);
  }
  return back(`story=${result.length}`);
}

export function loader({ params }: ActionFunctionArgs) {
  return redirect(`/nominations/${idParam(params.nominationId)}`);
}
