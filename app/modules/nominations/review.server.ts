import { formulaText, weightedScore } from "~/modules/nominations/policy";
import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import type { Result } from "~/lib/result";
import { recordAudit } from "~/lib/audit.server";
import { eligibilityOf, findNomination, quotaWarningFor, unitCounts } from "~/modules/nominations/nominations.server";
import { REVIEW_STEPS, stepOpen, type ReviewStep } from "~/modules/nominations/policy";
import type { Campaign } from "~/modules/campaigns/campaigns.server";
import { awardTitle, STAGE_LABELS } from "~/modules/campaigns/stages";
import { NOMINATION_AUDIT, ONLINE_SOURCE } from "~/modules/nominations/labels";
import { sql } from "kysely";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { type Tx } from "~db";

/**
 * The city union's work in each review stage. Every function checks the campaign is in the
 * stage the step belongs to, and writes its change and its audit row in one transaction.
 */

/** What every review step answers (the routes' name for the module's `Result`). */
export type ReviewResult = Result;

function wrongStage(step: ReviewStep): ReviewResult {
  return { ok: false, status: 409, message: `只能在“${STAGE_LABELS[REVIEW_STEPS[step].stage]}”阶段进行此操作` };
}

async function lockCampaign(tx: Tx, campaignId: number): Promise<Campaign> {
  return tx.selectFrom("campaign").selectAll().where("id", "=", campaignId).forUpdate().executeTakeFirstOrThrow();
}

export async function acknowledgeQuota(db: DB, actor: SessionUser, nominationId: number): Promise<ReviewResult> {
  return db.transaction().execute(async (tx) => {
    const n = await tx.selectFrom("nomination").select(["id", "quota_acknowledged_at"]).where("id", "=", nominationId).forUpdate().executeTakeFirst();
    if (!n) return { ok: false as const, status: 404 as const, message: "记录不存在" };
    if (n.quota_acknowledged_at) return { ok: true as const };
    await tx.updateTable("nomination").set({ quota_acknowledged_by: actor.id, quota_acknowledged_at: new Date() }).where("id", "=", nominationId).execute();
    await recordAudit(tx, NOMINATION_AUDIT, { actor, id: nominationId, action: "acknowledge_quota" });
    return { ok: true as const };
  });
}

/** Units over their quota in the campaign, with how many of their nominations the city has yet to acknowledge. */
export interface UnitOverQuota {
  unitId: number;
  name: string;
  count: number;
  unacknowledged: number;
}

