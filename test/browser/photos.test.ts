import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { EVIDENCE_MAX_BYTES } from "~/lib/files";
import { baseUrl, hydrated, signedIn, useChromium } from "./browser";

const browser = useChromium();

/** The demo craftsman's first apprentice's page, where milestones and their evidence are filed. */
async function firstMentorship(name: string) {
  const page = await signedIn(browser(), name, "craftsman");
  await page.getByRole("link", { name: /我的工作室/ }).click();
  await page.locator("td[data-label='学徒'] a").first().click();
  await page.waitForURL(/\/mentorships\/\d+$/);
  await hydrated(page);
  return page;
}

describe("a phone's photo", () => {
  it("is shrunk in the page before it is sent, listed as a thumbnail and opens fitted to a 375 px screen", async () => {
    // A camera photo as phones take them: 4000×3000, well over the 5 MB a stored file may weigh.
    const camera = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: "#888", noise: { type: "gaussian", mean: 128, sigma: 60 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(camera.length).toBeGreaterThan(EVIDENCE_MAX_BYTES);

    const page = await firstMentorship("photo-shrunk");
    await page.getByLabel("成果日期").fill("2026-03-02");
    await page.getByLabel("新等级").selectOption("技师");
    await page.getByLabel("证书编号").fill("ZJ2026-PHOTO");
    await page.locator("input[name=evidence]").setInputFiles({ name: "IMG_2041.JPG", mimeType: "image/jpeg", buffer: camera });
    await expect.poll(() => page.getByRole("status").filter({ hasText: "照片已压缩" }).count()).toBe(1);

    // What the form sends is the shrunk photo, not the camera's 4000 px.
    const inForm = await page
      .locator("input[name=evidence]")
      .evaluate((input: HTMLInputElement) => [...input.files!].map((f) => ({ name: f.name, type: f.type, size: f.size })));
    expect(inForm).toEqual([{ name: "IMG_2041.jpg", type: "image/jpeg", size: expect.any(Number) }]);
    expect(inForm[0].size).toBeLessThan(EVIDENCE_MAX_BYTES);
    const posted = page.waitForRequest((request) => request.method() === "POST" && request.url().includes("/mentorships/"));
    await page.getByRole("button", { name: "登记成果" }).click();
    expect(Number((await (await posted).allHeaders())["content-length"] ?? inForm[0].size)).toBeLessThan(EVIDENCE_MAX_BYTES);
    const thumb = page.locator(".milestone").filter({ hasText: "ZJ2026-PHOTO" }).locator(".file-thumb img");
    await expect.poll(() => thumb.count(), { timeout: 20_000 }).toBe(1);
    const onRecord = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(onRecord.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    // The list shows a small rendition, not the stored photo.
    const thumbSrc = (await thumb.getAttribute("src"))!;
    expect(thumbSrc).toMatch(/^\/evidence\/\d+\?size=thumb$/);
    const small = await sharp(await (await page.request.get(baseUrl() + thumbSrc)).body()).metadata();
    expect(Math.max(small.width!, small.height!)).toBeLessThanOrEqual(320);
    const stored = await page.request.get(baseUrl() + thumbSrc.replace("?size=thumb", ""));
    const full = await stored.body();
    expect(full.length).toBeLessThanOrEqual(EVIDENCE_MAX_BYTES);
    const seen = await sharp(full).metadata();
    expect([seen.format, seen.width, seen.height]).toEqual(["jpeg", 2560, 1920]);

    // Tapped, it opens scaled to the phone's screen, the original a link away.
    await thumb.click();
    await page.waitForURL(/\/photo\?/);
    const shown = page.locator(".photo-viewer img");
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2560);
    const box = (await shown.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.getByRole("link", { name: "查看原图" }).getAttribute("href")).toBe(thumbSrc.replace("?size=thumb", ""));
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
    await page.context().close();
  });

  it("sends an iPhone HEIC the browser cannot draw as it is, and the server (in its worker thread) keeps it as a JPEG", async () => {
    const page = await firstMentorship("photo-heic");
    await page.getByLabel("成果日期").fill("2026-03-04");
    await page.getByLabel("新等级").selectOption("技师");
    await page.getByLabel("证书编号").fill("ZJ2026-HEIC");
    const heic = readFileSync(new URL("../fixtures/phone.heic", import.meta.url));
    await page.locator("input[name=evidence]").setInputFiles({ name: "IMG_0042.HEIC", mimeType: "image/heic", buffer: heic });
    await page.getByRole("button", { name: "登记成果" }).click();
    const thumb = page.locator(".milestone").filter({ hasText: "ZJ2026-HEIC" }).locator(".file-thumb img");
    await expect.poll(() => thumb.count(), { timeout: 30_000 }).toBe(1);
    expect(await thumb.getAttribute("alt")).toBe("IMG_0042.jpg");
    const stored = await (await page.request.get(baseUrl() + (await thumb.getAttribute("src"))!.replace("?size=thumb", ""))).body();
    expect((await sharp(stored).metadata()).format).toBe("jpeg");
    await page.context().close();
  });

  it("names a file too big before anything is sent", async () => {
    const page = await firstMentorship("photo-too-big");
    let posted = false;
    page.on("request", (request) => {
      if (request.method() === "POST") posted = true;
    });
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(EVIDENCE_MAX_BYTES + 1024, 0x20)]);
    await page.getByLabel("成果日期").fill("2026-03-03");
    await page.getByLabel("新等级").selectOption("技师");
    await page.getByLabel("证书编号").fill("ZJ2026-BIG");
    await page.locator("input[name=evidence]").setInputFiles({ name: "扫描件.pdf", mimeType: "application/pdf", buffer: pdf });
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "扫描件.pdf" }).textContent()).toContain("超过 5.0 MB");
    await page.getByRole("button", { name: "登记成果" }).click();
    expect(posted).toBe(false);
    await page.context().close();
  });
});
