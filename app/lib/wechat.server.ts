import crypto from "node:crypto";
import { env, type WechatSettings } from "~db/env";

/**
 * One way to WeChat, as the SMS gateway is one way out for texts. The default is none: without
 * WECHAT_APP_ID and WECHAT_APP_SECRET there is no driver, no WeChat button and no WeChat key on a
 * vote, and nothing needs an outside service. With them, this driver speaks the official
 * account's web authorisation and its API; the tests point both addresses at a local stand-in.
 */

/** snsapi_base: silent, the openid only; snsapi_userinfo: the person consents, and the nickname comes too. */
export type WechatScope = "snsapi_base" | "snsapi_userinfo";

export type WechatAnswer<T> = ({ ok: true } & T) | { ok: false; error: string };

/** A credential of the official account and how many seconds WeChat says it lives. */
export interface Expiring {
  value: string;
  expiresIn: number;
}

export interface WechatDriver {
  readonly appId: string;
  /** Where to send the phone to authorise; WeChat comes back to `redirectUri` with `code` and `state`. */
  authorizeUrl(redirectUri: string, scope: WechatScope, state: string): string;
  /** The openid the authorisation's code stands for (and the web access token, for the nickname). */
  exchangeCode(code: string): Promise<WechatAnswer<{ openid: string; accessToken: string; scope: string }>>;
  /** The nickname, for a snsapi_userinfo authorisation. */
  nickname(accessToken: string, openid: string): Promise<string | null>;
  /** The official account's access_token (grant_type=client_credential). */
  fetchAccessToken(): Promise<WechatAnswer<Expiring>>;
  /** The JS-SDK's jsapi_ticket, fetched with an access_token. */
  fetchJsapiTicket(accessToken: string): Promise<WechatAnswer<Expiring>>;
}

/** WeChat's answers carry errcode/errmsg on failure; the message never carries our secret. */
interface ApiBody {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

class HttpWechat implements WechatDriver {
  constructor(private readonly settings: WechatSettings) {}

  get appId() {
    return this.settings.appId;
  }

  authorizeUrl(redirectUri: string, scope: WechatScope, state: string): string {
    const query = new URLSearchParams({ appid: this.settings.appId, redirect_uri: redirectUri, response_type: "code", scope, state });
    // WeChat reads its parameters in this order and wants the fragment.
    return `${this.settings.oauthUrl}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
  }

  private async get(path: string, query: Record<string, string>): Promise<WechatAnswer<{ body: ApiBody }>> {
    try {
      const response = await fetch(`${this.settings.apiUrl}${path}?${new URLSearchParams(query).toString()}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await response.json().catch(() => ({ errcode: response.status, errmsg: "微信接口返回的不是 JSON" }))) as ApiBody;
      if (!response.ok || (body.errcode !== undefined && body.errcode !== 0)) {
        return { ok: false, error: `微信接口错误 ${body.errcode ?? response.status}：${String(body.errmsg ?? "").slice(0, 100)}` };
      }
      return { ok: true, body };
    } catch (error) {
      return { ok: false, error: `微信接口无法连接：${(error as Error).name}` };
    }
  }

  async exchangeCode(code: string) {
    const answer = await this.get("/sns/oauth2/access_token", {
      appid: this.settings.appId,
      secret: this.settings.appSecret,
      code,
      grant_type: "authorization_code",
    });
    if (!answer.ok) return answer;
    const { openid, access_token: accessToken, scope } = answer.body;
    if (typeof openid !== "string" || !/^[A-Za-z0-9_-]{6,64}$/.test(openid) || typeof accessToken !== "string") {
      return { ok: false as const, error: "微信没有给出有效的用户标识" };
    }
    return { ok: true as const, openid, accessToken, scope: typeof scope === "string" ? scope : "" };
  }

  async nickname(accessToken: string, openid: string) {
    const answer = await this.get("/sns/userinfo", { access_token: accessToken, openid, lang: "zh_CN" });
    return answer.ok && typeof answer.body.nickname === "string" ? answer.body.nickname.slice(0, 100) : null;
  }

  private expiring(answer: WechatAnswer<{ body: ApiBody }>, field: string): WechatAnswer<Expiring> {
    if (!answer.ok) return answer;
    const value = answer.body[field];
    const expiresIn = Number(answer.body.expires_in);
    if (typeof value !== "string" || !value || !(expiresIn > 0)) return { ok: false, error: "微信接口的回答缺少凭证或有效期" };
    return { ok: true, value, expiresIn };
  }

  async fetchAccessToken() {
    const answer = await this.get("/cgi-bin/token", { grant_type: "client_credential", appid: this.settings.appId, secret: this.settings.appSecret });
    return this.expiring(answer, "access_token");
  }

  async fetchJsapiTicket(accessToken: string) {
    return this.expiring(await this.get("/cgi-bin/ticket/getticket", { access_token: accessToken, type: "jsapi" }), "ticket");
  }
}

/** The configured driver, or null when WeChat is not configured (the default). */
export function wechatDriver(settings: WechatSettings | null = env().wechat): WechatDriver | null {
  return settings ? new HttpWechat(settings) : null;
}

/** WeChat's own browser says so in its user agent ("… MicroMessenger/8.0.47 …"); its web authorisation works only there. */
export function insideWechat(request: Request): boolean {
  return /MicroMessenger\//i.test(request.headers.get("user-agent") ?? "");
}

/**
 * The JS-SDK's signature of a page: SHA-1 of the four fields in this order, as WeChat's appendix 1
 * prescribes; the URL as the page has it, without its fragment.
 */
export function jsapiSignature(input: { ticket: string; nonceStr: string; timestamp: number; url: string }): string {
  const text = `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${input.url.split("#")[0]}`;
  return crypto.createHash("sha1").update(text).digest("hex");
}
