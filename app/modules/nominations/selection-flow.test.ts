import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { giveBasis, hanDigits, makeCampaign, makePerson, makeUser, nominationForm } from "../../../test/factories";
import { createNomination, findNomination, selectionRecord } from "~/modules/nominations/nominations.server";
import { updateNominationSchema } from "~/modules/nominations/schema.server";
import { REGISTERED_ELSEWHERE } from "~/modules/people/lookup.server";
import { historyOf } from "~/modules/audit/audit.server";
import { advanceCampaign, findCampaign, revertAdvance, revertibleStage, setNoticePeriod } from "~/modules/campaigns/campaigns.server";
import {
  acknowledgeQuota,
  addObjection,
  awardsOf,
  decideQualification,
  nameAwardees,
  recordExpertScore,
  recordVotes,
  resolveObjection,
  reviewBoard,
  selectCandidates,
} from "~/modules/nominations/review.server";

const t = useTestDb();
const TODAY = "2018-03-20";

async function nominate(actor: Awaited<ReturnType<typeof makeUser>>, campaignId: number, overrides: Record<string, string | string[]> = {}) {
  const campaign = (await findCampaign(t.db, campaignId))!;
  const input = updateNominationSchema.parse(await nominationForm(t.db, overrides));
  return createNomination(t.db, actor, campaign, input, TODAY);
}

async function advance(actor: Awaited<ReturnType<typeof makeUser>>, id: number, today = TODAY) {
  const campaign = (await findCampaign(t.db, id))!;
  return advanceCampaign(t.db, actor, id, campaign.status, { confirmed: true }, today);
}

