import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as votePage from "../../app/routes/vote.$campaignId._index";
import * as challengeRoute from "../../app/routes/vote.$campaignId.challenge";
import * as results from "../../app/routes/vote.$campaignId.results";
import * as qr from "../../app/routes/vote.$campaignId.qr.$nominationId";
import * as cityVote from "../../app/routes/campaigns.$campaignId.vote";
import * as review from "../../app/routes/campaigns.$campaignId.review/route";
import { useTestDb } from "../db";
import { makeCampaign, makeNominations, makeUser, makeVoteRules, solvedChallenge } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** A vote open since yesterday, with three candidates; the first consented to be shown. */
async function openVote() {
  const city = await makeUser(t.db, "city_admin");
  const campaign = await makeCampaign(t.db, { year: 2026, status: "online_vote" });
  const ids = await makeNominations(
    t.db,
    campaign.id,
    ["陈立", "林秀", "王强"],
    { candidate: true },
    { employers: ["温岭第1机械厂", "温岭第2机械厂", "温岭第3机械厂"] },
  );
  const first = await t.db.selectFrom("nomination").select("person_id").where("id", "=", ids[0]).executeTakeFirstOrThrow();
  await t.db
    .insertInto("publication_consent")
    .values({ person_id: first.person_id, consented: true, how_obtained: "本人书面同意", story: "扎根一线三十年。", recorded_by: city.id })
    .execute();
  await makeVoteRules(t.db, campaign.id, city.id);
  return { city, campaign, ids, path: `/vote/${campaign.id}`, params: { campaignId: String(campaign.id) } };
}

/** What the widget posts: the challenge the page fetched, solved. */
const solvedFrom = async (response: Response) => solvedChallenge(await jsonOf(response));

