import { availableParallelism } from "node:os";
/**
 * The environment, read and checked in one place. It sits on the lowest floor so the database
 * layer, the app and every command-line program read the same checked values; a bad value stops
 * the program with a message naming the variable instead of turning into NaN somewhere later.
 * Read on each call (cheap): tests and scripts set variables after this module is loaded.
 */
export interface Env {
  production: boolean;
  /** A PostgreSQL connection string; without it the embedded PGlite under DATA_DIR is used. */
  databaseUrl: string | null;
  /** Connections per server process to PostgreSQL. */
  dbPoolSize: number;
  /**
   * How long anything waits on PostgreSQL, in milliseconds: a page's request and the long work
   * (background jobs, exports) each have their own. See db/README.md, "Operations: faults and timeouts".
   */
  dbTimeouts: { page: DbTimeouts; long: DbTimeouts };
  /** How long /healthz waits for the database before it says 503. */
  healthTimeoutMs: number;
  /** Request bodies above this size are "large" and only so many are read at once (UPLOAD_CONCURRENCY). */
  largeBodyBytes: number;
  uploadConcurrency: number;
  /**
   * Server processes on the one port: WEB_CONCURRENCY, by default the machine's cores in production on
   * PostgreSQL, otherwise 1. The embedded engine is one process's files, so it always runs one.
   */
  webConcurrency: number;
  /** Where the embedded database, the development encryption key and uploads live. */
  dataDir: string;
  pgliteDir: string | null;
  /** Where the server writes its daily access-log files (LOG_DIR; by default DATA_DIR/logs), which the retention schedule purges. */
  logDir: string | null;
  /** 32 bytes as 64 hex digits or base64; checked where it is used (people/pii.server.ts). */
  encryptionKey: string | null;
  /** Session cookies marked Secure: by default in production. */
  cookieSecure: boolean;
  /** Fill an empty database with the demo data on start: by default only on the embedded engine. */
  seedDemo: boolean | null;
  /** A reverse proxy in front appends the client's address to X-Forwarded-For; without one the header is anyone's to write. */
  trustProxy: boolean;
  /** Each server process runs the background work (messages, SMS, digests); BACKGROUND_WORK=0 leaves it to others. */
  backgroundWork: boolean;
  /** Who the public contacts about the 社会公示, as the notice page prints it. */
  unionContact: string;
  /**
   * The platform's public address (scheme, host, optional port): every absolute link it hands out —
   * QR codes, share links, Open Graph — is built on it, never on the request's Host header, which
   * anyone can write and a shared cache would then keep for everyone.
   */
  publicUrl: string;
  /** How text messages leave: kept in the outbox (the default), or sent through Aliyun's SMS API. */
  sms:
    | { driver: "outbox" }
    | { driver: "aliyun"; endpoint: string; accessKeyId: string; accessKeySecret: string; signName: string; templates: Record<string, string> };
  /**
   * The officers' single sign-on through an OpenID Connect provider (浙政钉 or any standard one): off (null, no
   * button) without OIDC_ISSUER. The redirect URI is PUBLIC_URL + /login/sso/callback, registered with the provider.
   */
  oidc: OidcSettings | null;
  /**
   * The union's WeChat official account (服务号): its web authorisation signs craftsmen and apprentices in and keys
   * the vote, its JS-SDK draws the share cards. Null (the default) when WECHAT_APP_ID and WECHAT_APP_SECRET are not
   * both set: no WeChat buttons, and a vote cannot require a WeChat identity. The two addresses point the driver at
   * a stand-in in the tests.
   */
  wechat: WechatSettings | null;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's words: 统一身份认证 by default, e.g. 浙政钉. */
  name: string;
  scopes: string;
  redirectUri: string;
  /** Plain http to the provider: only an issuer on this machine (the tests' stand-in), never across a network. */
  allowHttp: boolean;
}

export interface WechatSettings {
  appId: string;
  appSecret: string;
  /** Where the browser is sent for the web authorisation (WECHAT_OAUTH_URL, by default https://open.weixin.qq.com). */
  oauthUrl: string;
  /** Where the server calls the official account's API (WECHAT_API_URL, by default https://api.weixin.qq.com). */
  apiUrl: string;
}

export interface DbTimeouts {
  /** Waiting for a free connection of the pool. */
  acquireMs: number;
  /** One statement. */
  statementMs: number;
  /** Waiting for a row or table lock another transaction holds. */
  lockMs: number;
  /** A transaction left open with nothing running (a request that died half-way). */
  idleInTransactionMs: number;
}

export class EnvError extends Error {}

