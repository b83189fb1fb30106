import crypto from "node:crypto";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DB } from "../../db";
import { addDays, addMonths, todayInTaizhou } from "../../app/lib/time";
import { scratchDatabase } from "../pg";
import { fillIn, phonePage, signIn, useChromium } from "./browser";
import { startServer, type RunningServer } from "./server";

/**
 * On a server of its own on PostgreSQL, so the test can let the 公示 run its days by moving its
 * dates in the same database.
 */
const browser = useChromium();
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let server: RunningServer;
let db: DB;
const baseUrl = () => server.url;

beforeAll(async () => {
  scratch = await scratchDatabase("jiangxin_subsidy");
  server = await startServer({ DATABASE_URL: scratch.url, APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64") });
  db = createDb({ databaseUrl: scratch.url });
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
  await scratch?.drop();
});

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

async function as(username: string, name: string, url: string): Promise<Page> {
  const page = await phonePage(browser(), name);
  await signIn(page, username, undefined, baseUrl());
  await page.waitForURL(`${baseUrl()}/home`);
  await page.goto(url);
  return page;
}

async function attach(page: Page, kind: string, filename: string) {
  await page.getByLabel("材料类别").selectOption({ label: kind });
  await page.locator("input[type=file][name=files]").setInputFiles({ name: filename, mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "上传" }).click();
  await expect.poll(() => page.locator("main").textContent()).toContain(filename);
}

const status = (page: Page) => page.locator(".page-head .badge").textContent();

/** The applicant copies the 学信网 report's 在线验证码 (as a PDF gives it: spaced, in lower case) and its validity. */
async function enterCode(page: Page, code: string, kind: string) {
  await page.getByLabel("在线验证码（12–16位字母或数字）").fill(code);
  await page.getByLabel("报告类型").selectOption({ label: kind });
  await page.getByLabel(/^报告有效期至/).fill(addMonths(todayInTaizhou(), 6));
  await page.getByRole("button", { name: "保存验证码" }).click();
}

/** The officer opens the official page for the code (a new tab, nothing passed on) and records what it showed. */
async function recordCheck(page: Page, code: string, seen: Record<string, string>) {
  const link = page.getByRole("link", { name: "在学信网查看报告（新窗口）" }).first();
  expect(await link.getAttribute("href")).toBe(`https://www.chsi.com.cn/xlcx/bg.do?vcode=${code}&srcid=bgcx`);
  expect(await link.getAttribute("target")).toBe("_blank");
  expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
  await page.getByLabel("报告上的姓名与申请人一致").check();
  await page.getByLabel("报告上的身份证号后4位与申请人一致").check();
  await fillIn(page, seen);
  await page.getByLabel("核验结论").selectOption({ label: "一致" });
  await page.getByRole("button", { name: "记录核验结果" }).click();
  await expect.poll(() => page.getByRole("status").allTextContents()).toContain("已记录学信网核验结果。");
}

/** What a page shows once the server's background work has caught up: reloaded until it does. */
const eventually = <T>(page: Page, url: string, read: () => Promise<T>) =>
  expect.poll(
    async () => {
      await page.goto(url);
      return read();
    },
    { timeout: 20_000 },
  );

describe("an education subsidy, every step in the browser", () => {
  it("applied for on a phone with its 学信网 code, returned once for the receipt, verified by the county, approved at both levels, published in the 公示, paid to the recorded account and closed", async () => {
    const craftsman = await as("craftsman", "subsidy-apply", `${baseUrl()}/subsidies`);
    await craftsman.getByRole("link", { name: "申请补助" }).click();
    await fillIn(craftsman, {
      现有学历: "大专",
      报读学历层次: "本科",
      就读院校: "浙江工业大学",
      专业: "机械工程",
      学习形式: "part_time",
      入学日期: "2026-09-01",
      预计毕业日期: "2029-07-01",
      "学费总额（元）": "24,000",
      "申请补助金额（元）": "12000.01",
    });
    await craftsman.getByRole("button", { name: "保存申请" }).click();
    await expect.poll(() => craftsman.locator("main").textContent()).toContain("按政策最多可申请 12000.00 元");
    await craftsman.getByLabel("申请补助金额（元）").fill("12000");
    await craftsman.getByRole("button", { name: "保存申请" }).click();
    await craftsman.waitForURL(/\/subsidies\/\d+$/);
    const url = craftsman.url();
    // Where it is to be paid: the craftsman's own card, typed with a slip the check digit catches.
    await craftsman.getByLabel("开户银行（写到支行更稳妥）").fill("中国农业银行温岭支行");
    await craftsman.locator("input[name=number]").fill("6228 4804 0256 4890 019");
    await craftsman.getByRole("button", { name: "保存收款账户" }).click();
    await expect.poll(() => craftsman.locator("main").textContent()).toContain("卡号未通过校验");
    await craftsman.locator("input[name=number]").fill("6228 4804 0256 4890 018");
    await craftsman.getByRole("button", { name: "保存收款账户" }).click();
    await expect.poll(() => craftsman.locator("main").textContent()).toContain("收款账户已保存");
    await attach(craftsman, "录取或入学证明", "录取通知书.pdf");
    await craftsman.getByLabel("本人未享受其他学历提升补助").check();
    await craftsman.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => craftsman.getByRole("alert").first().textContent()).toContain("请上传学费收据");
    expect(await craftsman.getByRole("alert").first().textContent()).toContain("请填写学信网学籍在线验证报告的在线验证码");
    await attach(craftsman, "学费收据", "第一学期收据.pdf");
    // The 学信网 code: one digit short is refused beside the field; the right one is kept as the report prints it.
    await enterCode(craftsman, "awp6 wyx8 m82", "学籍在线验证报告");
    await expect.poll(() => craftsman.locator(".field-error").allTextContents()).toContain("在线验证码应为12到16位字母或数字（填写的是11位）");
    await enterCode(craftsman, "awp6 wyx8 m822 4h2x", "学籍在线验证报告");
    await expect.poll(() => craftsman.getByRole("status").allTextContents()).toContain("已保存学信网验证码。");
    await expect.poll(() => craftsman.locator("main").textContent()).toContain("AWP6WYX8M8224H2X");
    await craftsman.getByLabel("本人未享受其他学历提升补助").check();
    await craftsman.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => status(craftsman)).toContain("待县级总工会审核");

    const county = await as("wenling", "subsidy-county", url);
    await county.getByLabel("理由").first().fill("学费收据照片不清晰");
    await county.getByRole("button", { name: "退回修改" }).click();
    await expect.poll(() => status(county)).toBe("退回修改");

    // The craftsman hears of it: a badge on the phone's menu, the message in the inbox, the to-do at home.
    await eventually(craftsman, `${baseUrl()}/home`, () => craftsman.locator(".menu-toggle .count").count()).toBe(1);
    expect(await craftsman.locator("main").textContent()).toContain("修改补助申请：学费收据照片不清晰");
    // The message comes from the server's background work a moment after the step.
    const returned = craftsman.getByRole("link", { name: "您的补助申请被退回：学费收据照片不清晰" });
    await eventually(craftsman, `${baseUrl()}/inbox`, () => returned.count()).toBe(1);
    await returned.click();
    await craftsman.waitForURL(url);
    await attach(craftsman, "学费收据", "第二学期收据.pdf");
    await craftsman.getByLabel("本人未享受其他学历提升补助").check();
    await craftsman.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => status(craftsman)).toContain("待县级总工会审核");

    // …and the county officer's to-do shows it again.
    await eventually(county, `${baseUrl()}/home`, () => county.locator(".todo-list").textContent()).toMatch(/审核补助申请：/);
    await county.goto(url);
    // Not before the 学信网 report has been looked at and what it showed recorded.
    await county.getByRole("button", { name: "县级审核通过" }).click();
    await expect.poll(() => county.getByRole("alert").allTextContents()).toContain("请先在学信网核验申请人填写的验证码，并记录核验结果");
    await recordCheck(county, "AWP6WYX8M8224H2X", { 学校: "浙江工业大学", 层次: "本科", 学籍状态: "在籍（注册学籍）" });
    await expect.poll(() => county.locator("main").textContent()).toContain("在籍（注册学籍）");
    await county.getByRole("button", { name: "县级审核通过" }).click();
    await expect.poll(() => status(county)).toContain("待市总工会审批");

    const city = await as("admin", "subsidy-city", url);
    expect(await city.locator("main").textContent()).toContain("剩余");
    await city.getByRole("button", { name: "批准", exact: true }).click();
    await expect.poll(() => status(city)).toContain("已批准");
    // The city sees the account masked, and the full number only by a recorded request.
    expect(await city.locator("main").textContent()).toContain("6228 **** **** *** 0018");
    await city.getByLabel("查看完整卡号（将记入操作日志）").fill("核对代发账户");
    await city.getByRole("button", { name: "查看完整卡号" }).click();
    await expect.poll(() => city.locator("main").textContent()).toContain("6228480402564890018");

    // Not paid before the 公示: the city publishes the year's approved list, confirming it.
    await city.getByLabel("拨付凭证号").fill("CW-2026-1125");
    await city.getByText("登记拨付…", { exact: true }).click();
    await city.getByRole("button", { name: "确认登记拨付" }).click();
    await expect.poll(() => city.getByRole("alert").first().textContent()).toContain("尚未网上公示");
    await city.goto(`${baseUrl()}/subsidies`);
    await city.getByRole("link", { name: /^\d{4}年补助公示$/ }).click();
    await expect.poll(() => city.locator("main").textContent()).toContain("待公示（1 份已批准）");
    await city.getByText("发布公示…", { exact: true }).click();
    await city.getByRole("button", { name: "确认发布公示" }).click();
    await expect.poll(() => city.getByRole("status").first().textContent()).toContain("公示已发布");

    // The public page, for anyone: the surname only, the employer, school and amount.
    const visitor = await phonePage(browser(), "subsidy-public");
    await visitor.goto(`${baseUrl()}/subsidy-notice`);
    const notice = visitor.getByRole("link", { name: /年学历提升补助公示$/ }).first();
    await notice.click();
    await visitor.waitForURL(/\/subsidy-notice\/\d+$/);
    const applicant = await craftsman.locator("h1").textContent();
    const listed = visitor.locator(".candidate").filter({ hasText: "浙江工业大学" });
    await expect.poll(() => listed.textContent()).toContain(`${applicant!.slice(0, 1)}*`);
    expect(await listed.textContent()).toContain("¥12,000.00");
    expect(await visitor.locator("main").textContent()).not.toContain(applicant!.split(" · ")[0]);
    await visitor.context().close();

    // Its days go by (moved into the past here); then the payment goes through.
    const app = await db
      .selectFrom("subsidy_application")
      .select("notice_id")
      .where("id", "=", Number(url.split("/").pop()))
      .executeTakeFirstOrThrow();
    const shown = await db.selectFrom("subsidy_notice").select(["starts_on", "ends_on"]).where("id", "=", app.notice_id!).executeTakeFirstOrThrow();
    await db
      .updateTable("subsidy_notice")
      .set({ starts_on: addDays(shown.starts_on, -30), ends_on: addDays(shown.ends_on, -30) })
      .where("id", "=", app.notice_id!)
      .execute();
    await city.goto(url);
    await city.getByLabel("拨付凭证号").fill("CW-2026-1125");
    await city.getByText("登记拨付…", { exact: true }).click();
    await city.getByRole("button", { name: "确认登记拨付" }).click();
    await expect.poll(() => status(city)).toBe("已拨付");
    expect(await city.locator(".facts").first().textContent()).toContain("¥9,600.00");

    await craftsman.reload();
    await attach(craftsman, "毕业证书", "毕业证书.pdf");
    // The graduation certificate is verified the same way: its 备案表's code, checked by the city.
    await enterCode(craftsman, "DK4A8M2X7L3GPUFT", "学历证书电子注册备案表");
    await expect.poll(() => craftsman.getByRole("status").allTextContents()).toContain("已保存学信网验证码。");
    await city.reload();
    await recordCheck(city, "DK4A8M2X7L3GPUFT", { 学校: "浙江工业大学", 层次: "本科", 毕业日期: "2026-07-01" });
    await city.getByLabel("尾款凭证号").fill("CW-2029-0710");
    await city.getByRole("button", { name: "核实毕业证书并结案" }).click();
    await expect.poll(() => status(city)).toBe("已结案");
    expect(await city.locator(".facts").first().textContent()).toContain("¥12,000.00");

    // The year's rows for the finance office: the page says the file is being made, then the browser downloads it.
    await city.goto(`${baseUrl()}/subsidies`);
    const downloading = city.waitForEvent("download");
    await city.getByRole("link", { name: /^导出\d{4}年明细$/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^\d{4}年学历提升补助明细\.xlsx$/);
    await expect.poll(() => city.getByRole("status").allTextContents()).toContain("文件已生成，浏览器正在下载");
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    expect(JSON.stringify(book.worksheets[0].getSheetValues())).toContain("浙江工业大学");
    for (const page of [craftsman, county, city]) await page.context().close();
  });
});
