import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { DB, Tx } from "~db";
import { isExpert, isCityAdmin, type SessionUser } from "~/auth/roles";
import { hashPassword } from "~/auth/password.server";
import { newUserId } from "~/auth/session.server";
import { recordAudit } from "~/lib/audit.server";
import { createRandom } from "~/lib/random";
import type { Refusal, Result } from "~/lib/result";
import { nominationCode } from "~/modules/campaigns/stages";
import { setCandidates } from "~/modules/nominations/review.server";
import { DEFAULT_RUBRIC, EXPERT_REVIEW_AUDIT } from "~/modules/experts/labels";
import { markErrors, panelWarnings, rankBy, sheetWorkflow, standings, type RankingBy } from "~/modules/experts/policy";

/**
 * 专家评审 online. The city keeps a pool of experts (each with an account), draws or chooses
 * panels per field, assigns the qualified nominations, and sets the rubric; 回避 is proposed from
 * the records and declared by the expert. An expert sees only what their panels were given, only
 * during the stage, scores per criterion, and submits (locked; the city may reopen with a reason).
 * A submitted total is written into the expert scores the review already ranks by.
 */

const refuse = (status: Refusal["status"], message: string): Refusal => ({ ok: false, status, message });
const cityOnly = (actor: SessionUser) => (isCityAdmin(actor) ? null : refuse(403, "只有市总工会可以安排专家评审"));

export interface ExpertInput {
  name: string;
  field: string;
  employer: string;
  orgUnitId: number | null;
  contact: string;
  username: string;
  password: string;
}

/** Adds an expert to the pool with their own account, in one transaction. */
export async function addExpert(db: DB, actor: SessionUser, input: ExpertInput): Promise<Result<{ id: number }>> {
  const refused = cityOnly(actor);
  if (refused) return refused;
  if (await db.selectFrom("app_user").select("id").where("username", "=", input.username).executeTakeFirst()) return refuse(409, "该用户名已被使用");
  const userId = newUserId();
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto("app_user")
      .values({ id: userId, username: input.username, display_name: input.name, password_hash: passwordHash, role: "expert" })
      .execute();
    const expert = await tx
      .insertInto("expert")
      .values({
        user_id: userId,
        name: input.name,
        field: input.field,
        employer: input.employer,
        org_unit_id: input.orgUnitId,
        contact: input.contact,
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, {
      actor,
      id: 0,
      action: "add_expert",
      after: { expert: input.name, field: input.field, employer: input.employer },
    });
    return { ok: true as const, id: expert.id };
  });
}

export function expertPool(db: DB) {
  return db
    .selectFrom("expert")
    .leftJoin("org_unit", "org_unit.id", "expert.org_unit_id")
    .select(["expert.id", "expert.name", "expert.field", "expert.employer", "org_unit.short_name as unit_name"])
    .orderBy("expert.field")
    .orderBy("expert.id")
    .limit(500)
    .execute();
}

export async function rubricOf(db: DB, campaignId: number) {
  return db.selectFrom("review_criterion").selectAll().where("campaign_id", "=", campaignId).orderBy("sort_order").execute();
}

/** The rubric, as data per campaign: changed only until the first expert has scored. Its points add up to 100. */
export async function setRubric(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  criteria: Array<{ key: string; label: string; max_points: number; guidance: string }> = DEFAULT_RUBRIC.map((c) => ({ ...c })),
): Promise<Result> {
  const refused = cityOnly(actor);
  if (refused) return refused;
  if (criteria.reduce((s, c) => s + c.max_points, 0) !== 100) return refuse(400, "各项满分之和应为100分");
  if (new Set(criteria.map((c) => c.key)).size !== criteria.length) return refuse(400, "评审项目重复");
  return db.transaction().execute(async (tx) => {
    const scored = await tx
      .selectFrom("expert_mark")
      .innerJoin("nomination", "nomination.id", "expert_mark.nomination_id")
      .select("expert_mark.expert_id")
      .where("nomination.campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (scored) return refuse(409, "已有专家评分，评审细则不能再修改");
    await tx.deleteFrom("review_criterion").where("campaign_id", "=", campaignId).execute();
    await tx
      .insertInto("review_criterion")
      .values(criteria.map((c, i) => ({ campaign_id: campaignId, ...c, sort_order: i + 1 })))
      .execute();
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, {
      actor,
      id: campaignId,
      action: "set_rubric",
      after: Object.fromEntries(criteria.map((c) => [c.label, c.max_points])),
    });
    return { ok: true as const };
  });
}

