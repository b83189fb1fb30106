import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcStandIn, type StandInProvider } from "../oidc-provider";
import { launchChromium, phonePage, signedIn } from "./browser";
import { startServer, type RunningServer } from "./server";

/**
 * Issue 36, item 1, end to end: the production server configured for single sign-on against a standard OpenID
 * provider on this machine. 温岭's officer presses the button, signs in on the provider's page and is told the
 * identity is not bound; the city binds it on the officer's account page; the officer presses the button again and
 * comes back signed in to their home page.
 */
let provider: StandInProvider;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The provider first (the server is pointed at it), then the client's redirect URI once the server's port is known.
  provider = await oidcStandIn({ redirectUri: "http://localhost/login/sso/callback", names: { "zzd-wenling": "陈晓燕（浙政钉）" } });
  server = await startServer(provider.env);
  await provider.redirectTo(`${server.url}/login/sso/callback`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.stop();
});

describe("single sign-on in the browser", () => {
  it("an officer signs in through the stand-in provider once the city has bound their identity", async () => {
    const officer = await phonePage(browser, "sso-officer");
    await officer.goto(`${server.url}/login`);
    await officer.getByRole("link", { name: "用浙政钉登录" }).click();
    // The provider's own sign-in page, on its own address.
    await officer.waitForURL((url) => url.href.startsWith(provider.issuer));
    await officer.locator('input[name="login"]').fill("zzd-wenling");
    await officer.locator('input[name="password"]').fill("provider-password");
    await officer.locator('button[type="submit"]').click();
    // Back with us: not bound yet, and no way in.
    await officer.waitForURL((url) => url.href.startsWith(`${server.url}/login/sso/callback`));
    await expect.poll(() => officer.getByRole("alert").textContent()).toBe("您的统一身份账号尚未绑定平台账号，请联系市总工会绑定");

    // The city finds 温岭's officer and binds the identity that just tried.
    const city = await signedIn(browser, "sso-city", "admin", server.url);
    await city.goto(`${server.url}/users?q=wenling`);
    await city.getByRole("link", { name: "wenling" }).first().click();
    await city.waitForURL(/\/users\/[a-z0-9]+$/);
    const waiting = await city.locator("option", { hasText: "陈晓燕（浙政钉）" }).getAttribute("value");
    await city.getByLabel("待绑定的统一身份账号（已尝试登录、尚未绑定）").selectOption(waiting!);
    await city.getByRole("button", { name: "绑定到此账号" }).click();
    await expect.poll(() => city.getByRole("status").first().textContent()).toContain("已绑定");
    await expect.poll(() => city.content()).toContain("已绑定：陈晓燕（浙政钉）");

    // The officer presses the button again: the provider knows them still, and they arrive home signed in.
    await officer.goto(`${server.url}/login`);
    await officer.getByRole("link", { name: "用浙政钉登录" }).click();
    await officer.waitForURL(`${server.url}/home`);
    await expect.poll(() => officer.getByRole("heading", { level: 1 }).textContent()).toContain("县级总工会");
    expect(await officer.getByRole("heading", { level: 1 }).textContent()).toContain("陈晓燕");
    await officer.context().close();
    await city.context().close();
  });
});
