import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeCampaign, makeNominations, makeUser, phoneInbox, solvedChallenge } from "../../../test/factories";
import type { SmsGateway } from "~/lib/sms.server";
import { settleStaleSms } from "~/modules/notifications/notify.server";
import { fromDateTimeLocal } from "~/lib/time";
import { newChallenge } from "~/modules/voting/challenge.server";
import { voteRulesSchema } from "~/modules/voting/schema.server";
import { todosFor } from "~/worker.server";
import { tallyCutoff } from "~/modules/voting/policy";
import { weightedScore } from "~/modules/nominations/policy";
import { historyOf } from "~/modules/audit/audit.server";
import {
  castBallot,
  checkReceipt,
  invalidateCluster,
  publicTally,
  purgeVoters,
  requestCode,
  setVoteRules,
  transferCounts,
  voteMonitor,
} from "~/modules/voting/voting.server";

/** The SQL statements sent (BEGIN and COMMIT go past the counter: a transaction is two round trips more). */
let statements = 0;
const t = useTestDb({ onQuery: () => statements++ });
const outbox = phoneInbox();
const at = (local: string) => fromDateTimeLocal(local)!;
/** Voting runs 1–8 June 2026, Taizhou time; the rules are set on 20 May. */
const SET_ON = at("2026-05-20T09:00");
const DAY1 = at("2026-06-01T10:00");

const rulesForm = (overrides: Record<string, string> = {}) =>
  voteRulesSchema.parse({
    opensAt: "2026-06-01T08:00",
    closesAt: "2026-06-08T20:00",
    maxChoices: "3",
    perCandidate: "once",
    tallyShown: "live",
    tallyHour: "20",
    voteWeight: "30",
    ...overrides,
  });

/** A campaign at its 网络投票 stage with four candidates and one qualified nominee who is not a candidate. */
async function votingCampaign(overrides: Record<string, string> = {}) {
  const city = await makeUser(t.db, "city_admin");
  const campaign = await makeCampaign(t.db, { year: 2026 });
  const ids = await makeNominations(t.db, campaign.id, ["陈立", "林秀", "王强", "周敏", "非候选"], { candidate: true, qualification_result: "pass" });
  await t.db.updateTable("nomination").set({ candidate: false }).where("id", "=", ids[4]).execute();
  expect(await setVoteRules(t.db, city, campaign.id, rulesForm(overrides), SET_ON)).toEqual({ ok: true });
  await t.db.updateTable("campaign").set({ status: "online_vote" }).where("id", "=", campaign.id).execute();
  return { city, campaign, candidates: ids.slice(0, 4), outsider: ids[4] };
}

let phoneSerial = 0;
const nextPhone = () => `139${String(10_000_000 + ++phoneSerial * 7919).slice(-8)}`;
/** Where a voter is: an address (null without a trusted proxy) and their own phone's signature. */
const home = (address: string | null = null, device = "375x812|Asia/Shanghai") => ({ address, userAgent: "Mozilla/5.0 (iPhone) MicroMessenger/8.0", device });

/** The code the outbox holds for this number: what the voter reads off their phone. */
async function codeFor(phone: string): Promise<string> {
  return outbox.codeFor(phone);
}

/** Asks for a code the honest way: the proof-of-work solved, from the voter's own phone. */
async function askCode(campaignId: number, phone: string, now: Date, where: ReturnType<typeof home> = home()) {
  return requestCode(t.db, outbox, campaignId, { phone, altcha: await solvedChallenge(campaignId) }, where, now);
}

async function vote(campaignId: number, choices: number[], options: { phone?: string; address?: string | null; now?: Date } = {}) {
  const phone = options.phone ?? nextPhone();
  const now = options.now ?? DAY1;
  const where = home(options.address ?? null, `device-of-${phone}`);
  const sent = await askCode(campaignId, phone, now, where);
  expect(sent).toMatchObject({ ok: true });
  return castBallot(t.db, campaignId, { phone, code: await codeFor(phone), choices, device: "" }, where, now);
}

