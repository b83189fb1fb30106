import type http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A standard OpenID provider as a local server (panva's oidc-provider, the library many real providers are built
 * on), standing in for 浙政钉 or any provider the city configures: one client registered, its development sign-in
 * page (any account name, any password — the name becomes the `sub`), consent given for that client as a
 * first-party provider does, and `names` as the claims it hands out. `env` points the app at it. Nothing leaves the
 * machine: it listens on 127.0.0.1 on a port the system picks.
 */
export interface StandInProvider {
  issuer: string;
  env: Record<string, string>;
  /** Stops answering (a provider that is down); `start` brings it back on the same port. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Registers the client's redirect URI anew (a server whose port is known only once it runs), restarting the provider. */
  redirectTo: (uri: string) => Promise<void>;
}

export const STAND_IN_CLIENT = { id: "jiangxin", secret: "stand-in-secret-0123456789abcdef" };

export async function oidcStandIn(options: { redirectUri: string; names?: Record<string, string> }): Promise<StandInProvider> {
  const names = options.names ?? {};
  let redirectUri = options.redirectUri;
  let port = 0;
  let provider: Provider | null = null;
  let server: http.Server | null = null;

  const build = (issuer: string) =>
    new Provider(issuer, {
      clients: [
        {
          client_id: STAND_IN_CLIENT.id,
          client_secret: STAND_IN_CLIENT.secret,
          redirect_uris: [redirectUri],
          response_types: ["code"],
          grant_types: ["authorization_code"],
          token_endpoint_auth_method: "client_secret_post",
        },
      ],
      claims: { openid: ["sub"], profile: ["name"] },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: names[sub] ?? sub }) }),
      features: { devInteractions: { enabled: true } },
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Grant: 3600, Session: 3600 },
      pkce: { required: () => true },
      // A first-party client: the user is not asked to consent (what a government provider does for its own apps).
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope("openid profile");
        await grant.save();
        return grant;
      },
    });

  const start = async () => {
    const issuer = `http://127.0.0.1:${port}`;
    provider = build(issuer);
    const listening = provider.listen(port, "127.0.0.1");
    await new Promise<void>((resolve) => listening.once("listening", resolve));
    server = listening;
    if (!port) {
      port = (listening.address() as AddressInfo).port;
      // The issuer names the port, which is known only now: build it again on that port.
      await new Promise<void>((resolve) => listening.close(() => resolve()));
      return start();
    }
  };
  const stop = async () => {
    const s = server;
    server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  };
  await start();
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: STAND_IN_CLIENT.id, OIDC_CLIENT_SECRET: STAND_IN_CLIENT.secret, OIDC_NAME: "浙政钉" },
    stop,
    start,
    redirectTo: async (uri: string) => {
      await stop();
      redirectUri = uri;
      await start();
    },
  };
}
