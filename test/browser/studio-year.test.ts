import { describe, expect, it } from "vitest";
import { baseUrl, hydrated, PNG, signedIn, useChromium } from "./browser";

const browser = useChromium();

describe("a studio's year on a phone", () => {
  it("the leader files last year's report with the figures filled in, 温岭 returns it once, and the city grades it by the checklist, refused one 优秀 too many", async () => {
    const year = new Date().getFullYear() - 1;
    // The demo craftsman's studio: its plan for last year is in, the report is theirs to file.
    const leader = await signedIn(browser(), "year-leader", "craftsman");
    await leader.goto(`${baseUrl()}/studios`);
    await leader.locator("main a[href^='/studios/']:not([href='/studios/new']):not([href^='/studios/export'])").first().click();
    await leader.waitForURL(/\/studios\/\d+$/);
    await leader.getByRole("link", { name: `${year}年度总结与验收` }).click();
    await leader.waitForURL(/\/years\/\d{4}$/);
    const yearUrl = leader.url();
    await hydrated(leader);
    // Pre-filled from the records and the ledger: the plan against what was done, last year's money.
    await expect.poll(() => leader.getByLabel(/自我评价/).inputValue()).toContain("带徒（人）：计划 5，完成");
    await expect.poll(() => leader.getByLabel("平台记录", { exact: true }).textContent()).toContain("¥70,000.00");
    await leader.getByLabel("年度工作总结").fill("全年带徒五名，完成叶轮铸造工艺两项攻关。");
    await leader.getByRole("button", { name: "提交年度总结" }).click();
    await expect.poll(() => leader.locator(".page-head .badge").textContent()).toContain("待县级审核");

    // 温岭 returns it, once, with a reason the leader reads.
    const county = await signedIn(browser(), "year-county", "wenling");
    await county.goto(yearUrl);
    await hydrated(county);
    await county.getByLabel("退回修改理由").fill("请补充经费使用说明");
    await county.getByRole("button", { name: "退回修改", exact: true }).click();
    await expect.poll(() => county.locator(".page-head .badge").textContent()).toContain("退回修改");

    await leader.goto(yearUrl);
    await hydrated(leader);
    await expect.poll(() => leader.locator(".notice").first().textContent()).toContain("请补充经费使用说明");
    await leader.getByLabel("年度工作总结").fill("全年带徒五名，完成两项攻关；经费用于夹具购置和培训，台账见附表。");
    await leader.getByRole("button", { name: "提交年度总结" }).click();
    await expect.poll(() => leader.locator(".page-head .badge").textContent()).toContain("待县级审核");

    await county.goto(yearUrl);
    await hydrated(county);
    await county.getByRole("button", { name: "县级审核通过" }).click();
    await expect.poll(() => county.locator(".page-head .badge").textContent()).toContain("待市总工会验收");

    // The city's 验收: every item of the checklist, the site photo, and a grade within the cap.
    const city = await signedIn(browser(), "year-city", "admin");
    await city.goto(yearUrl);
    await hydrated(city);
    const form = city.locator("form.acceptance-form");
    const items = form.locator("fieldset");
    const count = await items.count();
    expect(count).toBeGreaterThan(3);
    for (let i = 0; i < count; i++) await items.nth(i).getByLabel("得分").fill("9");
    // Each try posts the site photo the checklist asks for with the grade.
    const grade = async (label: string) => {
      await form
        .getByRole("group", { name: /场地设施/ })
        .locator("input[type=file]")
        .setInputFiles({ name: "现场.png", mimeType: "image/png", buffer: PNG });
      await form.getByLabel("考核等次").selectOption({ label });
      await form.getByRole("button", { name: "验收评定" }).click();
    };
    await grade("优秀");
    await expect.poll(() => form.getByRole("alert").first().textContent()).toContain("“优秀”名额已满");
    // The demo's other studios already hold every place the cap allows, and there is at least one.
    const [, cap, given] = /最多(\d+)个，已评(\d+)个/.exec((await form.getByRole("alert").first().textContent()) ?? "")!;
    expect(Number(cap)).toBeGreaterThanOrEqual(1);
    expect(Number(given)).toBe(Number(cap));
    await grade("合格");
    await expect.poll(() => city.locator(".page-head .badge").textContent()).toBe("已验收");
    await expect.poll(() => city.getByRole("status").first().textContent()).toContain("验收结果已保存");
    // Nothing on the phone runs off the side.
    expect(await city.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await leader.goto(yearUrl);
    await expect.poll(() => leader.locator(".page-head .badge").textContent()).toBe("已验收");
    for (const p of [leader, county, city]) await p.context().close();
  });
});