/**
 * A panel of a field, chosen by name or drawn at random from the field's pool with a recorded
 * seed (the same seed draws the same panel, so a draw can be shown to have been fair).
 */
export async function createPanel(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  input: { name: string; field: string; blind: boolean } & ({ expertIds: number[] } | { draw: number; seed: number }),
): Promise<Result<{ id: number; members: number[]; warnings: string[] }>> {
  const refused = cityOnly(actor);
  if (refused) return refused;
  const pool = await db.selectFrom("expert").select("id").where("field", "=", input.field).orderBy("id").execute();
  let members: number[];
  if ("expertIds" in input) {
    if (input.expertIds.some((id) => !pool.some((p) => p.id === id))) return refuse(400, "只能从本领域的专家库中选择");
    members = [...new Set(input.expertIds)];
  } else {
    if (input.draw > pool.length) return refuse(400, `本领域专家库只有 ${pool.length} 人，不够抽取 ${input.draw} 人`);
    const random = createRandom(input.seed);
    const shuffled = pool.map((p) => ({ id: p.id, key: random.next() })).sort((a, b) => a.key - b.key);
    members = shuffled.slice(0, input.draw).map((p) => p.id);
  }
  if (!members.length) return refuse(400, "评审组至少要有一位专家");
  return db.transaction().execute(async (tx) => {
    const panel = await tx
      .insertInto("review_panel")
      .values({
        campaign_id: campaignId,
        name: input.name,
        field: input.field,
        blind: input.blind,
        draw_seed: "seed" in input ? input.seed : null,
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("panel_member")
      .values(members.map((expert_id) => ({ panel_id: panel.id, expert_id })))
      .execute();
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, {
      actor,
      id: campaignId,
      action: "create_panel",
      after: { panel: input.name, field: input.field, blind: input.blind, members, seed: "seed" in input ? input.seed : null },
    });
    return { ok: true as const, id: panel.id, members, warnings: panelWarnings(members.length) };
  });
}

/** 回避 proposed from the records: the same employer, the same county-level unit. */
async function proposeRecusals(tx: Tx, panelId: number) {
  const pairs = await tx
    .selectFrom("panel_member as m")
    .innerJoin("expert", "expert.id", "m.expert_id")
    .innerJoin("panel_nomination as pn", "pn.panel_id", "m.panel_id")
    .innerJoin("nomination", "nomination.id", "pn.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select([
      "expert.id as expert_id",
      "nomination.id as nomination_id",
      "expert.employer",
      "person.employer as nominee_employer",
      "expert.org_unit_id",
      "person.org_unit_id as nominee_unit",
    ])
    .where("m.panel_id", "=", panelId)
    .execute();
  const proposed = pairs.flatMap((p) => {
    const reason =
      p.employer.trim() === p.nominee_employer.trim()
        ? "与被推荐人同一工作单位"
        : p.org_unit_id !== null && p.org_unit_id === p.nominee_unit
          ? "与被推荐人同属一个县级单位"
          : null;
    return reason ? [{ expert_id: p.expert_id, nomination_id: p.nomination_id, source: "auto" as const, reason }] : [];
  });
  if (proposed.length) {
    await tx
      .insertInto("recusal")
      .values(proposed)
      .onConflict((oc) => oc.columns(["expert_id", "nomination_id"]).doNothing())
      .execute();
  }
}