describe("the vote's rules", () => {
  it("are the city's to set, before voting opens, and hold as published from the opening on", async () => {
    const { campaign, city } = await votingCampaign();
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await setVoteRules(t.db, county, campaign.id, rulesForm(), SET_ON)).toMatchObject({ ok: false });
    expect(await setVoteRules(t.db, city, campaign.id, rulesForm({ maxChoices: "5" }), at("2026-05-25T09:00"))).toEqual({ ok: true });
    expect(await setVoteRules(t.db, city, campaign.id, rulesForm({ maxChoices: "8" }), at("2026-06-01T08:00"))).toMatchObject({
      ok: false,
      fieldErrors: { opensAt: ["投票已经开始，规则不能再修改"] },
    });
    expect(voteRulesSchema.safeParse({ ...rulesForm, opensAt: "2026-06-08T08:00", closesAt: "2026-06-01T08:00" }).success).toBe(false);
    const history = await historyOf(t.db, "online_vote", campaign.id);
    expect(history.map((h) => h.action)).toEqual(["set_rules", "set_rules"]);
  });

  it("show counts live, daily at the set hour, or only after the close", () => {
    const rules = { opens_at: at("2026-06-01T08:00"), closes_at: at("2026-06-08T20:00"), tally_hour: 20 };
    expect(tallyCutoff({ ...rules, tally_shown: "live" }, DAY1)).toEqual(DAY1);
    expect(tallyCutoff({ ...rules, tally_shown: "after_close" }, DAY1)).toBeNull();
    expect(tallyCutoff({ ...rules, tally_shown: "after_close" }, at("2026-06-09T09:00"))).toEqual(rules.closes_at);
    // Daily at 20:00: nothing on the first morning, the first evening's count the next morning.
    expect(tallyCutoff({ ...rules, tally_shown: "daily" }, DAY1)).toBeNull();
    expect(tallyCutoff({ ...rules, tally_shown: "daily" }, at("2026-06-02T09:00"))).toEqual(at("2026-06-01T20:00"));
    expect(tallyCutoff({ ...rules, tally_shown: "daily" }, at("2026-06-02T21:00"))).toEqual(at("2026-06-02T20:00"));
  });

  it("weigh the public vote against the expert mean as set (30/70 here), shown as a formula", () => {
    // Expert mean 90, 500 votes of the most 1,000: 90 × 70% + 50 × 30% = 78.
    expect(weightedScore(90, 500, 1000, 30)).toBe(78);
    expect(weightedScore(82.5, 1000, 1000, 70)).toBe(94.75);
    expect(weightedScore(null, 10, 10, 30)).toBeNull();
  });
});

