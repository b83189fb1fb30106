import { sql } from "kysely";
import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { attendanceByEvent } from "~/modules/events/events.server";
import type { Outlet } from "~db/types";
import { planProgress } from "~/modules/dashboard/plan";
import { untilDataChanges } from "~/lib/memo.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { versionsFor } from "~/auth/session.server";
import { readDataVersions } from "~/lib/data-version.server";
import { fenToWan } from "~/lib/money";
import { startOfYear, yearInTaizhou } from "~/lib/time";
import { inTaizhou } from "~/lib/sql";
import { PLAN_AUDIT } from "~/modules/dashboard/labels";
import { OUTLET_LABELS } from "~/modules/showcase/labels";
import { ONGOING_MENTORSHIP, RUNNING_STATUSES } from "~/modules/studios/policy";
import { pinnedUnit } from "~/auth/relation";

const OUTLETS = Object.keys(OUTLET_LABELS) as Outlet[];

/**
 * The union's dashboard, in a fixed number of grouped SQL queries however many records there are.
 * A county officer's figures are their unit's; the city may narrow to one unit.
 */
export interface DashboardFilter {
  unitId?: number;
  fromYear: number;
  toYear: number;
}

type Figures = Awaited<ReturnType<typeof computeDashboard>>;

/** The scopes and filters asked for lately, per pages' database: what the background counts again after a change. */
const askedFor = new WeakMap<DB, Map<string, { unitId: number | undefined; filter: DashboardFilter; at: number }>>();
const REFRESH_WITHIN_MS = 3_600_000;
const REFRESH_KEYS = 16;

/**
 * The figures are remembered per scope and filter until a write to a table they are counted from commits
 * (`countedDataVersionSql`): a dashboard asked for again and again is counted once, and writes elsewhere — the job
 * queue, sessions, ANALYZE, other databases — no longer make the next request count a second's worth again.
 */
export async function loadDashboard(db: DB, user: SessionUser, filter: DashboardFilter): Promise<Figures> {
  const unitId = pinnedUnit(user) ?? filter.unitId;
  const key = ["dashboard", unitId ?? "all", filter.fromYear, filter.toYear, yearInTaizhou()].join("|");
  let asked = askedFor.get(db);
  if (!asked) askedFor.set(db, (asked = new Map()));
  asked.delete(key);
  asked.set(key, { unitId, filter, at: Date.now() });
  if (asked.size > REFRESH_KEYS) asked.delete(asked.keys().next().value!);
  return untilDataChanges(db, key, () => computeDashboard(db, unitId, filter), { limit: 64, version: (await versionsFor(db, user)).figures });
}

/**
 * Run by each process's background tick: the figures asked for in the last hour are counted again as soon as a
 * counted table has changed, into the memo the pages read — so the next request finds them ready instead of counting
 * (a second at city×10) while it and everyone after it wait. A request that comes before the count ends joins it.
 * `work` is the long-work database the counting runs on; what it finds is kept for the pages' `db`. Returns the
 * figures it counted (none when nothing changed).
 */
export async function refreshDashboards(db: DB, work: DB = db, now = Date.now()): Promise<Figures[]> {
  const asked = askedFor.get(db);
  if (!asked?.size) return [];
  const version = (await readDataVersions(work)).figures;
  const counted: Figures[] = [];
  for (const [key, { unitId, filter, at }] of [...asked]) {
    if (now - at > REFRESH_WITHIN_MS) {
      asked.delete(key);
      continue;
    }
    let fresh = false;
    const figures = await untilDataChanges(
      db,
      key,
      () => {
        fresh = true;
        return computeDashboard(work, unitId, filter);
      },
      { limit: 64, version },
    );
    if (fresh) counted.push(figures);
  }
  return counted;
}

