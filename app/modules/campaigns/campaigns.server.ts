import { requirePermission } from "~/auth/session.server";
import type { Permission } from "~/auth/roles";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { sql } from "kysely";
import type { DB } from "~db";
import type { CampaignStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { startOfDay, todayInTaizhou, yearInTaizhou } from "~/lib/time";
import type { CampaignInput } from "~/modules/campaigns/schema.server";
import { nextStage, STAGE_LABELS } from "~/modules/campaigns/stages";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { fieldsRefused, refuse, type Refusal, type Result, type SaveResult } from "~/lib/result";

export async function listCampaigns(db: DB) {
  return db
    .selectFrom("campaign")
    .leftJoin("nomination", "nomination.campaign_id", "campaign.id")
    .leftJoin("award", "award.nomination_id", "nomination.id")
    .select([
      "campaign.id",
      "campaign.number",
      "campaign.year",
      "campaign.title",
      "campaign.status",
      "campaign.nomination_deadline",
      (eb) => eb.fn.count<number>("nomination.id").as("nominations"),
      (eb) => eb.fn.count<number>("award.id").as("awards"),
    ])
    .groupBy("campaign.id")
    .orderBy("campaign.number", "desc")
    .execute();
}

export async function findCampaign(db: DB, id: number) {
  return db.selectFrom("campaign").selectAll().where("id", "=", id).executeTakeFirst();
}

export type Campaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

function campaignColumns(input: CampaignInput) {
  return {
    number: input.number,
    year: input.year,
    title: input.title,
    nomination_deadline: input.nominationDeadline,
    quota_per_unit: input.quotaPerUnit,
    title_count: input.titleCount,
  };
}

type CampaignSaveResult = SaveResult;

const NUMBER_TAKEN = fieldsRefused({ number: ["该届次已存在"] });

/** 届次 are unique: is the number another campaign's (other than the one being edited)? */
async function numberTaken(db: DB, number: number, editing?: number): Promise<boolean> {
  const clash = await db
    .selectFrom("campaign")
    .select("id")
    .where("number", "=", number)
    .$if(editing !== undefined, (q) => q.where("id", "!=", editing ?? -1))
    .executeTakeFirst();
  return clash !== undefined;
}

export async function createCampaign(db: DB, actor: SessionUser, input: CampaignInput): Promise<CampaignSaveResult> {
  if (await numberTaken(db, input.number)) return NUMBER_TAKEN;
  return db.transaction().execute(async (tx) => {
    const row = await tx.insertInto("campaign").values(campaignColumns(input)).returning("id").executeTakeFirstOrThrow();
    await recordAudit(tx, CAMPAIGN_AUDIT, { actor, id: row.id, action: "create", after: input });
    return { ok: true as const, id: row.id };
  });
}

export async function updateCampaign(db: DB, actor: SessionUser, id: number, input: CampaignInput): Promise<CampaignSaveResult> {
  if (await numberTaken(db, input.number, id)) return NUMBER_TAKEN;
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("campaign").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    await tx.updateTable("campaign").set(campaignColumns(input)).where("id", "=", id).execute();
    await recordAudit(tx, CAMPAIGN_AUDIT, {
      actor,
      id,
      action: "update",
      before: {
        number: before.number,
        year: before.year,
        title: before.title,
        nominationDeadline: before.nomination_deadline,
        quotaPerUnit: before.quota_per_unit,
        titleCount: before.title_count,
      },
      after: input,
    });
    return { ok: true as const, id };
  });
}

/** The 社会公示 lasts at least this many days (the notice's rule; the public must have time to object). */
export const NOTICE_MIN_DAYS = 7;

/**
 * Sets the 公示期. It lasts at least NOTICE_MIN_DAYS; once the notice has started (the campaign in
 * 社会公示 and its first day come) its start stays and it can only be extended, so nobody can move
 * it into the past and decide the names at once; after the notice stage it is history.
 */
