import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertSafePost } from "~/auth/session.server";
import { parseWithZod } from "~/lib/form.server";
import { safeRedirect } from "~/lib/http.server";
import { textSizeCookie, textSizeSchema } from "~/lib/preferences.server";
import { replyInvalid } from "~/lib/reply.server";

/** The header's 大字版 switch: remembers the choice and goes back to the page it was pressed on. */
export async function action({ request }: ActionFunctionArgs) {
  await assertSafePost(request);
  const submission = parseWithZod(await request.formData(), { schema: textSizeSchema });
  if (submission.status !== "success") return replyInvalid("text-size", submission, { message: "请选择大字版或标准字号" });
  const { size, back } = submission.value;
  return redirect(safeRedirect(back ?? null, "/"), { headers: { "Set-Cookie": textSizeCookie(size === "large") } });
}

export async function loader() {
  return redirect("/");
}
