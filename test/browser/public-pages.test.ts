import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, migrateToLatest, type DB } from "../../db";
import { decrypt } from "../../app/modules/people/pii.server";
import { seedDemo } from "../../seeds/demo";
import { baseUrl, launchChromium, phonePage } from "./browser";
import type { Browser } from "playwright-core";

/**
 * The demo data is generated from a fixed seed, so seeding a scratch database here yields the very
 * ID and phone numbers the server under test holds; every public page's HTML is searched for them.
 */
let secrets: string[] = [];
let browser: Browser;

beforeAll(async () => {
  process.env.APP_ENCRYPTION_KEY ??= "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  const db: DB = createDb({ pgliteDir: "memory://" });
  await migrateToLatest(db);
  await seedDemo(db);
  const people = await db.selectFrom("person").select(["id_number_cipher", "phone_cipher"]).execute();
  secrets = people.flatMap((p) => [decrypt(p.id_number_cipher), ...(p.phone_cipher ? [decrypt(p.phone_cipher)] : [])]);
  await db.destroy();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function html(path: string): Promise<string> {
  const response = await fetch(`${baseUrl()}${path}`);
  expect(response.status, path).toBe(200);
  return response.text();
}

describe("public pages", () => {
  it("never contain a seeded ID or phone number, on any public route", async () => {
    expect(secrets.length).toBeGreaterThan(200);
    const start = ["/", "/showcase", "/showcase/studios", "/verify", "/verify?code=JX0000000000", "/login", "/showcase?q=温岭", "/subsidy-notice"];
    const seen = new Set<string>();
    const queue = [...start];
    const leaks: string[] = [];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await fetch(`${baseUrl()}${path}`);
      expect([200, 404], path).toContain(response.status);
      const page = await response.text();
      for (const secret of secrets) if (page.includes(secret)) leaks.push(`${path}: ${secret.slice(0, 4)}…`);
      // Follow every public profile, studio, subsidy 公示 and list page the pages link to.
      for (const [, link] of page.matchAll(
        /href="(\/showcase\/(?:craftsmen|studios)\/\d+|\/subsidy-notice\/\d+|\/showcase(?:\/studios)?\?[^"]*page=\d+[^"]*)"/g,
      )) {
        const decoded = link.replaceAll("&amp;", "&");
        if (!seen.has(decoded)) queue.push(decoded);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].some((p) => p.startsWith("/showcase/craftsmen/"))).toBe(true);
    expect([...seen].some((p) => p.startsWith("/showcase/studios/"))).toBe(true);
    // The demo's open 公示 of approved subsidies lists names, masked, and nothing else of the people.
    expect([...seen].some((p) => p.startsWith("/subsidy-notice/"))).toBe(true);
    expect(leaks).toEqual([]);
  });

  it("names a share card in each public page's HTML (og:image), which the server answers as a 1200×630 PNG", async () => {
    const listed = async (path: string, link: RegExp) => link.exec(await html(path))?.[1];
    const pages = [
      "/",
      "/showcase",
      "/showcase/studios",
      "/subsidy-notice",
      "/verify",
      "/privacy",
      "/awards/TZGJ-2-001",
      (await listed("/showcase", /href="(\/showcase\/craftsmen\/\d+)"/))!,
      (await listed("/showcase/studios", /href="(\/showcase\/studios\/\d+)"/))!,
      (await listed("/subsidy-notice", /href="(\/subsidy-notice\/\d+)"/))!,
    ];
    const cards = new Set<string>();
    for (const path of pages) {
      const page = await html(path);
      const image = /<meta property="og:image" content="([^"]+)"/.exec(page)?.[1];
      expect(image, path).toMatch(new RegExp(`^${baseUrl()}/og/[a-z-]+/[\\w-]+\\.png$`));
      expect(page, path).toContain('<meta property="og:image:width" content="1200"/>');
      const card = await fetch(image!);
      expect([path, card.status, card.headers.get("content-type")]).toEqual([path, 200, "image/png"]);
      const png = await sharp(Buffer.from(await card.arrayBuffer())).metadata();
      expect([path, png.width, png.height]).toEqual([path, 1200, 630]);
      cards.add(image!);
    }
    expect(cards.size).toBe(pages.length);
  });

  it("checks an award certificate number, naming the holder who consented", async () => {
    const page = await html("/verify?code=TZGJ-2-001");
    expect(page).toContain("证书有效");
    expect(page).toContain("第二届“台州工匠”");
  });

  it("lets a visitor on a phone browse named craftsmen and studios without signing in", async () => {
    const page = await phonePage(browser, "showcase-visitor");
    await page.goto(`${baseUrl()}/`);
    await page.getByRole("link", { name: "台州工匠风采" }).click();
    await page.waitForURL(`${baseUrl()}/showcase`);
    await expect.poll(() => page.title()).toBe("工匠风采 · 台州工匠");
    const first = page.locator(".profile-card h2 a").first();
    const name = await first.textContent();
    await first.click();
    await page.waitForURL(/\/showcase\/craftsmen\/\d+$/);
    await expect.poll(() => page.locator("h1").textContent()).toBe(name);
    await expect.poll(() => page.locator('meta[property="og:title"]').getAttribute("content")).toContain(name!);
    await page.goto(`${baseUrl()}/showcase/studios`);
    await page.locator(".profile-grid h2 a").first().click();
    await page.waitForURL(/\/showcase\/studios\/\d+$/);
    await expect.poll(() => page.locator("main").textContent()).toContain("在带学徒");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
