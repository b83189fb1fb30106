import { describe, expect, it } from "vitest";
import * as pool from "../../app/routes/experts";
import * as campaignExperts from "../../app/routes/campaigns.$campaignId.experts/route";
import * as reviewList from "../../app/routes/review._index";
import * as reviewSheet from "../../app/routes/review.$nominationId";
import * as exportRoute from "../../app/routes/campaigns.$campaignId.experts.export";
import type { SessionUser } from "../../app/auth/roles";
import { useTestDb } from "../db";
import { makeCampaign, makeNominations, makeUser } from "../factories";
import { call, jsonOf } from "../http";
import { readSpreadsheet } from "../../app/lib/spreadsheet.server";
import { sessionUserOf } from "~/auth/roles";

const t = useTestDb();

async function expertUser(username: string): Promise<SessionUser> {
  const u = await t.db.selectFrom("app_user").selectAll().where("username", "=", username).executeTakeFirstOrThrow();
  return sessionUserOf(u)!;
}

describe("expert review over HTTP", () => {
  it("lets the city build a blind panel, an expert score and submit on their own sheet only, and the city propose candidates", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { year: 2026, status: "expert_review" });
    const params = { campaignId: String(campaign.id) };
    const ids = await makeNominations(t.db, campaign.id, ["陈立", "林秀"], { qualification_result: "pass" }, { employers: ["温岭第1厂", "温岭第2厂"] });
    // The pool, through its page: a bad form is told why; a good one makes an account.
    const bad = await call(pool.action, { db: t.db, path: "/experts", as: city, form: { intent: "add", name: "王", field: "advanced_manufacturing" } });
    expect(bad.status).toBe(400);
    for (const [i, username] of ["zhuanjia1", "zhuanjia2", "zhuanjia3"].entries()) {
      const added = await call(pool.action, {
        db: t.db,
        path: "/experts",
        as: city,
        form: { intent: "add", name: `专家${i + 1}`, field: "advanced_manufacturing", employer: `台州学院${i}`, username, password: "Jiangxin-2026" },
      });
      expect(added.status).toBe(200);
    }
    const [one, two] = [await expertUser("zhuanjia1"), await expertUser("zhuanjia2")];
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect((await call(pool.loader, { db: t.db, path: "/experts", as: county })).status).toBe(403);

    const path = `/campaigns/${campaign.id}/experts`;
    const post = (form: Record<string, string | string[]>) => call(campaignExperts.action, { db: t.db, path, params, as: city, form });
    expect((await post({ intent: "rubric" })).status).toBe(200);
    const drawn = await post({ intent: "panel", mode: "draw", name: "制造业组", field: "advanced_manufacturing", draw: "3", seed: "7", blind: "on" });
    expect((await jsonOf(drawn)).message).toBe("评审组已组建（3 人）：评审组只有 3 人，少于5人");
    const board = await jsonOf(await call(campaignExperts.loader, { db: t.db, path, params, as: city }));
    expect((await post({ intent: "assign", panelId: String(board.panels[0].id), nominationIds: ids.map(String) })).status).toBe(200);

    // The expert's list and sheet: numbers, not names, on a blind panel.
    const list = await jsonOf(await call(reviewList.loader, { db: t.db, path: "/review", as: one }));
    expect(list.assigned.map((a: { who: string }) => a.who)).toEqual([`编号 ${campaign.number}-001`, `编号 ${campaign.number}-002`]);
    const sheetParams = { nominationId: String(ids[0]) };
    const sheetPath = `/review/${ids[0]}`;
    const page = await call(reviewSheet.loader, { db: t.db, path: sheetPath, params: sheetParams, as: one });
    const text = await page.text();
    expect(text).not.toContain("陈立");
    expect(text).not.toContain("温岭第1厂");
    const rubric: Array<{ key: string; max_points: number }> = JSON.parse(text).sheet.rubric;
    const full = Object.fromEntries(rubric.map((c) => [`points-${c.key}`, String(c.max_points - 1)]));
    const draft = await call(reviewSheet.action, { db: t.db, path: sheetPath, params: sheetParams, as: one, form: { intent: "save", ...full } });
    expect(await jsonOf(draft)).toMatchObject({ ok: true, message: "草稿已保存（合计 94 分）" });
    // Wrong marks: every one at once, each under its criterion and named by it.
    const [first, second] = rubric as Array<{ key: string; label: string; max_points: number }>;
    const wrong = await call(reviewSheet.action, {
      db: t.db,
      path: sheetPath,
      params: sheetParams,
      as: one,
      form: { intent: "save", ...full, [`points-${first.key}`]: "八十", [`points-${second.key}`]: String(second.max_points + 5) },
    });
    expect(wrong.status).toBe(400);
    const told = await jsonOf(wrong);
    expect(told.form.error).toEqual({
      [`points-${first.key}`]: [`“${first.label}”的得分应为数字，最多一位小数`],
      [`points-${second.key}`]: [`“${second.label}”的得分应在0到${second.max_points}之间，最小单位0.5分`],
    });
    expect(told.message).toMatch(/^2 项评分需要修改：/);
    // Submitting with marks left out names each of them.
    const partial = await call(reviewSheet.action, {
      db: t.db,
      path: sheetPath,
      params: sheetParams,
      as: one,
      form: { intent: "submit", confirmed: "1", ...full, [`points-${first.key}`]: "", [`points-${second.key}`]: "" },
    });
    expect(Object.keys((await jsonOf(partial)).form.error).sort()).toEqual([`points-${first.key}`, `points-${second.key}`].sort());
    const unconfirmed = await call(reviewSheet.action, { db: t.db, path: sheetPath, params: sheetParams, as: one, form: { intent: "submit", ...full } });
    expect(unconfirmed.status).toBe(400);
    const forged = await call(reviewSheet.action, { db: t.db, path: sheetPath, params: sheetParams, as: one, form: { intent: "save", "points-forged": "3" } });
    expect(forged.status).toBe(400);
    const submitted = await call(reviewSheet.action, {
      db: t.db,
      path: sheetPath,
      params: sheetParams,
      as: one,
      form: { intent: "submit", confirmed: "1", ...full },
    });
    expect(submitted.status).toBe(302);
    const again = await call(reviewSheet.action, { db: t.db, path: sheetPath, params: sheetParams, as: one, form: { intent: "save", ...full } });
    expect(again.status).toBe(409);
    // Nobody else's sheet: an officer is refused, an unassigned nomination is not there.
    expect((await call(reviewSheet.loader, { db: t.db, path: sheetPath, params: sheetParams, as: county })).status).toBe(403);
    expect((await call(reviewSheet.loader, { db: t.db, path: "/review/999999", params: { nominationId: "999999" }, as: two })).status).toBe(404);

    const ranked = await jsonOf(await call(campaignExperts.loader, { db: t.db, path: `${path}?by=trimmed`, params, as: city }));
    expect(ranked.ranked[0]).toMatchObject({ name: "陈立", count: 1, mean: 94, trimmed: 94 });
    expect(ranked.experts.find((e: { name: string }) => e.name === "专家1")).toMatchObject({ submitted: 1, assigned: 2 });
    const workbook = await call(exportRoute.loader, { db: t.db, path: `${path}/export`, params, as: city });
    expect(workbook.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const rows = await readSpreadsheet(new Uint8Array(await workbook.arrayBuffer()));
    expect(rows[1].slice(0, 4)).toEqual([`${campaign.number}-001`, "陈立", "1/3", 94]);
    const proposed = await post({ intent: "propose", by: "mean", count: "1", confirmed: "1" });
    expect(await jsonOf(proposed)).toMatchObject({ ok: true, message: "候选对象已产生" });
    expect(
      (await t.db.selectFrom("nomination").select("id").where("candidate", "=", true).where("campaign_id", "=", campaign.id).execute()).map((n) => n.id),
    ).toEqual([ids[0]]);

    // After the stage the sheet is gone for the expert.
    await t.db.updateTable("campaign").set({ status: "online_vote" }).where("id", "=", campaign.id).execute();
    expect((await call(reviewSheet.loader, { db: t.db, path: sheetPath, params: sheetParams, as: one })).status).toBe(404);
  });
});
