import crypto from "node:crypto";
import { scratchDatabase } from "../pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DB } from "../../db";
import { makeCampaign, makeVoteRules } from "../factories";
import { hydrated, launchChromium } from "./browser";
import { handsets } from "../aliyun-sms";
import { startServer, type RunningServer } from "./server";

/**
 * The vote and the notice, end to end, on a server of their own on PostgreSQL (so the test can
 * set the scene and move the clock by writing to the same database), behind a "proxy": each
 * context sends its own X-Forwarded-For, as the platform's reverse proxy would.
 */
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let browser: Browser;
let server: RunningServer;
let db: DB;
let phones: Awaited<ReturnType<typeof handsets>>;
let campaignId: number;
const names = ["voteA", "voteB", "voteC", "voteD"];

beforeAll(async () => {
  scratch = await scratchDatabase("jiangxin_vote");
  // The SMS provider's stand-in: what it is asked to send is what the phone receives.
  phones = await handsets();
  server = await startServer({
    DATABASE_URL: scratch.url,
    APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    TRUST_PROXY: "1",
    ...phones.env,
  });
  db = createDb({ databaseUrl: scratch.url });
  browser = await launchChromium();
  // The scene: a campaign at its 网络投票, four candidates, voting open since an hour ago.
  const admin = await db.selectFrom("app_user").select("id").where("username", "=", "admin").executeTakeFirstOrThrow();
  const campaign = await makeCampaign(db, { number: 4, year: 2026, title: "第四届“台州工匠”选树活动", deadline: "2026-03-31", status: "online_vote" });
  campaignId = campaign.id;
  const people = await db.selectFrom("person").select(["id", "name", "org_unit_id"]).orderBy("id").limit(4).execute();
  for (const [i, p] of people.entries()) {
    names[i] = p.name;
    await db
      .insertInto("nomination")
      .values({
        campaign_id: campaignId,
        person_id: p.id,
        // Filing numbers 1, 3, 5, 7: the others nominated did not become candidates.
        seq: 2 * i + 1,
        channel: "union",
        nominating_unit_id: p.org_unit_id,
        candidate: true,
        qualification_result: "pass",
        deeds_summary: "扎根一线，带徒传艺。",
      })
      .execute();
  }
  await makeVoteRules(db, campaignId, admin.id, { opens_at: new Date(Date.now() - 3_600_000) });
});

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
  await server?.stop();
  await scratch?.drop();
  phones?.close();
});

const scriptErrors: string[] = [];

