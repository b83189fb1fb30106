import { sql } from "kysely";
import type { DB, Tx } from "~db";
import type { EvaluationGrade, StudioYearStatus } from "~db/types";
import { isCityAdmin, isCountyOfficer, type SessionUser } from "~/auth/roles";
import { relationTo } from "~/auth/relation";
import { recordAudit } from "~/lib/audit.server";
import { checkEvidenceFiles } from "~/lib/files";
import type { Refusal, Result } from "~/lib/result";
import { todayInTaizhou, yearInTaizhou } from "~/lib/time";
import { untilDataChanges } from "~/lib/memo.server";
import { versionsFor } from "~/auth/session.server";
import { storedFileColumns } from "~/lib/upload.server";
import {
  excellentCap,
  GRANT_SOURCE_LABELS,
  planProgress,
  PLAN_TARGETS,
  reconfirmationAdvice,
  reconfirmationPeriods,
  studioYearWorkflow,
  type Plan,
  type PlanKey,
  type YearStep,
} from "~/modules/studios/cycle";
import { isRunning, RUNNING_STATUSES } from "~/modules/studios/policy";
import type { ReportInput } from "~/modules/studios/cycle-schema.server";
import { needsRevocationReview, scoreOf } from "~/modules/studios/evaluation";
import { criteriaFor, studiosOfYear } from "~/modules/studios/evaluation.server";
import { figuresByStudioAndYear } from "~/modules/studios/figures.server";
import { cyclePolicyFor, insertGrant, ledgerOf, statementOf } from "~/modules/studios/funds.server";
import { CHECKLIST_AUDIT } from "~/modules/studios/labels";
import { recordStudioAudit } from "~/modules/studios/history.server";

/**
 * A studio's year as the programme runs it: the 年度计划 at its start, the 年度总结 at its end
 * (pre-filled from verified records and the ledger), the county's review, the city's 验收 against
 * the year's checklist with the 优秀 cap, and re-confirmation every few years.
 */

interface Studio {
  id: number;
  status: string;
  org_unit_id: number;
  person_id: number;
  accredited_on: string | null;
}

/** What the platform counts against each target of the plan, from verified records (outreach is the leader's own report). */
export async function actualsOf(db: DB, studioIds: number[], year: number): Promise<Map<number, Plan>> {
  const [figures, extra, reported] = await Promise.all([
    figuresByStudioAndYear(db, studioIds, [year]),
    studioIds.length
      ? sql<{ studio_id: number; trained: number; projects: number; patents: number; minutes: number }>`
          select s.id as studio_id,
            -- 带徒学时: the apprentices' log entries their mentor confirmed, by the day they were done.
            (select coalesce(sum(l.minutes), 0)::int from apprentice_log l join mentorship ms on ms.id = l.mentorship_id
              where ms.studio_id = s.id and l.status = 'confirmed' and extract(year from l.on_date) = ${year}) as minutes,
            (select count(*)::int from event e join event_participant p on p.event_id = e.id
              where e.studio_id = s.id and p.attended and e.ends_at < now()
                and extract(year from e.starts_at at time zone 'Asia/Shanghai') = ${year}) as trained,
            (select count(*)::int from milestone m join mentorship ms on ms.id = m.mentorship_id
              where ms.studio_id = s.id and m.status = 'verified' and m.kind = 'innovation'
                and coalesce(m.details->>'innovationType', '') <> 'patent' and extract(year from m.occurred_on) = ${year}) as projects,
            (select count(*)::int from milestone m join mentorship ms on ms.id = m.mentorship_id
              where ms.studio_id = s.id and m.status = 'verified' and m.kind = 'innovation'
                and m.details->>'innovationType' = 'patent' and extract(year from m.occurred_on) = ${year}) as patents
          from studio s where s.id in (${sql.join(studioIds)})`
          .execute(db)
          .then((r) => r.rows)
      : Promise.resolve([]),
    studioIds.length
      ? db.selectFrom("studio_year").select(["studio_id", "outreach"]).where("studio_id", "in", studioIds).where("year", "=", year).execute()
      : Promise.resolve([]),
  ]);
  return new Map(
    studioIds.map((id) => {
      const f = figures.get(id)!.get(year)!;
      const e = extra.find((x) => x.studio_id === id);
      return [
        id,
        {
          apprentices: f.apprenticesMentored,
          // Whole hours and tenths, as the plan's target is typed.
          apprenticeHours: Math.round(Number(e?.minutes ?? 0) / 6) / 10,
          trainingSessions: f.eventsHeld,
          trainingPeople: Number(e?.trained ?? 0),
          projects: Number(e?.projects ?? 0),
          patents: Number(e?.patents ?? 0),
          outreach: reported.find((r) => r.studio_id === id)?.outreach ?? 0,
        },
      ];
    }),
  );
}

