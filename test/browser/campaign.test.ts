import { describe, expect, it } from "vitest";
import { COUNTY_FOOTER, COUNTY_LIST_HEADER, countyWorkbook, reviewFormDocx } from "../county-files";
import { checkCharacter } from "../../app/modules/people/id-number";
import { baseUrl, hydrated, signedIn, tabTo, useChromium } from "./browser";

const browser = useChromium();

/** 温岭's officer on the open 第三届's 新增推荐 form, reached through the campaign list as they would. */
async function newNominationForm(name: string) {
  const page = await signedIn(browser(), name, "wenling");
  await page.goto(`${baseUrl()}/campaigns`);
  await page.getByRole("link", { name: /第三届/ }).click();
  await page.getByRole("link", { name: "新增推荐" }).click();
  return page;
}

function validId(birth: string, serial: string): string {
  const first17 = `331081${birth.replaceAll("-", "")}${serial}`;
  return first17 + checkCharacter(first17);
}

const LIN = validId("1981-07-09", "731");

/** What 温岭 really sends: the people, not the whole 审批表; a title above, signers and a note below. */
async function countyList(): Promise<Buffer> {
  const person = {
    性别: "男",
    民族: "汉",
    学历: "大专",
    政治面貌: "群众",
    工作单位: "温岭华科泵业有限公司",
    所属行业: "泵与电机",
    技术等级: "技师",
    一线年限: 15,
  };
  const bytes = await countyWorkbook({
    header: COUNTY_LIST_HEADER,
    rows: [
      { ...person, 序号: 1, 姓名: "林建波", 出生年月: "1981.07", 身份证号码: LIN },
      // Excel kept 15 significant digits of a number typed as a number.
      { ...person, 序号: 2, 姓名: "数字号码", 出生年月: "1981.07", 身份证号码: 331081198107091000 },
    ],
    below: COUNTY_FOOTER,
  });
  return Buffer.from(bytes);
}

