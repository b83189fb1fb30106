import { json } from "@remix-run/node";
import type { Access } from "~/lib/access";

export function notFound(message = "记录不存在"): Response {
  return json({ error: message }, { status: 404 });
}

/** A numeric id from the URL, or a 404 for anything that is not one. */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) throw notFound();
  return Number(value);
}

/** Throws the 403/404 of an access check, or hands back the record. */
export function granted<T>(access: Access<T>): T {
  if (access.status !== 200) {
    throw access.status === 404 ? notFound() : json({ error: "您无权查看此记录" }, { status: 403 });
  }
  return access.value;
}

/** The query's fields, without control characters (a NUL would reach PostgreSQL as an error). */
export function searchParams(request: Request): Record<string, string> {
  // eslint-disable-next-line no-control-regex -- the control characters are what is removed
  return Object.fromEntries([...new URL(request.url).searchParams].map(([k, v]) => [k, v.replace(/[\u0000-\u001F\u007F]/g, "")]));
}

/** Only same-site paths are followed after sign-in, never another host. */
export function safeRedirect(to: string | null | undefined, fallback = "/home"): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