describe("a code and a ballot", () => {
  it("sends a code only after the proof-of-work, spends each challenge once, and keeps a number to 1 a minute, 5 an hour, 10 a day", async () => {
    const { campaign } = await votingCampaign();
    const phone = nextPhone();
    const payload = await solvedChallenge(campaign.id);
    expect(await requestCode(t.db, outbox, campaign.id, { phone, altcha: payload }, home(), DAY1)).toEqual({
      ok: true,
      masked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
    });
    const replay = await requestCode(t.db, outbox, campaign.id, { phone: nextPhone(), altcha: payload }, home("203.0.113.5"), DAY1);
    expect(replay).toMatchObject({ ok: false, status: 400, message: "该人机验证已使用过，请重新验证" });
    expect(await requestCode(t.db, outbox, campaign.id, { phone, altcha: "bm90IGpzb24=" }, home(), DAY1)).toMatchObject({ ok: false, status: 400 });
    // A forged solution to a real challenge.
    const challenge = await newChallenge(campaign.id);
    const forged = Buffer.from(JSON.stringify({ challenge, solution: { counter: 1, derivedKey: "00ff" } })).toString("base64");
    expect(await requestCode(t.db, outbox, campaign.id, { phone, altcha: forged }, home(), DAY1)).toMatchObject({ ok: false, status: 400 });

    const again = async (minutes: number) => askCode(campaign.id, phone, new Date(DAY1.getTime() + minutes * 60_000));
    expect(await again(0.5)).toMatchObject({ ok: false, status: 429, message: "验证码已发送，请60秒后再试" });
    for (const minute of [2, 4, 6, 8]) expect(await again(minute)).toMatchObject({ ok: true });
    expect(await again(10)).toMatchObject({ ok: false, status: 429, message: "该号码一小时内获取验证码次数已达上限" });
    for (const minute of [70, 72, 74, 76, 78]) expect(await again(minute)).toMatchObject({ ok: true });
    expect(await again(140)).toMatchObject({ ok: false, status: 429, message: "该号码今天获取验证码次数已达上限" });
    // Failed challenges are counted by address for the monitor.
    const failures = await t.db.selectFrom("vote_failure").select("kind").where("campaign_id", "=", campaign.id).execute();
    expect(failures.map((f) => f.kind)).toEqual(["challenge", "challenge", "challenge"]);
  });

  it("does not charge a code whose SMS never went out: refused by the provider, or left sending by a request that died", async () => {
    const { campaign } = await votingCampaign();
    const phone = nextPhone();
    const refusing: SmsGateway = {
      driver: "aliyun",
      send: async () => ({ ok: false, error: "isv.BUSINESS_LIMIT_CONTROL：触发流控", retry: true }),
      confirm: async () => "absent",
    };
    const ask = async (gateway: SmsGateway, seconds: number) =>
      requestCode(t.db, gateway, campaign.id, { phone, altcha: await solvedChallenge(campaign.id) }, home(), new Date(DAY1.getTime() + seconds * 1000));
    expect(await ask(refusing, 0)).toMatchObject({ ok: false, status: 409, message: "短信发送失败，请稍后再试" });
    // Asked again at once: the failed code is not the one a minute.
    expect(await ask(outbox, 5)).toMatchObject({ ok: true });
    expect(await ask(outbox, 10)).toMatchObject({ ok: false, status: 429 });

    // The process dies while the provider is being called: the code's SMS stays "sending".
    const other = nextPhone();
    const dying: SmsGateway = { driver: "aliyun", send: () => Promise.reject(new Error("进程中断")), confirm: async () => "unknown" };
    await expect(requestCode(t.db, dying, campaign.id, { phone: other, altcha: await solvedChallenge(campaign.id) }, home(), DAY1)).rejects.toThrow("进程中断");
    const left = await t.db
      .selectFrom("sms_message")
      .select(["id", "status"])
      .where("template", "=", "vote_code")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(left.status).toBe("sending");
    const askOther = async (seconds: number) => askCode(campaign.id, other, new Date(DAY1.getTime() + seconds * 1000));
    expect(await askOther(20)).toMatchObject({ ok: false, status: 429 });
    // Half a minute on (longer than any request waits for the provider) it is not charged, and the log closes it later.
    expect(await askOther(35)).toMatchObject({ ok: true });
    await sql`update sms_message set created_at = now() - interval '11 minutes' where id = ${left.id}`.execute(t.db);
    await settleStaleSms(t.db);
    expect(await t.db.selectFrom("sms_message").select(["status", "error"]).where("id", "=", left.id).executeTakeFirstOrThrow()).toEqual({
      status: "failed",
      error: "发送时进程中断，未能确认是否送达",
    });
  });

  it("takes a code once, for ten minutes, and five wrong tries at most", async () => {
    const { campaign, candidates } = await votingCampaign();
    const phone = nextPhone();
    await askCode(campaign.id, phone, DAY1);
    const code = await codeFor(phone);
    const ballot = (c: string, now: Date, choices = [candidates[0]]) => castBallot(t.db, campaign.id, { phone, code: c, choices, device: "" }, home(), now);
    expect(await ballot(code, new Date(DAY1.getTime() + 11 * 60_000))).toMatchObject({ ok: false, message: "验证码已过期或已使用，请重新获取" });
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect(await ballot(wrong, DAY1)).toMatchObject({ ok: false, message: "验证码不正确" });
    expect(await ballot(code, DAY1)).toMatchObject({ ok: false, message: "验证码错误次数过多，请重新获取" });

    const later = new Date(DAY1.getTime() + 2 * 60_000);
    await askCode(campaign.id, phone, later);
    const fresh = await codeFor(phone);
    expect(await ballot(fresh, later)).toMatchObject({ ok: true, chosen: 1 });
    expect(await ballot(fresh, later, [candidates[1]])).toMatchObject({ ok: false, message: "验证码已过期或已使用，请重新获取" });
  });

  it("refuses too many choices, someone who is not a candidate, a second vote for the same candidate, and votes outside the window", async () => {
    const { campaign, candidates, outsider } = await votingCampaign();
    expect(await vote(campaign.id, candidates)).toMatchObject({ ok: false, status: 400, message: "每张选票最多选择 3 位候选人" });
    expect(await vote(campaign.id, [candidates[0], outsider])).toMatchObject({ ok: false, status: 400, message: "所选的人不在本届候选名单中" });
    expect(await vote(campaign.id, [candidates[0], candidates[0]])).toMatchObject({ ok: false, status: 400 });
    expect(await vote(campaign.id, [999_999])).toMatchObject({ ok: false, status: 400 });

    const phone = nextPhone();
    expect(await vote(campaign.id, [candidates[0], candidates[1]], { phone })).toMatchObject({ ok: true, chosen: 2 });
    const later = new Date(DAY1.getTime() + 5 * 60_000);
    expect(await vote(campaign.id, [candidates[1]], { phone, now: later })).toMatchObject({ ok: false, status: 409, message: "您本次投票中已为林秀投过票" });
    expect(await vote(campaign.id, [candidates[2], candidates[3]], { phone, now: new Date(later.getTime() + 2 * 60_000) })).toMatchObject({
      ok: false,
      status: 409,
      message: "您本次投票中已选择 2 位候选人，最多可选 3 位",
    });
    expect(await vote(campaign.id, [candidates[2]], { phone, now: new Date(later.getTime() + 5 * 60_000) })).toMatchObject({ ok: true });

    const before = await askCode(campaign.id, nextPhone(), at("2026-05-31T22:00"));
    expect(before).toEqual({ ok: false, status: 409, message: "投票尚未开始" });
    const after = await askCode(campaign.id, nextPhone(), at("2026-06-08T20:00"));
    expect(after).toEqual({ ok: false, status: 409, message: "投票已结束" });
  });

  it("allows one vote per candidate a day when the rules say daily", async () => {
    const { campaign, candidates } = await votingCampaign({ perCandidate: "daily" });
    const phone = nextPhone();
    expect(await vote(campaign.id, [candidates[0]], { phone })).toMatchObject({ ok: true });
    expect(await vote(campaign.id, [candidates[0]], { phone, now: new Date(DAY1.getTime() + 5 * 60_000) })).toMatchObject({
      ok: false,
      message: "您今天已为陈立投过票",
    });
    expect(await vote(campaign.id, [candidates[0]], { phone, now: at("2026-06-02T09:00") })).toMatchObject({ ok: true });
  });
});