export async function findStudioYear(db: DB, studioId: number, year: number) {
  return db.selectFrom("studio_year").selectAll().where("studio_id", "=", studioId).where("year", "=", year).executeTakeFirst();
}

/** The year's checklist for the city's on-site 验收, in its order. */
export async function checklistFor(db: DB, year: number) {
  return db.selectFrom("acceptance_item").select(["key", "label", "points", "needs_photo"]).where("year", "=", year).orderBy("sort_order").execute();
}

export type ChecklistItem = { key: string; label: string; points: number; needsPhoto: boolean };

/** Replaces a year's checklist; frozen once the year has a 验收. */
export async function saveChecklist(db: DB, actor: SessionUser, year: number, items: ChecklistItem[]): Promise<Result> {
  if (!isCityAdmin(actor)) return { ok: false, status: 403, message: "只有市总工会可以设定验收清单" };
  if (!items.length) return { ok: false, status: 400, message: "验收清单至少要有一项" };
  if (new Set(items.map((i) => i.key)).size !== items.length) return { ok: false, status: 400, message: "验收项目代码不能重复" };
  return db.transaction().execute(async (tx): Promise<Result> => {
    const graded = await tx.selectFrom("studio_evaluation").select("studio_id").where("year", "=", year).where("checklist", "is not", null).executeTakeFirst();
    if (graded) return { ok: false, status: 409, message: `${year}年已有工作室完成验收，不能再修改当年的验收清单` };
    const before = await tx.selectFrom("acceptance_item").select(["key", "points"]).where("year", "=", year).execute();
    await tx.deleteFrom("acceptance_item").where("year", "=", year).execute();
    await tx
      .insertInto("acceptance_item")
      .values(items.map((i, n) => ({ year, key: i.key, label: i.label, points: i.points, needs_photo: i.needsPhoto, sort_order: n })))
      .execute();
    await recordAudit(tx, CHECKLIST_AUDIT, {
      actor,
      id: year,
      action: "update",
      before: Object.fromEntries(before.map((i) => [i.key, `${i.points}分`])),
      after: Object.fromEntries(items.map((i) => [i.label, `${i.points}分${i.needsPhoto ? "（须现场照片）" : ""}`])),
    });
    return { ok: true };
  });
}

/** The years a studio files for: from the year of its plaque to next year. */
function yearOpen(studio: Studio, year: number): Refusal | null {
  if (!studio.accredited_on || Number(studio.accredited_on.slice(0, 4)) > year) return { ok: false, status: 400, message: `工作室${year}年尚未授牌` };
  if (year > yearInTaizhou() + 1) return { ok: false, status: 400, message: "只能报送本年度或下一年度的计划" };
  if (!isRunning(studio.status)) return { ok: false, status: 409, message: "工作室不在运行中" };
  return null;
}

/** The leader files (or corrects, until the report goes in) the year's 年度计划. */
export async function filePlan(db: DB, actor: SessionUser, studio: Studio, year: number, plan: Plan): Promise<Result> {
  if (relationTo(actor, studio.org_unit_id, studio.person_id) !== "owner") return { ok: false, status: 403, message: "年度计划由工作室领衔人报送" };
  const closed = yearOpen(studio, year);
  if (closed) return closed;
  return db.transaction().execute(async (tx): Promise<Result> => {
    const current = await tx
      .selectFrom("studio_year")
      .select("status")
      .where("studio_id", "=", studio.id)
      .where("year", "=", year)
      .forUpdate()
      .executeTakeFirst();
    if (current && current.status !== "planned") return { ok: false, status: 409, message: "年度总结已提交，计划不能再修改" };
    const row = { plan: JSON.stringify(plan), plan_filed_at: new Date(), updated_at: new Date() };
    await tx
      .insertInto("studio_year")
      .values({ studio_id: studio.id, year, status: "planned", ...row })
      .onConflict((oc) => oc.columns(["studio_id", "year"]).doUpdateSet(row))
      .execute();
    await recordStudioAudit(tx, actor, studio, { action: "plan_file", after: { year, ...plan } });
    return { ok: true };
  });
}

