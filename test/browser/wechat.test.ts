import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DB } from "../../db";
import { lookupHash, resetKeyCache } from "../../app/modules/people/pii.server";
import { scratchDatabase } from "../pg";
import { handsets } from "../aliyun-sms";
import { wechatStandIn, type WechatStandIn } from "../wechat-stand-in";
import { hydrated, launchChromium } from "./browser";
import { startServer, type RunningServer } from "./server";

/**
 * Issue 36's WeChat journey end to end: the production server on PostgreSQL, an SMS provider's
 * stand-in (the craftsman's phone) and a WeChat stand-in (WeChat's authorisation page, which sends
 * the phone straight back as if the person had agreed), in a phone whose browser says it is WeChat's.
 */
const WECHAT_UA =
  "Mozilla/5.0 (Linux; Android 13; V2238A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";
const PHONE = "13957612345";

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let browser: Browser;
let server: RunningServer;
let db: DB;
let phones: Awaited<ReturnType<typeof handsets>>;
let wechat: WechatStandIn;
let craftsmanName: string;

beforeAll(async () => {
  scratch = await scratchDatabase("jiangxin_wechat");
  phones = await handsets();
  wechat = await wechatStandIn();
  const key = crypto.randomBytes(32).toString("base64");
  server = await startServer({ DATABASE_URL: scratch.url, APP_ENCRYPTION_KEY: key, ...phones.env, ...wechat.env });
  db = createDb({ databaseUrl: scratch.url });
  browser = await launchChromium();
  // The scene: the demo craftsman's record carries this number (hashed with the server's key, as the server does).
  process.env.APP_ENCRYPTION_KEY = key;
  resetKeyCache();
  const craftsman = await db
    .selectFrom("app_user")
    .innerJoin("person", "person.id", "app_user.person_id")
    .select(["person.id", "person.name"])
    .where("app_user.username", "=", "craftsman")
    .executeTakeFirstOrThrow();
  craftsmanName = craftsman.name;
  await db
    .updateTable("person")
    .set({ phone_hash: lookupHash(PHONE), phone_masked: "139****2345" })
    .where("id", "=", craftsman.id)
    .execute();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
  await server?.stop();
  await scratch?.drop();
  phones?.close();
  await wechat?.close();
  delete process.env.APP_ENCRYPTION_KEY;
  resetKeyCache();
});

async function wechatPhone(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN", userAgent: WECHAT_UA });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) errors.push(`${page.url()}: ${message.text()}`);
  });
  return { page, errors };
}

describe("WeChat in the browser", () => {
  it("a craftsman signs in by phone code and binds WeChat, signs out, then signs in with one tap", async () => {
    const { page, errors } = await wechatPhone();
    wechat.as("o-browser-craftsman", "王师傅");

    // Signed in by the code sent to the number on their record.
    await page.goto(`${server.url}/login/code`);
    await hydrated(page);
    await page.getByLabel("手机号码").fill(PHONE);
    const signInCode = await phones.codeSentBy(PHONE, () => page.getByRole("button", { name: "获取验证码" }).click());
    await page.getByLabel("短信验证码").waitFor();
    await page.getByLabel("短信验证码").fill(signInCode);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL(`${server.url}/home`);

    // /account leads to the binding; WeChat asks consent (the stand-in agrees) and comes back for the phone check.
    await page.goto(`${server.url}/account`);
    await hydrated(page);
    await page.getByText("尚未绑定微信").waitFor();
    await page.getByRole("link", { name: "绑定微信" }).click();
    await page.waitForURL(`${server.url}/account/wechat`);
    await page.getByRole("link", { name: "绑定微信" }).click();
    // Back from WeChat (its address's #wechat_redirect stays on through the redirects, as in WeChat).
    await page.waitForURL((url) => url.pathname === "/account/wechat" && url.hash === "#wechat_redirect");
    await hydrated(page);
    await page.getByText("即将绑定微信“王师傅”").waitFor();
    await page.getByLabel("手机号码").fill(PHONE);
    // One code for the binding, to the number on the record.
    const bindCode = await phones.codeSentBy(PHONE, () => page.getByRole("button", { name: "获取验证码" }).click());
    await page.getByLabel("短信验证码").waitFor();
    await page.getByLabel("短信验证码").fill(bindCode);
    await page.getByRole("button", { name: "验证并绑定" }).click();
    await page.getByRole("status").filter({ hasText: "已绑定微信，以后在微信中可一键登录" }).waitFor();
    await page.goto(`${server.url}/account`);
    await page.getByText("已绑定微信“王师傅”").waitFor();

    // Signed out, /login inside WeChat offers the one tap, and one tap it is.
    await page.evaluate(() => fetch("/logout", { method: "POST" }));
    await page.goto(`${server.url}/login`);
    await hydrated(page);
    await page.getByRole("link", { name: "微信一键登录" }).click();
    await page.waitForURL((url) => url.pathname === "/home");
    await page
      .getByRole("link", { name: new RegExp(craftsmanName) })
      .first()
      .waitFor();
    const bound = await db.selectFrom("wechat_identity").select(["nickname", "last_sign_in_at"]).execute();
    expect(bound).toEqual([{ nickname: "王师傅", last_sign_in_at: expect.any(Date) }]);

    // A public page inside WeChat asks for its share card's signature, and nothing breaks the script policy.
    const signed = page.waitForResponse((r) => r.url().includes("/wechat/share?url="));
    await page.goto(`${server.url}/showcase`);
    expect((await signed).status()).toBe(200);
    await hydrated(page);
    expect(errors).toEqual([]);
  }, 120_000);
});