describe("nominations", () => {
  it("refuses a second nomination of the same person in one campaign, naming the first unit", async () => {
    const campaign = await makeCampaign(t.db, { number: 11, deadline: "2018-03-31" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = await nominationForm(t.db);
    const first = await nominate(officer, campaign.id, { idNumber: form.idNumber });
    expect(first).toMatchObject({ ok: true, change: "created" });
    const second = await nominate(officer, campaign.id, { idNumber: form.idNumber.toLowerCase() });
    expect(second).toMatchObject({
      ok: false,
      field: "idNumber",
      fieldErrors: { idNumber: ["该人员已被推荐参加本届评选（推荐单位：温岭市），同一人每届只能推荐一次"] },
    });
    // The same person may be nominated again in another campaign, and it is one person record.
    const next = await makeCampaign(t.db, { number: 12, deadline: "2018-03-31" });
    expect(await nominate(officer, next.id, { idNumber: form.idNumber })).toMatchObject({ ok: true });
    const people = await t.db.selectFrom("person").select("id").where("name", "like", "候选人%").execute();
    expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
  });

  it("links an existing person record instead of creating a second one", async () => {
    const campaign = await makeCampaign(t.db, { number: 13, deadline: "2018-03-31" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const person = await makePerson(t.db, { unit: "wenling", birthDate: "1980-05-12" });
    const result = await nominate(officer, campaign.id, { idNumber: person.idNumber, skillLevel: "技师" });
    if (!result.ok || !("id" in result)) throw new Error("failed");
    const view = await findNomination(t.db, result.id);
    expect(view?.person_id).toBe(person.id);
    expect(view?.skill_level).toBe("技师");
  });

  it("does not let a county officer nominate a person filed under another county", async () => {
    const campaign = await makeCampaign(t.db, { number: 14, deadline: "2018-03-31" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const person = await makePerson(t.db, { unit: "jiaojiang", birthDate: "1980-05-12" });
    const result = await nominate(officer, campaign.id, { idNumber: person.idNumber });
    expect(result).toMatchObject({ ok: false, fieldErrors: { idNumber: [REGISTERED_ELSEWHERE] } });
    const asOwnUnit = await nominate(officer, campaign.id, { idNumber: person.idNumber, unit: "jiaojiang" });
    expect(asOwnUnit).toMatchObject({ ok: false, fieldErrors: { orgUnitId: ["只能推荐本单位的人员"] } });
  });

  it("closes the county window after the deadline but not the city's", async () => {
    const campaign = await makeCampaign(t.db, { number: 15, deadline: "2018-03-10" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const city = await makeUser(t.db, "city_admin");
    expect(await nominate(officer, campaign.id)).toEqual({ ok: false, status: 403, message: "您无权新增此推荐" });
    expect(await nominate(city, campaign.id)).toMatchObject({ ok: true });
  });
});

describe("a campaign from nominations to named craftsmen", () => {
  it("runs every stage in order, with the checks of each", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { number: 2, deadline: "2018-03-31", quota: 5, titles: 3 });
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });

    // Nothing to review yet: the campaign cannot leave the nominating stage.
    expect(await advance(city, campaign.id)).toMatchObject({ ok: false, status: 409, reasons: ["还没有任何推荐人选"] });

    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await nominate(wenling, campaign.id, { name: `温岭${hanDigits(i)}` });
      if (!r.ok || !("id" in r)) throw new Error(JSON.stringify(r));
      ids.push(r.id);
    }
    const young = await nominate(jiaojiang, campaign.id, { name: "年限不足", unit: "jiaojiang", frontlineYears: "3" });
    const mid = await nominate(jiaojiang, campaign.id, { name: "中级工", unit: "jiaojiang", skillLevel: "中级工" });
    if (!young.ok || !("id" in young) || !mid.ok || !("id" in mid)) throw new Error("nomination failed");

    // Qualification is not open while nominating.
    expect(await decideQualification(t.db, city, ids[0], { result: "pass", reason: "" })).toMatchObject({ ok: false, status: 409 });
    // One press only says what will happen: nominations close for good, before the deadline here,
    // with the units that filed nobody named.
    const unconfirmed = await advanceCampaign(t.db, city, campaign.id, "nominating", { confirmed: false }, TODAY);
    expect(unconfirmed).toMatchObject({ ok: false });
    const said = (unconfirmed as { reasons: string[] }).reasons.join("\n");
    expect(said).toContain("不能退回");
    expect(said).toContain("各单位不能再推荐");
    expect(said).toMatch(/尚未推荐任何人选：.*椒江区|尚未推荐任何人选：.*黄岩区/);
    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, from: "nominating", to: "qualification" });

    // A stale page cannot skip a stage: it names the stage it saw.
    expect(await advanceCampaign(t.db, city, campaign.id, "nominating", { confirmed: true }, TODAY)).toMatchObject({ ok: false });
    expect(await advance(city, campaign.id)).toMatchObject({ ok: false, status: 409, reasons: ["还有 8 名人选未作资格初审结论"] });

    // 温岭 has six against a quota of five: passing needs the city's acknowledgement first.
    expect(await decideQualification(t.db, city, ids[0], { result: "pass", reason: "" })).toEqual({
      ok: false,
      status: 400,
      message: "该单位推荐人数超过名额，请先确认超额情况后再通过初审",
    });
    for (const id of ids) {
      await acknowledgeQuota(t.db, city, id);
      expect(await decideQualification(t.db, city, id, { result: "pass", reason: "" })).toEqual({ ok: true });
    }
    // An ineligible nominee cannot pass; a warning alone does not stop one.
    const refused = await decideQualification(t.db, city, young.id, { result: "pass", reason: "" });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("不满5年") });
    await decideQualification(t.db, city, young.id, { result: "fail", reason: "一线工作年限不足5年" });
    expect(await decideQualification(t.db, city, mid.id, { result: "pass", reason: "技能等级偏低，但绝技突出" })).toEqual({ ok: true });

    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, to: "expert_review" });
    expect(await advance(city, campaign.id)).toMatchObject({ ok: false, status: 409, reasons: ["尚未确定候选对象"] });

    // Three experts score every qualified nominee; a failed one cannot be scored.
    expect(await recordExpertScore(t.db, city, young.id, { expertName: "专家甲", score: 90 })).toMatchObject({ ok: false });
    const qualified = [...ids, mid.id];
    for (const [i, id] of qualified.entries()) {
      for (const [e, expert] of ["专家甲", "专家乙", "专家丙"].entries()) {
        await recordExpertScore(t.db, city, id, { expertName: expert, score: 70 + i * 3 + e });
      }
    }
    const board = await reviewBoard(t.db, campaign.id);
    expect(board[0]).toMatchObject({ id: mid.id, mean: 89, expertRank: 1, score_count: 3 });
    expect(board.map((b) => b.mean)).toEqual([89, 86, 83, 80, 77, 74, 71]);

    await selectCandidates(t.db, city, campaign.id, 5);
    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, to: "online_vote" });
    const candidates = (await reviewBoard(t.db, campaign.id)).filter((b) => b.candidate);
    expect(candidates).toHaveLength(5);

    expect(await advance(city, campaign.id)).toMatchObject({
      ok: false,
      status: 409,
      reasons: ["还有 5 名候选对象未录入得票数", "请先设定社会公示的起止日期"],
    });
    expect(await recordVotes(t.db, city, campaign.id, [{ nominationId: young.id, votes: 1 }], "手工录入")).toMatchObject({ ok: false });
    await recordVotes(
      t.db,
      city,
      campaign.id,
      candidates.map((c, i) => ({ nominationId: c.id, votes: 1000 - i * 100 })),
      "网络投票平台导出",
    );
    await setNoticePeriod(t.db, city, campaign.id, { noticeStart: "2018-05-01", noticeEnd: "2018-05-07" });
    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, to: "public_notice" });

    // An objection comes in against the top candidate and is upheld.
    await addObjection(t.db, city, candidates[0].id, { receivedOn: "2018-05-03", source: "来信", content: "反映技术成果系他人完成" });
    expect(await advance(city, campaign.id, "2018-05-10")).toMatchObject({ ok: false, status: 409, reasons: ["还有 1 件异议尚未处理完毕"] });
    const [objection] = await t.db.selectFrom("objection").select("id").execute();
    await resolveObjection(t.db, city, objection.id, { handling: "经核查属实，取消资格", outcome: "upheld" });
    expect(await advance(city, campaign.id, "2018-05-07")).toMatchObject({
      ok: false,
      status: 409,
      reasons: ["公示期至 2018-05-07 结束，公示期满后方可审定命名"],
    });
    expect(await advance(city, campaign.id, "2018-05-08")).toMatchObject({ ok: true, to: "final_approval" });

    // The withdrawn nominee cannot be named; the top three of the rest are, once the naming decision is recorded.
    await giveBasis(t.db, campaign.id);
    const ranking = candidates.map((c) => c.id);
    expect(await nameAwardees(t.db, city, campaign.id, { ranking, namedOn: "2018-05-20", confirmed: true })).toMatchObject({ ok: false, status: 400 });
    const standing = ranking.slice(1);
    expect(await nameAwardees(t.db, city, campaign.id, { ranking: standing, namedOn: "2018-05-20", confirmed: true })).toEqual({ ok: true });
    const awards = await awardsOf(t.db, campaign.id);
    expect(awards.map((a) => [a.rank, a.nomination_id, a.certificate_number, a.title, a.may_day_medal])).toEqual([
      [1, standing[0], "TZGJ-2-001", "第二届“台州工匠”", true],
      [2, standing[1], "TZGJ-2-002", "第二届“台州工匠”", true],
      [3, standing[2], "TZGJ-2-003", "第二届“台州工匠”", true],
    ]);
    expect(await nameAwardees(t.db, city, campaign.id, { ranking: standing, namedOn: "2018-05-21", confirmed: true })).toMatchObject({
      ok: false,
      status: 409,
    });

    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, to: "closed" });
    expect(await advance(city, campaign.id)).toMatchObject({ ok: false });

    // The craftsman's record shows the title; the audit trail has every stage move.
    const record = await selectionRecord(t.db, awards[0].person_id);
    expect(record).toMatchObject([{ campaign_number: 2, award_title: "第二届“台州工匠”", certificate_number: "TZGJ-2-001" }]);
    const moves = (await historyOf(t.db, "campaign", campaign.id)).filter((m) => m.action === "advance");
    expect(moves.map((m) => `${(m.before as { status: string }).status}→${(m.after as { status: string }).status}`)).toEqual([
      "nominating→qualification",
      "qualification→expert_review",
      "expert_review→online_vote",
      "online_vote→public_notice",
      "public_notice→final_approval",
      "final_approval→closed",
    ]);
  });
});