export async function unitsOverQuota(db: DB, campaign: Pick<Campaign, "id" | "quota_per_unit">): Promise<UnitOverQuota[]> {
  const counts = await unitCounts(db, campaign.id);
  const over = [...counts].filter(([, u]) => u.kind === "county" && u.count > campaign.quota_per_unit);
  if (!over.length) return [];
  const open = await db
    .selectFrom("nomination")
    .select(["nominating_unit_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("campaign_id", "=", campaign.id)
    .where("quota_acknowledged_at", "is", null)
    .where(
      "nominating_unit_id",
      "in",
      over.map(([id]) => id),
    )
    .groupBy("nominating_unit_id")
    .execute();
  return over.map(([id, u]) => ({
    unitId: id,
    name: u.name,
    count: u.count,
    unacknowledged: Number(open.find((o) => o.nominating_unit_id === id)?.n ?? 0),
  }));
}

/**
 * The city acknowledges a unit over its quota once, for all its nominations in the campaign (each
 * one's history says so); the batch pass then takes that unit's clear cases like any other's.
 */
export async function acknowledgeUnitQuota(db: DB, actor: SessionUser, campaignId: number, unitId: number): Promise<ReviewResult & { acknowledged?: number }> {
  return db.transaction().execute(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (!stepOpen(campaign, "qualification")) return wrongStage("qualification");
    const unit = (await unitCounts(tx, campaignId)).get(unitId);
    if (!unit) return { ok: false as const, status: 404 as const, message: "该单位在本届没有推荐人选" };
    if (unit.kind !== "county" || unit.count <= campaign.quota_per_unit) {
      return { ok: false as const, status: 400 as const, message: `${unit.name}推荐 ${unit.count} 人，未超过名额 ${campaign.quota_per_unit} 人，无需确认` };
    }
    const rows = await tx
      .updateTable("nomination")
      .set({ quota_acknowledged_by: actor.id, quota_acknowledged_at: new Date() })
      .where("campaign_id", "=", campaignId)
      .where("nominating_unit_id", "=", unitId)
      .where("quota_acknowledged_at", "is", null)
      .returning("id")
      .execute();
    for (const row of rows) {
      await recordAudit(tx, NOMINATION_AUDIT, {
        actor,
        id: row.id,
        unit: unitId,
        action: "acknowledge_quota",
        comment: `按单位确认：${unit.name}推荐 ${unit.count} 人，名额 ${campaign.quota_per_unit} 人`,
      });
    }
    return { ok: true as const, acknowledged: rows.length };
  });
}

export async function decideQualification(
  db: DB,
  actor: SessionUser,
  nominationId: number,
  decision: { result: "pass" | "fail"; reason: string },
): Promise<ReviewResult> {
  return db.transaction().execute(async (tx) => {
    const view = await findNomination(tx, nominationId);
    if (!view) return { ok: false as const, status: 404 as const, message: "记录不存在" };
    const campaign = await lockCampaign(tx, view.campaign_id);
    if (!stepOpen(campaign, "qualification")) return wrongStage("qualification");
    if (decision.result === "pass") {
      const eligibility = eligibilityOf(view);
      if (eligibility.missing.length) {
        return { ok: false as const, status: 400 as const, message: `推荐审批表待补全，不能通过初审：缺少${eligibility.missing.join("、")}` };
      }
      if (!eligibility.eligible) {
        return { ok: false as const, status: 400 as const, message: `不符合选树条件，不能通过初审：${eligibility.problems.join("；")}` };
      }
      if ((await quotaWarningFor(tx, view)) && !view.quota_acknowledged_at) {
        return { ok: false as const, status: 400 as const, message: "该单位推荐人数超过名额，请先确认超额情况后再通过初审" };
      }
    }
    await tx
      .updateTable("nomination")
      .set({ qualification_result: decision.result, qualification_reason: decision.reason || null, updated_at: new Date() })
      .where("id", "=", nominationId)
      .execute();
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor,
      id: nominationId,
      unit: view.nominating_unit_id,
      action: "qualification",
      before: { result: view.qualification_result, reason: view.qualification_reason },
      after: { result: decision.result, reason: decision.reason || null },
      comment: decision.reason || null,
    });
    return { ok: true as const };
  });
}

/** One expert's scores for any number of qualified nominees, saved together. */
export async function recordExpertScores(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  expertName: string,
  entries: Array<{ nominationId: number; score: number }>,
): Promise<ReviewResult> {
  return db.transaction().execute(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (!stepOpen(campaign, "expertScore")) return wrongStage("expertScore");
    const qualified = await tx.selectFrom("nomination").select("id").where("campaign_id", "=", campaignId).where("qualification_result", "=", "pass").execute();
    const allowed = new Set(qualified.map((q) => q.id));
    if (entries.some((e) => !allowed.has(e.nominationId))) {
      return { ok: false as const, status: 400 as const, message: "只有本届通过资格初审的人选才能评分" };
    }
    const before = new Map(
      (
        await tx
          .selectFrom("expert_score")
          .select(["nomination_id", "score"])
          .where("expert_name", "=", expertName)
          .where("nomination_id", "in", entries.length ? entries.map((e) => e.nominationId) : [-1])
          .execute()
      ).map((r) => [r.nomination_id, Number(r.score)]),
    );
    for (const entry of entries) {
      if (before.get(entry.nominationId) === entry.score) continue;
      await tx
        .insertInto("expert_score")
        .values({ nomination_id: entry.nominationId, expert_name: expertName, score: entry.score, recorded_by: actor.id })
        .onConflict((oc) => oc.columns(["nomination_id", "expert_name"]).doUpdateSet({ score: entry.score, recorded_by: actor.id, recorded_at: new Date() }))
        .execute();
      await recordAudit(tx, NOMINATION_AUDIT, {
        actor,
        id: entry.nominationId,
        action: "expert_score",
        before: before.has(entry.nominationId) ? { expert: expertName, score: before.get(entry.nominationId) } : null,
        after: { expert: expertName, score: entry.score },
      });
    }
    return { ok: true as const };
  });
}