export async function setNoticePeriod(
  db: DB,
  actor: SessionUser,
  id: number,
  period: { noticeStart: string; noticeEnd: string },
  today = todayInTaizhou(),
): Promise<Result> {
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("campaign").select(["status", "notice_start", "notice_end"]).where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    const refuse = (field: "noticeStart" | "noticeEnd", message: string) => fieldsRefused({ [field]: [message] });
    if (before.status === "final_approval" || before.status === "closed") return refuse("noticeStart", "社会公示已结束，公示期不能再更改");
    const days = Math.round((startOfDay(period.noticeEnd).getTime() - startOfDay(period.noticeStart).getTime()) / 86_400_000) + 1;
    if (days < NOTICE_MIN_DAYS) return refuse("noticeEnd", `公示期不少于${NOTICE_MIN_DAYS}天（含首尾两天），所填为${days}天`);
    const started = before.status === "public_notice" && before.notice_start !== null && before.notice_start <= today;
    if (started) {
      if (period.noticeStart !== before.notice_start) return refuse("noticeStart", `公示已于 ${before.notice_start} 开始，开始日期不能更改`);
      if (before.notice_end && period.noticeEnd < before.notice_end)
        return refuse("noticeEnd", `公示已开始，只能延长，不能早于原定的 ${before.notice_end} 结束`);
    }
    await tx.updateTable("campaign").set({ notice_start: period.noticeStart, notice_end: period.noticeEnd }).where("id", "=", id).execute();
    await recordAudit(tx, CAMPAIGN_AUDIT, {
      actor,
      id,
      action: "set_notice_period",
      before: { noticeStart: before.notice_start, noticeEnd: before.notice_end },
      after: period,
    });
    return { ok: true as const };
  });
}

/**
 * The SQL form of nominations' missingParts (待补全): the same five parts, on the nomination
 * table. It lives here, below the nominations module, so the blockers and the to-do list share it.
 */
export const nominationIncomplete = sql<boolean>`(nomination.frontline_years is null or nomination.in_skill_post is null or cardinality(nomination.conditions) = 0 or btrim(nomination.achievements) = '' or btrim(nomination.deeds_summary) = '')`;

/** What still has to be done before the campaign may move on to its next stage. */
export async function advanceBlockers(db: DB, campaign: Campaign, today = todayInTaizhou()): Promise<string[]> {
  const counts = await db
    .selectFrom("nomination")
    .where("campaign_id", "=", campaign.id)
    .select((eb) => [
      eb.fn.countAll<number>().as("all"),
      eb.fn.count<number>("id").filterWhere("qualification_result", "is", null).as("undecided"),
      eb.fn.count<number>("id").filterWhere(nominationIncomplete).as("incomplete"),
      eb.fn.count<number>("id").filterWhere("candidate", "=", true).as("candidates"),
      eb.fn
        .count<number>("id")
        .filterWhere((w) =>
          w.and([
            w("candidate", "=", true),
            w.not(
              w.exists(
                w
                  .selectFrom("expert_score")
                  .select(sql`1`.as("x"))
                  .whereRef("expert_score.nomination_id", "=", "nomination.id"),
              ),
            ),
          ]),
        )
        .as("unscored"),
      eb.fn
        .count<number>("id")
        .filterWhere((w) => w.and([w("candidate", "=", true), w("vote_count", "is", null), w("withdrawn_reason", "is", null)]))
        .as("without_votes"),
    ])
    .executeTakeFirstOrThrow();
  const pendingObjections = await db
    .selectFrom("objection")
    .innerJoin("nomination", "nomination.id", "objection.nomination_id")
    .where("nomination.campaign_id", "=", campaign.id)
    .where("objection.outcome", "=", "pending")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const awards = await db
    .selectFrom("award")
    .where("campaign_id", "=", campaign.id)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();

  const blockers: string[] = [];
  switch (campaign.status) {
    case "nominating":
      if (Number(counts.all) === 0) blockers.push("还没有任何推荐人选");
      if (Number(counts.incomplete) > 0) blockers.push(`还有 ${counts.incomplete} 名推荐人选待补全（推荐审批表内容不全），补全后方可进入资格初审`);
      break;
    case "qualification":
      if (Number(counts.undecided) > 0) blockers.push(`还有 ${counts.undecided} 名人选未作资格初审结论`);
      break;
    case "expert_review":
      if (Number(counts.candidates) === 0) blockers.push("尚未确定候选对象");
      if (Number(counts.unscored) > 0) blockers.push(`还有 ${counts.unscored} 名候选对象没有专家评分`);
      break;
    case "online_vote":
      if (Number(counts.without_votes) > 0) blockers.push(`还有 ${counts.without_votes} 名候选对象未录入得票数`);
      if (!campaign.notice_start || !campaign.notice_end) blockers.push("请先设定社会公示的起止日期");
      break;
    case "public_notice":
      if (Number(pendingObjections.n) > 0) blockers.push(`还有 ${pendingObjections.n} 件异议尚未处理完毕`);
      if (!campaign.notice_end) blockers.push("请先设定社会公示的起止日期");
      else if (today <= campaign.notice_end) blockers.push(`公示期至 ${campaign.notice_end} 结束，公示期满后方可审定命名`);
      break;
    case "final_approval":
      if (Number(awards.n) === 0) blockers.push("尚未审定命名");
      break;
    case "closed":
      blockers.push("本届评选已结束");
      break;
  }
  return blockers;
}

