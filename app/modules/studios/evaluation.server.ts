import type { DB } from "~db";
import type { EvaluationGrade } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { FIGURE_LABELS, needsRevocationReview, scoreOf, type Criterion } from "~/modules/studios/evaluation";
import { studioVisibleTo } from "~/modules/studios/studios.server";
import { yearFiguresByStudio } from "~/modules/studios/figures.server";
import { yearInTaizhou } from "~/lib/time";
import { isOfficerOf } from "~/auth/relation";
import { CRITERIA_AUDIT, STUDIO_AUDIT } from "~/modules/studios/labels";

const FIGURE_ORDER = Object.keys(FIGURE_LABELS);

export async function criteriaFor(db: DB, year: number): Promise<Criterion[]> {
  const rows = await db.selectFrom("evaluation_criterion").select(["key", "label", "weight", "target"]).where("year", "=", year).execute();
  return rows.sort((a, b) => FIGURE_ORDER.indexOf(a.key) - FIGURE_ORDER.indexOf(b.key));
}

export type CriteriaResult = { ok: true } | { ok: false; message: string };

/** Replaces a year's criteria; only figures the platform computes can be criteria. */
export async function saveCriteria(db: DB, actor: SessionUser, year: number, criteria: Criterion[]): Promise<CriteriaResult> {
  if (actor.role !== "city_admin") return { ok: false, message: "只有市总工会可以设定考核标准" };
  if (criteria.some((c) => !Object.hasOwn(FIGURE_LABELS, c.key))) return { ok: false, message: "考核项目无效" };
  if (criteria.reduce((sum, c) => sum + c.weight, 0) <= 0) return { ok: false, message: "权重合计须大于0" };
  const graded = await db.selectFrom("studio_evaluation").select("studio_id").where("year", "=", year).executeTakeFirst();
  if (graded) return { ok: false, message: `${year}年已有工作室完成考核，不能再修改当年的考核标准` };
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

/** Every studio in scope that was accredited or running in the year, with its figures, score and grade. */
export async function evaluationBoard(db: DB, user: SessionUser, year: number) {
  const studios = await db
    .selectFrom("studio")
    .innerJoin("person", "person.id", "studio.person_id")
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .leftJoin("studio_evaluation as ev", (join) => join.onRef("ev.studio_id", "=", "studio.id").on("ev.year", "=", year))
    .where(studioVisibleTo(user))
    .where((eb) => eb.or([eb("studio.status", "in", ["accredited", "active", "suspended"]), eb("ev.studio_id", "is not", null)]))
    .where("studio.accredited_on", "<=", `${year}-12-31`)
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
        scorecard: scoreOf(f, criteria),
        canGrade: isOfficerOf(user, s.org_unit_id),
        revocationReview: needsRevocationReview(history.filter((h) => h.studio_id === s.id)),
      };
    }),
  };
}

export type GradeResult = { ok: true } | { ok: false; status: 400 | 403 | 404; message: string };

export async function gradeStudio(
  db: DB,
  actor: SessionUser,
  studioId: number,
  year: number,
  input: { grade: EvaluationGrade; comment: string | null },
): Promise<GradeResult> {
  const studio = await db.selectFrom("studio").selectAll().where("id", "=", studioId).executeTakeFirst();
  if (!studio) return { ok: false, status: 404, message: "工作室不存在" };
  if (!isOfficerOf(actor, studio.org_unit_id)) return { ok: false, status: 403, message: "您无权考核此工作室" };
  if (!studio.accredited_on || studio.accredited_on > `${year}-12-31`) return { ok: false, status: 400, message: "该工作室当年尚未授牌" };
  if (year > yearInTaizhou()) return { ok: false, status: 400, message: "不能考核尚未到来的年度" };
  const criteria = await criteriaFor(db, year);
  if (!criteria.length) return { ok: false, status: 400, message: `请先由市总工会设定${year}年的考核标准` };
  if (input.grade === "fail" && !input.comment) return { ok: false, status: 400, message: "评为不合格须写明意见" };
  const figures = (await yearFiguresByStudio(db, [studioId], year)).get(studioId)!;
  const { total } = scoreOf(figures, criteria);
  await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom("studio_evaluation")
      .select(["grade", "score"])
      .where("studio_id", "=", studioId)
      .where("year", "=", year)
      .executeTakeFirst();
    await tx
      .insertInto("studio_evaluation")
      .values({ studio_id: studioId, year, figures: JSON.stringify(figures), score: total, grade: input.grade, comment: input.comment, graded_by: actor.id })
      .onConflict((oc) =>
        oc.columns(["studio_id", "year"]).doUpdateSet({
          figures: JSON.stringify(figures),
          score: total,
          grade: input.grade,
          comment: input.comment,
          graded_by: actor.id,
          graded_at: new Date(),
        }),
      )
      .execute();
    await recordAudit(tx, STUDIO_AUDIT, {
      actor,
      id: studioId,
      unit: studio.org_unit_id,
      action: "evaluation",
      before: before ? { year, grade: before.grade, score: Number(before.score) } : null,
      after: { year, grade: input.grade, score: total, ...figures },
      comment: input.comment,
    });
  });
  return { ok: true };
}

export async function evaluationsOf(db: DB, studioId: number) {
  const rows = await db.selectFrom("studio_evaluation").selectAll().where("studio_id", "=", studioId).orderBy("year", "desc").execute();
  return { rows: rows.map((r) => ({ ...r, score: Number(r.score) })), revocationReview: needsRevocationReview(rows) };
}