export async function recordExpertScore(db: DB, actor: SessionUser, nominationId: number, input: { expertName: string; score: number }): Promise<ReviewResult> {
  const n = await db.selectFrom("nomination").select(["campaign_id", "qualification_result"]).where("id", "=", nominationId).executeTakeFirst();
  if (!n) return { ok: false, status: 404, message: "记录不存在" };
  if (n.qualification_result !== "pass") {
    const campaign = await db.selectFrom("campaign").select("status").where("id", "=", n.campaign_id).executeTakeFirstOrThrow();
    if (!stepOpen(campaign, "expertScore")) return wrongStage("expertScore");
    return { ok: false, status: 400, message: "只有通过资格初审的人选才能评分" };
  }
  return recordExpertScores(db, actor, n.campaign_id, input.expertName, [{ nominationId, score: input.score }]);
}

/**
 * Passes, in one go, every undecided nominee who meets all conditions, has no warning and whose
 * unit is within its quota; the rest stay for a decision one by one.
 */
export async function passClearCases(
  db: DB,
  actor: SessionUser,
  campaignId: number,
): Promise<ReviewResult & { passed?: number; held?: Array<{ id: number; name: string; reasons: string[] }> }> {
  return db.transaction().execute(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (!stepOpen(campaign, "qualification")) return wrongStage("qualification");
    const undecided = await tx
      .selectFrom("nomination")
      .innerJoin("person", "person.id", "nomination.person_id")
      .select([
        "nomination.id",
        "nomination.nominating_unit_id",
        "nomination.quota_acknowledged_at",
        "nomination.frontline_years",
        "nomination.in_skill_post",
        "nomination.teacher_or_researcher",
        "nomination.conditions",
        "nomination.achievements",
        "nomination.deeds_summary",
        "person.skill_level",
        "person.name",
      ])
      .where("nomination.campaign_id", "=", campaignId)
      .where("nomination.qualification_result", "is", null)
      .orderBy("nomination.seq")
      .execute();
    const counts = await unitCounts(tx, campaignId);
    // Each one held back says why, so the officer knows what to look at on their page.
    const held: Array<{ id: number; name: string; reasons: string[] }> = [];
    const clear = undecided.filter((n) => {
      const e = eligibilityOf(n);
      const unit = counts.get(n.nominating_unit_id);
      const reasons = [
        ...e.missing.map((m) => `待补全：${m}`),
        ...e.problems,
        ...e.warnings,
        // Over the quota holds a nominee back until the city has acknowledged it (per unit, in one step).
        ...(unit?.kind === "county" && unit.count > campaign.quota_per_unit && !n.quota_acknowledged_at
          ? [`所在单位推荐 ${unit.count} 人，超过名额 ${campaign.quota_per_unit} 人，须先确认该单位超出名额`]
          : []),
      ];
      if (reasons.length) held.push({ id: n.id, name: n.name, reasons });
      return reasons.length === 0;
    });
    for (const n of clear) {
      await tx.updateTable("nomination").set({ qualification_result: "pass", updated_at: new Date() }).where("id", "=", n.id).execute();
      await recordAudit(tx, NOMINATION_AUDIT, {
        actor,
        id: n.id,
        unit: n.nominating_unit_id,
        action: "qualification",
        before: { result: null },
        after: { result: "pass" },
        comment: "批量通过：符合全部条件且无提示",
      });
    }
    return { ok: true as const, passed: clear.length, held };
  });
}