/** Gives a panel its nominations (qualified ones of the campaign, each to one panel) and proposes the 回避. */
export async function assignNominations(db: DB, actor: SessionUser, panelId: number, nominationIds: number[]): Promise<Result<{ recused: number }>> {
  const refused = cityOnly(actor);
  if (refused) return refused;
  const panel = await db.selectFrom("review_panel").selectAll().where("id", "=", panelId).executeTakeFirst();
  if (!panel) return refuse(404, "评审组不存在");
  const eligible = await db
    .selectFrom("nomination")
    .select("id")
    .where("campaign_id", "=", panel.campaign_id)
    .where("qualification_result", "=", "pass")
    .where("id", "in", nominationIds.length ? nominationIds : [-1])
    .execute();
  if (eligible.length !== new Set(nominationIds).size) return refuse(400, "只能分配本届通过资格初审的人选");
  return db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom("panel_nomination")
      .select("nomination_id")
      .where("nomination_id", "in", nominationIds)
      .where("panel_id", "!=", panelId)
      .execute();
    if (taken.length) return refuse(409, "其中有人选已分配给其他评审组");
    await tx
      .insertInto("panel_nomination")
      .values(nominationIds.map((nomination_id) => ({ panel_id: panelId, nomination_id })))
      .onConflict((oc) => oc.column("nomination_id").doNothing())
      .execute();
    await proposeRecusals(tx, panelId);
    const recused = await tx
      .selectFrom("recusal")
      .innerJoin("panel_member as m", "m.expert_id", "recusal.expert_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("m.panel_id", "=", panelId)
      .where("recusal.nomination_id", "in", nominationIds)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, {
      actor,
      id: panel.campaign_id,
      action: "assign",
      after: { panel: panel.name, nominations: nominationIds.length },
    });
    return { ok: true as const, recused: Number(recused.n) };
  });
}

/** The expert behind a signed-in expert account. */
async function expertOf(db: DB, user: SessionUser) {
  if (!isExpert(user)) return undefined;
  return db.selectFrom("expert").selectAll().where("user_id", "=", user.id).executeTakeFirst();
}

/**
 * What an expert may see: the nominations of their panels, while the campaign is at 专家评审,
 * with their own sheet's status and whether they stand aside.
 */
