import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, signedIn, useChromium } from "./browser";

const browser = useChromium();

/** Each phone card's cells: the label's alignment and left edge, and where the value starts. */
const cardCells = (page: Page, selector: string) =>
  page.locator(`${selector} tbody td`).evaluateAll((cells) =>
    cells.map((td) => {
      const label = getComputedStyle(td, "::before");
      const value = document.createRange();
      value.selectNodeContents(td);
      return {
        label: td.getAttribute("data-label"),
        num: td.classList.contains("num"),
        labelAlign: label.textAlign,
        labelWidth: label.width,
        valueLeft: Math.round(value.getBoundingClientRect().left - td.getBoundingClientRect().left),
      };
    }),
  );

describe("phone cards at 375 px", () => {
  it("label figures like every other field, and the studio's 年度考核 is a labelled card that fits", async () => {
    const page = await signedIn(browser(), "phone-cards", "admin");
    await page.goto(`${baseUrl()}/campaigns`);
    const cells = await cardCells(page, "table.responsive");
    expect(cells.some((c) => c.num)).toBe(true);
    // Every label reads from the left, and every value starts where the others do.
    expect(cells.filter((c) => c.labelAlign !== "left" && c.labelAlign !== "start").map((c) => c.label)).toEqual([]);
    expect(new Set(cells.map((c) => c.valueLeft)).size).toBe(1);

    // The demo craftsman's studio (1) has last year's report still to file; the next ones are graded.
    const card = page.locator(".card").filter({ has: page.getByRole("heading", { name: "年度考核", exact: true }) });
    for (let id = 2; id < 8 && !(await card.count()); id++) await page.goto(`${baseUrl()}/studios/${id}`);
    expect(await card.count()).toBe(1);
    const evaluation = await card.locator("tbody td").evaluateAll((cells) => cells.map((td) => td.getAttribute("data-label")));
    expect(evaluation.length).toBeGreaterThan(0);
    expect(evaluation.filter((l) => !l)).toEqual([]);
    expect(await card.evaluate((c) => c.scrollWidth - c.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
