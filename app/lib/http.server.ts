import { json, type HeadersFunction } from "@remix-run/node";
import type { Access } from "~/lib/access";
import { idOrNull } from "~/lib/ids";
import { FIRST_YEAR, yearInTaizhou, yearParam } from "~/lib/time";
import { env } from "~db/env";

export function notFound(message = "记录不存在"): Response {
  return json({ error: message }, { status: 404 });
}

/** A numeric id from the URL, or a 404 for anything that is not one. */
export function idParam(value: string | undefined): number {
  const id = idOrNull(value);
  if (id === null) throw notFound();
  return id;
}

/** A year in a path (/studios/1/years/2025): one of the platform's years up to next year, or a 404. */
export function yearPathParam(raw: string | undefined): number {
  const year = raw && /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= FIRST_YEAR && year <= yearInTaizhou() + 1)) throw notFound("没有这个年度");
  return year;
}

/**
 * A year in a query string that names what a page saves (/mentoring/policy?year=2025): this year when
 * missing, one of the platform's years (as `yearParam`), anything else a 404 — never quietly this
 * year, which the save would then write.
 */
export function yearQueryParam(raw: string | null): number {
  if (!raw) return yearInTaizhou();
  const year = yearParam(raw);
  if (String(year) !== raw) throw notFound("没有这个年度");
  return year;
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

/**
 * Only same-site paths are followed after sign-in, never another host. Browsers drop tabs and
 * line breaks from a URL and read a backslash as a slash, and a decoded `%2F` or `%5C` can turn
 * `/x` into `//host`: any of those, or anything that resolves to another origin, falls back.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/home"): string {
  if (!to || to.length > 2000 || !to.startsWith("/")) return fallback;
  let decoded = to;
  try {
    for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) decoded = decodeURIComponent(decoded);
  } catch {
    return fallback;
  }
  // eslint-disable-next-line no-control-regex -- control characters and whitespace are what is refused
  if (/[\u0000-\u001f\u007f\s\\]/.test(decoded) || decoded.startsWith("//")) return fallback;
  const base = "http://jiangxin.invalid";
  const url = new URL(to, base);
  // The parser collapses dot segments: "/.//evil.example" comes out as "//evil.example", another site's address.
  if (url.origin !== base || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}

/**
 * A workbook as a download: the ASCII name for old clients, the Chinese one for the rest. A link
 * that waits for it (components/DownloadLink) sends `?ready=<token>` and learns from the cookie
 * `jx_ready_<token>` that the file has been made and the browser's own download has begun.
 */
export function xlsxResponse(request: Request, body: Buffer, asciiName: string, name: string): Response {
  const headers = new Headers({
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition": `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "Cache-Control": "no-store",
  });
  const ready = new URL(request.url).searchParams.get("ready");
  if (ready && /^[a-z0-9]{8,32}$/.test(ready)) headers.append("Set-Cookie", `jx_ready_${ready}=1; Path=/; Max-Age=120; SameSite=Strict`);
  return new Response(new Uint8Array(body), { headers });
}

/** A route's document headers are its loader's (a public page's caching, say). */
export const loaderHeaders: HeadersFunction = ({ loaderHeaders: fromLoader }) => fromLoader;

/** The value of one cookie the request carries, or null (no parsing library for two small readers). */
export function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
}

/**
 * An absolute link to one of our pages, on the configured public address (PUBLIC_URL). Never built
 * from the request: its Host header is the client's to write, and a publicly cached page or QR
 * code made from a forged one would send everyone else to the forger's site.
 */
export function absoluteUrl(path: string): string {
  return publicAddress() + path;
}

export const publicAddress = (): string => env().publicUrl;