function assignedQuery(db: DB, expertId: number) {
  return db
    .selectFrom("panel_member as m")
    .innerJoin("review_panel as panel", "panel.id", "m.panel_id")
    .innerJoin("campaign", "campaign.id", "panel.campaign_id")
    .innerJoin("panel_nomination as pn", "pn.panel_id", "panel.id")
    .innerJoin("nomination", "nomination.id", "pn.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
    .leftJoin("expert_sheet as sheet", (join) => join.onRef("sheet.nomination_id", "=", "nomination.id").on("sheet.expert_id", "=", expertId))
    .leftJoin("recusal", (join) => join.onRef("recusal.nomination_id", "=", "nomination.id").on("recusal.expert_id", "=", expertId))
    .where("m.expert_id", "=", expertId)
    .where("campaign.status", "=", "expert_review");
}

const blindName = (campaignNumber: number, seq: number) => `编号 ${nominationCode(campaignNumber, seq)}`;

export async function assignedTo(db: DB, user: SessionUser) {
  const expert = await expertOf(db, user);
  if (!expert) return [];
  const rows = await assignedQuery(db, expert.id)
    .select([
      "nomination.id",
      "nomination.seq",
      "campaign.number",
      "campaign.title",
      "panel.name as panel",
      "panel.blind",
      "panel.created_at as since",
      "person.name",
      "person.employer",
      "sheet.status",
      "recusal.reason as recused",
    ])
    .orderBy("campaign.id")
    .orderBy("nomination.seq")
    .execute();
  // A blind panel's experts never receive the name, employer or county.
  return rows.map((r) => ({
    id: r.id,
    code: nominationCode(r.number, r.seq),
    title: r.title,
    panel: r.panel,
    who: r.blind ? blindName(r.number, r.seq) : `${r.name}（${r.employer}）`,
    status: r.status,
    recused: r.recused,
    since: r.since,
  }));
}

/** One nomination as its expert reads it, with the rubric and their marks; 404 for anything not theirs. */
export async function sheetFor(db: DB, user: SessionUser, nominationId: number) {
  const expert = await expertOf(db, user);
  if (!expert) return null;
  const row = await assignedQuery(db, expert.id)
    .select([
      "nomination.id",
      "nomination.seq",
      "nomination.campaign_id",
      "campaign.number",
      "panel.blind",
      "person.name",
      "person.employer",
      "person.industry",
      "person.skill_level",
      "org_unit.short_name as unit_name",
      "nomination.frontline_years",
      "nomination.honors",
      "nomination.achievements",
      "nomination.deeds_summary",
      "nomination.story",
      "sheet.status",
      "sheet.reopened_reason",
      "recusal.reason as recused",
      "recusal.source as recused_by",
    ])
    .where("nomination.id", "=", nominationId)
    .executeTakeFirst();
  if (!row) return null;
  const [rubric, marks] = await Promise.all([
    rubricOf(db, row.campaign_id),
    db
      .selectFrom("expert_mark")
      .select(["criterion_key", "points", "comment"])
      .where("expert_id", "=", expert.id)
      .where("nomination_id", "=", nominationId)
      .execute(),
  ]);
  return {
    id: row.id,
    campaignId: row.campaign_id,
    code: nominationCode(row.number, row.seq),
    blind: row.blind,
    // Hidden from a blind panel; the free text is the nominee's own and is shown as written.
    name: row.blind ? blindName(row.number, row.seq) : row.name,
    employer: row.blind ? null : row.employer,
    unit: row.blind ? null : row.unit_name,
    industry: row.industry,
    skillLevel: row.skill_level,
    frontlineYears: row.frontline_years,
    honors: row.honors,
    achievements: row.achievements,
    deedsSummary: row.deeds_summary,
    story: row.story,
    status: row.status ?? ("draft" as const),
    reopenedReason: row.reopened_reason,
    recused: row.recused,
    rubric,
    marks: Object.fromEntries(marks.map((m) => [m.criterion_key, { points: Number(m.points), comment: m.comment }])),
  };
}

export type Marks = Record<string, { points: number | null; comment: string }>;

/** An expert's own label in the review's score table: their name and pool number, never confused with a namesake. */
const scoreLabel = (expert: { id: number; name: string }) => `${expert.name}（专家${expert.id}）`;

/**
 * Saves an expert's marks as a draft, or submits them (every criterion scored; locked from then
 * on). Points within each criterion's maximum, in steps of 0.5; unknown criteria are forged.
 */
export async function saveSheet(db: DB, user: SessionUser, nominationId: number, marks: Marks, submit: boolean): Promise<Result<{ total: number }>> {
  const expert = await expertOf(db, user);
  if (!expert) return refuse(403, "只有评审专家可以评分");
  const sheet = await sheetFor(db, user, nominationId);
  if (!sheet) return refuse(404, "没有分配给您的这份评审材料，或专家评审已结束");
  if (sheet.recused) return refuse(409, `您已回避此人选（${sheet.recused}），不能评分`);
  // Marks are saved while the sheet may still be submitted: a submitted one waits for the city to reopen it.
  if (!sheetWorkflow.canTake(user, { status: sheet.status, expert_user_id: user.id }, "submit")) {
    return refuse(409, "评分已提交，不能再修改；如需修改请联系市总工会退回");
  }
  const keys = new Set(sheet.rubric.map((c) => c.key));
  if (!sheet.rubric.length) return refuse(409, "市总工会尚未设定评审细则");
  for (const key of Object.keys(marks)) if (!keys.has(key)) return refuse(400, "评审项目无效，请刷新页面后重试");
  const [wrong] = Object.entries(markErrors(sheet.rubric, marks, submit));
  if (wrong) return { ...refuse(400, wrong[1]), field: wrong[0] };
  const total = sheet.rubric.reduce((s, c) => s + (marks[c.key]?.points ?? 0), 0);
  return db.transaction().execute(async (tx) => {
    // Two tabs submitting at once: the second finds the sheet locked.
    const locked = await tx
      .insertInto("expert_sheet")
      .values({ expert_id: expert.id, nomination_id: nominationId, status: "draft" })
      .onConflict((oc) => oc.columns(["expert_id", "nomination_id"]).doUpdateSet({ updated_at: new Date() }).where("expert_sheet.status", "=", "draft"))
      .returning("status")
      .executeTakeFirst();
    if (!locked) return refuse(409, "评分已提交，不能再修改；如需修改请联系市总工会退回");
    await tx.deleteFrom("expert_mark").where("expert_id", "=", expert.id).where("nomination_id", "=", nominationId).execute();
    const rows = sheet.rubric.flatMap((c) =>
      marks[c.key]?.points === null || marks[c.key] === undefined
        ? []
        : [{ expert_id: expert.id, nomination_id: nominationId, criterion_key: c.key, points: marks[c.key].points!, comment: marks[c.key].comment }],
    );
    if (rows.length) await tx.insertInto("expert_mark").values(rows).execute();
    if (submit) {
      await tx
        .updateTable("expert_sheet")
        .set({ status: sheetWorkflow.steps.submit.to, submitted_at: new Date(), reopened_reason: null })
        .where("expert_id", "=", expert.id)
        .where("nomination_id", "=", nominationId)
        .execute();
      await tx
        .insertInto("expert_score")
        .values({ nomination_id: nominationId, expert_name: scoreLabel(expert), score: total, recorded_by: user.id })
        .onConflict((oc) => oc.columns(["nomination_id", "expert_name"]).doUpdateSet({ score: total, recorded_by: user.id }))
        .execute();
      await recordAudit(tx, EXPERT_REVIEW_AUDIT, { actor: user, id: sheet.campaignId, action: "submit", after: { nomination: sheet.code, total } });
    }
    return { ok: true as const, total };
  });
}

/** The expert stands aside from a nominee, with a reason (a tie in the last three years…); nothing of theirs counts. */
export async function declareRecusal(db: DB, user: SessionUser, nominationId: number, reason: string): Promise<Result> {
  const expert = await expertOf(db, user);
  if (!expert) return refuse(403, "只有评审专家可以申请回避");
  const sheet = await sheetFor(db, user, nominationId);
  if (!sheet) return refuse(404, "没有分配给您的这份评审材料，或专家评审已结束");
  if (sheet.recused) return { ok: true };
  // A submitted sheet counts: declaring 回避 afterwards would withdraw it, which only the city may (reopen).
  if (!sheetWorkflow.canTake(user, { status: sheet.status, expert_user_id: user.id }, "submit"))
    return refuse(409, "评分已提交，不能再申请回避；如确需回避，请联系市总工会退回后再申请");
  return db.transaction().execute(async (tx) => {
    await tx.insertInto("recusal").values({ expert_id: expert.id, nomination_id: nominationId, source: "declared", reason }).execute();
    await tx.deleteFrom("expert_score").where("nomination_id", "=", nominationId).where("expert_name", "=", scoreLabel(expert)).execute();
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, { actor: user, id: sheet.campaignId, action: "recuse", after: { nomination: sheet.code }, comment: reason });
    return { ok: true as const };
  });
}

