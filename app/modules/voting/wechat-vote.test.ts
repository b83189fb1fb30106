import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeCampaign, makeNominations, makeUser, phoneInbox, solvedChallenge } from "../../../test/factories";
import { fromDateTimeLocal } from "~/lib/time";
import { voteRulesSchema } from "~/modules/voting/schema.server";
import { castBallot, purgeVoters, requestCode, setVoteRules, WECHAT_NEEDED } from "~/modules/voting/voting.server";

/**
 * Issue 36: a vote whose rules require a WeChat identity keys each ballot by the phone (as before)
 * and by the openid too — one ballot per openid per candidate, as Taizhou's 2019 vote on WeChat had it.
 */
const t = useTestDb();
const outbox = phoneInbox();
const at = (local: string) => fromDateTimeLocal(local)!;
const DAY1 = at("2026-06-01T10:00");
const where = { address: null, userAgent: "Mozilla/5.0 MicroMessenger/8.0.47", device: "375x812|Asia/Shanghai" };

async function wechatCampaign(wechatRequired = "1") {
  const city = await makeUser(t.db, "city_admin");
  const campaign = await makeCampaign(t.db, { year: 2026 });
  const ids = await makeNominations(t.db, campaign.id, ["陈微", "林信", "王投"], { candidate: true, qualification_result: "pass" });
  const rules = voteRulesSchema.parse({
    opensAt: "2026-06-01T08:00",
    closesAt: "2026-06-08T20:00",
    maxChoices: "2",
    perCandidate: "once",
    tallyShown: "live",
    tallyHour: "20",
    voteWeight: "30",
    ...(wechatRequired ? { wechatRequired } : {}),
  });
  expect(await setVoteRules(t.db, city, campaign.id, rules, at("2026-05-20T09:00"), true)).toEqual({ ok: true });
  await t.db.updateTable("campaign").set({ status: "online_vote" }).where("id", "=", campaign.id).execute();
  return { campaign, candidates: ids };
}

let serial = 0;
async function ballot(campaignId: number, choices: number[], openid: string | null, phone = `1396${String(1_000_000 + ++serial).slice(-7)}`) {
  expect(await requestCode(t.db, outbox, campaignId, { phone, altcha: await solvedChallenge(campaignId) }, where, DAY1)).toMatchObject({ ok: true });
  return castBallot(t.db, campaignId, { phone, code: outbox.codeFor(phone), choices, device: "" }, where, DAY1, openid);
}

describe("a vote that requires a WeChat identity", () => {
  it("cannot be required without an official account configured", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { year: 2026 });
    const rules = voteRulesSchema.parse({
      opensAt: "2026-06-01T08:00",
      closesAt: "2026-06-08T20:00",
      maxChoices: "2",
      perCandidate: "once",
      tallyShown: "live",
      tallyHour: "20",
      voteWeight: "30",
      wechatRequired: "1",
    });
    expect(await setVoteRules(t.db, city, campaign.id, rules, at("2026-05-20T09:00"), false)).toMatchObject({
      ok: false,
      fieldErrors: { wechatRequired: ["平台未配置微信公众号，不能要求微信身份"] },
    });
  });

  it("takes one ballot per openid per candidate, whatever number it comes with; none without an openid", async () => {
    const { campaign, candidates } = await wechatCampaign();
    expect(await ballot(campaign.id, [candidates[0]], null)).toMatchObject({ ok: false, status: 409, message: WECHAT_NEEDED });
    expect(await ballot(campaign.id, [candidates[0]], "o-voter-1")).toMatchObject({ ok: true });
    // Another number, the same WeChat: refused for the same candidate, by name.
    expect(await ballot(campaign.id, [candidates[0]], "o-voter-1")).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("本微信号"),
      field: "choices",
    });
    // …and held to the ballot's limit of two across numbers.
    expect(await ballot(campaign.id, [candidates[1], candidates[2]], "o-voter-1")).toMatchObject({ ok: false, status: 409 });
    expect(await ballot(campaign.id, [candidates[1]], "o-voter-1")).toMatchObject({ ok: true });
    // Another WeChat user votes for the same candidate.
    expect(await ballot(campaign.id, [candidates[0]], "o-voter-2")).toMatchObject({ ok: true });
    const keys = await t.db.selectFrom("ballot_choice").select("wechat_key").where("campaign_id", "=", campaign.id).execute();
    expect(keys.every((k) => k.wechat_key && !k.wechat_key.includes("o-voter"))).toBe(true);
    expect(new Set(keys.map((k) => k.wechat_key)).size).toBe(2);

    // Once the campaign is named, the openid's hash goes with the voters' personal part.
    await t.db.updateTable("campaign").set({ status: "closed" }).where("id", "=", campaign.id).execute();
    await purgeVoters(t.db);
    expect(
      await t.db.selectFrom("ballot_choice").select("wechat_key").where("campaign_id", "=", campaign.id).where("wechat_key", "is not", null).execute(),
    ).toEqual([]);
  });

  it("leaves exactly one of two ballots racing with one openid standing", async () => {
    const { campaign, candidates } = await wechatCampaign();
    const phones = ["13960000001", "13960000002"];
    for (const phone of phones) await requestCode(t.db, outbox, campaign.id, { phone, altcha: await solvedChallenge(campaign.id) }, where, DAY1);
    const results = await Promise.all(
      phones.map((phone) =>
        castBallot(t.db, campaign.id, { phone, code: outbox.codeFor(phone), choices: [candidates[2]], device: "" }, where, DAY1, "o-racer"),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ status: 409 });
    const counted = await t.db.selectFrom("ballot_choice").select("nomination_id").where("campaign_id", "=", campaign.id).execute();
    expect(counted).toEqual([{ nomination_id: candidates[2] }]);
  });

  it("holds the unique index itself: a second choice with one openid, candidate and period is refused by the database", async () => {
    const { campaign, candidates } = await wechatCampaign();
    expect(await ballot(campaign.id, [candidates[0]], "o-index")).toMatchObject({ ok: true });
    const first = await t.db.selectFrom("ballot_choice").selectAll().where("campaign_id", "=", campaign.id).executeTakeFirstOrThrow();
    const other = await t.db
      .insertInto("ballot")
      .values({ campaign_id: campaign.id, receipt: "WXINDEX001", cast_at: DAY1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      t.db
        .insertInto("ballot_choice")
        .values({
          ballot_id: other.id,
          nomination_id: candidates[0],
          campaign_id: campaign.id,
          voter_key: "another-phone",
          wechat_key: first.wechat_key,
          period: first.period,
        })
        .execute(),
    ).rejects.toMatchObject({ code: "23505" });
  });

  it("keys nothing by WeChat when the rules do not require it", async () => {
    const { campaign, candidates } = await wechatCampaign("");
    expect(await ballot(campaign.id, [candidates[0]], null)).toMatchObject({ ok: true });
    expect(await ballot(campaign.id, [candidates[0]], null)).toMatchObject({ ok: true });
  });
});
