import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, inject, onTestFailed } from "vitest";

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

/** The file's one Chromium, started before its tests and closed after them; call it inside a test. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium is started in beforeAll: use it inside a test");
    return browser;
  };
}

/** Fills fields by their labels, in order, as a person would: a choice picked where the field is a select, text typed elsewhere. */
export async function fillIn(form: Page | Locator, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label);
    if ((await field.evaluate((element) => element.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
}

/** A 1×1 PNG: the smallest photo an upload field takes. */
export const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

/**
 * A phone-sized page that saves a screenshot under test-results/ when its test fails. Tests run side
 * by side pass their own context's `onTestFailed`: the imported one finds its test only while one runs at a time.
 */
export async function phonePage(browser: Browser, name: string, onFailed: typeof onTestFailed = onTestFailed): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN" });
  const page = await context.newPage();
  onFailed(async () => {
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

/** Signs in by password on the shared server, or on `base` (a test's server of its own). */
export async function signIn(page: Page, username: string, password = "Jiangxin-2026", base = baseUrl()) {
  await page.goto(`${base}/login`);
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** A phone page of its own, signed in and on the home page (of the shared server, or of `base`). */
export async function signedIn(browser: Browser, name: string, username: string, base = baseUrl()): Promise<Page> {
  const page = await phonePage(browser, name);
  await signIn(page, username, undefined, base);
  await page.waitForURL(`${base}/home`);
  return page;
}

/**
 * Keyboard only: presses Tab until the focused control is the one named (its label, aria-label or
 * text), and checks that the focus can be seen there. Fails when `limit` presses do not reach it.
 */
export async function tabTo(page: Page, name: string | RegExp, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? el.textContent ?? "";
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
      return { label: label.replace(/\s+/g, " ").trim(), visible };
    });
    if (!focused) continue;
    if (typeof name === "string" ? focused.label.startsWith(name) : name.test(focused.label)) {
      if (!focused.visible) throw new Error(`“${focused.label}”获得焦点时看不出焦点位置`);
      return;
    }
  }
  throw new Error(`按 Tab 键${limit}次仍未到达“${String(name)}”`);
}

/** WCAG 2.1 AA as axe reads it; serious and critical findings fail the crawl. */
export async function accessibilityFindings(page: Page, path: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(" ")}`);
}

/**
 * Each field of a page has a name of its own (two "理由" boxes cannot be told apart by a screen
 * reader), and a table frame that scrolls sideways says so.
 */
export async function formFindings(page: Page, path: string): Promise<string[]> {
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
