import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { inject, onTestFailed } from "vitest";

export const baseUrl = () => inject("baseUrl");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A phone-sized page that saves a screenshot under test-results/ when its test fails. */
export async function phonePage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN" });
  const page = await context.newPage();
  onTestFailed(async () => {
    const dir = path.resolve("test-results");
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true }).catch(() => {});
  });
  return page;
}

/** Waits until the page's scripts have taken over (before that, a change event can be lost). */
export async function hydrated(page: Page) {
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
}

export async function signIn(page: Page, username: string, password = "Jiangxin-2026") {
  await page.goto(`${baseUrl()}/login`);
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** A phone page of its own, signed in and on the home page. */
export async function signedIn(browser: Browser, name: string, username: string): Promise<Page> {
  const page = await phonePage(browser, name);
  await signIn(page, username);
  await page.waitForURL(`${baseUrl()}/home`);
  return page;
}