export type AdvanceResult = Result<{ from: CampaignStatus; to: CampaignStatus }>;

/** A stage change refused: every reason at once (the page lists them), as a conflict with the campaign's state. */
const stuck = (reasons: string[]): Refusal => refuse(reasons[0] ?? "不能变更阶段", { status: 409, reasons });

/**
 * What advancing will do, said before it is done: the stage cannot be taken back, and closing
 * nominations before the deadline shuts out every county unit, named here if it has filed nothing.
 */
export async function advanceWarnings(db: DB, campaign: Campaign, today = todayInTaizhou()): Promise<string[]> {
  const to = nextStage(campaign.status);
  if (!to) return [];
  const warnings = [`进入“${STAGE_LABELS[to]}”后不能退回“${STAGE_LABELS[campaign.status]}”。`];
  if (campaign.status === "nominating") {
    if (today < campaign.nomination_deadline) warnings.push(`推荐截止日期是 ${campaign.nomination_deadline}，尚未截止：提前进入下一阶段后，各单位不能再推荐。`);
    const counties = await db.selectFrom("org_unit").select(["id", "short_name"]).where("kind", "=", "county").orderBy("sort_order").execute();
    const filed = await db.selectFrom("nomination").select("nominating_unit_id").distinct().where("campaign_id", "=", campaign.id).execute();
    const silent = counties.filter((c) => !filed.some((f) => f.nominating_unit_id === c.id)).map((c) => c.short_name);
    if (silent.length) warnings.push(`以下 ${silent.length} 个单位尚未推荐任何人选：${silent.join("、")}。`);
  }
  return warnings;
}

/**
 * Moves the campaign to the next stage, never further: the expected current stage comes from
 * the page, so a double click or a stale page cannot skip one.
 */
export async function advanceCampaign(
  db: DB,
  actor: SessionUser,
  id: number,
  expected: CampaignStatus,
  input: { comment?: string; confirmed: boolean },
  today = todayInTaizhou(),
): Promise<AdvanceResult> {
  return db.transaction().execute(async (tx) => {
    const campaign = await tx.selectFrom("campaign").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    if (campaign.status !== expected) {
      return stuck([`本届评选已处于“${STAGE_LABELS[campaign.status]}”阶段，请刷新页面`]);
    }
    const to = nextStage(campaign.status);
    const blockers = to ? await advanceBlockers(tx, campaign, today) : ["本届评选已结束"];
    if (!to || blockers.length) return stuck(blockers);
    // One press never moves a campaign: the page shows what will happen and asks again.
    if (!input.confirmed) return stuck([...(await advanceWarnings(tx, campaign, today)), "请确认后再进入下一阶段"]);
    const comment = input.comment;
    await tx.updateTable("campaign").set({ status: to }).where("id", "=", id).execute();
    await recordAudit(tx, CAMPAIGN_AUDIT, {
      actor,
      id,
      action: "advance",
      before: { status: campaign.status },
      after: { status: to },
      comment: comment ?? null,
    });
    return { ok: true as const, from: campaign.status, to };
  });
}

