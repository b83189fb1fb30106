import type { DB } from "~db";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";
import { FIGURE_LABELS, needsRevocationReview, scoreOf, type Criterion } from "~/modules/studios/evaluation";
import { studioVisibleTo } from "~/modules/studios/studios.server";
import { yearFiguresByStudio } from "~/modules/studios/figures.server";
import { CRITERIA_AUDIT } from "~/modules/studios/labels";
import { RUNNING_STATUSES } from "~/modules/studios/policy";

const FIGURE_ORDER = Object.keys(FIGURE_LABELS);

export async function criteriaFor(db: DB, year: number): Promise<Criterion[]> {
  const rows = await db.selectFrom("evaluation_criterion").select(["key", "label", "weight", "target"]).where("year", "=", year).execute();
  return rows.sort((a, b) => FIGURE_ORDER.indexOf(a.key) - FIGURE_ORDER.indexOf(b.key));
}

/** Replaces a year's criteria; only figures the platform computes can be criteria. */
export async function saveCriteria(db: DB, actor: SessionUser, year: number, criteria: Criterion[]): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("只有市总工会可以设定考核标准", { status: 403 });
  if (criteria.some((c) => !Object.hasOwn(FIGURE_LABELS, c.key))) return refuse("考核项目无效");
  if (criteria.reduce((sum, c) => sum + c.weight, 0) <= 0) return refuse("权重合计须大于0");
  const graded = await db.selectFrom("studio_evaluation").select("studio_id").where("year", "=", year).executeTakeFirst();
  if (graded) return refuse(`${year}年已有工作室完成考核，不能再修改当年的考核标准`);
  await db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("evaluation_criterion").selectAll().where("year", "=", year).execute();
    await tx.deleteFrom("evaluation_criterion").where("year", "=", year).execute();
    await tx
      .insertInto("evaluation_criterion")
      .values(criteria.map((c) => ({ ...c, year })))
      .execute();
    await recordAudit(tx, CRITERIA_AUDIT, {
      actor,
      id: year,
      action: "update",
      before: Object.fromEntries(before.map((c) => [c.key, `${c.weight}分/${c.target}`])),
      after: Object.fromEntries(criteria.map((c) => [c.key, `${c.weight}分/${c.target}`])),
    });
  });
  return { ok: true };
}

/**
 * The studios in the viewer's scope that count for a year, with their leader, unit, studio-year (sy) and grade (ev):
 * accredited by its end and still running, or graded for it (a studio revoked since keeps the year it was graded).
 */
export function studiosOfYear(db: DB, user: SessionUser, year: number) {
  return db
    .selectFrom("studio")
    .innerJoin("person", "person.id", "studio.person_id")
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .leftJoin("studio_evaluation as ev", (join) => join.onRef("ev.studio_id", "=", "studio.id").on("ev.year", "=", year))
    .leftJoin("studio_year as sy", (join) => join.onRef("sy.studio_id", "=", "studio.id").on("sy.year", "=", year))
    .where(studioVisibleTo(user))
    .where((eb) => eb.or([eb("studio.status", "in", [...RUNNING_STATUSES]), eb("ev.studio_id", "is not", null)]))
    .where("studio.accredited_on", "<=", `${year}-12-31`);
}

/** Every studio in scope that was accredited or running in the year: its figures against the criteria, its report, its 验收 score and grade. */
export async function evaluationBoard(db: DB, user: SessionUser, year: number) {
  const studios = await studiosOfYear(db, user, year)
    .select([
      "studio.id",
      "studio.name",
      "studio.org_unit_id",
      "studio.person_id",
      "studio.status",
      "person.name as leader_name",
      "org_unit.short_name as unit_name",
      "ev.grade",
      "ev.score",
      "ev.comment",
      "ev.figures as graded_figures",
      "sy.status as report_status",
    ])
    .orderBy("org_unit.sort_order")
    .orderBy("studio.id")
    .execute();
  const [criteria, figures, history] = await Promise.all([
    criteriaFor(db, year),
    yearFiguresByStudio(
      db,
      studios.map((s) => s.id),
      year,
    ),
    studios.length
      ? db
          .selectFrom("studio_evaluation")
          .select(["studio_id", "year", "grade"])
          .where(
            "studio_id",
            "in",
            studios.map((s) => s.id),
          )
          .execute()
      : Promise.resolve([]),
  ]);
  return {
    criteria,
    rows: studios.map((s) => {
      // A graded year keeps the figures it was graded on.
      const f = (s.graded_figures as Record<string, number> | null) ?? figures.get(s.id)!;
      return {
        ...s,
        figures: f,
        score: s.score === null ? null : Number(s.score),
        scorecard: scoreOf(f, criteria),
        revocationReview: needsRevocationReview(history.filter((h) => h.studio_id === s.id)),
      };
    }),
  };
}

export async function evaluationsOf(db: DB, studioId: number) {
  const rows = await db.selectFrom("studio_evaluation").selectAll().where("studio_id", "=", studioId).orderBy("year", "desc").execute();
  return { rows: rows.map((r) => ({ ...r, score: Number(r.score) })), revocationReview: needsRevocationReview(rows) };
}
