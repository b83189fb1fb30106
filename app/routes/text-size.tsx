import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { assertSafePost } from "~/auth/session.server";
import { safeRedirect } from "~/lib/http.server";
import { textSizeCookie } from "~/lib/preferences.server";

/** The header's 大字版 switch: remembers the choice and goes back to the page it was pressed on. */
export async function action({ request }: ActionFunctionArgs) {
  await assertSafePost(request);
  const form = await request.formData();
  const size = form.get("size");
  if (size !== "large" && size !== "normal") return json({ error: "请选择大字版或标准字号" }, { status: 400 });
  const back = form.get("back");
  return redirect(safeRedirect(typeof back === "string" ? back : null, "/"), { headers: { "Set-Cookie": textSizeCookie(size === "large") } });
}

export async function loader() {
  return redirect("/");
}