describe("the public vote over HTTP", () => {
  // Behind the platform's reverse proxy: the address is the proxy's last X-Forwarded-For entry.
  beforeEach(() => void (process.env.TRUST_PROXY = "1"));
  afterEach(() => void delete process.env.TRUST_PROXY);

  it("numbers the candidates 1 to N on the ballot and the results, whatever their filing numbers, and a search keeps each one's number", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { year: 2026, status: "online_vote" });
    const ids = await makeNominations(t.db, campaign.id, ["甲一", "乙二", "丙三", "丁四", "戊五"], {}, { employers: ["甲厂", "乙厂", "丙厂", "丁厂", "戊厂"] });
    // Filing numbers 1, 3 and 5 became candidates; 2 and 4 did not.
    await t.db.updateTable("nomination").set({ candidate: true }).where("id", "in", [ids[0], ids[2], ids[4]]).execute();
    await makeVoteRules(t.db, campaign.id, city.id);
    const params = { campaignId: String(campaign.id) };
    const path = `/vote/${campaign.id}`;
    const page = await jsonOf(await call(votePage.loader, { db: t.db, path, params }));
    expect(page.candidates.map((c: { number: number; name: string }) => `${c.number}号 ${c.name}`)).toEqual(["1号 甲一", "2号 丙三", "3号 戊五"]);
    const searched = await jsonOf(await call(votePage.loader, { db: t.db, path: `${path}?q=${encodeURIComponent("戊厂")}`, params }));
    expect(searched.candidates.map((c: { number: number }) => c.number)).toEqual([3]);
    const tally = await jsonOf(await call(results.loader, { db: t.db, path: `${path}/results`, params }));
    expect(tally.rows.map((r: { number: number }) => r.number).sort()).toEqual([1, 2, 3]);
  });

  it("shows the candidates without personal numbers, sends a code, casts a ballot, and confirms it by receipt", async () => {
    const { ids, path, params } = await openVote();
    const page = await call(votePage.loader, { db: t.db, path, params });
    expect(page.headers.get("cache-control")).toBe("no-store");
    const body = await page.text();
    expect(body).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}/);
    const data = JSON.parse(body);
    expect(data.candidates.map((c: { name: string; story: string | null }) => [c.name, c.story])).toEqual([
      ["陈立", "扎根一线三十年。"],
      ["林秀", null],
      ["王强", null],
    ]);
    expect(data.rules.formula).toBe("综合得分 = 专家评审均分 × 70% + 网络投票折算分 × 30%（网络投票折算分 = 得票数 ÷ 最高得票数 × 100）");
    const searched = await jsonOf(await call(votePage.loader, { db: t.db, path: `${path}?q=${encodeURIComponent("第2机械")}`, params }));
    expect(searched.candidates.map((c: { name: string }) => c.name)).toEqual(["林秀"]);

    const from = { "x-forwarded-for": "203.0.113.20", "user-agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0" };
    const challenge = await call(challengeRoute.loader, { db: t.db, path: `${path}/challenge`, params });
    // Outside production the outbox prints the text on the console, the way a developer reads the code.
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const sent = await call(votePage.action, {
      db: t.db,
      path,
      params,
      headers: from,
      form: { intent: "code", phone: "139 5761 2345", altcha: await solvedFrom(challenge) },
    });
    const delivered = String(printed.mock.calls.at(-1)?.[0]).match(/验证码是 (\d{6})/)![1];
    printed.mockRestore();
    expect(sent.status).toBe(200);
    expect(await jsonOf(sent)).toMatchObject({ data: { sent: "139****2345" } });
    const sms = await t.db
      .selectFrom("sms_message")
      .select(["params", "phone_masked", "driver", "status", "user_id"])
      .where("template", "=", "vote_code")
      .executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ phone_masked: "139****2345", driver: "outbox", status: "sent", user_id: null, params: { code: "******" } });
    const code = (await t.db.selectFrom("vote_code").select("address").executeTakeFirstOrThrow()).address;
    expect(code).toBe("203.0.113.20");

    const wrong = await call(votePage.action, {
      db: t.db,
      path,
      params,
      headers: from,
      form: { intent: "vote", phone: "13957612345", code: "000000", choices: [String(ids[0])] },
    });
    if (delivered !== "000000") expect(await jsonOf(wrong)).toMatchObject({ field: "code", message: "验证码不正确" });
    const cast = await call(votePage.action, {
      db: t.db,
      path,
      params,
      headers: from,
      form: { intent: "vote", phone: "13957612345", code: delivered, choices: [String(ids[0]), String(ids[2])], device: "375x812|Asia/Shanghai|zh-CN" },
    });
    expect(cast.status).toBe(200);
    const { receipt } = (await jsonOf(cast)).data;
    expect(receipt).toMatch(/^[A-Z0-9]{10}$/);
    const ballot = await t.db.selectFrom("ballot").select(["address", "subnet", "phone_masked"]).executeTakeFirstOrThrow();
    expect(ballot).toEqual({ address: "203.0.113.20", subnet: "203.0.113.0/24", phone_masked: "139****2345" });

    const shown = await jsonOf(await call(results.loader, { db: t.db, path: `${path}/results?receipt=${receipt.toLowerCase()}`, params }));
    expect(shown.rows.map((r: { name: string; votes: number }) => [r.name, r.votes])).toEqual([
      ["陈立", 1],
      ["王强", 1],
      ["林秀", 0],
    ]);
    expect(shown.receipt.found).toMatchObject({ counted: true, chosen: ["陈立", "王强"] });
    const garbage = await jsonOf(await call(results.loader, { db: t.db, path: `${path}/results?receipt=%3Cscript%3E`, params }));
    expect(garbage.receiptError).toBe("回执码是10位字母或数字");

    const svg = await call(qr.loader, { db: t.db, path: `${path}/qr/${ids[1]}`, params: { ...params, nominationId: String(ids[1]) } });
    expect(svg.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(await svg.text()).toContain("<svg");
    const notCandidate = await call(qr.loader, { db: t.db, path: `${path}/qr/999999`, params: { ...params, nominationId: "999999" } });
    expect(notCandidate.status).toBe(404);
    expect((await call(votePage.loader, { db: t.db, path: "/vote/999999", params: { campaignId: "999999" } })).status).toBe(404);
  });

  it("lets the city set the rules with messages beside the fields, see the monitor, and bring the counts into the review board", async () => {
    const { city, campaign, ids } = await openVote();
    const params = { campaignId: String(campaign.id) };
    const path = `/campaigns/${campaign.id}/vote`;
    // Voting has started: the rules hold.
    const frozen = await call(cityVote.action, {
      db: t.db,
      path,
      params,
      as: city,
      form: {
        intent: "rules",
        opensAt: "2030-06-01T08:00",
        closesAt: "2030-06-08T20:00",
        maxChoices: "10",
        perCandidate: "once",
        tallyShown: "daily",
        tallyHour: "20",
        voteWeight: "30",
      },
    });
    expect(frozen.status).toBe(400);
    expect((await jsonOf(frozen)).form.error).toEqual({ opensAt: ["投票已经开始，规则不能再修改"] });
    const bad = await call(cityVote.action, {
      db: t.db,
      path,
      params,
      as: city,
      form: { intent: "rules", opensAt: "2030-06-08T08:00", closesAt: "2030-06-01T08:00", maxChoices: "0" },
    });
    expect((await jsonOf(bad)).form.error).toMatchObject({ closesAt: ["投票结束时间应晚于开始时间"], maxChoices: ["每张选票最多可选人数不能小于1"] });

    const monitor = await jsonOf(await call(cityVote.loader, { db: t.db, path, params, as: city }));
    expect(monitor.monitor).toMatchObject({ ballots: 0, clusters: [] });
    // Not before the close.
    const early = await call(cityVote.action, { db: t.db, path, params, as: city, form: { intent: "transfer", confirmed: "1" } });
    expect(early.status).toBe(409);
    // Closed now: 2 valid votes for 陈立, the rest none.
    for (const [i, receipt] of ["AAAAAAAAAA", "BBBBBBBBBB"].entries()) {
      const ballot = await t.db
        .insertInto("ballot")
        .values({ campaign_id: campaign.id, receipt, cast_at: new Date(Date.now() - (i + 1) * 3_600_000) })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto("ballot_choice")
        .values({ ballot_id: ballot.id, nomination_id: ids[0], campaign_id: campaign.id, voter_key: receipt, period: "all" })
        .execute();
    }
    await t.db
      .updateTable("vote_rule")
      .set({ closes_at: new Date(Date.now() - 60_000) })
      .where("campaign_id", "=", campaign.id)
      .execute();
    const unconfirmed = await call(cityVote.action, { db: t.db, path, params, as: city, form: { intent: "transfer" } });
    expect(unconfirmed.status).toBe(400);
    const transferred = await call(cityVote.action, { db: t.db, path, params, as: city, form: { intent: "transfer", confirmed: "1" } });
    expect(await jsonOf(transferred)).toMatchObject({ ok: true, message: "有效票数已计入评审" });
    await t.db.updateTable("nomination").set({ qualification_result: "pass" }).where("campaign_id", "=", campaign.id).execute();
    const board = await jsonOf(await call(review.loader, { db: t.db, path: `/campaigns/${campaign.id}/review`, params, as: city }));
    expect(board.board.map((b: { name: string; vote_count: number }) => [b.name, b.vote_count])).toEqual([
      ["陈立", 2],
      ["林秀", 0],
      ["王强", 0],
    ]);
    expect(board.formula).toContain("网络投票折算分 × 30%");
  });
});
