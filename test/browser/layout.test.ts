import type { Page } from "playwright-core";
import { describe, it, vi } from "vitest";
import { accessibilityFindings, baseUrl, formFindings, phonePage, signIn, useChromium } from "./browser";

// The city's crawl is the longest (twenty pages, each studio's ledger, statement and year among them), and it shares
// Chromium and the server with two other crawls (about two minutes here).
vi.setConfig({ testTimeout: 300_000 });

const browser = useChromium();

const PAGES: Record<string, string[]> = {
  // A visitor who is not signed in.
  // The demo's first craftsman agreed to be shown: their 台州工匠 certificate is public.
  // The demo's third 公示 of approved subsidies is the one open now.
  public: ["/", "/showcase", "/showcase/studios", "/verify", "/login", "/login/code", "/awards/TZGJ-2-001", "/subsidy-notice", "/subsidy-notice/3"],
  craftsman: ["/home", "/inbox", "/studios", "/subsidies", "/subsidies/new", "/events", "/checkin", "/account", "/awards/TZGJ-2-001", "/mentoring/payable"],
  expert: ["/home", "/inbox", "/review", "/account"],
  wenling: [
    "/home",
    "/inbox",
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
    "/dashboard/mentoring",
    "/mentoring/policy",
    "/mentoring/payable",
  ],
  admin: [
    "/home",
    "/todos",
    "/inbox",
    "/sms",
    "/dashboard",
    "/dashboard/mentoring",
    "/campaigns",
    "/users",
    "/users/new",
    "/audit",
    "/org-units",
    "/evaluations",
    "/subsidies",
    "/subsidies/policy",
    "/subsidies/schemes",
    "/subsidies/payments",
    "/subsidies/notices",
    "/mentoring/policy",
    "/mentoring/payable",
    "/publicity",
    "/experts",
    "/campaigns/1/experts",
    "/campaigns/1/vote",
    "/showcase",
    "/showcase/studios",
    "/verify",
  ],
};

/** In 大字版 every control is at least 44 px tall and the text at least 18 px. */
async function smallTargets(page: Page, path: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    if (parseFloat(getComputedStyle(document.body).fontSize) < 18) out.push(`body text ${getComputedStyle(document.body).fontSize}`);
    const controls = document.querySelectorAll<HTMLElement>(
      "button, .button, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, summary, nav a",
    );
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.height < 44) out.push(`${el.tagName.toLowerCase()} “${(el.textContent ?? "").trim().slice(0, 12)}” ${Math.round(box.height)}px`);
    }
    return out.slice(0, 5);
  });
  return found.map((f) => `${path}: ${f}`);
}

// The longest crawls (the city's, the county's) first, so the runs side by side end together.
const RUNS = Object.entries(PAGES)
  .reverse()
  .flatMap(([username, paths]) => [[username, "标准字号", paths] as const, [username, "大字版", paths] as const]);

describe("every page fits a 375 px phone in both text sizes, passes axe, runs without a script error and carries no stray bytes", () => {
  // Side by side (test/browser/vitest.config.ts: a few at a time): each page's wait for the network to rest overlaps another's checks.
  it.concurrent.for(RUNS)("as %s, %s", async ([username, size, paths], { expect, onTestFailed }) => {
    const large = size === "大字版";
    const page = await phonePage(browser(), `layout-${username}-${large ? "large" : "normal"}`, onTestFailed);
    if (large) await page.context().addCookies([{ name: "jx_text", value: "large", url: baseUrl() }]);
    // A page that renders on the server but breaks in the browser (say, a value imported from a
    // .server module) shows up as a script error after hydration.
    const scriptErrors: string[] = [];
    page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
        scriptErrors.push(`${page.url()}: ${message.text().slice(0, 200)}`);
    });
    if (username !== "public") {
      await signIn(page, username);
      await page.waitForURL(`${baseUrl()}/home`);
    }
    // Also the first record each list leads to, and the records those lead to.
    const records: string[] = [];
    const lists =
      username === "public" ? ["/showcase", "/showcase/studios"] : ["/studios", "/people", "/campaigns", "/subsidies", "/events", "/campaigns/1/nominations"];
    // 大字版 changes how pages look, not what they hold: its pass measures the main pages only.
    for (const list of large ? [] : lists) {
      const response = await page.goto(`${baseUrl()}${list}`);
      if (response?.status() !== 200) continue;
      const hrefs = await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      const first = hrefs.find((h) =>
        /^\/(studios|people|campaigns|subsidies|events|nominations|mentorships|showcase\/craftsmen|showcase\/studios)\/\d+$/.test(h),
      );
      if (first && !records.includes(first)) records.push(first);
    }
    // A studio's ledger, its statement and last year's plan, report and 验收, in both text sizes.
    const cycle: string[] = [];
    if (username !== "public" && username !== "expert") {
      await page.goto(`${baseUrl()}/studios`);
      const studio = (await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))).find((h) => /^\/studios\/\d+$/.test(h));
      const last = new Date().getFullYear() - 1;
      if (studio) cycle.push(`${studio}/funds`, `${studio}/funds/statement?year=${last}`, `${studio}/years/${last}`);
      // And the paper forms: the studio's application and its year's 考核表.
      if (studio) cycle.push(`${studio}/application`, `${studio}/years/${last}/print`);
      // And its first apprentice's pairing: the agreement, the log, the reviews and 出师考核 as the mentor or the officers see them.
      if (studio) {
        await page.goto(`${baseUrl()}${studio}`);
        const pairing = (await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))).find((h) =>
          /^\/mentorships\/\d+$/.test(h),
        );
        if (pairing) cycle.push(pairing);
      }
    }
    // The officers print the first application's 补助申请表 and the first event's 签到表 (an organiser's sheet).
    const prints =
      username === "wenling" || username === "admin"
        ? records.flatMap((r) => (/^\/subsidies\/\d+$/.test(r) ? [`${r}/print`] : /^\/events\/\d+$/.test(r) ? [`${r}/signin`] : []))
        : [];
    const overflowing: string[] = [];
    const stray: string[] = [];
    const findings: string[] = [];
    for (const path of [...paths, ...cycle, ...records, ...prints]) {
      const response = await page.goto(`${baseUrl()}${path}`);
      expect(response?.status(), path).toBe(200);
      // React 18 streams NUL bytes at 2 KB boundaries when a Chinese character falls on one; in an
      // attribute they turn into U+FFFD. Neither may reach a page, raw or as the browser parsed it.
      if (!large) {
        const body = await response!.body();
        if (body.includes(0)) stray.push(`${path}: NUL byte at ${body.indexOf(0)}`);
        if (body.toString("utf8").includes("\uFFFD")) stray.push(`${path}: U+FFFD in the page`);
        if (await page.evaluate(() => document.documentElement.outerHTML.includes("\uFFFD"))) stray.push(`${path}: U+FFFD in the DOM`);
      }
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) overflowing.push(`${path} (+${overflow}px)`);
      // Contrast and labels do not change with the text size; targets do.
      findings.push(...(large ? await smallTargets(page, path) : [...(await accessibilityFindings(page, path)), ...(await formFindings(page, path))]));
    }
    expect(overflowing).toEqual([]);
    expect(findings).toEqual([]);
    expect(stray).toEqual([]);
    expect(scriptErrors).toEqual([]);
    await page.context().close();
  });
});
