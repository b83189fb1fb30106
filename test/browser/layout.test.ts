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
  wenling: [
    "/home",
    "/people",
    "/people/new",
    "/campaigns",
    "/studios",
    "/milestones/pending",
    "/evaluations",
    "/subsidies",
    "/events",
    "/events/new",
    "/dashboard",
  ],
  admin: [
    "/home",
    "/dashboard",
    "/campaigns",
    "/users",
    "/users/new",
    "/audit",
    "/org-units",
    "/evaluations",
    "/subsidies",
    "/subsidies/policy",
    "/publicity",
    "/showcase",
    "/showcase/studios",
    "/verify",
  ],
};

describe("every page fits a 375 px phone and runs without a script error", () => {
  it.each(Object.entries(PAGES))("as %s", async (username, paths) => {
    const page = await phonePage(browser, `layout-${username}`);
    // A page that renders on the server but breaks in the browser (say, a value imported from a
    // .server module) shows up as a script error after hydration.
    const scriptErrors: string[] = [];
    page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
        scriptErrors.push(`${page.url()}: ${message.text().slice(0, 200)}`);
    });
    await signIn(page, username);
    await page.waitForURL(`${baseUrl()}/home`);
    // Also the first record each list leads to, and the records those lead to.
    const records: string[] = [];
    for (const list of ["/studios", "/people", "/campaigns", "/subsidies", "/events", "/campaigns/1/nominations"]) {
      const response = await page.goto(`${baseUrl()}${list}`);
      if (response?.status() !== 200) continue;
      const hrefs = await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      const first = hrefs.find((h) => /^\/(studios|people|campaigns|subsidies|events|nominations|mentorships)\/\d+$/.test(h));
      if (first && !records.includes(first)) records.push(first);
    }
    const overflowing: string[] = [];
    for (const path of [...paths, ...records]) {
      const response = await page.goto(`${baseUrl()}${path}`);
      expect(response?.status(), path).toBe(200);
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) overflowing.push(`${path} (+${overflow}px)`);
    }
    expect(overflowing).toEqual([]);
    expect(scriptErrors).toEqual([]);
    await page.context().close();
  });
});