/** The city reopens a submitted sheet with a reason: it stops counting until submitted again. */
export async function reopenSheet(db: DB, actor: SessionUser, expertId: number, nominationId: number, reason: string): Promise<Result> {
  const refused = cityOnly(actor) ?? sheetWorkflow.checkInput("reopen", { reason });
  if (refused) return refused;
  const expert = await db.selectFrom("expert").select(["id", "name", "user_id"]).where("id", "=", expertId).executeTakeFirst();
  const nomination = await db.selectFrom("nomination").select("campaign_id").where("id", "=", nominationId).executeTakeFirst();
  if (!expert || !nomination) return refuse(404, "没有已提交的这份评分");
  return db.transaction().execute(async (tx) => {
    const sheet = await tx
      .selectFrom("expert_sheet")
      .select("status")
      .where("expert_id", "=", expertId)
      .where("nomination_id", "=", nominationId)
      .forUpdate()
      .executeTakeFirst();
    if (!sheet || !sheetWorkflow.canTake(actor, { status: sheet.status, expert_user_id: expert.user_id }, "reopen")) return refuse(404, "没有已提交的这份评分");
    await tx
      .updateTable("expert_sheet")
      .set({ status: sheetWorkflow.steps.reopen.to, reopened_reason: reason, submitted_at: null })
      .where("expert_id", "=", expertId)
      .where("nomination_id", "=", nominationId)
      .execute();
    await tx.deleteFrom("expert_score").where("nomination_id", "=", nominationId).where("expert_name", "=", scoreLabel(expert)).execute();
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, {
      actor,
      id: nomination.campaign_id,
      action: "reopen",
      after: { expert: expert.name, nomination: nominationId },
      comment: reason,
    });
    return { ok: true as const };
  });
}