async function computeDashboard(db: DB, unitId: number | undefined, filter: DashboardFilter) {
  const from = `${filter.fromYear}-01-01`;
  const to = `${filter.toYear}-12-31`;
  const fromTs = startOfYear(filter.fromYear);
  const toTs = startOfYear(filter.toYear + 1);
  const currentYear = yearInTaizhou();
  const month = sql<string>`to_char(${inTaizhou("event.starts_at")}, 'YYYY-MM')`;
  // The events of the window and scope: counted by month below, and the only ones whose attendance is read.
  const windowEvents = db
    .selectFrom("event")
    .where("event.starts_at", ">=", fromTs)
    .where("event.starts_at", "<", toTs)
    .$if(!!unitId, (q) => q.where("event.org_unit_id", "=", unitId!));
  // The verified milestones of the window and scope: counted by year and kind, and by competition level.
  const windowMilestones = db
    .selectFrom("milestone")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .where("milestone.status", "=", "verified")
    .where("milestone.occurred_on", ">=", from)
    .where("milestone.occurred_on", "<=", to)
    .$if(!!unitId, (q) => q.where("studio.org_unit_id", "=", unitId!));

  const [
    plan,
    unitTargets,
    byYear,
    byUnit,
    bySector,
    output,
    competitionLevels,
    apprentices,
    subsidyYears,
    subsidyStatus,
    events,
    funnel,
    studioOutput,
    publicity,
    published,
  ] = await Promise.all([
    db.selectFrom("studio_plan").selectAll().where("id", "=", 1).executeTakeFirstOrThrow(),
    db.selectFrom("studio_plan_unit").selectAll().execute(),
    db
      .selectFrom("studio")
      .where("accredited_on", "is not", null)
      .where("status", "!=", "revoked")
      .$if(!!unitId, (q) => q.where("org_unit_id", "=", unitId!))
      .select([sql<number>`extract(year from accredited_on)::int`.as("year"), (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(sql`extract(year from accredited_on)`)
      .execute(),
    db
      .selectFrom("org_unit")
      .leftJoin("studio", (join) => join.onRef("studio.org_unit_id", "=", "org_unit.id").on("studio.status", "in", [...RUNNING_STATUSES]))
      .where("org_unit.kind", "=", "county")
      .$if(!!unitId, (q) => q.where("org_unit.id", "=", unitId!))
      .select(["org_unit.id", "org_unit.short_name", (eb) => eb.fn.count<number>("studio.id").as("n")])
      .groupBy(["org_unit.id", "org_unit.short_name", "org_unit.sort_order"])
      .orderBy("org_unit.sort_order")
      .execute(),
    db
      .selectFrom("studio")
      .where("status", "in", [...RUNNING_STATUSES])
      .$if(!!unitId, (q) => q.where("org_unit_id", "=", unitId!))
      .select(["focus_sector", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("focus_sector")
      .execute(),
    windowMilestones
      .select([sql<number>`extract(year from milestone.occurred_on)::int`.as("year"), "milestone.kind", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy([sql`extract(year from milestone.occurred_on)`, "milestone.kind"])
      .execute(),
    windowMilestones
      .where("milestone.kind", "=", "competition")
      .select([sql<string>`milestone.details->>'competitionLevel'`.as("level"), (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(sql`milestone.details->>'competitionLevel'`)
      .execute(),
    db
      .selectFrom("mentorship")
      .innerJoin("studio", "studio.id", "mentorship.studio_id")
      .where("mentorship.status", "in", [...ONGOING_MENTORSHIP])
      .$if(!!unitId, (q) => q.where("studio.org_unit_id", "=", unitId!))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("subsidy_policy as p")
      .leftJoin("subsidy_application as a", (join) => join.onRef("a.year", "=", "p.year").$call((j) => (unitId ? j.on("a.org_unit_id", "=", unitId) : j)))
      .where("p.year", ">=", filter.fromYear)
      .where("p.year", "<=", filter.toYear)
      .select((eb) => [
        "p.year",
        "p.budget_fen",
        eb.fn.coalesce(eb.fn.sum<number>("a.approved_fen").filterWhere("a.status", "in", ["approved", "disbursed", "closed"]), eb.lit(0)).as("approved"),
        eb.fn.coalesce(eb.fn.sum<number>("a.paid_fen"), eb.lit(0)).as("paid"),
      ])
      .groupBy(["p.year", "p.budget_fen"])
      .orderBy("p.year")
      .execute(),
    db
      .selectFrom("subsidy_application")
      .where("year", ">=", filter.fromYear)
      .where("year", "<=", filter.toYear)
      .$if(!!unitId, (q) => q.where("org_unit_id", "=", unitId!))
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute(),
    // Events per month and kind with the attendance figures of each, joined once from one grouped pass.
    windowEvents
      .leftJoin(attendanceByEvent(db).where("ep.event_id", "in", windowEvents.select("event.id")).as("att"), "att.event_id", "event.id")
      .select([
        month.as("month"),
        "event.kind",
        (eb) => eb.fn.countAll<number>().as("n"),
        sql<number>`coalesce(sum(att.hours), 0)`.as("hours"),
        sql<number>`count(*) filter (where att.employers > 1)`.as("cross_unit"),
        sql<number>`count(*) filter (where att.industries > 1)`.as("cross_industry"),
        sql<number>`count(*) filter (where att.regions > 1)`.as("cross_region"),
      ])
      .groupBy([month, "event.kind"])
      .orderBy("month")
      .execute(),
    db
      .selectFrom("campaign")
      .leftJoin("nomination", (join) =>
        join.onRef("nomination.campaign_id", "=", "campaign.id").$call((j) => (unitId ? j.on("nomination.nominating_unit_id", "=", unitId) : j)),
      )
      // A revoked title no longer counts as named.
      .leftJoin("award", (join) => join.onRef("award.nomination_id", "=", "nomination.id").on("award.revocation_id", "is", null))
      .select((eb) => [
        "campaign.number",
        eb.fn.count<number>("nomination.id").as("nominated"),
        eb.fn.count<number>("nomination.id").filterWhere("nomination.qualification_result", "=", "pass").as("qualified"),
        eb.fn.count<number>("nomination.id").filterWhere("nomination.candidate", "=", true).as("candidates"),
        eb.fn.count<number>("award.id").as("named"),
      ])
      .groupBy("campaign.number")
      .orderBy("campaign.number")
      .execute(),
    // Verified output per studio in the window, for the top and bottom of the table.
    db
      .selectFrom("studio")
      .leftJoin("mentorship", "mentorship.studio_id", "studio.id")
      .leftJoin("milestone", (join) =>
        join
          .onRef("milestone.mentorship_id", "=", "mentorship.id")
          .on("milestone.status", "=", "verified")
          .on("milestone.occurred_on", ">=", from)
          .on("milestone.occurred_on", "<=", to),
      )
      .where("studio.status", "in", ["active", "accredited", "suspended"])
      .$if(!!unitId, (q) => q.where("studio.org_unit_id", "=", unitId!))
      .select((eb) => [
        "studio.id",
        "studio.name",
        eb.fn.count<number>("milestone.id").as("milestones"),
        sql<number>`count(distinct mentorship.id) filter (where mentorship.status in ('active', 'paused'))`.as("apprentices"),
      ])
      .groupBy(["studio.id", "studio.name"])
      .orderBy("milestones", "desc")
      .orderBy("studio.id")
      .execute(),
    db
      .selectFrom("publicity_item")
      .where("published_on", ">=", from)
      .where("published_on", "<=", to)
      .$if(!!unitId, (q) => q.where("org_unit_id", "=", unitId!))
      .select([sql<number>`extract(year from published_on)::int`.as("year"), "outlet", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy([sql`extract(year from published_on)`, "outlet"])
      .execute(),
    // Craftsmen shown on the public pages: those whose consent is on record.
    db
      .selectFrom("publication_consent")
      .innerJoin("person", "person.id", "publication_consent.person_id")
      .where("publication_consent.consented", "=", true)
      .$if(!!unitId, (q) => q.where("person.org_unit_id", "=", unitId!))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);

  const targets = new Map(unitTargets.map((t) => [t.org_unit_id, t.target]));
  // A county is measured against its own share of the plan, not the city's hundred; a unit without
  // a share set has no line to be measured against.
  const target = unitId ? (targets.get(unitId) ?? null) : plan.target;
  const progress = planProgress(new Map(byYear.map((r) => [Number(r.year), Number(r.n)])), plan, target, currentYear);
  const years = Array.from({ length: filter.toYear - filter.fromYear + 1 }, (_, i) => filter.fromYear + i);
  const outputByYear = years.map((year) => {
    const of = (kind: string) => Number(output.find((o) => Number(o.year) === year && o.kind === kind)?.n ?? 0);
    return { year, skillUpgrades: of("skill_upgrade"), competitions: of("competition"), backbones: of("backbone"), innovations: of("innovation") };
  });
  const months = [...new Set(events.map((e) => e.month))];
  return {
    plan,
    target,
    progress,
    studiosByUnit: byUnit.map((u) => ({ unit: u.short_name, studios: Number(u.n), target: targets.get(u.id) ?? null })),
    studiosBySector: bySector.map((s) => ({ sector: s.focus_sector, studios: Number(s.n) })),
    activeApprentices: Number(apprentices.n),
    outputByYear,
    competitionLevels: competitionLevels.map((c) => ({ level: c.level, placings: Number(c.n) })),
    // In 万元, as budgets are spoken of (and as the axis fits).
    subsidies: subsidyYears.map((s) => ({ year: s.year, budget: fenToWan(s.budget_fen), approved: fenToWan(s.approved), paid: fenToWan(s.paid) })),
    subsidyStatus: subsidyStatus.map((s) => ({ status: s.status, applications: Number(s.n) })),
    eventsByMonth: months.map((month) => {
      const rows = events.filter((e) => e.month === month);
      return {
        month,
        ...Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])),
        total: rows.reduce((s, r) => s + Number(r.n), 0),
        crossRegion: rows.reduce((s, r) => s + Number(r.cross_region), 0),
        hours: rows.reduce((s, r) => s + Number(r.hours), 0),
      };
    }),
    topStudios: studioOutput.slice(0, 5).map((r) => ({ id: r.id, name: r.name, milestones: Number(r.milestones), apprentices: Number(r.apprentices) })),
    bottomStudios: studioOutput
      .slice(-5)
      .reverse()
      .map((r) => ({ id: r.id, name: r.name, milestones: Number(r.milestones), apprentices: Number(r.apprentices) })),
    eventReach: (() => {
      const total = events.reduce((s, r) => s + Number(r.n), 0);
      const count = (column: "cross_unit" | "cross_industry" | "cross_region") => events.reduce((s, r) => s + Number(r[column]), 0);
      const share = (n: number) => (total ? Math.round((n / total) * 100) : 0);
      return (
        [
          ["跨单位", "cross_unit"],
          ["跨行业", "cross_industry"],
          ["跨区域", "cross_region"],
        ] as const
      ).map(([reach, column]) => ({ reach, events: count(column), share: share(count(column)) }));
    })(),
    publicityByYear: years.map((year) => {
      const rows = publicity.filter((r) => Number(r.year) === year);
      const byOutlet = Object.fromEntries(OUTLETS.map((o) => [o, Number(rows.find((r) => r.outlet === o)?.n ?? 0)])) as Record<Outlet, number>;
      return { year, ...byOutlet, total: rows.reduce((sum, r) => sum + Number(r.n), 0) };
    }),
    publishedCraftsmen: Number(published.n),
    funnel: funnel.map((f) => ({
      campaign: f.number,
      nominated: Number(f.nominated),
      qualified: Number(f.qualified),
      candidates: Number(f.candidates),
      named: Number(f.named),
    })),
    unitId: unitId ?? null,
  };
}

export type Dashboard = Figures;

export async function savePlan(db: DB, actor: SessionUser, input: { target: number; startYear: number; endYear: number; unitTargets: Record<number, number> }) {
  await db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("studio_plan").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
    await tx
      .updateTable("studio_plan")
      .set({ target: input.target, start_year: input.startYear, end_year: input.endYear, updated_by: actor.id, updated_at: new Date() })
      .where("id", "=", 1)
      .execute();
    await tx.deleteFrom("studio_plan_unit").execute();
    const targets = Object.entries(input.unitTargets).filter(([, t]) => t > 0);
    if (targets.length)
      await tx
        .insertInto("studio_plan_unit")
        .values(targets.map(([id, target]) => ({ org_unit_id: Number(id), target })))
        .execute();
    await recordAudit(tx, PLAN_AUDIT, {
      actor,
      id: 1,
      action: "update",
      before: { target: before.target, startYear: before.start_year, endYear: before.end_year },
      after: { target: input.target, startYear: input.startYear, endYear: input.endYear, unitTargets: input.unitTargets },
    });
  });
}

/** The years a dashboard covers: as asked, else from the plan's first year to this year. */
/**
 * What the page shows besides its figures — the plan's first year (the years shown by default), the county units to
 * narrow by, every unit's target (so saving the plan keeps them all) — remembered as the figures are: three
 * statements a request for rows that change a few times a year.
 */
export async function dashboardSettings(db: DB, user: SessionUser) {
  return untilDataChanges(
    db,
    "dashboard-settings",
    async () => {
      const [plan, units, targets] = await Promise.all([
        db.selectFrom("studio_plan").select("start_year").where("id", "=", 1).executeTakeFirstOrThrow(),
        listCountyUnits(db),
        db.selectFrom("studio_plan_unit").selectAll().execute(),
      ]);
      return { planStart: plan.start_year, units, unitTargets: Object.fromEntries(targets.map((t) => [t.org_unit_id, t.target])) as Record<number, number> };
    },
    { limit: 64, version: (await versionsFor(db, user)).figures },
  );
}

/** The years a dashboard shows: those asked for, else from the plan's first year to this one. */
export async function dashboardYears(db: DB, user: SessionUser, asked: { fromYear?: number; toYear?: number }): Promise<{ fromYear: number; toYear: number }> {
  const fromYear = asked.fromYear ?? (await dashboardSettings(db, user)).planStart;
  return { fromYear, toYear: Math.max(asked.toYear ?? yearInTaizhou(), fromYear) };
}