/** Qualified nominations with their expert scores, mean and rank; votes and objections once they exist. */
export async function reviewBoard(db: DB, campaignId: number) {
  const rows = await db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
    .leftJoin("expert_score", "expert_score.nomination_id", "nomination.id")
    .leftJoin("award", "award.nomination_id", "nomination.id")
    .where("nomination.campaign_id", "=", campaignId)
    .where("nomination.qualification_result", "=", "pass")
    .select((eb) => [
      "nomination.id",
      "nomination.seq",
      "nomination.candidate",
      "nomination.vote_count",
      "nomination.withdrawn_reason",
      "nomination.final_rank",
      "person.name",
      "person.employer",
      "org_unit.short_name as unit_name",
      "award.certificate_number",
      "award.may_day_medal",
      eb.fn.count<number>("expert_score.score").as("score_count"),
      eb.fn.avg<string | null>("expert_score.score").as("mean_score"),
    ])
    .groupBy(["nomination.id", "person.name", "person.employer", "org_unit.short_name", "award.certificate_number", "award.may_day_medal"])
    .execute();
  const scores = await db
    .selectFrom("expert_score")
    .innerJoin("nomination", "nomination.id", "expert_score.nomination_id")
    .where("nomination.campaign_id", "=", campaignId)
    .select(["expert_score.nomination_id", "expert_score.expert_name", "expert_score.score"])
    .orderBy("expert_score.expert_name")
    .execute();
  const board = rows
    .map((r) => ({
      ...r,
      score_count: Number(r.score_count),
      mean: r.mean_score === null ? null : Math.round(Number(r.mean_score) * 100) / 100,
      scores: scores.filter((s) => s.nomination_id === r.id).map((s) => ({ expert: s.expert_name, score: Number(s.score) })),
    }))
    .sort(compareForRanking)
    .map((r, i) => ({ ...r, expertRank: r.mean === null ? null : i + 1 }));
  // With the platform's vote rules, the final order weighs the votes against the experts as published.
  const rules = await db.selectFrom("vote_rule").select("vote_weight").where("campaign_id", "=", campaignId).executeTakeFirst();
  const mostVotes = Math.max(0, ...board.map((r) => r.vote_count ?? 0));
  const weighed = board.map((r) => ({ ...r, combined: rules ? weightedScore(r.mean, r.vote_count, mostVotes, rules.vote_weight) : null }));
  if (!rules || !board.some((r) => r.vote_count !== null)) return weighed;
  return weighed.sort((a, b) => (b.combined ?? -1) - (a.combined ?? -1) || compareForRanking(a, b));
}

/** How the review board's order is computed, as the board and the public page both say it. */
export async function rankingFormula(db: DB, campaignId: number): Promise<string | null> {
  const rules = await db.selectFrom("vote_rule").select("vote_weight").where("campaign_id", "=", campaignId).executeTakeFirst();
  return rules ? formulaText(rules.vote_weight) : null;
}

/** The default order: expert mean, then votes, then filing order. */
export function compareForRanking(
  a: { mean: number | null; vote_count: number | null; seq: number },
  b: { mean: number | null; vote_count: number | null; seq: number },
): number {
  return (b.mean ?? -1) - (a.mean ?? -1) || (b.vote_count ?? -1) - (a.vote_count ?? -1) || a.seq - b.seq;
}

/** Makes the top N of the expert ranking the candidates for the online vote (and nobody else). */
export async function selectCandidates(db: DB, actor: SessionUser, campaignId: number, count: number): Promise<ReviewResult> {
  const board = await reviewBoard(db, campaignId);
  const chosen = board
    .filter((r) => r.expertRank !== null)
    .sort((a, b) => a.expertRank! - b.expertRank!)
    .slice(0, count)
    .map((r) => r.id);
  return setCandidates(db, actor, campaignId, chosen, `按专家评分取前 ${count} 名`);
}