function flag(name: string, value: string | undefined): boolean | null {
  if (value === undefined || value === "") return null;
  if (value === "1" || value === "true") return true;
  if (value === "0" || value === "false") return false;
  throw new EnvError(`${name} must be 1 or 0 (given: ${JSON.stringify(value)})`);
}

function whole(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new EnvError(`${name} must be a whole number from ${min} to ${max} (given: ${JSON.stringify(value)})`);
  }
  return Number(value);
}

export function env(source: Record<string, string | undefined> = process.env): Env {
  const production = source.NODE_ENV === "production";
  const databaseUrl = source.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new EnvError("DATABASE_URL must start with postgres:// or postgresql://");
  return {
    production,
    databaseUrl,
    dbPoolSize: whole("DB_POOL_SIZE", source.DB_POOL_SIZE, 10, 1, 200),
    dbTimeouts: {
      page: {
        acquireMs: whole("DB_ACQUIRE_TIMEOUT_MS", source.DB_ACQUIRE_TIMEOUT_MS, 5_000, 100, 600_000),
        statementMs: whole("DB_STATEMENT_TIMEOUT_MS", source.DB_STATEMENT_TIMEOUT_MS, 15_000, 100, 3_600_000),
        lockMs: whole("DB_LOCK_TIMEOUT_MS", source.DB_LOCK_TIMEOUT_MS, 5_000, 100, 3_600_000),
        idleInTransactionMs: whole("DB_IDLE_TX_TIMEOUT_MS", source.DB_IDLE_TX_TIMEOUT_MS, 30_000, 1_000, 3_600_000),
      },
      long: {
        acquireMs: whole("DB_LONG_ACQUIRE_TIMEOUT_MS", source.DB_LONG_ACQUIRE_TIMEOUT_MS, 30_000, 100, 600_000),
        statementMs: whole("DB_LONG_STATEMENT_TIMEOUT_MS", source.DB_LONG_STATEMENT_TIMEOUT_MS, 600_000, 100, 86_400_000),
        lockMs: whole("DB_LONG_LOCK_TIMEOUT_MS", source.DB_LONG_LOCK_TIMEOUT_MS, 30_000, 100, 3_600_000),
        idleInTransactionMs: whole("DB_LONG_IDLE_TX_TIMEOUT_MS", source.DB_LONG_IDLE_TX_TIMEOUT_MS, 120_000, 1_000, 86_400_000),
      },
    },
    healthTimeoutMs: whole("HEALTHZ_TIMEOUT_MS", source.HEALTHZ_TIMEOUT_MS, 1_000, 50, 60_000),
    largeBodyBytes: whole("LARGE_BODY_BYTES", source.LARGE_BODY_BYTES, 1_048_576, 1_024, 1_073_741_824),
    uploadConcurrency: whole("UPLOAD_CONCURRENCY", source.UPLOAD_CONCURRENCY, 4, 1, 1_000),
    webConcurrency: webConcurrency(source, production, databaseUrl),
    dataDir: source.DATA_DIR || "data",
    pgliteDir: source.PGLITE_DIR || null,
    logDir: source.LOG_DIR || null,
    encryptionKey: source.APP_ENCRYPTION_KEY || null,
    cookieSecure: flag("COOKIE_SECURE", source.COOKIE_SECURE) ?? production,
    seedDemo: flag("SEED_DEMO", source.SEED_DEMO),
    trustProxy: flag("TRUST_PROXY", source.TRUST_PROXY) ?? false,
    backgroundWork: flag("BACKGROUND_WORK", source.BACKGROUND_WORK) ?? true,
    unionContact: source.UNION_CONTACT || "台州市总工会劳动和经济工作部（工作日 8:30–12:00，14:30–17:30）",
    publicUrl: publicUrl(source),
    sms: smsSettings(source),
    oidc: oidcSettings(source),
    wechat: wechatSettings(source),
  };
}

function webConcurrency(source: Record<string, string | undefined>, production: boolean, databaseUrl: string | null): number {
  const asked = whole("WEB_CONCURRENCY", source.WEB_CONCURRENCY, production && databaseUrl ? availableParallelism() : 1, 1, 64);
  if (asked > 1 && !databaseUrl) throw new EnvError("WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database belongs to one process");
  return asked;
}

