import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { wechatStandIn, type WechatStandIn } from "../../../test/wechat-stand-in";
import { env } from "~db/env";
import { jsapiSignature, wechatDriver, type WechatDriver } from "~/lib/wechat.server";
import { credential, refreshWechatCredentials, shareConfig } from "~/modules/wechat/tokens.server";

/** The JS-SDK's credentials against the WeChat stand-in: cached for every process, renewed before they run out, one refresher at a time. */
const t = useTestDb();
let wx: WechatStandIn;
let driver: WechatDriver;

beforeAll(async () => {
  wx = await wechatStandIn();
  driver = wechatDriver(env(wx.env).wechat)!;
});
afterAll(() => wx.close());

const minutes = (start: Date, n: number) => new Date(start.getTime() + n * 60_000);
const fetched = () => ({ token: wx.calls["/cgi-bin/token"] ?? 0, ticket: wx.calls["/cgi-bin/ticket/getticket"] ?? 0 });

describe("the JS-SDK's signature", () => {
  it("is WeChat's documented example", () => {
    // 微信 JS-SDK 说明文档，附录1 的示例。
    expect(
      jsapiSignature({
        ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
        nonceStr: "Wm3WZYTPz0wzccnW",
        timestamp: 1414587457,
        url: "http://mp.weixin.qq.com?params=value#fragment",
      }),
    ).toBe("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
  });
});

describe("the access_token and jsapi_ticket", () => {
  it("are fetched once, kept encrypted and shared, renewed by the tick when ten minutes are left, and by a page only when they run out", async () => {
    const start = new Date("2026-06-01T02:00:00Z");
    const before = fetched();
    const first = await credential(t.db, driver, "jsapi_ticket", start);
    expect(first).toEqual({ ok: true, value: wx.ticket() });
    expect(fetched()).toEqual({ token: before.token + 1, ticket: before.ticket + 1 });
    const stored = await t.db.selectFrom("wechat_token").select(["kind", "value"]).orderBy("kind").execute();
    expect(stored.map((s) => s.kind)).toEqual(["access_token", "jsapi_ticket"]);
    expect(stored.some((s) => s.value.includes("ticket") || s.value.includes("token"))).toBe(false);

    // Within its two hours, pages and the tick use the stored ticket.
    expect(await credential(t.db, driver, "jsapi_ticket", minutes(start, 100))).toEqual(first);
    await refreshWechatCredentials(t.db, driver, minutes(start, 100));
    expect(fetched()).toEqual({ token: before.token + 1, ticket: before.ticket + 1 });
    // With nine minutes left the tick renews both; a page never had to wait.
    await refreshWechatCredentials(t.db, driver, minutes(start, 111));
    expect(fetched()).toEqual({ token: before.token + 2, ticket: before.ticket + 2 });
    const renewed = await credential(t.db, driver, "jsapi_ticket", minutes(start, 119));
    expect(renewed).toEqual({ ok: true, value: wx.ticket() });
    expect(renewed).not.toEqual(first);
    // Had the tick not run, a page fetches when the ticket is out.
    await credential(t.db, driver, "jsapi_ticket", minutes(start, 111 + 121));
    expect(fetched()).toEqual({ token: before.token + 3, ticket: before.ticket + 3 });
  });

  it("are fetched by one refresher while the others wait for its answer", async () => {
    await t.db.deleteFrom("wechat_token").execute();
    const before = fetched();
    wx.delayMs = 300;
    try {
      const now = new Date("2026-06-02T02:00:00Z");
      const answers = await Promise.all(Array.from({ length: 5 }, () => credential(t.db, driver, "jsapi_ticket", now)));
      expect(new Set(answers.map((a) => (a.ok ? a.value : a.message)))).toEqual(new Set([wx.ticket()]));
      expect(fetched()).toEqual({ token: before.token + 1, ticket: before.ticket + 1 });
    } finally {
      wx.delayMs = 0;
    }
  });

  it("are taken, not fetched again, by a caller that found none just before another refresher stored its answer", async () => {
    await t.db.deleteFrom("wechat_token").execute();
    const now = new Date("2026-06-04T02:00:00Z");
    // This caller's first look finds nothing and its answer reaches it only after the other's refresh is stored.
    let held = false;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const late = t.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (!held) {
          held = true;
          await released;
        }
        return args.result;
      },
    });
    const before = fetched();
    const slow = credential(late, driver, "jsapi_ticket", now);
    await expect.poll(() => held).toBe(true);
    const quick = await credential(t.db, driver, "jsapi_ticket", now);
    release();
    expect(await slow).toEqual(quick);
    expect(fetched()).toEqual({ token: before.token + 1, ticket: before.ticket + 1 });
  });

  it("say so when WeChat fails, ask again a minute later (not at every tick), and then go through", async () => {
    await t.db.deleteFrom("wechat_token").execute();
    wx.failing.add("/cgi-bin/token");
    const now = new Date("2026-06-03T02:00:00Z");
    try {
      expect(await credential(t.db, driver, "jsapi_ticket", now)).toMatchObject({ ok: false, message: "微信服务暂时不可用，请稍后再试" });
      const asked = fetched();
      await refreshWechatCredentials(t.db, driver, minutes(now, 0.5));
      expect(fetched()).toEqual(asked);
    } finally {
      wx.failing.clear();
    }
    expect(await shareConfig(t.db, driver, "http://localhost:3000/vote/1", minutes(now, 2))).toMatchObject({ ok: true, config: { appId: wx.appId } });
  });
});