export async function setCandidates(db: DB, actor: SessionUser, campaignId: number, nominationIds: number[], comment: string): Promise<ReviewResult> {
  return db.transaction().execute(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    if (!stepOpen(campaign, "candidates")) return wrongStage("candidates");
    const eligible = await tx.selectFrom("nomination").select("id").where("campaign_id", "=", campaignId).where("qualification_result", "=", "pass").execute();
    const allowed = new Set(eligible.map((e) => e.id));
    if (nominationIds.some((id) => !allowed.has(id))) {
      return { ok: false as const, status: 400 as const, message: "候选对象只能从通过资格初审的人选中产生" };
    }
    await tx.updateTable("nomination").set({ candidate: false }).where("campaign_id", "=", campaignId).execute();
    if (nominationIds.length) {
      await tx.updateTable("nomination").set({ candidate: true }).where("id", "in", nominationIds).execute();
    }
    await recordAudit(tx, CAMPAIGN_AUDIT, { actor, id: campaignId, action: "select_candidates", after: { nominationIds }, comment });
    return { ok: true as const };
  });
}

export async function recordVotes(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  votes: Array<{ nominationId: number; votes: number }>,
  source: string,
): Promise<ReviewResult> {
  return db.transaction().execute((tx) => writeVotes(tx, actor, campaignId, votes, source));
}

/** The vote counts into the review, inside the caller's transaction: a file's, or the platform's own tally. */
export async function writeVotes(
  tx: Tx,
  actor: SessionUser | null,
  campaignId: number,
  votes: Array<{ nominationId: number; votes: number }>,
  source: string,
): Promise<ReviewResult> {
  const campaign = await lockCampaign(tx, campaignId);
  if (!stepOpen(campaign, "votes")) return wrongStage("votes");
  const candidates = await tx
    .selectFrom("nomination")
    .select(["id", "vote_count"])
    .where("campaign_id", "=", campaignId)
    .where("candidate", "=", true)
    .execute();
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const unknown = votes.filter((v) => !byId.has(v.nominationId));
  if (unknown.length) return { ok: false as const, status: 400 as const, message: "只能为本届候选对象录入得票数" };
  for (const v of votes) {
    if (byId.get(v.nominationId)!.vote_count === v.votes) continue;
    await tx.updateTable("nomination").set({ vote_count: v.votes, updated_at: new Date() }).where("id", "=", v.nominationId).execute();
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor,
      id: v.nominationId,
      action: "votes",
      before: { votes: byId.get(v.nominationId)!.vote_count },
      after: { votes: v.votes },
      comment: source,
    });
  }
  return { ok: true as const };
}

export async function listObjections(db: DB, campaignId: number) {
  return db
    .selectFrom("objection")
    .innerJoin("nomination", "nomination.id", "objection.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .where("nomination.campaign_id", "=", campaignId)
    .select([
      "objection.id",
      "objection.nomination_id",
      "objection.received_on",
      "objection.source",
      "objection.content",
      "objection.handling",
      "objection.outcome",
      "person.name",
    ])
    .orderBy("objection.id")
    .execute();
}

export async function addObjection(
  db: DB,
  actor: SessionUser,
  nominationId: number,
  input: { receivedOn: string; source: string; content: string },
): Promise<ReviewResult> {
  return db.transaction().execute(async (tx) => {
    const n = await tx.selectFrom("nomination").select(["campaign_id", "candidate"]).where("id", "=", nominationId).executeTakeFirst();
    if (!n) return { ok: false as const, status: 404 as const, message: "记录不存在" };
    const campaign = await lockCampaign(tx, n.campaign_id);
    if (!stepOpen(campaign, "objections")) return wrongStage("objections");
    if (!n.candidate) return { ok: false as const, status: 400 as const, message: "只能对公示中的候选对象登记异议" };
    const row = await tx
      .insertInto("objection")
      .values({ nomination_id: nominationId, received_on: input.receivedOn, source: input.source, content: input.content, recorded_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor,
      id: nominationId,
      action: "objection_received",
      after: { objectionId: row.id, receivedOn: input.receivedOn, source: input.source },
      comment: input.content,
    });
    return { ok: true as const };
  });
}

/** An upheld objection takes the nominee out of the running (a faked record voids the nomination). */
export async function resolveObjection(
  db: DB,
  actor: SessionUser,
  objectionId: number,
  input: { handling: string; outcome: "dismissed" | "upheld" },
): Promise<ReviewResult> {
  return db.transaction().execute(async (tx) => {
    const objection = await tx.selectFrom("objection").selectAll().where("id", "=", objectionId).forUpdate().executeTakeFirst();
    if (!objection) return { ok: false as const, status: 404 as const, message: "记录不存在" };
    const n = await tx.selectFrom("nomination").select("campaign_id").where("id", "=", objection.nomination_id).executeTakeFirstOrThrow();
    const campaign = await lockCampaign(tx, n.campaign_id);
    if (!stepOpen(campaign, "objections")) return wrongStage("objections");
    await tx.updateTable("objection").set({ handling: input.handling, outcome: input.outcome }).where("id", "=", objectionId).execute();
    if (input.outcome === "upheld") {
      await tx
        .updateTable("nomination")
        .set({ withdrawn_reason: `公示异议属实：${input.handling}`, updated_at: new Date() })
        .where("id", "=", objection.nomination_id)
        .execute();
    }
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor,
      id: objection.nomination_id,
      action: "objection_resolved",
      before: { outcome: objection.outcome },
      after: { objectionId, outcome: input.outcome },
      comment: input.handling,
    });
    return { ok: true as const };
  });
}

