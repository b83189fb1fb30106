import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { checkChsi, enterChsi } from "../../../test/chsi";
import { hanDigits, makeAwardee, makeUser } from "../../../test/factories";
import { engineName } from "~db";
import type { SessionUser } from "~/auth/roles";
import { historyOf } from "~/modules/audit/audit.server";
import { applicationSchema } from "~/modules/subsidies/schema.server";
import type { SubsidyStep } from "~/modules/subsidies/policy";
import { addAttachments, createApplication, findApplication, savePolicy, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import { fanOut, todosFor } from "~/worker.server";

const t = useTestDb();

const form = applicationSchema.parse({
  currentEducation: "大专",
  targetDegree: "本科",
  institution: "台州学院",
  programme: "机械工程",
  studyMode: "part_time",
  enrolledOn: "2025-09-01",
  expectedGraduation: "2028-07-01",
  tuition: "20000",
  requested: "10000",
});

const policyOf = (places: number | null) => ({
  budget: 100_000_000,
  sharePercent: 50,
  holdbackPercent: 0,
  yearsAfterAward: 30,
  open: true,
  places,
  caps: { 本科: 1_500_000 },
});

let serial = 0;

/** A year of its own with a limit, its county's officer, and `n` applicants' drafts ready to submit, proof and 学信网 code in (ids in creation order). */
async function scene(year: number, places: number | null, n: number) {
  const city = await makeUser(t.db, "city_admin");
  expect(await savePolicy(t.db, city, year, policyOf(places))).toEqual({ ok: true });
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  const apps: Array<{ id: number; user: SessionUser; name: string }> = [];
  for (let i = 0; i < n; i++) {
    const name = `名额${hanDigits(++serial)}`;
    const { user } = await makeAwardee(t.db, "wenling", name);
    const created = await createApplication(t.db, user, year, form);
    if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
    const app = (await findApplication(t.db, created.id))!;
    for (const kind of ["admission", "receipt"] as const)
      expect(await addAttachments(t.db, user, app, kind, [{ name: `${kind}.pdf`, bytes: PDF }])).toEqual({ ok: true });
    await enterChsi(t.db, user, created.id);
    apps.push({ id: created.id, user, name });
  }
  return { city, county, apps };
}

const step = (actor: SessionUser, id: number, name: SubsidyStep, expected: string, reason: string | null = null) =>
  takeSubsidyStep(t.db, actor, id, name, { expected, reason, confirmed: true, amount: "10000", voucher: null, noOtherSchemes: name === "submit" });

/** What the page and the lists show of each: place, rank, and the submission time. */
const standing = async (id: number) => {
  const app = (await findApplication(t.db, id))!;
  return { place: app.place, rank: app.place_rank, submittedAt: app.submitted_at };
};

describe("places in order", () => {
  it("gives places by the server's time of submission, not by the order of the drafts; a return keeps the place", async () => {
    const { county, apps } = await scene(2031, 2, 3);
    const [first, second, third] = apps;
    // Drafted first, submitted last: it waits.
    expect(await step(third.user, third.id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    expect(await step(second.user, second.id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    expect(await step(first.user, first.id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    expect(await standing(third.id)).toMatchObject({ place: "placed", rank: 1 });
    expect(await standing(second.id)).toMatchObject({ place: "placed", rank: 2 });
    expect(await standing(first.id)).toMatchObject({ place: "waiting", rank: 1 });
    const stamped = (await standing(third.id)).submittedAt!;
    expect(stamped.getTime()).toBeLessThan((await standing(second.id)).submittedAt!.getTime());
    expect((await historyOf(t.db, "subsidy", first.id)).at(-1)).toMatchObject({ action: "subsidy_submit", after: { status: "submitted", place: "waiting" } });

    // Returned for correction and submitted again: the same time, the same place.
    expect(await step(county, third.id, "county_return", "submitted", "收据不清晰")).toEqual({ ok: true, to: "returned" });
    expect(await standing(third.id)).toMatchObject({ place: "placed", rank: 1 });
    expect(await step(third.user, third.id, "submit", "returned")).toEqual({ ok: true, to: "submitted" });
    expect(await standing(third.id)).toEqual({ place: "placed", rank: 1, submittedAt: stamped });
    expect(await standing(first.id)).toMatchObject({ place: "waiting", rank: 1 });
  });

  it(`holds the limit when twenty submissions race for five places (${engineName()})`, async () => {
    const { apps } = await scene(2032, 5, 20);
    const results = await Promise.all(apps.map((a) => step(a.user, a.id, "submit", "draft")));
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await Promise.all(apps.map((a) => standing(a.id)));
    const placed = rows.filter((r) => r.place === "placed");
    const waiting = rows.filter((r) => r.place === "waiting");
    expect(placed.map((r) => r.rank).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5]);
    expect(waiting.map((r) => r.rank).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    // The places went to the five submitted first, as the server timed them.
    const lastPlaced = Math.max(...placed.map((r) => r.submittedAt!.getTime()));
    expect(waiting.every((r) => r.submittedAt!.getTime() > lastPlaced)).toBe(true);
  });

  it("moves the earliest waiting up when one holding a place is rejected, tells them and keeps it in the history", async () => {
    const { city, county, apps } = await scene(2033, 2, 4);
    for (const a of apps) await step(a.user, a.id, "submit", "draft");
    const [a, b, c, d] = apps;
    const countyTodos = async () => (await todosFor(t.db, county)).map((todo) => todo.link);
    // Those waiting are not the county's to review yet.
    expect(await countyTodos()).not.toContain(`/subsidies/${c.id}`);

    expect(await step(county, a.id, "county_reject", "submitted", "不符合条件")).toEqual({ ok: true, to: "rejected" });
    expect(await standing(a.id)).toMatchObject({ place: null, rank: null });
    expect(await standing(b.id)).toMatchObject({ place: "placed", rank: 1 });
    expect(await standing(c.id)).toMatchObject({ place: "placed", rank: 2 });
    expect(await standing(d.id)).toMatchObject({ place: "waiting", rank: 1 });
    const moved = (await historyOf(t.db, "subsidy", c.id)).at(-1)!;
    expect(moved).toMatchObject({ action: "place_given", actor_name: "系统", after: { place: "placed" }, comment: "有名额空出，按提交时间递补" });
    await fanOut(t.db);
    // The applicant and their county's officers, the one who rejected included.
    const told = await t.db.selectFrom("message").select(["user_id", "text"]).where("audit_id", "=", moved.id).execute();
    expect(told).toEqual(
      expect.arrayContaining([
        { user_id: c.user.id, text: "有名额空出，您的补助申请已从候补名单递补获得名额" },
        { user_id: county.id, text: `${c.name}的补助申请已从候补名单递补获得名额，可以审核通过` },
      ]),
    );
    expect(await countyTodos()).toContain(`/subsidies/${c.id}`);

    // The city's rejection frees a place the same way.
    await checkChsi(t.db, county, b.id);
    expect(await step(county, b.id, "county_approve", "submitted")).toEqual({ ok: true, to: "county_approved" });
    expect(await step(city, b.id, "city_reject", "county_approved", "重复申请")).toEqual({ ok: true, to: "rejected" });
    expect(await standing(d.id)).toMatchObject({ place: "placed", rank: 2 });
    expect((await historyOf(t.db, "subsidy", d.id)).at(-1)).toMatchObject({ action: "place_given" });
  });

  it("frees the place on 撤回, and the one who withdrew joins the end of the queue when submitting again", async () => {
    const { apps } = await scene(2034, 1, 2);
    const [a, b] = apps;
    await step(a.user, a.id, "submit", "draft");
    await step(b.user, b.id, "submit", "draft");
    expect(await standing(b.id)).toMatchObject({ place: "waiting", rank: 1 });
    expect(await step(a.user, a.id, "withdraw", "submitted")).toEqual({ ok: true, to: "draft" });
    expect(await standing(a.id)).toEqual({ place: null, rank: null, submittedAt: null });
    expect(await standing(b.id)).toMatchObject({ place: "placed", rank: 1 });
    expect((await historyOf(t.db, "subsidy", b.id)).at(-1)).toMatchObject({ action: "place_given" });
    expect(await step(a.user, a.id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    expect(await standing(a.id)).toMatchObject({ place: "waiting", rank: 1 });
  });

  it("moves the waiting up when the limit is raised or lifted, and will not lower it below the places given", async () => {
    const { city, apps } = await scene(2035, 1, 4);
    for (const a of apps) await step(a.user, a.id, "submit", "draft");
    expect(await savePolicy(t.db, city, 2035, policyOf(2))).toEqual({ ok: true });
    expect((await Promise.all(apps.map((a) => standing(a.id)))).map((r) => [r.place, r.rank])).toEqual([
      ["placed", 1],
      ["placed", 2],
      ["waiting", 1],
      ["waiting", 2],
    ]);
    expect((await historyOf(t.db, "subsidy", apps[1].id)).at(-1)).toMatchObject({ action: "place_given", comment: "名额增加，按提交时间递补" });
    expect(await savePolicy(t.db, city, 2035, policyOf(1))).toMatchObject({
      ok: false,
      status: 400,
      field: "places",
      message: "名额不能少于已给出的2个（已给出的名额不收回）",
    });
    expect((await t.db.selectFrom("subsidy_policy").select("places").where("year", "=", 2035).executeTakeFirstOrThrow()).places).toBe(2);
    // No limit: everyone waiting moves up (and no rank is shown where nothing is limited).
    expect(await savePolicy(t.db, city, 2035, policyOf(null))).toEqual({ ok: true });
    expect((await Promise.all(apps.map((a) => standing(a.id)))).map((r) => [r.place, r.rank])).toEqual([
      ["placed", null],
      ["placed", null],
      ["placed", null],
      ["placed", null],
    ]);
  });

  it("lets neither the county nor the city approve one still waiting; the county may return or reject it", async () => {
    const { city, county, apps } = await scene(2036, 1, 3);
    for (const a of apps) await step(a.user, a.id, "submit", "draft");
    const [, second, third] = apps;
    expect(await step(county, third.id, "county_approve", "submitted")).toEqual({ ok: false, status: 409, message: "名额已满，申请在候补名单第2位" });
    expect(await step(county, third.id, "county_return", "submitted", "请补充学信网报告")).toEqual({ ok: true, to: "returned" });
    expect(await standing(third.id)).toMatchObject({ place: "waiting", rank: 2 });
    expect(await step(county, second.id, "county_reject", "submitted", "不符合条件")).toEqual({ ok: true, to: "rejected" });
    // Gone from the list, nothing freed: the third is now the first waiting.
    expect(await standing(third.id)).toMatchObject({ place: "waiting", rank: 1 });
    // However it got there (a record from before places), a waiting one is not approved by the city either.
    await t.db.updateTable("subsidy_application").set({ status: "county_approved" }).where("id", "=", third.id).execute();
    expect(await step(city, third.id, "city_approve", "county_approved")).toEqual({ ok: false, status: 409, message: "名额已满，申请在候补名单第1位" });
    expect((await findApplication(t.db, third.id))!.approved_fen).toBeNull();
  });
});
