import { sql, type Expression } from "kysely";
import type { DB } from "~db";
import type { Figures } from "~/modules/studios/evaluation";
import { startOfYear } from "~/lib/time";
import { inTaizhou } from "~/lib/sql";

/** A studio-year with nothing verified. */
export const noFigures = (): Figures => ({
  apprenticesMentored: 0,
  skillUpgrades: 0,
  competitionPlacings: 0,
  backbones: 0,
  innovations: 0,
  eventsHeld: 0,
  eventsAttended: 0,
  benefitFen: 0,
});

/**
 * The figures of each studio in each of the given years, from verified records only: four grouped
 * queries however many studios and years are asked for, sent as one statement (each one's rows
 * as a JSON array), so a page pays one round trip for them.
 */
export async function figuresByStudioAndYear(db: DB, studioIds: number[], years: number[]): Promise<Map<number, Map<number, Figures>>> {
  const result = new Map(studioIds.map((id) => [id, new Map(years.map((y) => [y, noFigures()]))]));
  if (!studioIds.length || !years.length) return result;
  const at = (studioId: number | null, year: number) => result.get(studioId!)?.get(Number(year));
  const from = `${Math.min(...years)}-01-01`;
  const to = `${Math.max(...years)}-12-31`;
  const start = startOfYear(Math.min(...years));
  const end = startOfYear(Math.max(...years) + 1);
  const yearOf = (column: string) => sql<number>`extract(year from ${inTaizhou(column)})::int`;
  // The studio's people: its leader and the apprentices of its mentorships.
  const people = db
    .selectFrom("studio")
    .select(["studio.id as studio_id", "studio.person_id"])
    .where("studio.id", "in", studioIds)
    .union(
      db.selectFrom("mentorship").select(["mentorship.studio_id", "mentorship.apprentice_id as person_id"]).where("mentorship.studio_id", "in", studioIds),
    );
  const parts = {
    // Mentored in a year: the pairing overlapped it.
    mentored: sql<{ studio_id: number; year: number; n: number }>`
      select m.studio_id, y.year, count(*)::int as n
      from mentorship m cross join unnest(array[${sql.join(years)}]::int[]) as y(year)
      where m.studio_id in (${sql.join(studioIds)})
        and m.start_date <= make_date(y.year, 12, 31)
        and (m.ended_on is null or m.ended_on >= make_date(y.year, 1, 1))
      group by m.studio_id, y.year`,
    milestones: db
      .selectFrom("milestone")
      .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
      .where("mentorship.studio_id", "in", studioIds)
      .where("milestone.status", "=", "verified")
      .where("milestone.occurred_on", ">=", from)
      .where("milestone.occurred_on", "<=", to)
      .select((eb) => [
        "mentorship.studio_id",
        sql<number>`extract(year from milestone.occurred_on)::int`.as("year"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "skill_upgrade").as("skill_upgrades"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "competition").as("competition_placings"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "backbone").as("backbones"),
        eb.fn.count<number>("milestone.id").filterWhere("milestone.kind", "=", "innovation").as("innovations"),
        eb.fn.coalesce(eb.fn.sum<number>("milestone.benefit_fen"), eb.lit(0)).as("benefit_fen"),
      ])
      .groupBy(["mentorship.studio_id", sql`extract(year from milestone.occurred_on)`]),
    held: db
      .selectFrom("event")
      .where("studio_id", "in", studioIds)
      .where("starts_at", ">=", start)
      .where("starts_at", "<", end)
      .where("ends_at", "<", new Date())
      .select(["studio_id", yearOf("event.starts_at").as("year"), (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["studio_id", yearOf("event.starts_at")]),
    attended: db
      .selectFrom(people.as("sp"))
      .innerJoin("event_participant as ep", "ep.person_id", "sp.person_id")
      .innerJoin("event", "event.id", "ep.event_id")
      .where("ep.attended", "=", true)
      .where("event.starts_at", ">=", start)
      .where("event.starts_at", "<", end)
      .select(["sp.studio_id", yearOf("event.starts_at").as("year"), (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["sp.studio_id", yearOf("event.starts_at")]),
  };
  const rowsOf = (query: Expression<unknown>) => sql`(select coalesce(json_agg(q), '[]'::json) from (${query}) q)`;
  const sent = await db
    .selectNoFrom([
      rowsOf(parts.mentored).as("mentored"),
      rowsOf(parts.milestones).as("milestones"),
      rowsOf(parts.held).as("held"),
      rowsOf(parts.attended).as("attended"),
    ])
    .executeTakeFirstOrThrow();
  type Rows<Q> = Q extends { execute(): Promise<Array<infer R>> } ? R[] : never;
  const mentored = sent.mentored as Array<{ studio_id: number; year: number; n: number }>;
  const milestones = sent.milestones as Rows<typeof parts.milestones>;
  const held = sent.held as Rows<typeof parts.held>;
  const attended = sent.attended as Rows<typeof parts.attended>;
  for (const row of mentored) {
    const f = at(row.studio_id, row.year);
    if (f) f.apprenticesMentored = Number(row.n);
  }
  for (const row of milestones) {
    const f = at(row.studio_id, row.year);
    if (f) {
      Object.assign(f, {
        skillUpgrades: Number(row.skill_upgrades),
        competitionPlacings: Number(row.competition_placings),
        backbones: Number(row.backbones),
        innovations: Number(row.innovations),
        benefitFen: Number(row.benefit_fen),
      });
    }
  }
  for (const row of held) {
    const f = at(row.studio_id, row.year);
    if (f) f.eventsHeld = Number(row.n);
  }
  for (const row of attended) {
    const f = at(row.studio_id, row.year);
    if (f) f.eventsAttended = Number(row.n);
  }
  return result;
}

export async function yearFiguresByStudio(db: DB, studioIds: number[], year: number): Promise<Map<number, Figures>> {
  const all = await figuresByStudioAndYear(db, studioIds, [year]);
  return new Map(studioIds.map((id) => [id, all.get(id)!.get(year)!]));
}

export async function studioYearFigures(db: DB, studioId: number, year: number): Promise<Figures> {
  return (await yearFiguresByStudio(db, [studioId], year)).get(studioId)!;
}
