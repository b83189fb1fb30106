import { describe, expect, it } from "vitest";
import { baseUrl, signedIn, useChromium } from "./browser";

const browser = useChromium();

describe("the dashboard", () => {
  it("draws its charts after hydration, with the numbers in tables", async () => {
    const page = await signedIn(browser(), "dashboard", "admin");
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${baseUrl()}/dashboard`);
    await expect.poll(() => page.locator(".chart-card svg.recharts-surface").count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
    // Bars and lines are really drawn, not just empty frames.
    await expect.poll(() => page.locator(".recharts-bar-rectangle, .recharts-line-curve").count()).toBeGreaterThan(5);
    expect(await page.locator(".chart-table").count()).toBe(12);
    await page.locator(".chart-table summary").first().click();
    expect(await page.locator(".chart-table").first().textContent()).toContain("规划进度");
    expect(await page.locator(".kpi").first().textContent()).toContain("目标 100");
    await page.context().close();
  });
});