describe("round trips under load", () => {
  /** The statements one call sends. */
  async function counted<T>(call: () => Promise<T>): Promise<[T, number]> {
    const before = statements;
    const result = await call();
    return [result, statements - before];
  }

  it("a code request sends 5 statements besides its transaction whatever the limits, a ballot 4 however many it chooses", async () => {
    const { campaign, candidates } = await votingCampaign();
    // Known address: both the number's three limits and the network's two are read.
    const where = home("203.0.113.77");
    const phone = nextPhone();
    const altcha = await solvedChallenge(campaign.id);
    const [sent, codeStatements] = await counted(() => requestCode(t.db, outbox, campaign.id, { phone, altcha }, where, DAY1));
    expect(sent).toMatchObject({ ok: true });
    const code = await codeFor(phone);
    const [cast, ballotStatements] = await counted(() =>
      castBallot(t.db, campaign.id, { phone, code, choices: candidates.slice(0, 3), device: "" }, where, DAY1),
    );
    expect(cast).toMatchObject({ ok: true, chosen: 3 });
    // The window; in the transaction the number's lock, the challenge spent with every limit read,
    // the SMS and its code written; after the provider, the SMS's outcome.
    // The ballot: the window with the candidates; in the transaction the lock, the code with the
    // voter's earlier choices, the ballot with its choices and the code spent.
    expect({ code: codeStatements, ballot: ballotStatements }).toEqual({ code: 5, ballot: 4 });
  });
});