/** The city's board: progress per expert and per nomination, the three rankings, disagreement. */
export async function expertBoard(db: DB, campaignId: number) {
  const assignments = await db
    .selectFrom("review_panel as panel")
    .innerJoin("panel_member as m", "m.panel_id", "panel.id")
    .innerJoin("expert", "expert.id", "m.expert_id")
    .innerJoin("panel_nomination as pn", "pn.panel_id", "panel.id")
    .leftJoin("expert_sheet as sheet", (join) => join.onRef("sheet.expert_id", "=", "m.expert_id").onRef("sheet.nomination_id", "=", "pn.nomination_id"))
    .leftJoin("recusal", (join) => join.onRef("recusal.expert_id", "=", "m.expert_id").onRef("recusal.nomination_id", "=", "pn.nomination_id"))
    .select([
      "panel.id as panel_id",
      "panel.name as panel",
      "expert.id as expert_id",
      "expert.name as expert",
      "pn.nomination_id",
      "sheet.status",
      "recusal.reason as recused",
    ])
    .where("panel.campaign_id", "=", campaignId)
    .execute();
  const totals = await db
    .selectFrom("expert_mark as mark")
    .innerJoin("expert_sheet as sheet", (join) => join.onRef("sheet.expert_id", "=", "mark.expert_id").onRef("sheet.nomination_id", "=", "mark.nomination_id"))
    .innerJoin("nomination", "nomination.id", "mark.nomination_id")
    .select(["mark.expert_id", "mark.nomination_id", sql<string>`sum(mark.points)`.as("total")])
    .where("nomination.campaign_id", "=", campaignId)
    .where("sheet.status", "=", "submitted")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("recusal")
            .select("recusal.expert_id")
            .whereRef("recusal.expert_id", "=", "mark.expert_id")
            .whereRef("recusal.nomination_id", "=", "mark.nomination_id"),
        ),
      ),
    )
    .groupBy(["mark.expert_id", "mark.nomination_id"])
    .execute();
  const nominations = await db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
    .select(["nomination.id", "nomination.seq", "person.name", "campaign.number"])
    .where("nomination.id", "in", [...new Set(assignments.map((a) => a.nomination_id)), -1])
    .orderBy("nomination.seq")
    .execute();
  const rows = standings(
    totals.map((t) => ({ expertId: t.expert_id, nominationId: t.nomination_id, total: Number(t.total) })),
    nominations.map((n) => n.id),
  );
  const experts = [...new Map(assignments.map((a) => [a.expert_id, a])).values()].map((e) => {
    const mine = assignments.filter((a) => a.expert_id === e.expert_id);
    return {
      id: e.expert_id,
      name: e.expert,
      panel: e.panel,
      assigned: mine.length,
      submitted: mine.filter((a) => a.status === "submitted" && !a.recused).length,
      recused: mine.filter((a) => a.recused).length,
    };
  });
  return {
    experts,
    nominations: nominations.map((n) => {
      const s = rows.find((r) => r.nominationId === n.id)!;
      const expected = assignments.filter((a) => a.nomination_id === n.id && !a.recused).length;
      return { id: n.id, code: nominationCode(n.number, n.seq), name: n.name, expected, ...s };
    }),
  };
}

/** Proposes the top N by the chosen ranking as the candidates, through the review's own step. */
export async function proposeCandidates(db: DB, actor: SessionUser, campaignId: number, by: RankingBy, count: number): Promise<Result> {
  const refused = cityOnly(actor);
  if (refused) return refused;
  const board = await expertBoard(db, campaignId);
  const chosen = rankBy(board.nominations, by)
    .filter((r) => r[by] !== null)
    .slice(0, count)
    .map((r) => r.nominationId);
  if (!chosen.length) return refuse(409, "还没有提交的专家评分");
  return setCandidates(
    db,
    actor,
    campaignId,
    chosen,
    `按专家评审${by === "mean" ? "平均分" : by === "trimmed" ? "去掉最高最低分的平均分" : "标准分"}取前 ${count} 名`,
  );
}

