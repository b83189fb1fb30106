import type { LoaderFunctionArgs } from "@remix-run/node";
import type { DB } from "../db";
import type { SessionUser } from "../app/auth/roles";
import { cookieFor } from "./factories";

export const ORIGIN = "http://jiangxin.test";

type RouteFn = (args: LoaderFunctionArgs) => unknown;

export interface CallOptions {
  db: DB;
  path: string;
  params?: Record<string, string>;
  /** Signs the request in as this user (a fresh session). */
  as?: SessionUser | null;
  /** Or sends this session cookie as it is. */
  cookie?: string | null;
  /** Form fields: makes the request a POST, multipart when a file is among them. */
  form?: Record<string, string | string[] | File | undefined>;
  /** The POST's Origin: ours by default; another site's; or none, as a cross-site fetch would send. */
  origin?: string | null;
  headers?: Record<string, string>;
  /** The socket's address, as our server hands it to the app in the load context. */
  peer?: string;
}

/** Runs a loader or action the way Remix does and hands back its Response, thrown or returned. */
export async function call(fn: RouteFn, options: CallOptions): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.as) headers.append("cookie", await cookieFor(options.db, options.as));
  if (options.cookie) headers.append("cookie", options.cookie);
  let body: URLSearchParams | FormData | undefined;
  if (options.form) {
    const values = Object.entries(options.form).flatMap(([k, v]) => (v === undefined ? [] : [v].flat().map((item) => [k, item] as const)));
    if (values.some(([, v]) => v instanceof File)) {
      const multipart = new FormData();
      for (const [k, v] of values) multipart.append(k, v);
      body = multipart;
    } else {
      body = new URLSearchParams(values as Array<[string, string]>);
    }
    if (options.origin === undefined) {
      if (!headers.has("origin")) headers.set("origin", ORIGIN);
    } else if (options.origin) headers.set("origin", options.origin);
    else headers.set("sec-fetch-site", "cross-site");
  }
  const request = new Request(ORIGIN + options.path, { method: options.form ? "POST" : "GET", headers, body });
  try {
    const result = await fn({ request, params: options.params ?? {}, context: options.peer ? { peerAddress: options.peer } : {} });
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result ?? null), { status: 200, headers: { "content-type": "application/json" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever a route answered
export async function jsonOf<T = any>(response: Response): Promise<T> {
  return (await response.clone().json()) as T;
}