describe("integrity", () => {
  it("flags a burst from one address, invalidates it with a reason, shows the public the valid counts and the invalidated ballots, and feeds the review at the close", async () => {
    const { campaign, candidates, city } = await votingCampaign();
    // Twenty-two ballots from one address within the hour for 王强, and three ordinary voters.
    for (let i = 0; i < 22; i++) {
      expect(await vote(campaign.id, [candidates[2]], { address: "198.51.100.7", now: new Date(DAY1.getTime() + i * 90_000) })).toMatchObject({ ok: true });
    }
    const receipts: string[] = [];
    for (const [i, address] of ["203.0.113.10", "203.0.113.11", "192.0.2.50"].entries()) {
      const cast = await vote(campaign.id, [candidates[0], candidates[1]], { address, now: new Date(DAY1.getTime() + i * 600_000) });
      if (!cast.ok) throw new Error(JSON.stringify(cast));
      receipts.push(cast.receipt);
    }
    const monitor = await voteMonitor(t.db, campaign.id);
    expect(monitor.ballots).toBe(25);
    const burst = monitor.clusters.find((c) => c.pattern === "address")!;
    expect(burst).toMatchObject({ ballots: 22, valid: 22, label: "同一网络地址短时间内大量投票" });
    // Evenly spaced, 90 seconds apart: a machine's pace too.
    expect(monitor.clusters.find((c) => c.pattern === "steady")).toMatchObject({ key: "198.51.100.7", ballots: 22 });
    expect(monitor.clusters.filter((c) => !["address", "steady"].includes(c.pattern))).toEqual([]);

    const cityTodo = async () => (await todosFor(t.db, city, DAY1)).filter((i) => i.link === `/campaigns/${campaign.id}/vote`).map((i) => i.label);
    expect(await cityTodo()).toEqual([`核查可疑选票：${campaign.title}（2 组）`]);
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    // An address burst unless said otherwise.
    const invalidate = (as: typeof city, key: string, pattern = "address", reason = "同一地址集中刷票") =>
      invalidateCluster(t.db, as, campaign.id, { pattern, key, reason });
    expect(await invalidate(county, burst.key)).toMatchObject({ ok: false, status: 403 });
    expect(await invalidate(city, "10.0.0.1@1")).toMatchObject({ ok: false, status: 404 });
    expect(await invalidate(city, burst.key)).toEqual({ ok: true, invalidated: 22 });
    // The steady cluster is the same ballots: nothing new to invalidate.
    expect(await invalidate(city, "198.51.100.7", "steady", "匀速刷票")).toEqual({ ok: true, invalidated: 0 });
    expect(await cityTodo()).toEqual([]);
    await expect(t.db.deleteFrom("ballot").where("campaign_id", "=", campaign.id).execute()).rejects.toThrow();

    const tally = (await publicTally(t.db, campaign.id, new Date(DAY1.getTime() + 3_600_000)))!;
    expect(tally.rows.map((r) => [r.name, r.votes])).toEqual([
      ["陈立", 3],
      ["林秀", 3],
      ["王强", 0],
      ["周敏", 0],
    ]);
    expect(tally.invalidated).toEqual([{ pattern: "address", label: "同一网络地址短时间内大量投票", ballots: 22 }]);
    expect(await checkReceipt(t.db, campaign.id, receipts[0])).toMatchObject({ counted: true, chosen: ["陈立", "林秀"] });
    const stuffed = await t.db
      .selectFrom("ballot")
      .select("receipt")
      .where("campaign_id", "=", campaign.id)
      .where("address", "=", "198.51.100.7")
      .executeTakeFirstOrThrow();
    expect(await checkReceipt(t.db, campaign.id, stuffed.receipt)).toMatchObject({ counted: false, reason: "同一地址集中刷票", chosen: ["王强"] });
    expect(await checkReceipt(t.db, campaign.id, "ZZZZZZZZZZ")).toBeNull();

    expect(await transferCounts(t.db, city, campaign.id, DAY1)).toMatchObject({ ok: false, status: 409 });
    expect(await transferCounts(t.db, city, campaign.id, at("2026-06-08T20:00"))).toEqual({ ok: true });
    const counts = await t.db.selectFrom("nomination").select(["id", "vote_count"]).where("id", "in", candidates).orderBy("seq").execute();
    expect(counts.map((c) => c.vote_count)).toEqual([3, 3, 0, 0]);

    // Named and closed: the voters' personal part goes, the ballots and counts stay.
    await t.db.updateTable("campaign").set({ status: "closed" }).where("id", "=", campaign.id).execute();
    expect(await purgeVoters(t.db)).toBe(1);
    const kept = await t.db.selectFrom("ballot").select(["phone_hash", "phone_masked", "address", "device"]).where("campaign_id", "=", campaign.id).execute();
    expect(kept).toHaveLength(25);
    expect(kept.every((b) => !b.phone_hash && !b.phone_masked && !b.address && !b.device)).toBe(true);
    expect(await t.db.selectFrom("vote_code").select("id").where("campaign_id", "=", campaign.id).execute()).toEqual([]);
    expect((await publicTally(t.db, campaign.id, at("2026-06-09T09:00")))!.rows.map((r) => r.votes)).toEqual([3, 3, 0, 0]);
  });

  it("flags numbers in sequence and one device signature", async () => {
    const { campaign, candidates } = await votingCampaign();
    for (let i = 0; i < 3; i++) {
      expect(await vote(campaign.id, [candidates[3]], { phone: `1370000000${i}`, now: new Date(DAY1.getTime() + i * 3_600_000) })).toMatchObject({ ok: true });
    }
    // Fifteen numbers voting from one handset, as a phone farm's script does.
    for (let i = 0; i < 15; i++) {
      const phone = nextPhone();
      const now = new Date(DAY1.getTime() + i * 7 * 60_000);
      await askCode(campaign.id, phone, now, home(null, "same-handset"));
      expect(
        await castBallot(t.db, campaign.id, { phone, code: await codeFor(phone), choices: [candidates[1]], device: "" }, home(null, "same-handset"), now),
      ).toMatchObject({
        ok: true,
      });
    }
    const monitor = await voteMonitor(t.db, campaign.id);
    expect(monitor.clusters.map((c) => [c.pattern, c.label, c.ballots])).toEqual([
      ["device", "同一设备特征大量投票", 15],
      ["block", "连号手机号码（前10位相同）集中投票", 3],
    ]);
  });
});
