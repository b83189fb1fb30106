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
  as?: SessionUser | null;
  /** Form fields: makes the request a POST. */
  form?: Record<string, string | string[]>;
  headers?: Record<string, string>;
}

/** Runs a loader or action the way Remix does and hands back its Response, thrown or returned. */
export async function call(fn: RouteFn, options: CallOptions): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.as) headers.append("cookie", await cookieFor(options.db, options.as));
  let body: URLSearchParams | undefined;
  if (options.form) {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) body.append(k, item);
    if (!headers.has("origin")) headers.set("origin", ORIGIN);
  }
  const request = new Request(ORIGIN + options.path, { method: options.form ? "POST" : "GET", headers, body });
  try {
    const result = await fn({ request, params: options.params ?? {}, context: {} });
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result ?? null), { status: 200, headers: { "content-type": "application/json" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export async function jsonOf<T = any>(response: Response): Promise<T> {
  return (await response.clone().json()) as T;
}
