import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it, vi } from "vitest";
import { baseUrl, phonePage, signIn, useChromium } from "./browser";

// The city's crawl is the longest (twenty pages, each studio's ledger, statement and year among them).
vi.setConfig({ testTimeout: 150_000 });

const browser = useChromium();

const PAGES: Record<string, string[]> = {
  // A visitor who is not signed in.
  // The demo's first craftsman agreed to be shown: their 台州工匠 certificate is public.
  public: ["/", "/showcase", "/showcase/studios", "/verify", "/login", "/awards/TZGJ-2-001"],
  craftsman: ["/home", "/inbox", "/studios", "/subsidies", "/subsidies/new", "/events", "/checkin", "/account", "/awards/TZGJ-2-001"],
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
  ],
  admin: [
    "/home",
    "/todos",
    "/inbox",
    "/sms",
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
    "/experts",
    "/campaigns/1/experts",
    "/campaigns/1/vote",
    "/showcase",
    "/showcase/studios",
    "/verify",
  ],
};

/** WCAG 2.1 AA as axe reads it; serious and critical findings fail the crawl. */
async function accessibilityFindings(page: Page, path: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(" ")}`);
}

/**
 * Each field of a page has a name of its own (two "理由" boxes cannot be told apart by a screen
 * reader), and a table frame that scrolls sideways says so.
 */
async function formFindings(page: Page, path: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    const names = [...document.querySelectorAll<HTMLInputElement>("main input:not([type=hidden]), main select, main textarea")]
      .filter((el) => el.getBoundingClientRect().width > 0)
      .map((el) => (el.labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? "").replace(/\s+/g, " ").trim());
    for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) out.push(`two fields named “${name}”`);
    for (const frame of document.querySelectorAll(".table-wrap")) {
      if (frame.scrollWidth > frame.clientWidth + 1 && !frame.previousElementSibling?.classList.contains("scroll-hint"))
        out.push("a table scrolls without saying so");
    }
    return out;
  });
  return found.map((f) => `${path}: ${f}`);
}

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

const RUNS = Object.entries(PAGES).flatMap(([username, paths]) => [[username, "标准字号", paths] as const, [username, "大字版", paths] as const]);

describe("every page fits a 375 px phone in both text sizes, passes axe, runs without a script error and carries no stray bytes", () => {
  it.each(RUNS)("as %s, %s", async (username, size, paths) => {
    const large = size === "大字版";
    const page = await phonePage(browser(), `layout-${username}-${large ? "large" : "normal"}`);
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
