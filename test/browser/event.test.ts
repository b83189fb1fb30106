import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, hydrated, signedIn, tabTo, useChromium } from "./browser";

const browser = useChromium();

/** A datetime-local value in Beijing time, minutes from now. */
const local = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);

/** Fills the open 组织活动 form for an event at 温岭市职工服务中心, minutes from now, creates it and waits for its page. */
async function createEvent(organiser: Page, title: string, kind: string, startsIn: number, endsIn: number) {
  await organiser.getByLabel("活动名称").fill(title);
  await organiser.getByLabel("活动类型").selectOption(kind);
  await organiser.getByLabel("开始时间").fill(local(startsIn));
  await organiser.getByLabel("结束时间").fill(local(endsIn));
  await organiser.getByLabel("地点或线上渠道").fill("温岭市职工服务中心");
  await organiser.getByRole("button", { name: "创建活动" }).click();
  await organiser.waitForURL(/\/events\/\d+$/);
}

/** Reads the QR code drawn in `selector` back to its text, as a phone camera would. */
async function decodeQr(page: Page, selector: string): Promise<string | null> {
  const image = await page.evaluate(async (sel) => {
    const svg = document.querySelector(`${sel} svg`)!;
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 400;
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, 400, 400);
    context.drawImage(img, 0, 0, 400, 400);
    return Array.from(context.getImageData(0, 0, 400, 400).data);
  }, selector);
  return jsQR(Uint8ClampedArray.from(image), 400, 400)?.data ?? null;
}

describe("an exchange event in the browser", () => {
  it("温岭 runs an event, the craftsman checks in on a phone with its code, and a certificate passes the public check", async () => {
    const organiser = await signedIn(browser(), "event-organise", "wenling");
    await organiser.goto(`${baseUrl()}/events`);
    await organiser.getByRole("link", { name: "组织活动" }).click();
    await createEvent(organiser, "数控刀具刃磨现场交流", "skill_exchange", -15, 120);
    const code = (await organiser.getByLabel("签到码").textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);

    const craftsman = await signedIn(browser(), "event-checkin", "craftsman");
    await craftsman.goto(`${baseUrl()}/events`);
    await craftsman.getByRole("link", { name: "扫码/输码签到" }).click();
    await craftsman.getByLabel(/签到码/).fill("ZZZZZZ");
    await craftsman.getByRole("button", { name: "签到" }).click();
    await expect.poll(() => craftsman.getByRole("alert").first().textContent()).toContain("签到码不正确");
    // The right code, by keyboard alone: clear the wrong one, type it in lower case, press Enter.
    await craftsman.reload();
    await hydrated(craftsman);
    await tabTo(craftsman, /签到码/);
    await craftsman.keyboard.type(code.toLowerCase());
    await craftsman.keyboard.press("Enter");
    await expect.poll(() => craftsman.getByRole("status").first().textContent()).toContain("签到成功");

    await organiser.reload();
    await expect.poll(() => organiser.locator("main").textContent()).toContain("签到 1 人");

    // The seeded exchange last month: the craftsman's certificate, checked by anyone.
    await craftsman.goto(`${baseUrl()}/events`);
    await craftsman.getByRole("link", { name: "精密加工技艺切磋会" }).click();
    await craftsman.getByRole("link", { name: "查看证书" }).click();
    await craftsman.waitForURL(/\/certificates\/JX[A-Z0-9]{10}$/);
    const certificateCode = craftsman.url().split("/").pop()!;
    expect(await craftsman.locator(".certificate-sheet").textContent()).toContain("精密加工技艺切磋会");

    const visitor = await browser().newContext({ viewport: { width: 375, height: 800 } });
    const page = await visitor.newPage();
    await page.goto(`${baseUrl()}/verify`);
    await page.getByLabel("证书编号").fill(certificateCode);
    await page.getByRole("button", { name: "查验" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("证书有效");
    await page.getByLabel("证书编号").fill("JX0000000000");
    await page.getByRole("button", { name: "查验" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("查无此证书");
    for (const ctx of [organiser.context(), craftsman.context(), visitor]) await ctx.close();
  });

  it("checks the craftsman in by scanning the organiser's changing QR code, and the certificate's code leads to its check", async () => {
    const organiser = await signedIn(browser(), "event-qr-organise", "wenling");
    await organiser.goto(`${baseUrl()}/events/new`);
    await createEvent(organiser, "扫码签到演练", "training", -10, 90);
    await organiser.getByRole("link", { name: "现场显示签到二维码" }).click();
    await organiser.waitForURL(/\/events\/\d+\/qr$/);
    const scanned = await decodeQr(organiser, ".checkin-qr");
    expect(scanned).toMatch(new RegExp(`^${baseUrl()}/checkin\\?e=\\d+&t=\\d+\\.[0-9a-f]{16}$`));

    const craftsman = await signedIn(browser(), "event-qr-checkin", "craftsman");
    await craftsman.goto(scanned!);
    await craftsman.getByRole("button", { name: "确认签到" }).click();
    await expect.poll(() => craftsman.getByRole("status").first().textContent()).toContain("签到成功");
    await expect.poll(() => craftsman.getByRole("status").first().textContent()).toContain("扫码签到演练");

    // The seeded certificate's QR code is its public check.
    await craftsman.goto(`${baseUrl()}/events`);
    await craftsman.getByRole("link", { name: "精密加工技艺切磋会" }).click();
    await craftsman.getByRole("link", { name: "查看证书" }).click();
    await craftsman.waitForURL(/\/certificates\/JX[A-Z0-9]{10}$/);
    const code = craftsman.url().split("/").pop()!;
    expect(await decodeQr(craftsman, ".certificate-check")).toBe(`${baseUrl()}/verify?code=${code}`);
  });
});