describe("a campaign in the browser", () => {
  it("a county officer on a phone imports the county's list (incomplete rows marked), then one nominee's Word 审批表 completes it", async () => {
    const page = await signedIn(browser(), "import-summary-table", "wenling");
    await page.goto(`${baseUrl()}/campaigns`);
    await page.getByRole("link", { name: /第三届/ }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);
    const campaignUrl = page.url();
    await page.getByRole("link", { name: "导入汇总表" }).click();
    await page.locator("input[type=file]").setInputFiles({
      name: "温岭市汇总表.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await countyList(),
    });
    await page.getByRole("button", { name: "上传并检查" }).click();
    await page.waitForURL(/\/import\/\d+$/);
    // The job queue checks the rows; the page follows its progress and shows the findings.
    await expect.poll(() => page.locator("main").textContent(), { timeout: 15_000 }).toContain("将新增推荐");
    const text = await page.locator("main").textContent();
    expect(text).toContain("只保留了15位有效数字");
    expect(text).toContain("共 2 行：1 行可以导入，1 行有错误");
    expect(text).toContain("表中没有以下列：是否仍在技能岗位、符合条件、主要技术成果、主要事迹");
    expect(text).toContain("待补全：缺少是否仍在技能岗位、符合条件、主要技术成果、主要事迹");
    // The signers and the note below the table are listed as passed over, not read as people.
    await page.getByText(/未作为人员读取的内容/).click();
    await expect.poll(() => page.locator("details").last().textContent()).toContain("签名栏");
    await page.getByRole("button", { name: "确认导入 1 条有效记录" }).click();
    await expect.poll(() => page.locator("main").textContent(), { timeout: 15_000 }).toContain("导入完成：新增 1 人");
    await page.getByRole("link", { name: "查看推荐人选" }).click();
    await expect.poll(() => page.locator("td[data-label='条件审查']").allTextContents()).toContain("待补全");

    // The nominee's 推荐审批表 arrives as Word: uploaded on the same page, it completes the nomination.
    await page.goto(`${campaignUrl}/import`);
    await page.locator("input[type=file]").setInputFiles({
      name: "林建波-推荐审批表.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      buffer: Buffer.from(
        await reviewFormDocx(
          {
            姓名: "林建波",
            性别: "男",
            出生年月: "1981.07",
            民族: "汉族",
            学历: "大专",
            政治面貌: "群众",
            身份证号码: LIN,
            工作单位: "温岭华科泵业有限公司",
            所属行业: "泵与电机",
            技术等级: "技师",
            一线技能工作年限: "15",
            是否仍在技能岗位: "是",
            符合条件: "（一）（三）",
            主要技术成果: "叶轮铸造工艺改进，良品率提高12%。",
            主要事迹: "扎根一线十五年，带徒8人。",
          },
          "beside",
        ),
      ),
    });
    await page.getByRole("button", { name: "上传并检查" }).click();
    await page.waitForURL(/\/import\/\d+$/);
    await expect.poll(() => page.locator("main").textContent(), { timeout: 15_000 }).toContain("将更新");
    // Field by field, what the form fills in that the list left blank.
    expect(await page.locator("main").textContent()).toContain("主要技术成果：（空） → 叶轮铸造工艺改进，良品率提高12%。");
    await page.getByRole("button", { name: "确认导入 1 条有效记录" }).click();
    await expect.poll(() => page.locator("main").textContent(), { timeout: 15_000 }).toContain("更新 1 人");
    await page.getByRole("link", { name: "查看推荐人选" }).click();
    await page.getByRole("link", { name: "林建波" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("符合选树条件");
    expect(await page.locator("main").textContent()).not.toContain("待补全");
    await page.context().close();
  });

  it("counts the characters of 主要事迹 as they are typed", async () => {
    const page = await newNominationForm("deeds-counter");
    await page.getByLabel(/主要事迹/).fill("扎根一线二十年");
    await expect.poll(() => page.locator(".counter").first().textContent()).toContain("7 / 约500字");
    await page.context().close();
  });

  it("files a nomination with the keyboard alone, the ID number filling in sex and birth date (again when it changes)", async () => {
    const page = await newNominationForm("nomination-keyboard");
    await page.waitForURL(/\/nominations\/new$/);
    await hydrated(page);
    const type = async (label: string | RegExp, text: string) => {
      await tabTo(page, label);
      await page.keyboard.type(text);
    };
    // A select by keyboard: the n-th choice after "请选择".
    const choose = async (label: string, n = 1) => {
      await tabTo(page, label);
      for (let i = 0; i < n; i++) await page.keyboard.press("ArrowDown");
    };
    await type("姓名", "键盘录入");
    await type("身份证号码", validId("1979-03-15", "442"));
    await page.keyboard.press("Tab");
    await expect.poll(() => page.getByLabel("出生日期").inputValue()).toBe("1979-03-15");
    expect(await page.getByLabel("性别").inputValue()).toBe("F");
    // A corrected number corrects what it filled in.
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(validId("1980-11-02", "451"));
    await page.keyboard.press("Tab");
    await expect.poll(() => page.getByLabel("出生日期").inputValue()).toBe("1980-11-02");
    expect(await page.getByLabel("性别").inputValue()).toBe("M");
    await choose("民族");
    await choose("学历");
    await choose("政治面貌");
    await type("工作单位", "温岭市键盘机械厂");
    await type("所属行业", "机械制造");
    await choose("技术等级", 5);
    expect(await page.getByLabel("技术等级").inputValue()).toBe("技师");
    await type("直接从事一线技能工作年限", "12");
    await tabTo(page, /^（二）/);
    await page.keyboard.press("Space");
    await type("主要技术成果", "改进夹具，良品率提升");
    await type(/^主要事迹/, "扎根一线十二年，带出多名技能骨干。");
    await tabTo(page, "保存");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/nominations\/\d+$/);
    await expect.poll(() => page.locator("main").textContent()).toContain("键盘录入");
    await page.context().close();
  });

  it("the city moves the campaign to 资格初审 and sees it on the stage bar", async () => {
    const page = await signedIn(browser(), "advance-stage", "admin");
    await page.goto(`${baseUrl()}/campaigns`);
    await page.getByRole("link", { name: /第三届/ }).click();
    // One press opens what will happen (nominations close early, the units that filed nobody);
    // only the confirming button moves the campaign.
    await page.getByText("进入“资格初审”…", { exact: true }).click();
    await expect.poll(() => page.locator(".confirm-step[open]").textContent()).toContain("不能退回");
    await page.getByRole("button", { name: "确认进入“资格初审”" }).click();
    await expect.poll(() => page.locator(".stage-bar [aria-current=step]").textContent()).toContain("资格初审");
    await page.context().close();
  });

  it("the city runs the campaign on to its named craftsmen: 初审, expert scores, candidates, votes, notice, naming", async () => {
    const page = await signedIn(browser(), "campaign-journey", "admin");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl()}/campaigns`);
    await page.getByRole("link", { name: /第三届/ }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);
    const campaignUrl = page.url();
    const review = `${campaignUrl}/review`;
    const advance = async (stage: string) => {
      await page.goto(campaignUrl);
      await page.getByText(`进入“${stage}”…`, { exact: true }).click();
      await page.getByRole("button", { name: `确认进入“${stage}”` }).click();
      await expect.poll(() => page.locator(".stage-bar [aria-current=step]").textContent()).toContain(stage);
    };

    // 资格初审: the clear cases at once, then each remaining one with a reason.
    await page.goto(review);
    await page.getByRole("button", { name: "批量通过无疑问的人选" }).click();
    await page.goto(`${campaignUrl}/nominations`);
    const links = await page.locator("td[data-label='姓名'] a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).toBeGreaterThanOrEqual(3);
    let refused = 0;
    for (const link of links) {
      await page.goto(link);
      const form = () => page.locator("form", { has: page.getByRole("button", { name: "保存初审结论" }) });
      if (!(await form().count())) continue;
      await form().getByLabel("理由").fill("经核实，符合推荐条件");
      await form().getByRole("button", { name: "保存初审结论" }).click();
      await page.waitForLoadState("networkidle");
      // Someone who does not meet the conditions cannot be passed: the page says why.
      if (await page.getByText("不符合选树条件，不能通过初审").count()) {
        refused++;
        await form().getByLabel("初审结论").selectOption("fail");
        await form().getByLabel("理由").fill("一线工作年限不足");
        await form().getByRole("button", { name: "保存初审结论" }).click();
        await page.waitForLoadState("networkidle");
      }
    }
    expect(refused).toBeGreaterThan(0);
    await advance("专家评审");

    // One expert's scores in one form, then the candidates by average score.
    await page.goto(review);
    await page.getByLabel("专家姓名").fill("王建华");
    const scores = page.getByLabel(/的评分$/);
    const scored = await scores.count();
    expect(scored).toBe(links.length - refused);
    for (let i = 0; i < scored; i++) await scores.nth(i).fill(String(95 - i * 2));
    await page.getByRole("button", { name: "保存评分" }).click();
    await expect.poll(() => page.locator("td[data-label='平均分']").first().textContent()).toMatch(/\d/);
    await page.getByRole("button", { name: "确定候选对象" }).click();
    await expect.poll(() => page.locator("td[data-label='状态']").allTextContents()).toContain("候选对象");
    await advance("网络投票");

    // Votes typed in from the voting platform's figures.
    await page.goto(review);
    const votes = page.getByLabel(/的得票数$/);
    const candidates = await votes.count();
    expect(candidates).toBeGreaterThan(0);
    for (let i = 0; i < candidates; i++) await votes.nth(i).fill(String(1200 - i * 100));
    await page.getByRole("button", { name: "保存得票数" }).click();
    await expect.poll(() => page.locator("td[data-label='得票']").first().textContent()).toMatch(/\d/);

    // A notice period that has already ended, so the naming can follow.
    await page.goto(campaignUrl);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("公示开始").fill(day(-10));
    await page.getByLabel("公示结束").fill(day(-3));
    await page.getByRole("button", { name: "保存公示期" }).click();
    // The saved period, as the page states it: the input holds what was typed before the save lands,
    // and leaving the page then would cancel the save.
    await expect.poll(() => page.locator("main").textContent()).toContain(`${day(-10)} 至 ${day(-3)}`);
    await advance("社会公示");
    await advance("审定命名");

    await page.goto(review);
    await page.getByRole("button", { name: "审定命名" }).click();
    await page.getByRole("button", { name: "确认命名并颁发证书" }).click();
    const named = page.locator("h2", { hasText: "命名名单" });
    await expect.poll(() => named.count()).toBe(1);
    const certificates = await page.locator("td[data-label='证书编号']").allTextContents();
    expect(certificates.length).toBe(candidates);
    expect(certificates.every((c) => c.trim().length > 0)).toBe(true);
    await advance("已结束");
    await page.context().close();
  }, 120_000);
});
