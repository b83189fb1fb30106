import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchChromium, phonePage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES: Record<string, string[]> = {
  craftsman: ["/home", "/studios", "/subsidies", "/subsidies/new", "/events", "/checkin", "/account"],
  wenling: ["/home", "/people", "/people/new", "/campaigns", "/studios", "/milestones/pending", "/evaluations", "/subsidies", "/events", "/events/new"],
  admin: ["/home", "/campaigns", "/users", "/users/new", "/audit", "/org-units", "/evaluations", "/subsidies", "/subsidies/policy"],
};

describe("every page fits a 375 px phone", () => {
  it.each(Object.entries(PAGES))("as %s", async (username, paths) => {
    const page = await phonePage(browser, `layout-${username}`);
    await signIn(page, username);
    await page.waitForURL(`${baseUrl()}/home`);
    // Also the first record each list leads to.
    await page.goto(`${baseUrl()}/studios`);
    const studio = await page.locator("td[data-label='工作室'] a").first().getAttribute("href");
    const overflowing: string[] = [];
    for (const path of [...paths, ...(studio ? [studio] : [])]) {
      const response = await page.goto(`${baseUrl()}${path}`);
      expect(response?.status(), path).toBe(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) overflowing.push(`${path} (+${overflow}px)`);
    }
    expect(overflowing).toEqual([]);
    await page.context().close();
  });
});