/**
 * 审定命名: the ordered list decides the final ranks; the first N (the campaign's number of
 * titles) are named, each with a certificate number and the 五一劳动奖章.
 */
/** The candidates still standing and whether a ranking names only them, once each. */
async function checkRanking(db: DB, campaign: Campaign, ranking: number[]) {
  if (!stepOpen(campaign, "naming")) return { ok: false as const, result: wrongStage("naming") };
  // A title names what it rests on (issue 35): no naming until the city has recorded the decision.
  if (campaign.basis_document_id === null) {
    return {
      ok: false as const,
      result: { ok: false as const, status: 409 as const, message: "请先在本届活动页面选定命名依据（批准命名的决定文件），再审定命名" },
    };
  }
  const existing = await db.selectFrom("award").select("id").where("campaign_id", "=", campaign.id).executeTakeFirst();
  if (existing) return { ok: false as const, result: { ok: false as const, status: 409 as const, message: "本届已审定命名" } };
  const standing = await db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["nomination.id", "nomination.person_id", "person.name"])
    .where("campaign_id", "=", campaign.id)
    .where("candidate", "=", true)
    .where("withdrawn_reason", "is", null)
    .execute();
  const byId = new Map(standing.map((s) => [s.id, s]));
  if (new Set(ranking).size !== ranking.length || ranking.some((id) => !byId.has(id))) {
    return { ok: false as const, result: { ok: false as const, status: 400 as const, message: "排序名单只能包含本届未被取消资格的候选对象，且不能重复" } };
  }
  return { ok: true as const, byId };
}

/**
 * What 审定命名 would issue for a ranking — each title, name and certificate number — shown for the
 * city to confirm before anything is written: naming cannot be taken back.
 */
export async function namingPreview(
  db: DB,
  campaign: Campaign,
  ranking: number[],
): Promise<{ ok: true; awards: Array<{ rank: number; name: string; title: string; certificateNumber: string }> } | Exclude<ReviewResult, { ok: true }>> {
  const checked = await checkRanking(db, campaign, ranking);
  if (!checked.ok) return checked.result as Exclude<ReviewResult, { ok: true }>;
  return {
    ok: true,
    awards: ranking.slice(0, campaign.title_count).map((id, i) => ({
      rank: i + 1,
      name: checked.byId.get(id)!.name,
      title: awardTitle(campaign.number),
      certificateNumber: certificateNumber(campaign.number, i + 1),
    })),
  };
}

