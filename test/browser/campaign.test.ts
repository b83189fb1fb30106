import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCharacter } from "../../app/modules/people/id-number";
import { baseUrl, launchChromium, phonePage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function validId(birth: string, serial: string): string {
  const first17 = `331081${birth.replaceAll("-", "")}${serial}`;
  return first17 + checkCharacter(first17);
}

async function summaryTable(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("汇总表");
  sheet.addRow(["温岭市总工会推荐人选汇总表"]);
  sheet.mergeCells("A1:N1");
  sheet.addRow(["序号", "姓名", "性别", "身份证号码", "出生日期", "民族", "学历", "政治面貌", "工作单位", "所属行业", "技术等级", "一线技能工作年限", "是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]);
  sheet.addRow([1, "林建波", "男", validId("1981-07-09", "731"), "1981年7月9日", "汉族", "大专", "群众", "温岭华科泵业有限公司", "泵与电机", "技师", 15, "是", "一、三", "叶轮铸造工艺改进", "扎根一线十五年"]);
  sheet.addRow([2, "数字号码", "男", 331081198107091000, "1981-07-09", "汉族", "大专", "群众", "温岭华科泵业有限公司", "泵与电机", "技师", 15, "是", "一", "成果", "事迹"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe("a campaign in the browser", () => {
  it("a county officer imports a messy 汇总表 on a phone: row errors first, then one click writes the good rows", async () => {
    const page = await phonePage(browser, "import-summary-table");
    await signIn(page, "wenling");
    await page.waitForURL(`${baseUrl()}/home`);
    await page.goto(`${baseUrl()}/campaigns`);
    await page.getByRole("link", { name: /第三届/ }).click();
    await page.getByRole("link", { name: "导入汇总表" }).click();
    await page.locator("input[type=file]").setInputFiles({
      name: "温岭市汇总表.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await summaryTable(),
    });
    await page.getByRole("button", { name: "上传并检查" }).click();
    await page.waitForURL(/\/import\/\d+$/);
    const text = await page.locator("main").textContent();
    expect(text).toContain("共 2 行：1 行可以导入，1 行有错误");
    expect(text).toContain("只保留了15位有效数字");
    expect(text).toContain("将新增推荐");
    await page.getByRole("button", { name: "确认导入 1 条有效记录" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("导入完成：新增 1 人");
    await page.getByRole("link", { name: "查看推荐人选" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("林建波");
    await page.context().close();
  });

  it("counts the characters of 主要事迹 as they are typed", async () => {
    const page = await phonePage(browser, "deeds-counter");
    await signIn(page, "wenling");
    await page.waitForURL(`${baseUrl()}/home`);
    await page.goto(`${baseUrl()}/campaigns`);
    await page.getByRole("link", { name: /第三届/ }).click();
    await page.getByRole("link", { name: "新增推荐" }).click();
    await page.getByLabel(/主要事迹/).fill("扎根一线二十年");
    await expect.poll(() => page.locator(".counter").first().textContent()).toContain("7 / 约500字");
    await page.context().close();
  });

  it("the city moves the campaign to 资格初审 and sees it on the stage bar", async () => {
    const page = await phonePage(browser, "advance-stage");
    await signIn(page, "admin");
    await page.waitForURL(`${baseUrl()}/home`);
    await page.goto(`${baseUrl()}/campaigns`);
    await page.getByRole("link", { name: /第三届/ }).click();
    await page.getByRole("button", { name: "进入“资格初审”" }).click();
    await expect.poll(() => page.locator(".stage-bar [aria-current=step]").textContent()).toContain("资格初审");
    await page.context().close();
  });
});
