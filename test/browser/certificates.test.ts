import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { baseUrl, signedIn, useChromium } from "./browser";

const browser = useChromium();

/** The certificate's picture is an <img> filling the phone's width (no print in WeChat: it is long-pressed and saved). */
async function expectSavablePicture(page: Page) {
  const picture = page.locator("img.certificate-image");
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBe(1240);
  const box = (await picture.boundingBox())!;
  expect(box.width).toBeGreaterThan(300);
  expect(box.width).toBeLessThanOrEqual(375);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const src = (await picture.getAttribute("src"))!;
  const served = await page.request.get(baseUrl() + src);
  expect(served.headers()["content-type"]).toBe("image/png");
  expect((await sharp(await served.body()).metadata()).format).toBe("png");
  const pdf = await page.getByRole("link", { name: "下载 PDF" }).getAttribute("href");
  const file = await page.request.get(baseUrl() + pdf);
  expect(file.headers()["content-type"]).toBe("application/pdf");
  expect((await file.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
}

describe("certificates on a phone", () => {
  it("the craftsman finds their certificates on their own page and keeps each as a picture at 375 px", async () => {
    const page = await signedIn(browser(), "certificates-keep", "craftsman");
    await page.getByRole("link", { name: "我的全部证书" }).click();
    await page.waitForURL(/\/people\/\d+#certificates$/);
    const list = page.locator("#certificates");
    await expect.poll(() => list.getByRole("link").count()).toBeGreaterThanOrEqual(2);

    await list.getByRole("link", { name: /“台州工匠”荣誉证书/ }).click();
    await page.waitForURL(/\/awards\/[^/]+$/);
    await expectSavablePicture(page);
    expect(await page.locator("img.certificate-image").getAttribute("alt")).toMatch(/台州工匠.*证书编号/);

    await page.goBack();
    await list
      .getByRole("link", { name: /结业证书/ })
      .first()
      .click();
    await page.waitForURL(/\/certificates\/JX[A-Z0-9]{10}$/);
    await expectSavablePicture(page);
    await page.context().close();
  });
});