export async function nameAwardees(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  input: { ranking: number[]; namedOn: string; confirmed: boolean },
): Promise<ReviewResult> {
  // The page shows the names and numbers first; a post that skips that (a script, an old page) names nobody.
  if (!input.confirmed) return { ok: false, status: 400, message: "请先核对将授予的称号和证书编号，再确认命名" };
  return db.transaction().execute(async (tx) => {
    const campaign = await lockCampaign(tx, campaignId);
    const checked = await checkRanking(tx, campaign, input.ranking);
    if (!checked.ok) return checked.result;
    const byId = checked.byId;
    const named = input.ranking.slice(0, campaign.title_count);
    for (const [i, id] of input.ranking.entries()) {
      await tx
        .updateTable("nomination")
        .set({ final_rank: i + 1 })
        .where("id", "=", id)
        .execute();
    }
    for (const [i, id] of named.entries()) {
      await tx
        .insertInto("award")
        .values({
          campaign_id: campaignId,
          nomination_id: id,
          person_id: byId.get(id)!.person_id,
          rank: i + 1,
          title: awardTitle(campaign.number),
          certificate_number: certificateNumber(campaign.number, i + 1),
          may_day_medal: true,
          named_on: input.namedOn,
        })
        .execute();
    }
    await recordAudit(tx, CAMPAIGN_AUDIT, {
      actor,
      id: campaignId,
      action: "name_awardees",
      after: { named: named.length, namedOn: input.namedOn, ranking: input.ranking },
    });
    return { ok: true as const };
  });
}

export function certificateNumber(campaignNumber: number, rank: number): string {
  return `TZGJ-${campaignNumber}-${String(rank).padStart(3, "0")}`;
}

/** A campaign's 命名名单, in rank order; of one nominating unit when given. */
export async function awardsOf(db: DB, campaignId: number, unitId?: number) {
  return db
    .selectFrom("award")
    .innerJoin("person", "person.id", "award.person_id")
    .innerJoin("nomination", "nomination.id", "award.nomination_id")
    .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
    .where("award.campaign_id", "=", campaignId)
    .$if(unitId !== undefined, (q) => q.where("nomination.nominating_unit_id", "=", unitId!))
    .select([
      "award.id",
      "award.rank",
      "award.title",
      "award.certificate_number",
      "award.may_day_medal",
      "award.named_on",
      "award.nomination_id",
      "award.person_id",
      "person.name",
      "person.sex",
      "person.employer",
      "person.industry",
      "person.position",
      "org_unit.short_name as unit_name",
    ])
    .orderBy("award.rank")
    .execute();
}

export async function expertScoresOf(db: DB, nominationId: number) {
  return db.selectFrom("expert_score").select(["expert_name", "score"]).where("nomination_id", "=", nominationId).orderBy("expert_name").execute();
}

/**
 * An objection's source without its objector, over `objection` left-joined to its filing as `f`:
 * one filed online says only how its objector knows the nominee.
 */
export const objectionSourceSql = sql<string>`case when f.objection_id is null then objection.source else ${ONLINE_SOURCE} || '（' || f.relation || '）' end`;

/**
 * A nomination's objections, as the officers who look into them read them. One filed online says
 * only how its objector knows the nominee: who filed it is the city's to reveal (audited), not the
 * nominating county's. (Filings from before the objector was hidden named them in the source.)
 */
export async function objectionsOf(db: DB, nominationId: number) {
  return db
    .selectFrom("objection")
    .leftJoin("objection_filing as f", "f.objection_id", "objection.id")
    .select([
      "objection.id",
      "objection.nomination_id",
      "objection.received_on",
      objectionSourceSql.as("source"),
      "objection.content",
      "objection.handling",
      "objection.outcome",
      sql<boolean>`f.objection_id is not null`.as("online"),
    ])
    .where("objection.nomination_id", "=", nominationId)
    .orderBy("objection.id")
    .execute();
}

/** Whether an objection id names one of this nomination's objections (a form can post any id). */
export async function objectionBelongs(db: DB, nominationId: number, objectionId: number): Promise<boolean> {
  return !!(await db.selectFrom("objection").select("id").where("id", "=", objectionId).where("nomination_id", "=", nominationId).executeTakeFirst());
}