async function phone(address: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN", extraHTTPHeaders: { "x-forwarded-for": address } });
  const page = await context.newPage();
  page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

/** Nothing sticks out of a 375 px screen. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * The code the phone received (from the provider's stand-in); the city's 短信记录 shows the same
 * text with the code masked — whoever reads the log cannot vote or object in the owner's place.
 */
async function codeFromPhone(city: Page, phone: string, masked: string): Promise<string> {
  await city.goto(`${server.url}/sms`);
  const row = city.getByRole("row").filter({ hasText: masked }).first();
  expect(await row.innerText()).toContain("验证码是 ******");
  return phones.lastTo(phone)!.params.code;
}

/** Ticks ALTCHA's box and waits for the proof-of-work to be done. */
async function proveHuman(page: Page) {
  // The widget draws its own box over the input, as phones show it; the label takes the tap.
  await page.getByText("我不是机器人").click();
  await page.getByText("已验证").waitFor({ timeout: 30_000 });
}

describe("the online vote and the public notice", () => {
  it("a voter on a phone gets a code on their phone (masked in 短信记录), votes for three, sees the receipt; the city invalidates a flagged cluster and brings the counts to the review; the public objects during the notice", async () => {
    const cityContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
    const city = await cityContext.newPage();
    await city.goto(`${server.url}/login`);
    await hydrated(city);
    await city.getByLabel("用户名").fill("admin");
    await city.getByLabel("密码").fill("Jiangxin-2026");
    await city.getByRole("button", { name: "登录" }).click();
    await city.waitForURL(`${server.url}/home`);

    const { context, page } = await phone("203.0.113.45");
    await page.goto(`${server.url}/vote/${campaignId}`);
    await hydrated(page);
    // Numbered 1 to 4 on the ballot, and without a consented photo each card keeps the photo's box.
    const cards = page.locator(".candidate > label");
    expect(await cards.locator("strong").allInnerTexts()).toEqual(names.map((name, i) => `${i + 1}号 ${name}`));
    const boxes = await cards.evaluateAll((labels) =>
      labels.map((l) => {
        const photo = l.querySelector("img, .photo-placeholder")?.getBoundingClientRect();
        return photo ? `${Math.round(photo.width)}x${Math.round(photo.height)}@${Math.round(l.querySelector("strong")!.getBoundingClientRect().left)}` : "none";
      }),
    );
    expect(new Set(boxes).size).toBe(1);
    expect(boxes[0]).toMatch(/^64x64@/);
    for (const name of names.slice(0, 3)) await page.getByRole("checkbox", { name: new RegExp(name) }).check();
    // The fourth is out of reach once three are chosen.
    await expect(page.getByRole("checkbox", { name: new RegExp(names[3]) }).isDisabled()).resolves.toBe(true);
    await page.getByLabel("手机号码").fill("13957612345");
    await proveHuman(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByText("验证码已发送至 139****2345").waitFor();
    const code = await codeFromPhone(city, "13957612345", "139****2345");
    await page.getByLabel("短信验证码").fill(code);
    await page.getByRole("button", { name: "投票" }).click();
    await page.getByRole("heading", { name: "投票成功" }).waitFor();
    await expect(page.locator(".receipt").innerText()).resolves.toMatch(/^[A-Z0-9]{10}$/);
    await page.getByRole("link", { name: "投票结果" }).click();
    await page.getByText(`投给 ${names.slice(0, 3).join("、")} 的选票已计入`).waitFor();
    await context.close();

    // Twenty-five ballots from one address within the hour, for the fourth candidate.
    const fourth = await db.selectFrom("nomination").select("id").where("campaign_id", "=", campaignId).where("seq", "=", 7).executeTakeFirstOrThrow();
    for (let i = 0; i < 25; i++) {
      const ballot = await db
        .insertInto("ballot")
        .values({
          campaign_id: campaignId,
          address: "198.51.100.9",
          subnet: "198.51.100.0/24",
          receipt: `STUFF${String(i).padStart(5, "0")}`,
          cast_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("ballot_choice")
        .values({ ballot_id: ballot.id, nomination_id: fourth.id, campaign_id: campaignId, voter_key: `stuffer-${i}`, period: "all" })
        .execute();
    }
    await city.goto(`${server.url}/campaigns/${campaignId}/vote`);
    const cluster = city.getByRole("row").filter({ hasText: "同一网络地址短时间内大量投票" });
    await cluster.getByLabel("理由").fill("同一地址一小时内集中投票，系刷票");
    await cluster.getByText("作废…").click();
    await cluster.getByRole("button", { name: "确认作废" }).click();
    await city.getByText("已作废 25 张选票").waitFor();

    // The vote closes; its valid counts go to the review board.
    await db.updateTable("vote_rule").set({ closes_at: new Date() }).where("campaign_id", "=", campaignId).execute();
    await city.goto(`${server.url}/campaigns/${campaignId}/vote`);
    await city.getByText("计入评审…").click();
    await city.getByRole("button", { name: "确认计入评审" }).click();
    await city.getByText("有效票数已计入评审").waitFor();
    await city.goto(`${server.url}/campaigns/${campaignId}/review`);
    const board = city.getByRole("table").first();
    for (const name of names.slice(0, 3)) await expect(board.getByRole("row").filter({ hasText: name }).innerText()).resolves.toMatch(/\b1\b/);
    await expect(board.getByRole("row").filter({ hasText: names[3] }).innerText()).resolves.toMatch(/\b0\b/);

    // The notice: a member of the public objects, with their number proved, and gets a lookup code.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await db.updateTable("campaign").set({ status: "public_notice", notice_start: today, notice_end: "2099-12-31" }).where("id", "=", campaignId).execute();
    const objector = await phone("192.0.2.77");
    await objector.page.goto(`${server.url}/notice/${campaignId}`);
    await hydrated(objector.page);
    await objector.page.getByLabel("异议对象").selectOption({ label: names[1] });
    await objector.page.getByLabel("您的姓名").fill("张三");
    await objector.page.getByLabel("您的身份证号码").fill("331002198001011235");
    await objector.page.getByLabel("与被异议人的关系").selectOption("同事");
    await objector.page.getByLabel("异议内容").fill("反映其2012年至2016年在机关工作，一线年限与申报不符。");
    await objector.page.getByLabel("手机号码").fill("13857600001");
    await proveHuman(objector.page);
    expect(await overflow(objector.page)).toBeLessThanOrEqual(0);
    await objector.page.getByRole("button", { name: "获取验证码" }).click();
    await objector.page.getByText("验证码已发送至 138****0001").waitFor();
    await objector.page.getByLabel("短信验证码").fill(await codeFromPhone(city, "13857600001", "138****0001"));
    await objector.page.getByRole("button", { name: "提交异议" }).click();
    await objector.page.getByText("您的异议已提交").waitFor();
    await objector.context.close();
    await city.goto(`${server.url}/campaigns/${campaignId}/review`);
    await city.getByText("反映其2012年至2016年在机关工作").waitFor();
    // The city calls the objector back: the name and number shown masked, revealed with a reason.
    const objected = await db
      .selectFrom("objection")
      .innerJoin("nomination", "nomination.id", "objection.nomination_id")
      .select("nomination.id")
      .where("nomination.campaign_id", "=", campaignId)
      .executeTakeFirstOrThrow();
    await city.goto(`${server.url}/nominations/${objected.id}`);
    await city.getByText("异议人：张*，电话 138****0001").waitFor();
    await city.getByLabel("查看事由").fill("联系异议人核实情况");
    await city.getByRole("button", { name: "查看身份和联系方式" }).click();
    await city.getByText("异议人：张三，身份证号码 331002198001011235，电话 13857600001").waitFor();
    await cityContext.close();
    expect(scriptErrors).toEqual([]);
  }, 180_000);
});
