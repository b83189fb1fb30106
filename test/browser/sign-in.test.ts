import { describe, expect, it } from "vitest";
import { baseUrl, hydrated, phonePage, signedIn, signIn, tabTo, useChromium } from "./browser";

const browser = useChromium();

describe("signing in on a phone", () => {
  it.each([
    ["admin", "市总工会管理员", "市总工会", "各单位人员档案"],
    ["wenling", "温岭市总工会 陈晓燕", "县级总工会", "本单位共登记人员"],
    ["craftsman", "", "台州工匠", "我的档案"],
  ])("%s reaches the home page of their role", async (username, name, roleLabel, marker) => {
    const page = await phonePage(browser(), `sign-in-${username}`);
    await signIn(page, username);
    await page.waitForURL(`${baseUrl()}/home`);
    const heading = page.getByRole("heading", { level: 1 });
    await expect.poll(() => heading.textContent()).toContain(roleLabel);
    if (name) expect(await heading.textContent()).toContain(name);
    expect(await page.content()).toContain(marker);
    // The page fits a 375 px screen: nothing scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it("shows a wrong password beside the form and keeps the user on the sign-in page", async () => {
    const page = await phonePage(browser(), "sign-in-wrong");
    await signIn(page, "admin", "not-the-password-1");
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("用户名或密码不正确");
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.context().close();
  });

  it("signs in with the keyboard alone", async () => {
    const page = await phonePage(browser(), "sign-in-keyboard");
    await page.goto(`${baseUrl()}/login`);
    await hydrated(page);
    await tabTo(page, "用户名");
    await page.keyboard.type("wenling");
    await tabTo(page, "密码");
    await page.keyboard.type("Jiangxin-2026");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${baseUrl()}/home`);
    await page.context().close();
  });

  it("opens the menu on a phone and signs out", async () => {
    const page = await signedIn(browser(), "sign-out", "wenling");
    await page.getByRole("button", { name: "菜单" }).click();
    await page.getByRole("link", { name: "人员档案", exact: true }).click();
    await page.waitForURL(`${baseUrl()}/people`);
    // The address changes a moment before the new page is drawn.
    const cells = page.locator("td[data-label='所属工会']");
    await expect.poll(() => cells.count()).toBeGreaterThanOrEqual(12);
    const units = await cells.allTextContents();
    expect(new Set(units)).toEqual(new Set(["温岭市"]));
    await page.getByRole("button", { name: "菜单" }).click();
    await page.getByRole("button", { name: "退出" }).click();
    await page.waitForURL(`${baseUrl()}/login`);
    await page.goto(`${baseUrl()}/home`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.context().close();
  });

  it("keeps a county officer out of another county's person page", async () => {
    const admin = await signedIn(browser(), "cross-county-admin", "admin");
    await admin.goto(`${baseUrl()}/people?orgUnitId=2`);
    const href = await admin.locator("td[data-label='姓名'] a").first().getAttribute("href");
    await admin.context().close();

    const page = await signedIn(browser(), "cross-county", "wenling");
    const response = await page.goto(`${baseUrl()}${href}`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("没有权限");
    await page.context().close();
  });
});
