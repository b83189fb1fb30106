import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/roles";
import { reviewSchedule, reviewsToShow } from "~/modules/apprentices/reviews";
import { reviewsFor, reviewTodos, signReview } from "~/modules/apprentices/reviews.server";
import { studioOutcome } from "~/modules/apprentices/outcomes.server";
import { DEFAULT_MENTORING_POLICY } from "~/modules/apprentices/policy";
import { mentoringPolicyFor, saveMentoringPolicy } from "~/modules/apprentices/policy.server";
import { findMentorship } from "~/modules/studios/mentorships.server";
import { fanOut, todosFor } from "~/worker.server";
import { useTestDb } from "../../../test/db";
import { makeAwardee, makePairing, makeUser } from "../../../test/factories";

const t = useTestDb();

let serial = 0;

/** A running studio in 温岭 with one pairing from 31 Jan 2026 (quarterly reviews: 30 Apr, 31 Jul, 31 Oct, 31 Jan), its three parties. */
async function pairing(columns: { start?: string; end?: string; leader?: string } = {}) {
  const made = await makePairing(t.db, columns.leader ?? `评议师傅${"甲乙丙丁戊己庚辛壬癸"[serial++ % 10]}`, {
    name: "学徒小李",
    start: columns.start ?? "2026-01-31",
    end: columns.end ?? "2027-01-31",
  });
  return { ...made, apprentice: made.apprenticeUser, m: (await findMentorship(t.db, made.mentorshipId))! };
}

const sign = (as: SessionUser, m: Awaited<ReturnType<typeof pairing>>["m"], period: number, rating: number | null = null, today = "2026-05-10") =>
  signReview(t.db, as, m, { period, view: `${as.displayName}的第${period}期意见`, rating }, today);

describe("the review schedule", () => {
  it("counts each due date from the start, so a start on 31 January keeps to month ends", () => {
    const schedule = reviewSchedule({ start_date: "2026-01-31", planned_end: "2027-01-31", ended_on: null }, 3);
    expect(schedule.map((r) => r.dueOn)).toEqual(["2026-04-30", "2026-07-31", "2026-10-31", "2027-01-31"]);
    expect(schedule[0].opensOn).toBe("2026-04-15");
    expect(reviewSchedule({ start_date: "2027-11-30", planned_end: "2028-06-30", ended_on: null }, 3).map((r) => r.dueOn)).toEqual([
      "2028-02-29",
      "2028-05-30",
    ]);
  });

  it("stops at the day a pairing ended, and the page shows the reviews due and the next", () => {
    const schedule = reviewSchedule({ start_date: "2026-01-31", planned_end: "2027-01-31", ended_on: "2026-08-15" }, 3);
    expect(schedule.map((r) => r.period)).toEqual([1, 2]);
    const all = reviewSchedule({ start_date: "2026-01-31", planned_end: "2027-01-31", ended_on: null }, 3);
    expect(reviewsToShow(all, "2026-05-10").map((r) => r.period)).toEqual([1, 2]);
    expect(reviewsToShow(all, "2026-03-01").map((r) => r.period)).toEqual([1]);
  });

  it("takes the interval from the policy of the start's year", async () => {
    await t.db
      .insertInto("mentoring_policy")
      .values({
        year: 2025,
        review_every_months: 6,
        allowance_per_year_fen: 120_000,
        passed_percent: 100,
        extended_percent: 50,
        terminated_percent: 0,
        technician_reward_fen: 0,
        placing_reward_fen: 0,
      })
      .execute();
    const { m, leader } = await pairing({ start: "2025-08-31", end: "2026-12-31" });
    const shown = await reviewsFor(t.db, leader, m, "2026-03-10");
    expect(shown!.rows.map((r) => r.dueOn)).toEqual(["2026-08-31", "2026-02-28"]);
    // The to-do list's SQL computes the same date.
    expect(await reviewTodos(t.db, leader, "2026-03-10")).toEqual([expect.objectContaining({ due: "2026-02-28", link: `/mentorships/${m.id}` })]);
  });
});