/** Tells each expert with unsubmitted sheets how many wait, through the inbox. */
export async function remindExperts(db: DB, actor: SessionUser, campaignId: number): Promise<Result<{ reminded: number }>> {
  const refused = cityOnly(actor);
  if (refused) return refused;
  const board = await expertBoard(db, campaignId);
  const behind = board.experts.filter((e) => e.submitted + e.recused < e.assigned);
  return db.transaction().execute(async (tx) => {
    for (const e of behind) {
      const user = await tx.selectFrom("expert").select("user_id").where("id", "=", e.id).executeTakeFirstOrThrow();
      if (!user.user_id) continue;
      await tx
        .insertInto("message")
        .values({
          user_id: user.user_id,
          category: "todo",
          text: `您还有 ${e.assigned - e.submitted - e.recused} 份评审表未提交，请在评审期内完成`,
          link: "/review",
        })
        .execute();
    }
    await recordAudit(tx, EXPERT_REVIEW_AUDIT, { actor, id: campaignId, action: "remind", after: { experts: behind.length } });
    return { ok: true as const, reminded: behind.length };
  });
}

/** A campaign's panels with their members and nominations, and the qualified nominations still unassigned. */
export async function panelsOf(db: DB, campaignId: number) {
  const [panels, members, assigned, qualified] = await Promise.all([
    db.selectFrom("review_panel").select(["id", "name", "field", "blind", "draw_seed"]).where("campaign_id", "=", campaignId).orderBy("id").execute(),
    db
      .selectFrom("panel_member as m")
      .innerJoin("expert", "expert.id", "m.expert_id")
      .innerJoin("review_panel as p", "p.id", "m.panel_id")
      .select(["m.panel_id", "expert.id", "expert.name"])
      .where("p.campaign_id", "=", campaignId)
      .execute(),
    db
      .selectFrom("panel_nomination as pn")
      .innerJoin("review_panel as p", "p.id", "pn.panel_id")
      .select(["pn.panel_id", "pn.nomination_id"])
      .where("p.campaign_id", "=", campaignId)
      .execute(),
    db
      .selectFrom("nomination")
      .innerJoin("person", "person.id", "nomination.person_id")
      .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
      .select(["nomination.id", "nomination.seq", "person.name", "campaign.number"])
      .where("nomination.campaign_id", "=", campaignId)
      .where("nomination.qualification_result", "=", "pass")
      .orderBy("nomination.seq")
      .limit(500)
      .execute(),
  ]);
  return {
    panels: panels.map((p) => ({
      ...p,
      members: members.filter((m) => m.panel_id === p.id).map((m) => ({ id: m.id, name: m.name })),
      nominations: assigned.filter((a) => a.panel_id === p.id).length,
      warnings: panelWarnings(members.filter((m) => m.panel_id === p.id).length),
    })),
    unassigned: qualified
      .filter((q) => !assigned.some((a) => a.nomination_id === q.id))
      .map((q) => ({ id: q.id, label: `${nominationCode(q.number, q.seq)} ${q.name}` })),
  };
}

/** The board as a workbook: the ranking with all three measures, and each expert's progress. */
export async function expertWorkbook(db: DB, campaignId: number): Promise<Buffer> {
  const board = await expertBoard(db, campaignId);
  const workbook = new ExcelJS.Workbook();
  const ranking = workbook.addWorksheet("评审排名");
  ranking.addRow(["编号", "姓名", "已评/应评", "平均分", "去掉最高最低分的平均分", "标准分", "最高与最低相差", "意见分歧"]).font = { bold: true };
  for (const n of rankBy(board.nominations, "mean")) {
    ranking.addRow([n.code, n.name, `${n.count}/${n.expected}`, n.mean, n.trimmed, n.z, n.spread, n.disagree ? "分歧较大" : ""]);
  }
  const progress = workbook.addWorksheet("评审进度");
  progress.addRow(["专家", "评审组", "应评", "已提交", "回避"]).font = { bold: true };
  for (const e of board.experts) progress.addRow([e.name, e.panel, e.assigned - e.recused, e.submitted, e.recused]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
