import crypto from "node:crypto";
import { scratchDatabase } from "../pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DB } from "../../db";
import type { SessionUser } from "../../app/auth/roles";
import { addExpert, assignNominations, createPanel, setRubric } from "../../app/modules/experts/experts.server";
import { makeCampaign } from "../factories";
import { hydrated, launchChromium } from "./browser";
import { startServer, type RunningServer } from "./server";

/** 专家评审 end to end, on a server of its own on PostgreSQL so the test can set the stage. */
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let browser: Browser;
let server: RunningServer;
let db: DB;
let campaignId: number;
const nominees: string[] = [];

beforeAll(async () => {
  scratch = await scratchDatabase("jiangxin_experts");
  server = await startServer({ DATABASE_URL: scratch.url, APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64") });
  db = createDb({ databaseUrl: scratch.url });
  browser = await launchChromium();
  const admin = await db.selectFrom("app_user").selectAll().where("username", "=", "admin").executeTakeFirstOrThrow();
  const city: SessionUser = { id: admin.id, username: "admin", displayName: admin.display_name, role: "city_admin", orgUnitId: null, personId: null };
  const campaign = await makeCampaign(db, { number: 4, year: 2026, title: "第四届“台州工匠”选树活动", deadline: "2026-03-31", status: "expert_review" });
  campaignId = campaign.id;
  const people = await db.selectFrom("person").select(["id", "name", "org_unit_id"]).orderBy("id").limit(2).execute();
  const ids: number[] = [];
  for (const [i, p] of people.entries()) {
    nominees.push(p.name);
    const n = await db
      .insertInto("nomination")
      .values({
        campaign_id: campaignId,
        person_id: p.id,
        seq: i + 1,
        channel: "union",
        nominating_unit_id: p.org_unit_id,
        qualification_result: "pass",
        deeds_summary: "扎根一线。",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(n.id);
  }
  await addExpert(db, city, {
    name: "周教授",
    field: "advanced_manufacturing",
    employer: "台州学院",
    orgUnitId: null,
    contact: "",
    username: "zhoujs",
    password: "Jiangxin-2026",
  });
  await setRubric(db, city, campaignId);
  const panel = await createPanel(db, city, campaignId, { name: "先进制造业组", field: "advanced_manufacturing", blind: false, draw: 1, seed: 2026 });
  if (!panel.ok) throw new Error(panel.message);
  await assignNominations(db, city, panel.id, ids);
});

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
  await server?.stop();
  await scratch?.drop();
});

async function signIn(page: Page, username: string) {
  await page.goto(`${server.url}/login`);
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill("Jiangxin-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${server.url}/home`);
}

describe("expert review in the browser", () => {
  it("an expert on a phone scores two nominations and submits; the city sees the progress and proposes the candidates", async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: "zh-CN" });
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, "zhoujs");
    // The to-do list leads to the work.
    await page.getByRole("link", { name: `评审：${nominees[0]}`, exact: false }).click();
    const totals = [92, 78];
    for (const [i, name] of nominees.entries()) {
      if (i > 0) {
        await page.goto(`${server.url}/review`);
        await page.getByRole("link", { name: new RegExp(name) }).click();
      }
      await page.getByRole("heading", { name: new RegExp(name) }).waitFor();
      await hydrated(page);
      // Full marks, less what this nominee falls short by, taken from 技术创新与革新.
      const fields = page.getByRole("textbox", { name: /得分$/ });
      const count = await fields.count();
      expect(count).toBe(6);
      const maxima = [25, 20, 20, 10, 15, 10];
      if (i === 0) {
        // Two wrong marks: each is told under its own field, by the criterion's name.
        await fields.nth(0).fill("八十");
        await fields.nth(1).fill("30");
        await page.getByRole("button", { name: "保存草稿" }).click();
        const label0 = (await fields.nth(0).getAttribute("aria-label"))!.replace(/得分$/, "");
        const label1 = (await fields.nth(1).getAttribute("aria-label"))!.replace(/得分$/, "");
        await expect.poll(() => fields.nth(0).getAttribute("aria-invalid")).toBe("true");
        const describedBy = async (n: number) => page.locator(`#${await fields.nth(n).getAttribute("aria-describedby")}`).innerText();
        expect(await describedBy(0)).toContain(`“${label0}”的得分应为数字`);
        expect(await describedBy(1)).toContain(`“${label1}”的得分应在0到20之间`);
        await fields.nth(0).fill("");
        await fields.nth(1).fill("");
      }
      for (let f = 0; f < count; f++) {
        await fields.nth(f).fill(String(f === 0 ? maxima[0] - (100 - totals[i]) : maxima[f]));
        // The running total follows the typing, before anything is saved.
        const sofar = maxima.slice(0, f + 1).reduce((a, b) => a + b, 0) - (100 - totals[i]);
        await page
          .getByRole("status")
          .filter({ hasText: "合计" })
          .filter({ hasText: `合计 ${sofar} 分（满分 100），已评 ${f + 1}/6 项` })
          .waitFor();
      }
      await page.getByRole("button", { name: "保存草稿" }).click();
      await page.getByText(`草稿已保存（合计 ${totals[i]} 分）`).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.getByText("提交评分…").click();
      await page.getByRole("button", { name: "确认提交评分" }).click();
      await page.waitForURL(`${server.url}/review`);
    }
    // The address changes a moment before the list is drawn: wait for the rows, do not count at once.
    await expect.poll(() => page.getByRole("row").filter({ hasText: "已提交" }).count()).toBe(2);
    await phone.close();
    expect(errors).toEqual([]);

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
    const city = await desk.newPage();
    await signIn(city, "admin");
    await city.goto(`${server.url}/campaigns/${campaignId}/experts`);
    // Progress: both sheets in.
    await city.getByRole("row").filter({ hasText: "周教授" }).filter({ hasText: "2/2" }).waitFor();
    await expect(city.getByRole("row").filter({ hasText: nominees[0] }).first().innerText()).resolves.toContain("92");
    await city.getByLabel("按平均分取前").fill("1");
    await city.getByText("产生候选对象…").click();
    await city.getByRole("button", { name: "确认产生候选对象" }).click();
    await city.getByText("候选对象已产生").waitFor();
    await city.goto(`${server.url}/campaigns/${campaignId}/review`);
    await expect(city.getByRole("row").filter({ hasText: nominees[0] }).first().innerText()).resolves.toContain("候选对象");
    await desk.close();
  }, 120_000);
});
