import crypto from "node:crypto";
import type { DB } from "~db";
import type { SignInFlowKind } from "~db/types";
import { cookieIsSecure } from "~/auth/lucia.server";
import { cookieValue, safeRedirect } from "~/lib/http.server";

/**
 * A sign-in that leaves for another site and comes back (the government's single sign-on, WeChat's web
 * authorisation), written once for both. The round trip carries a random `state`: its hash keys a row
 * holding what the return needs (a PKCE verifier, a nonce, where to go after), ten minutes, spent once;
 * the same state rides in an HttpOnly cookie of this browser, so a callback link carried to another
 * browser (or planted on a victim to sign them in as someone else) finds no cookie and opens nothing.
 * SameSite=Lax sends the cookie on the provider's top-level redirect back to us.
 */

const FLOW_MINUTES = 10;
const stateHash = (state: string) => crypto.createHash("sha256").update(state).digest("hex");
const cookieName = (kind: SignInFlowKind) => `jx_flow_${kind}`;
const STATE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface StartedFlow {
  /** The `state` to hand the provider. */
  state: string;
  /** The Set-Cookie header that binds the flow to this browser. */
  cookie: string;
}

/** Opens a round trip of `kind`, keeping `data` for its return. `redirectTo` is made safe here. */
export async function startFlow(
  db: DB,
  kind: SignInFlowKind,
  data: Record<string, string>,
  redirectTo: string | null | undefined,
  now = new Date(),
): Promise<StartedFlow> {
  const state = crypto.randomBytes(32).toString("base64url");
  await db
    .insertInto("sign_in_flow")
    .values({
      state_hash: stateHash(state),
      kind,
      data: JSON.stringify(data),
      redirect_to: safeRedirect(redirectTo),
      created_at: now,
      expires_at: new Date(now.getTime() + FLOW_MINUTES * 60_000),
    })
    .execute();
  const secure = cookieIsSecure() ? "; Secure" : "";
  return { state, cookie: `${cookieName(kind)}=${state}; Path=/; Max-Age=${FLOW_MINUTES * 60}; HttpOnly; SameSite=Lax${secure}` };
}

export type FinishedFlow = { ok: true; data: Record<string, string>; redirectTo: string } | { ok: false; message: string };

/**
 * The return of a round trip: the state the provider sent back must be this browser's (its cookie),
 * of this kind, unexpired and unspent; it is spent here, at most once however many requests race.
 */
export async function finishFlow(db: DB, request: Request, kind: SignInFlowKind, returnedState: string | null, now = new Date()): Promise<FinishedFlow> {
  const held = cookieValue(request, cookieName(kind));
  if (!returnedState || !held || !STATE_SHAPE.test(returnedState) || returnedState !== held)
    return { ok: false, message: "登录请求已失效或不是从本浏览器发起的，请重新登录" };
  const row = await db
    .updateTable("sign_in_flow")
    .set({ used_at: now })
    .where("state_hash", "=", stateHash(returnedState))
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["data", "redirect_to"])
    .executeTakeFirst();
  if (!row) return { ok: false, message: "登录请求已过期或已使用，请重新登录" };
  return { ok: true, data: row.data, redirectTo: row.redirect_to };
}

/**
 * The flow this browser holds of `kind`, unspent and unexpired, read without spending it: for the steps between the
 * provider's return and the end (WeChat's first sign-in asks for a phone code before the openid is bound; a voter's
 * openid waits while they choose). The last step spends it with finishFlow and the state this answers.
 */
export async function heldFlow(
  db: DB,
  request: Request,
  kind: SignInFlowKind,
  now = new Date(),
): Promise<{ state: string; data: Record<string, string> } | null> {
  const held = cookieValue(request, cookieName(kind));
  if (!held || !STATE_SHAPE.test(held)) return null;
  const row = await db
    .selectFrom("sign_in_flow")
    .select("data")
    .where("state_hash", "=", stateHash(held))
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row ? { state: held, data: row.data } : null;
}

/** The Set-Cookie header that forgets a finished flow's cookie. */
export function clearFlowCookie(kind: SignInFlowKind): string {
  return `${cookieName(kind)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${cookieIsSecure() ? "; Secure" : ""}`;
}
