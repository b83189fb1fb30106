import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { seedDemo } from "../../../seeds/demo";
import { unitId } from "../../../test/factories";
import { reachOfEvents } from "~/modules/events/events.server";
import { loadDashboard, refreshDashboards, savePlan } from "~/modules/dashboard/dashboard.server";
import type { SessionUser } from "~/auth/roles";
import { enqueue } from "~/lib/jobs.server";
import { pruneDataChanges, readDataVersions } from "~/lib/data-version.server";

const t = useTestDb();
const city: SessionUser = { id: "c", username: "c", displayName: "市", role: "city_admin", orgUnitId: null, personId: null };

describe("the dashboard", () => {
  it("adds up to what the records say, for the city and for one county", async () => {
    await seedDemo(t.db);
    const year = new Date().getFullYear();
    const all = await loadDashboard(t.db, city, { fromYear: 2018, toYear: year });
    const open = await t.db.selectFrom("studio").select("org_unit_id").where("status", "in", ["accredited", "active", "suspended"]).execute();
    expect(all.studiosByUnit.reduce((s, u) => s + u.studios, 0)).toBe(open.length);
    expect(all.studiosBySector.reduce((s, u) => s + u.studios, 0)).toBe(open.length);
    const verified = await t.db.selectFrom("milestone").select("kind").where("status", "=", "verified").execute();
    const counted = all.outputByYear.reduce((s, y) => s + y.skillUpgrades + y.competitions + y.backbones + y.innovations, 0);
    expect(counted).toBe(verified.length);
    expect(all.funnel.find((f) => f.campaign === 2)).toMatchObject({ named: 20, candidates: 30 });
    expect(all.eventsByMonth.reduce((s, m) => s + m.total, 0)).toBeGreaterThanOrEqual(1);
    expect(all.progress.total).toBe(open.length);
    expect(all.topStudios.length).toBeGreaterThan(0);
    expect(all.topStudios[0].milestones).toBeGreaterThanOrEqual(all.bottomStudios[0].milestones);
    expect(all.eventReach.find((r) => r.reach === "跨区域")).toMatchObject({ events: 1 });
    // Event figures against the per-event reach the event pages show, computed row by row.
    const shown = await t.db
      .selectFrom("event")
      .select("id")
      .where("starts_at", "<", new Date(`${year + 1}-01-01T00:00:00+08:00`))
      .execute();
    const reaches = [
      ...(
        await reachOfEvents(
          t.db,
          shown.map((e) => e.id),
        )
      ).values(),
    ];
    expect(all.eventReach.map((r) => r.events)).toEqual([
      reaches.filter((r) => r.crossUnit).length,
      reaches.filter((r) => r.crossIndustry).length,
      reaches.filter((r) => r.crossRegion).length,
    ]);
    const hours = await t.db
      .selectFrom("event_participant")
      .innerJoin("event", "event.id", "event_participant.event_id")
      .select("hours")
      .where("attended", "=", true)
      .where(
        "event.id",
        "in",
        shown.map((e) => e.id),
      )
      .execute();
    expect(all.eventsByMonth.reduce((s, m) => s + m.hours, 0)).toBeCloseTo(hours.reduce((s, p) => s + Number(p.hours), 0));

    const items = await t.db.selectFrom("publicity_item").select("id").where("published_on", ">=", "2018-01-01").execute();
    expect(all.publicityByYear.reduce((s, y) => s + y.total, 0)).toBe(items.length);
    const consents = await t.db.selectFrom("publication_consent").select("person_id").where("consented", "=", true).execute();
    expect(all.publishedCraftsmen).toBe(consents.length);
    expect(all.publishedCraftsmen).toBeGreaterThan(0);

    const wenling = await unitId(t.db, "wenling");
    const county: SessionUser = { ...city, role: "county_officer", orgUnitId: wenling };
    const own = await loadDashboard(t.db, county, { fromYear: 2018, toYear: year, unitId: 1 });
    expect(own.unitId).toBe(wenling);
    expect(own.studiosByUnit.map((u) => u.unit)).toEqual(["温岭市"]);
    expect(own.studiosByUnit[0].studios).toBe(open.filter((s) => s.org_unit_id === wenling).length);
    // Every other chart of the county's board against the county's own records.
    const ownVerified = await t.db
      .selectFrom("milestone")
      .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
      .innerJoin("studio", "studio.id", "mentorship.studio_id")
      .select("milestone.id")
      .where("milestone.status", "=", "verified")
      .where("studio.org_unit_id", "=", wenling)
      .execute();
    expect(own.outputByYear.reduce((s, y) => s + y.skillUpgrades + y.competitions + y.backbones + y.innovations, 0)).toBe(ownVerified.length);
    expect(ownVerified.length).toBeLessThan(verified.length);
    const ownApplications = await t.db.selectFrom("subsidy_application").select("id").where("org_unit_id", "=", wenling).where("year", "<=", year).execute();
    expect(own.subsidyStatus.reduce((s, r) => s + r.applications, 0)).toBe(ownApplications.length);
    const ownEvents = await t.db
      .selectFrom("event")
      .select("id")
      .where("org_unit_id", "=", wenling)
      .where("starts_at", "<", new Date(`${year + 1}-01-01T00:00:00+08:00`))
      .execute();
    expect(own.eventsByMonth.reduce((s, m) => s + m.total, 0)).toBe(ownEvents.length);
    const ownItems = await t.db.selectFrom("publicity_item").select("id").where("org_unit_id", "=", wenling).execute();
    expect(own.publicityByYear.reduce((s, y) => s + y.total, 0)).toBe(ownItems.length);
    const ownNominations = await t.db
      .selectFrom("nomination")
      .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
      .select("nomination.id")
      .where("campaign.number", "=", 2)
      .where("nominating_unit_id", "=", wenling)
      .execute();
    expect(own.funnel.find((f) => f.campaign === 2)?.nominated).toBe(ownNominations.length);
    for (const records of [ownVerified, ownApplications, ownEvents, ownItems, ownNominations]) expect(records.length).toBeGreaterThan(0);
  });

  it("serves remembered figures until something is committed, then counts again", async () => {
    const year = new Date().getFullYear();
    const first = await loadDashboard(t.db, city, { fromYear: 2018, toYear: year });
    expect(await loadDashboard(t.db, city, { fromYear: 2018, toYear: year })).toBe(first);
    const studio = await t.db.selectFrom("studio").select(["id", "org_unit_id"]).where("status", "=", "active").executeTakeFirstOrThrow();
    await t.db.updateTable("studio").set({ status: "revoked" }).where("id", "=", studio.id).execute();
    const after = await loadDashboard(t.db, city, { fromYear: 2018, toYear: year });
    expect(after).not.toBe(first);
    expect(after.progress.total).toBe(first.progress.total - 1);
    await t.db.updateTable("studio").set({ status: "active" }).where("id", "=", studio.id).execute();
    expect((await loadDashboard(t.db, city, { fromYear: 2018, toYear: year })).progress.total).toBe(first.progress.total);
  });

  it("keeps its figures through writes to what it does not count, and counts again when a counted record changes (issue 37)", async () => {
    const year = new Date().getFullYear();
    const first = await loadDashboard(t.db, city, { fromYear: 2018, toYear: year });
    // A job queued and an SMS logged: PostgreSQL's snapshot moves, the figures do not.
    await enqueue(t.db, "reminders", { date: "2099-01-01" }, { uniqueKey: "dashboard-test-unrelated" });
    await t.db.updateTable("sms_message").set({ error: null }).where("id", "<", 0).execute();
    // A statement on a counted table that changed no row is no change either.
    await t.db.updateTable("studio").set({ name: "无" }).where("id", "<", 0).execute();
    await sql`select txid_current()`.execute(t.db);
    expect(await loadDashboard(t.db, city, { fromYear: 2018, toYear: year })).toBe(first);
    const milestone = await t.db.selectFrom("milestone").select("id").where("status", "=", "verified").executeTakeFirstOrThrow();
    await t.db.updateTable("milestone").set({ status: "rejected" }).where("id", "=", milestone.id).execute();
    const after = await loadDashboard(t.db, city, { fromYear: 2018, toYear: year });
    expect(after).not.toBe(first);
    await t.db.updateTable("milestone").set({ status: "verified" }).where("id", "=", milestone.id).execute();
    // The old versions go with the daily purge; the newest stays, and the figures with it — also when a change the
    // figures do not count (a message) came after it: the dashboard's version never falls back to an older one.
    const again = await loadDashboard(t.db, city, { fromYear: 2018, toYear: year });
    const someone = await t.db.selectFrom("app_user").select("id").executeTakeFirstOrThrow();
    await t.db.insertInto("message").values({ user_id: someone.id, category: "todo", text: "不计入统计" }).execute();
    expect(await loadDashboard(t.db, city, { fromYear: 2018, toYear: year })).toBe(again);
    const before = await readDataVersions(t.db);
    expect(await pruneDataChanges(t.db)).toBeGreaterThan(0);
    expect(await readDataVersions(t.db)).toEqual(before);
    expect(await loadDashboard(t.db, city, { fromYear: 2018, toYear: year })).toBe(again);
  });

  // Two writers at once need two connections: the embedded engine has one, and runs one transaction at a time.
  it.runIf(process.env.DATABASE_URL)(
    "counts again when a change committed after the figures were counted was begun before a quicker change committed (issue 37)",
    async () => {
      const year = new Date().getFullYear();
      const filter = { fromYear: 2000, toYear: year };
      const milestone = await t.db.selectFrom("milestone").select("id").where("status", "=", "verified").executeTakeFirstOrThrow();
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      let started!: () => void;
      const begun = new Promise<void>((resolve) => (started = resolve));
      // A long writer (an import's commit): its counted change is written, its transaction still open.
      const slow = t.db.transaction().execute(async (tx) => {
        await tx.updateTable("milestone").set({ status: "rejected" }).where("id", "=", milestone.id).execute();
        started();
        await finished;
      });
      await begun;
      // A quicker writer commits meanwhile, and the figures are counted: without the slow writer's change.
      await t.db
        .updateTable("studio")
        .set({ name: sql`name` })
        .where("id", "=", (await t.db.selectFrom("studio").select("id").executeTakeFirstOrThrow()).id)
        .execute();
      const before = await loadDashboard(t.db, city, filter);
      finish();
      await slow;
      // The slow writer has committed: the figures are counted again and show its change.
      const after = await loadDashboard(t.db, city, filter);
      expect(after).not.toBe(before);
      const verified = (f: typeof after) => f.outputByYear.reduce((s, y) => s + y.skillUpgrades + y.competitions + y.backbones + y.innovations, 0);
      expect(verified(after)).toBe(verified(before) - 1);
      await t.db.updateTable("milestone").set({ status: "verified" }).where("id", "=", milestone.id).execute();
    },
  );

  it("is counted again in the background after a counted record changes, so the next request finds it ready (issue 37)", async () => {
    const year = new Date().getFullYear();
    const filter = { fromYear: 2019, toYear: year };
    const first = await loadDashboard(t.db, city, filter);
    // Earlier tests' figures are brought up to date; after that, nothing changed, nothing is counted.
    await refreshDashboards(t.db);
    expect(await refreshDashboards(t.db)).toEqual([]);
    const milestone = await t.db.selectFrom("milestone").select("id").where("status", "=", "verified").executeTakeFirstOrThrow();
    await t.db.updateTable("milestone").set({ status: "rejected" }).where("id", "=", milestone.id).execute();
    const counted = await refreshDashboards(t.db);
    // The request after the change is answered with what the background counted, not counted again.
    const next = await loadDashboard(t.db, city, filter);
    expect(next).not.toBe(first);
    expect(counted).toContain(next);
    await t.db.updateTable("milestone").set({ status: "verified" }).where("id", "=", milestone.id).execute();
    // Not asked for within the hour: no longer counted in the background.
    expect(await refreshDashboards(t.db, t.db, Date.now() + 2 * 3_600_000)).toEqual([]);
  });

  it("keeps the plan as data", async () => {
    await savePlan(t.db, city, { target: 120, startYear: 2019, endYear: 2023, unitTargets: { [await unitId(t.db, "wenling")]: 15 } });
    const board = await loadDashboard(t.db, city, { fromYear: 2019, toYear: 2023 });
    expect(board.plan).toMatchObject({ target: 120, start_year: 2019, end_year: 2023 });
    expect(board.studiosByUnit.find((u) => u.unit === "温岭市")?.target).toBe(15);
    expect(board.progress.rows.at(-1)?.planned).toBeGreaterThanOrEqual(120);
    expect(board.target).toBe(120);

    // 温岭's officer is measured against 温岭's 15, not the city's 120; a county with no share set against nothing.
    const wenling = await unitId(t.db, "wenling");
    const own = await loadDashboard(t.db, { ...city, role: "county_officer", orgUnitId: wenling }, { fromYear: 2019, toYear: 2023 });
    expect(own.target).toBe(15);
    expect(own.progress.rows.find((r) => r.year === 2023)?.planned).toBe(15);
    const other = await loadDashboard(t.db, { ...city, role: "county_officer", orgUnitId: await unitId(t.db, "jiaojiang") }, { fromYear: 2019, toYear: 2023 });
    expect(other.target).toBeNull();
    expect(other.progress.reachedIn).toBeNull();
    expect(other.progress.rows.every((r) => r.planned === null)).toBe(true);
  });
});