function publicUrl(source: Record<string, string | undefined>): string {
  const given = source.PUBLIC_URL;
  if (!given) return `http://localhost:${source.PORT || "3000"}`;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new EnvError(`PUBLIC_URL must be an address like https://jiangxin.example.cn (given: ${JSON.stringify(given)})`);
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw new EnvError(`PUBLIC_URL must be an http(s) address without user, query or fragment (given: ${JSON.stringify(given)})`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

function smsSettings(source: Record<string, string | undefined>): Env["sms"] {
  const driver = source.SMS_DRIVER || "outbox";
  if (driver === "outbox") return { driver };
  if (driver !== "aliyun") throw new EnvError(`SMS_DRIVER must be outbox or aliyun (given: ${JSON.stringify(driver)})`);
  const need = (name: string) => {
    const value = source[name];
    if (!value) throw new EnvError(`${name} is required when SMS_DRIVER=aliyun`);
    return value;
  };
  // SMS_TEMPLATES: the provider's template code per category, e.g. "returned:SMS_1234,approved:SMS_5678".
  const templates: Record<string, string> = {};
  for (const pair of need("SMS_TEMPLATES").split(",")) {
    const [category, code] = pair.split(":").map((p) => p.trim());
    if (!category || !code) throw new EnvError(`SMS_TEMPLATES must be category:code pairs separated by commas (given: ${JSON.stringify(pair)})`);
    templates[category] = code;
  }
  const endpoint = source.SMS_ENDPOINT || "https://dysmsapi.aliyuncs.com/";
  if (!/^https?:\/\//.test(endpoint)) throw new EnvError("SMS_ENDPOINT must be an http(s) address");
  return {
    driver,
    endpoint,
    accessKeyId: need("SMS_ACCESS_KEY_ID"),
    accessKeySecret: need("SMS_ACCESS_KEY_SECRET"),
    signName: need("SMS_SIGN_NAME"),
    templates,
  };
}

function oidcSettings(source: Record<string, string | undefined>): OidcSettings | null {
  const given = source.OIDC_ISSUER;
  if (!given) return null;
  let issuer: URL;
  try {
    issuer = new URL(given);
  } catch {
    throw new EnvError(`OIDC_ISSUER must be the provider's issuer address, like https://sso.example.gov.cn (given: ${JSON.stringify(given)})`);
  }
  const local = issuer.hostname === "localhost" || issuer.hostname === "127.0.0.1" || issuer.hostname === "[::1]";
  if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && local)) {
    throw new EnvError(`OIDC_ISSUER must be an https address (plain http only for localhost) (given: ${JSON.stringify(given)})`);
  }
  const need = (name: string) => {
    const value = source[name];
    if (!value) throw new EnvError(`${name} is required when OIDC_ISSUER is set`);
    return value;
  };
  const scopes = (source.OIDC_SCOPES || "openid profile").trim().split(/\s+/);
  if (!scopes.includes("openid") || scopes.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
    throw new EnvError(`OIDC_SCOPES must be scopes separated by spaces, openid among them (given: ${JSON.stringify(source.OIDC_SCOPES)})`);
  }
  const name = (source.OIDC_NAME || "统一身份认证").trim();
  if (name.length > 20) throw new EnvError(`OIDC_NAME must be at most 20 characters (given: ${JSON.stringify(source.OIDC_NAME)})`);
  return {
    // The issuer as the provider writes it in its discovery document (no trailing slash added or removed here).
    issuer: given,
    clientId: need("OIDC_CLIENT_ID"),
    clientSecret: need("OIDC_CLIENT_SECRET"),
    name,
    scopes: scopes.join(" "),
    redirectUri: `${publicUrl(source)}/login/sso/callback`,
    allowHttp: issuer.protocol === "http:",
  };
}

function wechatSettings(source: Record<string, string | undefined>): WechatSettings | null {
  const appId = source.WECHAT_APP_ID || "";
  const appSecret = source.WECHAT_APP_SECRET || "";
  if (!appId && !appSecret) return null;
  if (!appId) throw new EnvError("WECHAT_APP_ID is required when WECHAT_APP_SECRET is set");
  if (!appSecret) throw new EnvError("WECHAT_APP_SECRET is required when WECHAT_APP_ID is set");
  // An AppID is "wx" and 16 hex digits; it goes into URLs and the share configuration the page reads.
  if (!/^wx[0-9a-zA-Z]{16}$/.test(appId)) throw new EnvError(`WECHAT_APP_ID must be wx followed by 16 letters or digits (given: ${JSON.stringify(appId)})`);
  const address = (name: string, fallback: string) => {
    const value = source[name] || fallback;
    if (!/^https?:\/\/[^\s/?#]+$/.test(value.replace(/\/+$/, "")))
      throw new EnvError(`${name} must be an http(s) address without a path (given: ${JSON.stringify(value)})`);
    return value.replace(/\/+$/, "");
  };
  return {
    appId,
    appSecret,
    oauthUrl: address("WECHAT_OAUTH_URL", "https://open.weixin.qq.com"),
    apiUrl: address("WECHAT_API_URL", "https://api.weixin.qq.com"),
  };
}