/** Whether the year is over enough to report on: a past year, or the present one from December. */
export function reportOpen(year: number, today = todayInTaizhou()): boolean {
  const now = Number(today.slice(0, 4));
  return year < now || (year === now && today.slice(5) >= "12-01");
}

/** What the report shows pre-filled: the plan against verified records, the scorecard, the year's money. */
export async function reportFigures(db: DB, studio: { id: number; status: string }, year: number) {
  const [actual, figures, criteria, statement] = await Promise.all([
    actualsOf(db, [studio.id], year).then((m) => m.get(studio.id)!),
    figuresByStudioAndYear(db, [studio.id], [year]).then((m) => m.get(studio.id)!.get(year)!),
    criteriaFor(db, year),
    statementOf(db, studio, { year }),
  ]);
  return {
    actual,
    figures,
    scorecard: scoreOf(figures, criteria),
    money: { openingFen: statement.openingFen, receivedFen: statement.receivedFen, spentFen: statement.spentFen, closingFen: statement.closingFen },
    spentByCategory: statement.spent,
  };
}

function recordOf(studio: Studio, status: StudioYearStatus) {
  return { status, org_unit_id: studio.org_unit_id, person_id: studio.person_id };
}

async function lockYear(tx: Tx, studioId: number, year: number) {
  return tx.selectFrom("studio_year").selectAll().where("studio_id", "=", studioId).where("year", "=", year).forUpdate().executeTakeFirst();
}

function updateYear(tx: Tx, studioId: number, year: number) {
  return tx.updateTable("studio_year").where("studio_id", "=", studioId).where("year", "=", year);
}