describe("signing a review", () => {
  it("lets each party sign a period once, even when two presses race", async () => {
    const { m, leader, apprentice, county } = await pairing();
    for (const as of [leader, apprentice, county]) {
      const results = await Promise.all([sign(as, m, 1, 4), sign(as, m, 1, 4)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok);
      expect(refused).toMatchObject({ ok: false, status: 409 });
      expect(refused && !refused.ok && refused.message).toMatch(/已签署第1期评议，不能重复签署/);
    }
    const signs = await t.db
      .selectFrom("mentorship_review_sign as g")
      .innerJoin("mentorship_review as r", "r.id", "g.review_id")
      .select(["g.party", "r.period", "r.due_on"])
      .where("r.mentorship_id", "=", m.id)
      .orderBy("g.party")
      .execute();
    expect(signs.map((s) => s.party)).toEqual(["apprentice", "host", "mentor"]);
    expect(new Set(signs.map((s) => s.due_on))).toEqual(new Set(["2026-04-30"]));
  });

  it("makes the review row once when the three parties sign at the same moment, and completes it once", async () => {
    const { m, leader, apprentice, county } = await pairing();
    const results = await Promise.all([sign(leader, m, 2, 5, "2026-07-20"), sign(apprentice, m, 2, 3, "2026-07-20"), sign(county, m, 2, null, "2026-07-20")]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await t.db.selectFrom("mentorship_review").select("id").where("mentorship_id", "=", m.id).execute()).toHaveLength(1);
    const history = await t.db
      .selectFrom("audit_log")
      .innerJoin("mentorship_review as r", (j) => j.on((eb) => eb(eb.cast("r.id", "text"), "=", eb.ref("audit_log.entity_id"))))
      .select(["audit_log.action", "audit_log.after"])
      .where("audit_log.entity_type", "=", "mentorship_review")
      .where("r.mentorship_id", "=", m.id)
      .execute();
    expect(history.map((h) => h.action).sort()).toEqual(["complete", "sign", "sign"]);
    // The history names the party, never the rating.
    expect(JSON.stringify(history)).not.toMatch(/rating/);
  });

  it("tells the other parties when the third signature completes a review", async () => {
    const { m, leader, apprentice, county } = await pairing();
    await fanOut(t.db);
    expect(await t.db.selectFrom("message").select("id").where("link", "=", `/mentorships/${m.id}`).execute()).toEqual([]);
    await sign(leader, m, 1);
    await sign(apprentice, m, 1);
    await sign(county, m, 1);
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select(["user_id", "text", "link"]).where("link", "=", `/mentorships/${m.id}`).execute();
    const users = told.map((x) => x.user_id);
    // The mentor and the apprentice; the unit's other officers (the host party), not the one who signed.
    expect(users).toEqual(expect.arrayContaining([apprentice.id, leader.id]));
    expect(users).not.toContain(county.id);
    const recipients = await t.db.selectFrom("app_user").select(["id", "role", "org_unit_id"]).where("id", "in", users).execute();
    for (const r of recipients.filter((r) => r.id !== apprentice.id && r.id !== leader.id))
      expect(r).toMatchObject({ role: "county_officer", org_unit_id: county.orgUnitId });
    expect(told[0].text).toBe("“学徒小李的第1期师徒三方评议”已由三方签署完成");
  });

  it("refuses a stranger, another county and another apprentice", async () => {
    const { m } = await pairing();
    const other = await pairing({ leader: "别家师傅" });
    const strangerCraftsman = (await makeAwardee(t.db, "wenling", "路过工匠")).user;
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    for (const as of [strangerCraftsman, otherCounty, other.apprentice, other.leader]) {
      expect(await sign(as, m, 1)).toMatchObject({ ok: false, status: 403 });
      expect(await reviewsFor(t.db, as, m, "2026-05-10")).toBeNull();
    }
    expect(await t.db.selectFrom("mentorship_review").select("id").where("mentorship_id", "=", m.id).execute()).toEqual([]);
  });

  it("opens a period 15 days before its due date, and only while the pairing runs", async () => {
    const { m, leader, city } = await pairing();
    expect(await sign(leader, m, 1, null, "2026-04-14")).toMatchObject({ ok: false, status: 409, field: "period", message: "第1期评议自2026-04-15起才能签署" });
    expect(await sign(leader, m, 9)).toMatchObject({ ok: false, status: 400, field: "period" });
    expect((await sign(leader, m, 1, null, "2026-04-15")).ok).toBe(true);
    // The city signs as the host too.
    expect((await sign(city, m, 1)).ok).toBe(true);
    await t.db.updateTable("mentorship").set({ status: "paused" }).where("id", "=", m.id).execute();
    expect((await sign(leader, m, 2, null, "2026-07-20")).ok).toBe(true);
    await t.db.updateTable("mentorship").set({ status: "completed", ended_on: "2026-08-01" }).where("id", "=", m.id).execute();
    expect(await sign(city, m, 2, null, "2026-08-02")).toMatchObject({ ok: false, status: 409, message: "该结对已经结束，不能再签署评议" });
  });
});

describe("a signed review's date", () => {
  it("freezes the year's review interval once a pairing that started in it has a signed review; the other fields stay savable", async () => {
    // A year of its own: the file's other pairings start in 2025 and 2026 and have signed reviews.
    const { m, leader, city } = await pairing({ start: "2023-01-31", end: "2024-01-31" });
    // Before any signature the city may still change its mind.
    expect((await saveMentoringPolicy(t.db, city, 2023, { ...DEFAULT_MENTORING_POLICY, reviewEveryMonths: 4 })).ok).toBe(true);
    expect((await saveMentoringPolicy(t.db, city, 2023, DEFAULT_MENTORING_POLICY)).ok).toBe(true);
    expect((await sign(leader, m, 1)).ok).toBe(true);
    const refused = await saveMentoringPolicy(t.db, city, 2023, { ...DEFAULT_MENTORING_POLICY, reviewEveryMonths: 6 });
    expect(refused).toMatchObject({
      ok: false,
      status: 409,
      field: "reviewEveryMonths",
      message: "2023年开始的结对已有签署的三方评议，评议间隔不能再修改（仍为3个月）",
    });
    expect((await mentoringPolicyFor(t.db, 2023)).reviewEveryMonths).toBe(3);
    // The allowance is not the schedule: it may change, the interval kept.
    expect((await saveMentoringPolicy(t.db, city, 2023, { ...DEFAULT_MENTORING_POLICY, allowancePerYearFen: 200_000 })).ok).toBe(true);
    expect(await mentoringPolicyFor(t.db, 2023)).toMatchObject({ reviewEveryMonths: 3, allowancePerYearFen: 200_000 });
    // Another year's pairings have no signature: its interval is free.
    expect((await saveMentoringPolicy(t.db, city, 2021, { ...DEFAULT_MENTORING_POLICY, reviewEveryMonths: 6 })).ok).toBe(true);
    const shown = await reviewsFor(t.db, leader, m, "2023-05-10");
    expect(shown!.rows.map((r) => [r.period, r.dueOn])).toEqual([
      [2, "2023-07-31"],
      [1, "2023-04-30"],
    ]);
  });

  it("shows a signed period at the date it was signed for, though the interval changed before it was frozen", async () => {
    const { m, leader } = await pairing({ start: "2022-01-31", end: "2023-01-31" });
    expect((await sign(leader, m, 1)).ok).toBe(true);
    // A year's interval changed after the signature (as before the freeze existed): half-yearly.
    await t.db
      .insertInto("mentoring_policy")
      .values({
        year: 2022,
        review_every_months: 6,
        allowance_per_year_fen: 120_000,
        passed_percent: 100,
        extended_percent: 50,
        terminated_percent: 0,
        technician_reward_fen: 0,
        placing_reward_fen: 0,
      })
      .execute();
    const shown = await reviewsFor(t.db, leader, m, "2022-05-10");
    expect(shown!.rows.map((r) => [r.period, r.dueOn])).toEqual([
      [2, "2023-01-31"],
      [1, "2022-04-30"],
    ]);
    expect(shown!.rows[1].signed.mentor?.view).toBe(`${leader.displayName}的第1期意见`);
  });
});

describe("what the parties see", () => {
  it("shows each party's view and signature to the three parties, never a rating", async () => {
    const { m, leader, apprentice, county } = await pairing();
    await sign(leader, m, 1, 2);
    await sign(apprentice, m, 1, 5);
    for (const as of [leader, apprentice, county]) {
      const shown = await reviewsFor(t.db, as, m, "2026-05-10");
      expect(shown!.rows.map((r) => r.period)).toEqual([2, 1]);
      const first = shown!.rows[1];
      expect(first.signed.mentor?.view).toBe(`${leader.displayName}的第1期意见`);
      expect(first.signed.apprentice?.view).toBe("学徒小李的第1期意见");
      expect(first.signed.host).toBeNull();
      expect(first.overdue).toBe(true);
      expect(JSON.stringify(shown)).not.toMatch(/rating/);
    }
    expect((await reviewsFor(t.db, leader, m, "2026-05-10"))!.rows[1].canSign).toBe(false);
    expect((await reviewsFor(t.db, county, m, "2026-05-10"))!.rows[1].canSign).toBe(true);
  });

  it("averages a studio's ratings for the officers, counting only the ratings given", async () => {
    const { m, leader, apprentice, county, studio } = await pairing();
    await sign(leader, m, 1, 4);
    await sign(apprentice, m, 1, 5);
    await sign(county, m, 1, null);
    await sign(leader, m, 2, 2, "2026-07-20");
    const other = await pairing({ leader: "无评分师傅" });
    expect((await studioOutcome(t.db, studio.id, { ratings: true })).satisfaction).toEqual({ average: 3.7, count: 3 });
    expect((await studioOutcome(t.db, other.studio.id, { ratings: true })).satisfaction).toEqual({ average: null, count: 0 });
    // Only the officers over the studio ask for it; anyone else's page gets none.
    expect((await studioOutcome(t.db, studio.id, { ratings: false })).satisfaction).toBeNull();
  });
});

describe("overdue reviews as to-dos", () => {
  it("are the to-dos of exactly the parties who have not signed, the apprentice's without their own name, and vanish when they sign", async () => {
    const { m, leader, apprentice, county, city } = await pairing();
    const link = `/mentorships/${m.id}`;
    const mine = async (as: SessionUser, today = "2026-05-10") => (await reviewTodos(t.db, as, today)).filter((x) => x.link === link);
    // Before the due date nobody is asked; the day after, all three are.
    for (const as of [leader, apprentice, county]) expect(await mine(as, "2026-04-30")).toEqual([]);
    for (const as of [leader, county])
      expect(await mine(as, "2026-05-01")).toEqual([{ label: "签署学徒小李的第1期师徒三方评议", link, since: "2026-04-30", due: "2026-04-30" }]);
    // The apprentice's own to-do does not name them in the third person.
    expect(await mine(apprentice, "2026-05-01")).toEqual([{ label: "签署第1期师徒三方评议", link, since: "2026-04-30", due: "2026-04-30" }]);
    await sign(apprentice, m, 1);
    expect(await mine(apprentice)).toEqual([]);
    expect(await mine(leader)).toHaveLength(1);
    expect(await mine(county)).toHaveLength(1);
    // The to-do page's list carries them too (the worker's sources), overdue.
    const instant = new Date("2026-05-10T02:00:00Z");
    expect((await todosFor(t.db, leader, instant)).filter((x) => x.link === link)).toEqual([
      { label: "签署学徒小李的第1期师徒三方评议", link, since: "2026-04-30", due: "2026-04-30", overdue: true },
    ]);
    expect((await todosFor(t.db, apprentice, instant)).filter((x) => x.link === link)).toEqual([]);
    await sign(leader, m, 1);
    await sign(city, m, 1);
    for (const as of [leader, apprentice, county]) expect(await mine(as)).toEqual([]);
    // The next period, once due, asks again; another county's officer is never asked.
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect(await mine(county, "2026-08-01")).toHaveLength(1);
    expect(await mine(otherCounty, "2026-08-01")).toEqual([]);
    // A paused pairing asks nobody.
    await t.db.updateTable("mentorship").set({ status: "paused" }).where("id", "=", m.id).execute();
    expect(await mine(leader, "2026-08-01")).toEqual([]);
  });
});
