// oidc-provider ships no types; the stand-in uses this much of it.
declare module "oidc-provider" {
  import type http from "node:http";

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface Context {
    oidc: {
      provider: { Grant: new (init: { clientId: string; accountId: string }) => Grant };
      client?: { clientId: string };
      session?: { accountId?: string };
    };
  }
  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        findAccount?: (ctx: Context, sub: string) => Promise<{ accountId: string; claims: () => Promise<Record<string, unknown>> }>;
        loadExistingGrant?: (ctx: Context) => Promise<Grant | undefined>;
      },
    );
    listen(port: number, host: string): http.Server;
  }
}