describe("taking a stage advance back", () => {
  it("is possible while nothing has been recorded in the new stage, and not after", async () => {
    const city = await makeUser(t.db, "city_admin");
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await makeCampaign(t.db);
    const filed = await nominate(wenling, campaign.id, { unit: "wenling" });
    if (!filed.ok || !("id" in filed)) throw new Error(JSON.stringify(filed));
    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, to: "qualification" });
    expect(await revertibleStage(t.db, (await findCampaign(t.db, campaign.id))!)).toBe("nominating");
    expect(await revertAdvance(t.db, city, campaign.id, "qualification")).toEqual({ ok: true, from: "qualification", to: "nominating" });
    expect((await findCampaign(t.db, campaign.id))!.status).toBe("nominating");
    // Advanced again, and a qualification decision recorded: the advance now has something depending on it.
    expect(await advance(city, campaign.id)).toMatchObject({ ok: true, to: "qualification" });
    await decideQualification(t.db, city, filed.id, { result: "pass", reason: "" });
    expect(await revertibleStage(t.db, (await findCampaign(t.db, campaign.id))!)).toBeNull();
    expect(await revertAdvance(t.db, city, campaign.id, "qualification")).toMatchObject({ ok: false, reasons: ["进入本阶段后已有办理记录，不能撤回"] });
    const actions = (await historyOf(t.db, "campaign", campaign.id)).map((a) => a.action);
    expect(actions.filter((a) => a !== "create")).toEqual(["advance", "revert_advance", "advance"]);
  });
});
