import * as oidc from "openid-client";
import type { AppLoadContext } from "@remix-run/node";
import type { DB } from "~db";
import { env, type OidcSettings } from "~db/env";
import { IDENTITY_AUDIT } from "~/auth/labels";
import { sessionUserOf } from "~/auth/roles";
import { openSession } from "~/auth/session.server";
import { finishFlow, startFlow } from "~/auth/sign-in-flow.server";
import { clientAddress } from "~/auth/throttle.server";
import { recordAudit } from "~/lib/audit.server";

/**
 * The officers' single sign-on: OpenID Connect's authorization-code flow with PKCE and a nonce (openid-client, a
 * maintained certified client), against whatever provider the environment names — 浙政钉 or any standard one. A
 * driver like the SMS gateway: off by default (no button; the password sign-in is all there is), on with OIDC_ISSUER.
 * The round trip's state is sign-in-flow.server's; what comes back is an identity (issuer, subject), which opens an
 * account only if the city bound it to an active officer's account (modules/users/identities.server).
 */

export interface ExternalIdentity {
  issuer: string;
  subject: string;
  /** The provider's name for the person, kept so the city can recognise whom it binds. */
  name: string | null;
}

export type SsoStart = { ok: true; url: string; cookie: string } | { ok: false; message: string };
export type SsoReturn = { ok: true; identity: ExternalIdentity; redirectTo: string } | { ok: false; message: string };

export interface SsoDriver {
  /** The button's words (统一身份认证, 浙政钉…). */
  readonly name: string;
  start(db: DB, redirectTo: string | null, now?: Date): Promise<SsoStart>;
  finish(db: DB, request: Request, now?: Date): Promise<SsoReturn>;
}

const PROVIDER_DOWN = "统一身份认证服务暂时无法连接，请稍后再试，或用用户名和密码登录";
const NOT_COMPLETED = "统一身份认证未完成，请重新登录";

/**
 * The provider's metadata, fetched once per process and kept; a failed fetch is forgotten, so the next sign-in asks
 * again (a provider that was down when the server started does not need a restart).
 */
const discovered = new Map<string, Promise<oidc.Configuration>>();

function configuration(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    found = oidc.discovery(
      new URL(settings.issuer),
      settings.clientId,
      { redirect_uris: [settings.redirectUri] },
      oidc.ClientSecretPost(settings.clientSecret),
      {
        // Plain http only for a provider on this machine (the tests' stand-in); env.ts refuses it for any other host.
        execute: settings.allowHttp ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      },
    );
    discovered.set(key, found);
    found.catch(() => discovered.delete(key));
  }
  return found;
}

class OidcDriver implements SsoDriver {
  constructor(private readonly settings: OidcSettings) {}

  get name() {
    return this.settings.name;
  }

  async start(db: DB, redirectTo: string | null, now = new Date()): Promise<SsoStart> {
    let config: oidc.Configuration;
    try {
      config = await configuration(this.settings);
    } catch {
      return { ok: false, message: PROVIDER_DOWN };
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const flow = await startFlow(db, "oidc", { verifier, nonce }, redirectTo, now);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce,
    });
    return { ok: true, url: url.href, cookie: flow.cookie };
  }

  async finish(db: DB, request: Request, now = new Date()): Promise<SsoReturn> {
    const returned = new URL(request.url);
    const state = returned.searchParams.get("state");
    // The flow is spent first: a replayed or forged return finds nothing, whatever the provider would say to its code.
    const flow = await finishFlow(db, request, "oidc", state, now);
    if (!flow.ok) return flow;
    let config: oidc.Configuration;
    try {
      config = await configuration(this.settings);
    } catch {
      return { ok: false, message: PROVIDER_DOWN };
    }
    // The address the provider sent the browser to is ours as PUBLIC_URL says, not as the Host header claims.
    const callback = new URL(this.settings.redirectUri);
    callback.search = returned.search;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.data.verifier,
        expectedNonce: flow.data.nonce,
        expectedState: state!,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims?.sub) return { ok: false, message: NOT_COMPLETED };
      // The name may be in the ID token, or (as OpenID's default for the profile scope) only at the userinfo endpoint.
      let named: unknown = claims.name;
      if (typeof named !== "string" && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
        named = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => null))?.name;
      }
      const name = typeof named === "string" ? named.trim().slice(0, 100) || null : null;
      return { ok: true, identity: { issuer: claims.iss, subject: claims.sub, name }, redirectTo: flow.redirectTo };
    } catch (error) {
      // The provider refused (the person cancelled), or its answer failed a check (nonce, state, signature, issuer).
      if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return { ok: false, message: NOT_COMPLETED };
      if ((error as { code?: string }).code === "OAUTH_INVALID_RESPONSE" || error instanceof TypeError) return { ok: false, message: PROVIDER_DOWN };
      return { ok: false, message: NOT_COMPLETED };
    }
  }
}

/** The configured single sign-on, or null when there is none (OIDC_ISSUER unset). */
export function ssoDriver(settings: OidcSettings | null = env().oidc): SsoDriver | null {
  return settings ? new OidcDriver(settings) : null;
}

export type IdentitySignIn = { ok: true; cookie: string } | { ok: false; message: string };

export const UNBOUND_MESSAGE = "您的统一身份账号尚未绑定平台账号，请联系市总工会绑定";
const REFUSED_MESSAGE = "您的统一身份账号绑定的平台账号已停用，请联系市总工会";

/** The roles an identity may be bound to, and open: the officers', never a craftsman's, an expert's or an apprentice's. */
export const SSO_ROLES = ["city_admin", "county_officer"] as const;

/**
 * An identity the provider vouched for signs in: it is recorded (or its name and time refreshed); an identity the
 * city has not bound opens nothing and waits in the city's list; a bound one opens its account through openSession
 * (rotation, the sign-in history) if that account is active and an officer's. No account is ever made here. The
 * provider does its own authentication (浙政钉 its own second factor), so the platform's one-time code is not asked.
 */
export async function signInWithIdentity(
  db: DB,
  request: Request,
  identity: ExternalIdentity,
  now = new Date(),
  context: AppLoadContext = {},
): Promise<IdentitySignIn> {
  const address = clientAddress(request, context);
  const found = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("external_identity")
      .values({ issuer: identity.issuer, subject: identity.subject, display_name: identity.name, first_seen_at: now, last_seen_at: now })
      .onConflict((oc) => oc.columns(["issuer", "subject"]).doUpdateSet({ display_name: identity.name, last_seen_at: now }))
      .returning(["id", "user_id"])
      .executeTakeFirstOrThrow();
    const account = row.user_id
      ? await tx
          .selectFrom("app_user")
          .select(["id", "username", "display_name", "role", "org_unit_id", "person_id", "active"])
          .where("id", "=", row.user_id)
          .executeTakeFirst()
      : undefined;
    const usable = account && account.active && (SSO_ROLES as readonly string[]).includes(account.role) && sessionUserOf(account);
    await recordAudit(tx, IDENTITY_AUDIT, {
      actor: usable ? { id: account.id, displayName: account.display_name } : null,
      id: row.id,
      unit: account?.org_unit_id ?? null,
      action: !account ? "unbound_sign_in" : usable ? "sign_in" : "refused_sign_in",
      after: account ? { account: account.id } : undefined,
      comment: address ?? undefined,
    });
    return usable ? account : account ? "refused" : "unbound";
  });
  if (found === "unbound") return { ok: false, message: UNBOUND_MESSAGE };
  if (found === "refused") return { ok: false, message: REFUSED_MESSAGE };
  const { cookie } = await openSession(db, request, found, address);
  return { ok: true, cookie };
}
