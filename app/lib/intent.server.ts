import { json } from "@remix-run/node";

/** Workflow buttons post an intent; anything else is a forged or stale form. */
export function unknownIntent(): Response {
  return json({ error: "未知的操作" }, { status: 400 });
}