/** The leader files the 年度总结: their text, and the figures and money as they stand, kept with it. */
export async function submitReport(db: DB, actor: SessionUser, studio: Studio, year: number, input: ReportInput & { expected: string }): Promise<Result> {
  if (relationTo(actor, studio.org_unit_id, studio.person_id) !== "owner") return { ok: false, status: 403, message: "年度总结由工作室领衔人报送" };
  const closed = yearOpen(studio, year);
  if (closed) return closed;
  if (!reportOpen(year)) return { ok: false, status: 400, message: `${year}年度总结自当年12月1日起报送` };
  return db.transaction().execute(async (tx): Promise<Result> => {
    const current = await lockYear(tx, studio.id, year);
    const refused = studioYearWorkflow.checkRecord(actor, recordOf(studio, current?.status ?? "planned"), "submit", input);
    if (refused) return refused;
    if (!current) {
      await tx
        .insertInto("studio_year")
        .values({ studio_id: studio.id, year, status: "planned", plan: JSON.stringify({}) })
        .execute();
    }
    await updateYear(tx, studio.id, year).set({ outreach: input.outreach }).execute();
    const filed = await reportFigures(tx, studio, year);
    await updateYear(tx, studio.id, year)
      .set({
        status: "submitted",
        summary: input.summary,
        self_assessment: input.selfAssessment,
        filed: JSON.stringify({ actual: filed.actual, score: filed.scorecard.total, max: filed.scorecard.max, money: filed.money }),
        status_reason: null,
        submitted_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    await recordStudioAudit(tx, actor, studio, {
      action: "report_submit",
      before: current ? { status: current.status } : null,
      after: { year, status: "submitted", ...filed.actual },
    });
    return { ok: true };
  });
}

/** The county returns the report with a reason, or passes it on to the city's 验收. */
export async function reviewReport(
  db: DB,
  actor: SessionUser,
  studio: Studio,
  year: number,
  step: Extract<YearStep, "county_return" | "county_pass">,
  input: { expected: string; reason: string | null },
): Promise<Result> {
  const bad = studioYearWorkflow.checkInput(step, input);
  if (bad) return bad;
  return db.transaction().execute(async (tx): Promise<Result> => {
    const current = await lockYear(tx, studio.id, year);
    if (!current)
      return relationTo(actor, studio.org_unit_id, studio.person_id)
        ? { ok: false, status: 409, message: "年度总结尚未提交" }
        : { ok: false, status: 404, message: "记录不存在" };
    const refused = studioYearWorkflow.checkRecord(actor, recordOf(studio, current.status), step, input);
    if (refused) return refused;
    const to = studioYearWorkflow.steps[step].to;
    await updateYear(tx, studio.id, year).set({ status: to, status_reason: input.reason, updated_at: new Date() }).execute();
    await recordStudioAudit(tx, actor, studio, {
      action: `report_${step}`,
      before: { year, status: current.status },
      after: { year, status: to },
      comment: input.reason,
    });
    return { ok: true };
  });
}

/** The studios a year grades: accredited by its end and running, or graded already. */
export async function studiosInYear(db: DB | Tx, year: number): Promise<number> {
  const row = await db
    .selectFrom("studio")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("studio.accredited_on", "<=", `${year}-12-31`)
    .where((eb) =>
      eb.or([
        eb("studio.status", "in", [...RUNNING_STATUSES]),
        eb.exists(eb.selectFrom("studio_evaluation as ev").select("ev.studio_id").whereRef("ev.studio_id", "=", "studio.id").where("ev.year", "=", year)),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The year's 优秀: how many there are and how many the cap allows. */
export async function excellentQuota(db: DB | Tx, year: number) {
  const [policy, studios, given] = await Promise.all([
    cyclePolicyFor(db as DB, year),
    studiosInYear(db, year),
    db
      .selectFrom("studio_evaluation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("year", "=", year)
      .where("grade", "=", "excellent")
      .executeTakeFirstOrThrow(),
  ]);
  return { studios, percent: policy.excellentCapPercent, cap: excellentCap(studios, policy.excellentCapPercent), given: Number(given.n) };
}

export type AcceptanceInput = {
  expected: string;
  grade: EvaluationGrade;
  comment: string | null;
  points: Record<string, string | undefined>;
  photos: Record<string, Array<{ name: string; bytes: Uint8Array }>>;
};

/**
 * The city's 验收: points for every checklist item (the items that ask for one with an on-site
 * photo), the grade — 优秀 only while the year's cap has room, counted under a lock so two
 * officers grading at once cannot both take the last place — and the year's evaluation row.
 */
export async function acceptStudioYear(db: DB, actor: SessionUser, studio: Studio, year: number, input: AcceptanceInput): Promise<Result<{ score: number }>> {
  const checklist = await checklistFor(db, year);
  if (!checklist.length) return { ok: false, status: 400, message: `请先由市总工会设定${year}年的验收清单` };
  const points: Record<string, number> = {};
  for (const item of checklist) {
    const raw = (input.points[item.key] ?? "").trim();
    if (!/^\d{1,3}$/.test(raw) || Number(raw) > item.points) {
      return { ok: false, status: 400, message: `“${item.label}”的得分应为0到${item.points}的整数`, field: `points-${item.key}` };
    }
    points[item.key] = Number(raw);
  }
  const photos: Record<string, ReturnType<typeof checkEvidenceFiles>> = {};
  for (const [key, files] of Object.entries(input.photos)) {
    if (!files.length || !checklist.some((i) => i.key === key)) continue;
    if (files.length > 3) return { ok: false, status: 400, message: "每个验收项目最多上传3张照片", field: `photo-${key}` };
    const checked = checkEvidenceFiles(files);
    if (!checked.ok) return { ok: false, status: 400, message: checked.message, field: `photo-${key}` };
    photos[key] = checked;
  }
  return db.transaction().execute(async (tx): Promise<Result<{ score: number }>> => {
    const current = await lockYear(tx, studio.id, year);
    if (!current)
      return relationTo(actor, studio.org_unit_id, studio.person_id)
        ? { ok: false, status: 409, message: "年度总结尚未通过县级审核" }
        : { ok: false, status: 404, message: "记录不存在" };
    const refused = studioYearWorkflow.checkRecord(actor, recordOf(studio, current.status), "accept", input);
    if (refused) return refused;
    const kept = await tx
      .selectFrom("studio_file")
      .select("item_key")
      .where("studio_id", "=", studio.id)
      .where("kind", "=", "acceptance")
      .where("year", "=", year)
      .execute();
    const missing = checklist.find((i) => i.needs_photo && !photos[i.key] && !kept.some((k) => k.item_key === i.key));
    if (missing) return { ok: false, status: 400, message: `“${missing.label}”须上传现场照片`, field: `photo-${missing.key}` };
    if (input.grade === "excellent") {
      // One grader at a time per year counts the 优秀 already given.
      await sql`select pg_advisory_xact_lock(hashtext(${`excellent-cap:${year}`}))`.execute(tx);
      const quota = await excellentQuota(tx, year);
      const mine = await tx.selectFrom("studio_evaluation").select("grade").where("studio_id", "=", studio.id).where("year", "=", year).executeTakeFirst();
      const others = quota.given - (mine?.grade === "excellent" ? 1 : 0);
      if (others + 1 > quota.cap) {
        return {
          ok: false,
          status: 409,
          message: `${year}年度“优秀”名额已满：${quota.studios}个工作室的${quota.percent}%，最多${quota.cap}个，已评${others}个`,
          field: "grade",
        };
      }
    }
    for (const [key, checked] of Object.entries(photos)) {
      if (!checked.ok) continue;
      for (const file of checked.files) {
        await tx
          .insertInto("studio_file")
          .values({ studio_id: studio.id, kind: "acceptance", year, item_key: key, ...storedFileColumns(file, actor.id) })
          .execute();
      }
    }
    const figures = (await figuresByStudioAndYear(tx, [studio.id], [year])).get(studio.id)!.get(year)!;
    const score = Object.values(points).reduce((a, b) => a + b, 0);
    const before = await tx
      .selectFrom("studio_evaluation")
      .select(["grade", "score"])
      .where("studio_id", "=", studio.id)
      .where("year", "=", year)
      .executeTakeFirst();
    const row = {
      figures: JSON.stringify(figures),
      score,
      grade: input.grade,
      comment: input.comment,
      checklist: JSON.stringify(points),
      graded_by: actor.id,
    };
    await tx
      .insertInto("studio_evaluation")
      .values({ studio_id: studio.id, year, ...row })
      .onConflict((oc) => oc.columns(["studio_id", "year"]).doUpdateSet({ ...row, graded_at: new Date() }))
      .execute();
    await updateYear(tx, studio.id, year).set({ status: "accepted", updated_at: new Date() }).execute();
    await recordStudioAudit(tx, actor, studio, {
      action: "evaluation",
      before: before ? { year, grade: before.grade, score: Number(before.score) } : null,
      after: { year, grade: input.grade, score, checklist: Object.fromEntries(checklist.map((i) => [i.label, points[i.key]])) },
      comment: input.comment,
    });
    return { ok: true, score };
  });
}

export async function acceptancePhotos(db: DB, studioId: number, year: number) {
  return db
    .selectFrom("studio_file")
    .select(["id", "item_key", "filename", "content_type"])
    .where("studio_id", "=", studioId)
    .where("kind", "=", "acceptance")
    .where("year", "=", year)
    .orderBy("id")
    .execute();
}

/** The studio's re-confirmation periods that are over, their grades, the advice, and what was decided. */
export async function reconfirmationsOf(db: DB, studio: Studio, today = todayInTaizhou()) {
  if (!studio.accredited_on) return [];
  const thisYear = Number(today.slice(0, 4));
  const { reconfirmYears } = await cyclePolicyFor(db, thisYear);
  const periods = reconfirmationPeriods(Number(studio.accredited_on.slice(0, 4)), reconfirmYears, thisYear - 1);
  if (!periods.length) return [];
  const [grades, decisions] = await Promise.all([
    db.selectFrom("studio_evaluation").select(["year", "grade"]).where("studio_id", "=", studio.id).execute(),
    db.selectFrom("studio_reconfirmation").selectAll().where("studio_id", "=", studio.id).execute(),
  ]);
  return periods.map((p) => {
    const years = Array.from({ length: p.to - p.from + 1 }, (_, i) => p.from + i).map((year) => ({
      year,
      grade: grades.find((g) => g.year === year)?.grade ?? null,
    }));
    const decision = decisions.find((d) => d.period_end === p.to) ?? null;
    return { ...p, years, advice: reconfirmationAdvice(years.map((y) => y.grade)), decision };
  });
}

/**
 * The city re-confirms a studio for a period that is over (with the grant that may come with it),
 * or declines, which puts the studio up for the revocation review.
 */
export async function decideReconfirmation(
  db: DB,
  actor: SessionUser,
  studio: Studio,
  input: { periodEnd: number; outcome: "reconfirmed" | "declined"; comment: string | null; grant: { amountFen: number; documentNumber: string } | null },
): Promise<Result> {
  if (relationTo(actor, studio.org_unit_id, null) !== "city") return { ok: false, status: 403, message: "重新确认由市总工会决定" };
  if (!isRunning(studio.status)) return { ok: false, status: 409, message: "工作室不在运行中" };
  const period = (await reconfirmationsOf(db, studio)).find((p) => p.to === input.periodEnd);
  if (!period) return { ok: false, status: 400, message: "该周期尚未结束或不存在", field: "periodEnd" };
  if (period.decision) return { ok: false, status: 409, message: "该周期已作出决定" };
  if (input.outcome === "reconfirmed" && period.advice === "decline" && !input.comment) {
    return { ok: false, status: 400, message: "周期内有不合格年度，重新确认须说明理由", field: "comment" };
  }
  try {
    return await db.transaction().execute(async (tx): Promise<Result> => {
      const grantId =
        input.outcome === "reconfirmed" && input.grant
          ? await insertGrant(
              tx,
              actor,
              { ...studio, status: studio.status as "active" },
              { source: "city", documentNumber: input.grant.documentNumber, amount: input.grant.amountFen, decidedOn: todayInTaizhou() },
              "reconfirmation",
            )
          : null;
      await tx
        .insertInto("studio_reconfirmation")
        .values({ studio_id: studio.id, period_end: input.periodEnd, outcome: input.outcome, grant_id: grantId, comment: input.comment, decided_by: actor.id })
        .execute();
      await recordStudioAudit(tx, actor, studio, {
        action: input.outcome === "reconfirmed" ? "reconfirm" : "reconfirm_decline",
        after: { periodEnd: input.periodEnd, grades: period.years.map((y) => `${y.year}:${y.grade ?? "—"}`), amountFen: input.grant?.amountFen ?? null },
        comment: input.comment,
      });
      return { ok: true };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505") return { ok: false, status: 409, message: "该周期已作出决定" };
    throw error;
  }
}

/** Two 不合格 years in a row, or a declined re-confirmation: the studio is up for the revocation review. */
export async function revocationReviewOf(db: DB, studioId: number): Promise<boolean> {
  const [grades, declined] = await Promise.all([
    db.selectFrom("studio_evaluation").select(["year", "grade"]).where("studio_id", "=", studioId).execute(),
    db.selectFrom("studio_reconfirmation").select("period_end").where("studio_id", "=", studioId).where("outcome", "=", "declined").executeTakeFirst(),
  ]);
  return needsRevocationReview(grades) || !!declined;
}

/** Each studio in the viewer's scope that ran in the year: its plan, what the records count, its report and grade, its money. */
export async function yearlyFigures(db: DB, user: SessionUser, year: number) {
  const studios = await studiosOfYear(db, user, year)
    .select([
      "studio.id",
      "studio.name",
      "studio.status",
      "studio.org_unit_id",
      "person.name as leader_name",
      "org_unit.short_name as unit_name",
      "sy.plan",
      "sy.status as report_status",
      "ev.grade",
      "ev.score",
    ])
    .orderBy("org_unit.sort_order")
    .orderBy("studio.id")
    .execute();
  const ids = studios.map((s) => s.id);
  const [actuals, money] = await Promise.all([
    actualsOf(db, ids, year),
    ids.length
      ? sql<{ studio_id: number; received: number; spent: number }>`
          select s.id as studio_id,
            coalesce((select sum(t.amount_fen) from studio_tranche t join studio_grant g on g.id = t.grant_id
              where g.studio_id = s.id and extract(year from t.received_on) = ${year}), 0)::bigint as received,
            coalesce((select sum(x.amount_fen) from studio_spending x
              where x.studio_id = s.id and x.status in ('recorded', 'approved') and extract(year from x.spent_on) = ${year}), 0)::bigint as spent
          from studio s where s.id in (${sql.join(ids)})`
          .execute(db)
          .then((r) => r.rows)
      : Promise.resolve([]),
  ]);
  return studios.map((s) => {
    const m = money.find((x) => x.studio_id === s.id);
    return {
      ...s,
      score: s.score === null ? null : Number(s.score),
      plan: (s.plan ?? {}) as Partial<Plan>,
      actual: actuals.get(s.id)!,
      receivedFen: Number(m?.received ?? 0),
      spentFen: Number(m?.spent ?? 0),
    };
  });
}

export type YearlyRow = Awaited<ReturnType<typeof yearlyFigures>>[number];

/** The year's plan against actual, summed over the studios in scope, and where their reports stand. */
function planTotals(rows: YearlyRow[]) {
  const keys = Object.keys(PLAN_TARGETS) as PlanKey[];
  return {
    targets: keys.map((key) => ({
      key,
      label: PLAN_TARGETS[key],
      target: rows.reduce((sum, r) => sum + (r.plan[key] ?? 0), 0),
      actual: rows.reduce((sum, r) => sum + r.actual[key], 0),
    })),
    studios: rows.length,
    planned: rows.filter((r) => r.report_status !== null).length,
    reported: rows.filter((r) => r.report_status && r.report_status !== "planned" && r.report_status !== "returned").length,
    accepted: rows.filter((r) => r.report_status === "accepted").length,
  };
}

/** The year's 验收 of a studio, if any. */
export async function evaluationOfYear(db: DB, studioId: number, year: number) {
  const row = await db
    .selectFrom("studio_evaluation")
    .select(["grade", "score", "comment", "checklist"])
    .where("studio_id", "=", studioId)
    .where("year", "=", year)
    .executeTakeFirst();
  return row ? { ...row, score: Number(row.score) } : null;
}

/**
 * What the studio page shows of the money and the year: this year's plan against actual, the
 * fund, the re-confirmation periods and whether the studio is up for the revocation review.
 * Remembered until what it is read from changes, like the page's other figures: a page opened again and again
 * between writes does not pay a dozen statements for it each time.
 */
export async function studioCycleSummary(db: DB, user: SessionUser, studio: Studio) {
  const year = yearInTaizhou();
  const { work: version } = await versionsFor(db, user);
  return untilDataChanges(
    db,
    `studio-cycle|${studio.id}|${studio.status}|${todayInTaizhou()}`,
    async () => {
      const [row, actual, ledger, reconfirmations, revocationReview] = await Promise.all([
        findStudioYear(db, studio.id, year),
        actualsOf(db, [studio.id], year),
        ledgerOf(db, studio.id),
        reconfirmationsOf(db, studio),
        revocationReviewOf(db, studio.id),
      ]);
      return {
        year,
        yearStatus: row?.status ?? null,
        progress: planProgress((row?.plan ?? {}) as Partial<Plan>, actual.get(studio.id)!),
        fund: ledger.fund,
        grantSources: [...new Set(ledger.grants.map((g) => GRANT_SOURCE_LABELS[g.source]))],
        reconfirmations,
        revocationReview,
      };
    },
    { limit: 256, version },
  );
}

/**
 * The year's plan against actual over the studios in the viewer's scope (one unit, if asked), remembered until what
 * they are read from changes: the studios' rows per scope, and their totals per unit shown too (adding up a
 * thousand studios' plans took the dashboard a few milliseconds at every request).
 */
export async function yearPlanTotals(db: DB, user: SessionUser, year: number, unitId: number | null) {
  const scope = isCountyOfficer(user) ? `unit${user.orgUnitId}` : "all";
  const options = { limit: 64, version: (await versionsFor(db, user)).work };
  return untilDataChanges(
    db,
    `studio-year-plan-totals|${scope}|${year}|${unitId ?? "all"}`,
    async () => {
      const rows = await untilDataChanges(db, `studio-year-totals|${scope}|${year}`, () => yearlyFigures(db, user, year), options);
      return { year, ...planTotals(rows.filter((r) => !unitId || r.org_unit_id === unitId)) };
    },
    options,
  );
}
