import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * WeChat as a local server, as far as the platform uses it (issue 36): the web authorisation
 * (/connect/oauth2/authorize, which sends the phone straight back as if the person had agreed), the
 * code's exchange for the openid, the nickname, and the official account's access_token and
 * jsapi_ticket. Who "is holding the phone" is the test's to set (`as`); it counts every call, and can
 * be told to answer slowly, to fail, or to hand out credentials with a given lifetime.
 */
export interface WechatStandIn {
  /** WECHAT_* variables that point the platform at this stand-in. */
  env: Record<string, string>;
  appId: string;
  /** The WeChat user the next authorisation is for. */
  as(openid: string, nickname?: string): void;
  /** Calls per path. */
  calls: Record<string, number>;
  /** Seconds the next access_token and jsapi_ticket live (WeChat's 7200 by default). */
  expiresIn: number;
  /** Paths that answer WeChat's system error until cleared. */
  failing: Set<string>;
  /** Milliseconds the credential paths wait before answering. */
  delayMs: number;
  /** The jsapi_ticket handed out last. */
  ticket(): string | null;
  close(): Promise<void>;
}

export async function wechatStandIn(): Promise<WechatStandIn> {
  const appId = "wx0123456789abcdef";
  const secret = "stand-in-secret";
  let user = { openid: "o-stand-in-default-user", nickname: "微信用户" };
  const codes = new Map<string, { openid: string; nickname: string; scope: string }>();
  const webTokens = new Map<string, { openid: string; nickname: string; scope: string }>();
  let accessToken: string | null = null;
  let lastTicket: string | null = null;
  let serial = 0;
  const calls: Record<string, number> = {};

  const state: WechatStandIn = {
    env: {},
    appId,
    as: (openid, nickname = "微信用户") => void (user = { openid, nickname }),
    calls,
    expiresIn: 7200,
    failing: new Set(),
    delayMs: 0,
    ticket: () => lastTicket,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    calls[url.pathname] = (calls[url.pathname] ?? 0) + 1;
    const q = (name: string) => url.searchParams.get(name) ?? "";
    const answer = (body: object) => {
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.end(JSON.stringify(body));
    };
    if (state.failing.has(url.pathname)) return answer({ errcode: -1, errmsg: "system error" });
    switch (url.pathname) {
      case "/connect/oauth2/authorize": {
        if (q("appid") !== appId || q("response_type") !== "code" || !/^snsapi_(base|userinfo)$/.test(q("scope"))) {
          res.statusCode = 400;
          return res.end("bad request");
        }
        const code = `code${++serial}${Math.random().toString(36).slice(2, 10)}`;
        codes.set(code, { ...user, scope: q("scope") });
        const back = new URL(q("redirect_uri"));
        back.searchParams.set("code", code);
        back.searchParams.set("state", q("state"));
        res.statusCode = 302;
        res.setHeader("Location", back.toString());
        return res.end();
      }
      case "/sns/oauth2/access_token": {
        if (q("appid") !== appId || q("secret") !== secret) return answer({ errcode: 40125, errmsg: "invalid appsecret" });
        const granted = codes.get(q("code"));
        // A code is good once, as WeChat's are.
        codes.delete(q("code"));
        if (!granted || q("grant_type") !== "authorization_code") return answer({ errcode: 40029, errmsg: "invalid code" });
        const token = `web${++serial}`;
        webTokens.set(token, granted);
        return answer({ access_token: token, expires_in: 7200, refresh_token: `r${token}`, openid: granted.openid, scope: granted.scope });
      }
      case "/sns/userinfo": {
        const granted = webTokens.get(q("access_token"));
        if (!granted || granted.openid !== q("openid") || granted.scope !== "snsapi_userinfo") return answer({ errcode: 40001, errmsg: "invalid credential" });
        return answer({ openid: granted.openid, nickname: granted.nickname, sex: 0, headimgurl: "" });
      }
      case "/cgi-bin/token": {
        if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
        if (q("appid") !== appId || q("secret") !== secret || q("grant_type") !== "client_credential")
          return answer({ errcode: 40125, errmsg: "invalid appsecret" });
        accessToken = `token${++serial}`;
        return answer({ access_token: accessToken, expires_in: state.expiresIn });
      }
      case "/cgi-bin/ticket/getticket": {
        if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
        if (!accessToken || q("access_token") !== accessToken || q("type") !== "jsapi") return answer({ errcode: 40001, errmsg: "invalid credential" });
        lastTicket = `ticket${++serial}`;
        return answer({ errcode: 0, errmsg: "ok", ticket: lastTicket, expires_in: state.expiresIn });
      }
      default:
        res.statusCode = 404;
        return res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.env = { WECHAT_APP_ID: appId, WECHAT_APP_SECRET: secret, WECHAT_OAUTH_URL: base, WECHAT_API_URL: base };
  return state;
}