/**
 * The stage a campaign may be taken back to: the one it left by its last advance, as long as
 * nothing has been recorded since — on the campaign or any of its nominations — so undoing
 * loses nothing. A closed campaign stays closed.
 */
export async function revertibleStage(db: DB, campaign: Pick<Campaign, "id" | "status">): Promise<CampaignStatus | null> {
  if (campaign.status === "closed" || campaign.status === "nominating") return null;
  const last = await db
    .selectFrom("audit_log")
    .select(["id", "action", "before"])
    .where("entity_type", "=", "campaign")
    .where("entity_id", "=", String(campaign.id))
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (!last || last.action !== "advance") return null;
  const since = await db
    .selectFrom("audit_log")
    .select("id")
    .where("id", ">", last.id)
    .where("entity_type", "=", "nomination")
    .where(
      "entity_id",
      "in",
      db
        .selectFrom("nomination")
        .select(sql<string>`id::text`.as("id"))
        .where("campaign_id", "=", campaign.id),
    )
    .executeTakeFirst();
  const from = (last.before as { status?: CampaignStatus } | null)?.status;
  return !since && from && nextStage(from) === campaign.status ? from : null;
}

/** Takes the last advance back, when nothing depends on it yet; recorded like the advance. */
export async function revertAdvance(db: DB, actor: SessionUser, id: number, expected: CampaignStatus): Promise<AdvanceResult> {
  return db.transaction().execute(async (tx) => {
    const campaign = await tx.selectFrom("campaign").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    if (campaign.status !== expected) return stuck([`本届评选已处于“${STAGE_LABELS[campaign.status]}”阶段，请刷新页面`]);
    const back = await revertibleStage(tx, campaign);
    if (!back) return stuck(["进入本阶段后已有办理记录，不能撤回"]);
    await tx.updateTable("campaign").set({ status: back }).where("id", "=", id).execute();
    await recordAudit(tx, CAMPAIGN_AUDIT, { actor, id, action: "revert_advance", before: { status: campaign.status }, after: { status: back } });
    return { ok: true as const, from: campaign.status, to: back };
  });
}

/** The latest campaign (届), if any. */
export async function latestCampaign(db: DB) {
  return db.selectFrom("campaign").selectAll().orderBy("number", "desc").executeTakeFirst();
}

/**
 * The campaigns a home page shows: first the one taking nominations now (the earliest deadline
 * still ahead, so a 第四届 being set up for next year never hides the 第三届 counties are filing
 * for), then the others still running, oldest first; the newest when all are closed.
 */
export async function currentCampaigns(db: DB, today = todayInTaizhou()) {
  const open = await db
    .selectFrom("campaign")
    .selectAll()
    .where("status", "!=", "closed")
    .orderBy(sql`case when status = 'nominating' and nomination_deadline >= ${today} then 0 when status = 'nominating' then 2 else 1 end`)
    .orderBy("nomination_deadline")
    .orderBy("number")
    .limit(4)
    .execute();
  if (open.length) return open;
  const last = await latestCampaign(db);
  return last ? [last] : [];
}

/** The number and year a new campaign most likely has: the next after the latest, not before this year. */
export async function nextCampaignNumber(db: DB): Promise<{ number: number; year: number }> {
  const last = await latestCampaign(db);
  return { number: (last?.number ?? 0) + 1, year: Math.max(yearInTaizhou(), (last?.year ?? 0) + 1) };
}

/** A route's campaign from its URL id: a 404 is thrown for an id that names none. */
export async function existingCampaign(db: DB, campaignId: string | undefined): Promise<Campaign> {
  const campaign = await findCampaign(db, idParam(campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  return campaign;
}

/** A route's campaign from its URL, for a user with the permission: a sign-in, a 403 or a 404 is thrown. */
export async function requireCampaign(request: Request, campaignId: string | undefined, permission: Permission) {
  const user = await requirePermission(request, permission);
  return { user, campaign: await existingCampaign(getDb(), campaignId) };
}
