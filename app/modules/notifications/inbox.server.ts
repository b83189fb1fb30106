import { sql } from "kysely";
import type { DB } from "~db";
import { untilNextWrite } from "~/lib/memo.server";
import type { SessionUser } from "~/auth/roles";
import { snapshotSeenBy } from "~/auth/session.server";
import type { SmsMode } from "~db/types";
import { PAGE_SIZE, paginate, type Page } from "~/lib/sql";
import type { Result } from "~/lib/result";
import { addWorkingDays, dateInTaizhou, endOfDay, todayInTaizhou } from "~/lib/time";
import { CATEGORIES, SMS_CATEGORIES, type Category } from "~/modules/notifications/rules";
import { advanceBlockers, nominationIncomplete, type Campaign } from "~/modules/campaigns/campaigns.server";
import { nextStage, STAGE_LABELS } from "~/modules/campaigns/stages";
import { voteMonitor } from "~/modules/voting/voting.server";
import { assignedTo, expertBoard } from "~/modules/experts/experts.server";
import { studioCycleTodos } from "~/modules/studios/cycle-todos.server";
import { awaitingConsent } from "~/modules/people/people.server";

/** 站内消息: always on, each user's own. */

export function listMessages(db: DB, user: SessionUser, page = 1) {
  const own = db.selectFrom("message").where("user_id", "=", user.id);
  return paginate(own.select(["id", "category", "text", "link", "created_at", "read_at"]).orderBy("id", "desc"), own, page);
}

export async function unreadCount(db: DB, user: SessionUser): Promise<number> {
  const row = await db
    .selectFrom("message")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", user.id)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one message read (only the user's own: anyone else's is no message of theirs). */
export async function markRead(db: DB, user: SessionUser, id: number): Promise<Result> {
  const updated = await db
    .updateTable("message")
    .set({ read_at: new Date() })
    .where("id", "=", id)
    .where("user_id", "=", user.id)
    .where("read_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  if (updated) return { ok: true };
  const mine = await db.selectFrom("message").select("id").where("id", "=", id).where("user_id", "=", user.id).executeTakeFirst();
  return mine ? { ok: true } : { ok: false, status: 404, message: "消息不存在" };
}

/** Opens one of the user's messages: read from now on, and where it leads. */
export async function openMessage(db: DB, user: SessionUser, id: number): Promise<Result<{ link: string | null }>> {
  const message = await db.selectFrom("message").select(["id", "link"]).where("id", "=", id).where("user_id", "=", user.id).executeTakeFirst();
  if (!message) return { ok: false, status: 404, message: "消息不存在" };
  await markRead(db, user, id);
  return { ok: true, link: message.link };
}

export async function markAllRead(db: DB, user: SessionUser): Promise<void> {
  await db.updateTable("message").set({ read_at: new Date() }).where("user_id", "=", user.id).where("read_at", "is", null).execute();
}

/** The SMS choice per category: immediate by default. */
export async function smsPreferences(db: DB, user: SessionUser): Promise<Array<{ category: Category; label: string; sms: SmsMode }>> {
  const rows = await db.selectFrom("notification_preference").select(["category", "sms"]).where("user_id", "=", user.id).execute();
  return SMS_CATEGORIES.map((category) => ({ category, label: CATEGORIES[category], sms: rows.find((r) => r.category === category)?.sms ?? "immediate" }));
}

export async function setSmsPreferences(db: DB, user: SessionUser, choices: Partial<Record<Category, SmsMode>>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const [category, sms] of Object.entries(choices) as Array<[Category, SmsMode]>) {
      if (!SMS_CATEGORIES.includes(category)) continue;
      await tx
        .insertInto("notification_preference")
        .values({ user_id: user.id, category, sms })
        .onConflict((oc) => oc.columns(["user_id", "category"]).doUpdateSet({ sms }))
        .execute();
    }
  });
}

/** The city's 短信记录: every SMS, its number masked, newest first. */
export function smsLog(db: DB, page = 1) {
  const all = db.selectFrom("sms_message");
  return paginate(
    all.select(["id", "phone_masked", "template", "text", "status", "driver", "error", "created_at", "sent_at"]).orderBy("id", "desc"),
    all,
    page,
  );
}

/** Policy as data: how long each kind of review may take, in working days, before it is overdue. */
export const DUE_WORKING_DAYS = { countyReview: 10, cityReview: 10, payment: 15 } as const;

/**
 * Policy as data: the annual evaluation's season. From 1 December a studio's leader checks the
 * year's records; from 1 January the year just ended is reported on, reviewed and accepted, by 31 March.
 */
export const EVALUATION_SEASON = { prepareFrom: "12-01", gradeBy: "03-31" } as const;

export interface TodoItem {
  label: string;
  link: string;
  /** When the item started waiting. */
  since: string;
  due: string | null;
  overdue: boolean;
}

interface Waiting {
  label: string;
  link: string;
  since: Date | string;
  /** Working days allowed (DUE_WORKING_DAYS), or a fixed date; neither for the user's own corrections. */
  dueDays?: number;
  due?: string | null;
}

/** The moment the list is computed for, and its date in Taizhou. */
interface Now {
  instant: Date;
  today: string;
}

type Source = (db: DB, user: SessionUser, now: Now) => Promise<Waiting[]>;

const studiosIn = (db: DB, status: "submitted" | "county_reviewed" | "returned") =>
  db.selectFrom("studio").select(["id", "name", "updated_at as since"]).where("status", "=", status);
const subsidiesIn = (db: DB, status: "submitted" | "county_approved" | "approved" | "returned" | "disbursed") =>
  db
    .selectFrom("subsidy_application as a")
    .innerJoin("person", "person.id", "a.person_id")
    .select(["a.id", "person.name", "a.status_reason", "a.updated_at as since"])
    .where("a.status", "=", status);
const milestonesIn = (db: DB, status: "pending" | "rejected") =>
  db
    .selectFrom("milestone")
    .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .innerJoin("person", "person.id", "mentorship.apprentice_id")
    .select(["mentorship.id", "person.name", (eb) => eb.fn.coalesce("milestone.reviewed_at", "milestone.created_at").as("since")])
    .where("milestone.status", "=", status)
    .where("mentorship.status", "=", "active");

/** Nominations of a campaign still taking them whose 审批表 lacks a part. */
const incompleteNominations = (db: DB) =>
  db
    .selectFrom("nomination")
    .innerJoin("campaign", "campaign.id", "nomination.campaign_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["nomination.id", "person.name", "nomination.created_at as since"])
    .where("campaign.status", "=", "nominating")
    .where(nominationIncomplete);
const pendingObjections = (db: DB) =>
  db
    .selectFrom("objection")
    .innerJoin("nomination", "nomination.id", "objection.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["nomination.id", "person.name", "objection.received_on as since"])
    .where("objection.outcome", "=", "pending");
const hasGraduationProof = (db: DB) =>
  db
    .selectFrom("subsidy_attachment")
    .select("id")
    .where("kind", "=", "graduation")
    .where(sql<boolean>`subsidy_attachment.application_id = a.id`);
/** Studios that ran in a year (accredited by its end, not revoked) and have no grade for it yet. */
const ungradedStudios = (db: DB, year: number) =>
  db
    .selectFrom("studio")
    .select(["studio.id", "studio.name"])
    .where("studio.status", "in", ["accredited", "active", "suspended"])
    .where("studio.accredited_on", "<=", `${year}-12-31`)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("studio_evaluation as ev").select("ev.studio_id").whereRef("ev.studio_id", "=", "studio.id").where("ev.year", "=", year))),
    );
const hasCriteria = async (db: DB, year: number) => !!(await db.selectFrom("evaluation_criterion").select("key").where("year", "=", year).executeTakeFirst());

/** The evaluation year being prepared (December) or graded (January to the deadline), if any. */
export function evaluationSeason(today: string): { prepare?: number; grade?: number } {
  const year = Number(today.slice(0, 4));
  const monthDay = today.slice(5);
  if (monthDay >= EVALUATION_SEASON.prepareFrom) return { prepare: year };
  if (monthDay <= EVALUATION_SEASON.gradeBy) return { grade: year - 1 };
  return {};
}

const waiting = (
  rows: Array<{ id: number; since: Date | string }>,
  label: (r: never) => string,
  link: (id: number) => string,
  due: { dueDays?: number; due?: string } = {},
): Waiting[] => rows.map((r) => ({ label: label(r as never), link: link(r.id), since: r.since, ...due }));
const studioLink = (id: number) => `/studios/${id}`;
const subsidyLink = (id: number) => `/subsidies/${id}`;
const mentorshipLink = (id: number) => `/mentorships/${id}`;
const nominationLink = (id: number) => `/nominations/${id}`;
const countyReview = { dueDays: DUE_WORKING_DAYS.countyReview };
const cityReview = { dueDays: DUE_WORKING_DAYS.cityReview };

/** When the campaign entered its present stage: its last step, or its creation. */
async function stageSince(db: DB, campaign: { id: number; created_at: Date }): Promise<Date> {
  const step = await db
    .selectFrom("audit_log")
    .select("at")
    .where("entity_type", "=", "campaign")
    .where("entity_id", "=", String(campaign.id))
    .where("action", "in", ["advance", "revert_advance"])
    .orderBy("id", "desc")
    .executeTakeFirst();
  return step?.at ?? campaign.created_at;
}

/** The date a stage is meant to end by, where the campaign sets one. */
const stageDeadline = (c: Campaign) => (c.status === "nominating" ? c.nomination_deadline : c.status === "public_notice" ? c.notice_end : null);

/** A studio's money and year (studios/cycle-todos.server), each with its review window. */
const cycleTodos: Source = async (db, u, now) =>
  (await studioCycleTodos(db, u, now.today)).map(({ review, ...item }) => ({
    ...item,
    ...(review === "county" ? countyReview : review === "city" ? cityReview : {}),
  }));

/** Where each role's work comes from: the workflow states in the user's scope. */
const SOURCES: Record<SessionUser["role"], Source[]> = {
  county_officer: [
    async (db, u) =>
      waiting(
        await studiosIn(db, "submitted").where("org_unit_id", "=", u.orgUnitId!).execute(),
        (s: { name: string }) => `审核工作室申请：${s.name}`,
        studioLink,
        countyReview,
      ),
    async (db, u) =>
      waiting(
        await subsidiesIn(db, "submitted").where("a.org_unit_id", "=", u.orgUnitId!).execute(),
        (a: { name: string }) => `审核补助申请：${a.name}`,
        subsidyLink,
        countyReview,
      ),
    async (db, u) =>
      waiting(
        await milestonesIn(db, "pending").where("studio.org_unit_id", "=", u.orgUnitId!).execute(),
        (m: { name: string }) => `核实学徒成果：${m.name}`,
        mentorshipLink,
        countyReview,
      ),
    async (db, u) =>
      waiting(
        await incompleteNominations(db).where("nomination.nominating_unit_id", "=", u.orgUnitId!).execute(),
        (n: { name: string }) => `补全推荐审批表：${n.name}`,
        nominationLink,
      ),
    // The open campaign's deadline coming while the unit has put nobody forward.
    async (db, u, now) => {
      const silent = await db
        .selectFrom("campaign")
        .select(["id", "title", "nomination_deadline", "created_at as since"])
        .where("status", "=", "nominating")
        .where("nomination_deadline", ">=", now.today)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("nomination")
                .select("nomination.id")
                .whereRef("nomination.campaign_id", "=", "campaign.id")
                .where("nomination.nominating_unit_id", "=", u.orgUnitId!),
            ),
          ),
        )
        .execute();
      return silent.map((c) => ({
        label: `推荐人选：${c.title}，本单位尚未推荐`,
        link: `/campaigns/${c.id}/nominations/new`,
        since: c.since,
        due: c.nomination_deadline,
      }));
    },
    async (db, u) =>
      waiting(
        await pendingObjections(db).where("nomination.nominating_unit_id", "=", u.orgUnitId!).execute(),
        (o: { name: string }) => `核查公示异议：${o.name}`,
        nominationLink,
        countyReview,
      ),
    // Named craftsmen whose consent to be shown in public was never recorded: one to-do with their
    // number, leading to the list of them (a county may have dozens after a naming).
    async (db, u) => {
      const row = await db
        .selectFrom("person")
        .innerJoin("award", "award.person_id", "person.id")
        .select([(eb) => eb.fn.count<number>("person.id").distinct().as("n"), (eb) => eb.fn.min("award.created_at").as("since")])
        .where("person.org_unit_id", "=", u.orgUnitId!)
        .where(awaitingConsent)
        .executeTakeFirstOrThrow();
      return Number(row.n) ? [{ label: `登记公开展示意愿：${Number(row.n)} 名工匠`, link: "/people?consent=missing", since: row.since! }] : [];
    },
    cycleTodos,
  ],
  city_admin: [
    async (db) => waiting(await studiosIn(db, "county_reviewed").execute(), (s: { name: string }) => `授牌：${s.name}`, studioLink, cityReview),
    async (db) => waiting(await subsidiesIn(db, "county_approved").execute(), (a: { name: string }) => `批准补助申请：${a.name}`, subsidyLink, cityReview),
    async (db) =>
      waiting(await subsidiesIn(db, "approved").execute(), (a: { name: string }) => `登记补助拨付：${a.name}`, subsidyLink, {
        dueDays: DUE_WORKING_DAYS.payment,
      }),
    async (db) =>
      waiting(
        await subsidiesIn(db, "disbursed")
          .where((eb) => eb.exists(hasGraduationProof(db)))
          .execute(),
        (a: { name: string }) => `核实毕业证书并结案：${a.name}`,
        subsidyLink,
        { dueDays: DUE_WORKING_DAYS.payment },
      ),
    async (db) => waiting(await pendingObjections(db).execute(), (o: { name: string }) => `处理公示异议：${o.name}`, nominationLink, cityReview),
    // A stage that may be closed now (nothing blocks it), or whose set end has passed with work left.
    async (db, _u, now) => {
      const open = await db.selectFrom("campaign").selectAll().where("status", "!=", "closed").orderBy("id").execute();
      const items: Waiting[] = [];
      for (const campaign of open) {
        const blockers = await advanceBlockers(db, campaign, now.today);
        const due = stageDeadline(campaign);
        const next = nextStage(campaign.status);
        if (!next || (blockers.length && !(due && due < now.today))) continue;
        items.push({
          label: blockers.length
            ? `${campaign.title}“${STAGE_LABELS[campaign.status]}”已过期限：${blockers[0]}`
            : `${campaign.title}可进入“${STAGE_LABELS[next]}”阶段`,
          link: `/campaigns/${campaign.id}`,
          since: await stageSince(db, campaign),
          due,
        });
      }
      return items;
    },
    // The studio plan's window is over: the dashboard measures against nothing until the next plan.
    async (db, _u, now) => {
      const plan = await db.selectFrom("studio_plan").select(["start_year", "end_year"]).where("id", "=", 1).executeTakeFirstOrThrow();
      if (Number(now.today.slice(0, 4)) <= plan.end_year) return [];
      return [
        { label: `制定下一期工作室建设规划（${plan.start_year}–${plan.end_year}年规划期已结束）`, link: "/dashboard", since: `${plan.end_year + 1}-01-01` },
      ];
    },
    // 专家评审 under way: how many sheets are in.
    async (db) => {
      const reviewing = await db
        .selectFrom("campaign")
        .select(["id", "title", "created_at as since"])
        .where("status", "=", "expert_review")
        .where((eb) => eb.exists(eb.selectFrom("review_panel").select("review_panel.id").whereRef("review_panel.campaign_id", "=", "campaign.id")))
        .execute();
      const items: Waiting[] = [];
      for (const c of reviewing) {
        const { experts } = await expertBoard(db, c.id);
        const due = experts.reduce((s, e) => s + e.assigned - e.recused, 0);
        const done = experts.reduce((s, e) => s + e.submitted, 0);
        if (done < due) items.push({ label: `专家评审进度：${c.title}已提交 ${done}/${due} 份`, link: `/campaigns/${c.id}/experts`, since: c.since });
      }
      return items;
    },
    // The vote's monitor has flagged ballots that still count.
    async (db) => {
      const voting = await db
        .selectFrom("campaign")
        .innerJoin("vote_rule", "vote_rule.campaign_id", "campaign.id")
        .select(["campaign.id", "campaign.title", "vote_rule.opens_at as since"])
        .where("campaign.status", "=", "online_vote")
        .execute();
      const items: Waiting[] = [];
      for (const c of voting) {
        const flagged = (await voteMonitor(db, c.id)).clusters.filter((k) => k.valid > 0);
        if (flagged.length)
          items.push({ label: `核查可疑选票：${c.title}（${flagged.length} 组）`, link: `/campaigns/${c.id}/vote`, since: c.since, dueDays: 1 });
      }
      return items;
    },
    async (db, _u, now) => {
      const year = evaluationSeason(now.today).grade;
      if (!year || (await hasCriteria(db, year)) || !(await ungradedStudios(db, year).executeTakeFirst())) return [];
      return [{ label: `设定${year}年度工作室考核标准`, link: `/evaluations?year=${year}`, since: `${year + 1}-01-01`, due: `${year + 1}-01-31` }];
    },
    cycleTodos,
  ],
  craftsman: [
    async (db, u) =>
      waiting(await studiosIn(db, "returned").where("person_id", "=", u.personId!).execute(), (s: { name: string }) => `修改工作室申请：${s.name}`, studioLink),
    async (db, u) =>
      waiting(
        await subsidiesIn(db, "returned").where("a.person_id", "=", u.personId!).execute(),
        (a: { status_reason: string | null }) => `修改补助申请${a.status_reason ? `：${a.status_reason}` : ""}`,
        subsidyLink,
      ),
    async (db, u) =>
      waiting(
        await milestonesIn(db, "rejected").where("studio.person_id", "=", u.personId!).execute(),
        (m: { name: string }) => `学徒${m.name}的成果不予认定，请重新登记`,
        mentorshipLink,
      ),
    async (db, u, now) =>
      waiting(
        await subsidiesIn(db, "disbursed")
          .where("a.person_id", "=", u.personId!)
          .where("a.expected_graduation", "<=", now.today)
          .where((eb) => eb.not(eb.exists(hasGraduationProof(db))))
          .execute(),
        () => "上传毕业证书，领取补助尾款",
        subsidyLink,
      ),
    async (db, u, now) =>
      waiting(
        await db
          .selectFrom("event_participant as p")
          .innerJoin("event", "event.id", "p.event_id")
          .select(["event.id", "event.title", "event.starts_at as since"])
          .where("p.person_id", "=", u.personId!)
          .where("p.attended", "=", false)
          .where("event.starts_at", "<", endOfDay(now.today))
          .where("event.ends_at", ">", now.instant)
          .execute(),
        (e: { title: string }) => `今天的活动签到：${e.title}`,
        () => "/checkin",
      ),
    // December: the year's records are what the evaluation will count.
    async (db, u, now) => {
      const year = evaluationSeason(now.today).prepare;
      if (!year) return [];
      const studios = await ungradedStudios(db, year).where("studio.person_id", "=", u.personId!).where("studio.status", "!=", "suspended").execute();
      return studios.map((s) => ({
        label: `准备${year}年度考核：核对学徒成果和活动记录`,
        link: studioLink(s.id),
        since: `${year}-${EVALUATION_SEASON.prepareFrom}`,
        due: `${year}-12-31`,
      }));
    },
    cycleTodos,
  ],
  expert: [
    async (db, u) =>
      (await assignedTo(db, u))
        .filter((a) => a.status !== "submitted" && !a.recused)
        .map((a) => ({ label: `评审：${a.who}`, link: `/review/${a.id}`, since: a.since })),
  ],
};

/**
 * 我的待办: what waits for this user, from the workflow states in their scope — each item the
 * exact page to act on, oldest first. Computed, never stored, so it cannot disagree with the records.
 */
export async function todosFor(db: DB, user: SessionUser, instant = new Date()): Promise<TodoItem[]> {
  // A county officer without a unit, or a craftsman without a person record, has nothing in scope.
  if ((user.role === "county_officer" && !user.orgUnitId) || (user.role === "craftsman" && !user.personId)) return [];
  const now = { instant, today: todayInTaizhou(instant) };
  const found = (await Promise.all(SOURCES[user.role].map((source) => source(db, user, now)))).flat();
  return found
    .map(({ label, link, since, dueDays, due }) => {
      const start = typeof since === "string" ? since : dateInTaizhou(since);
      const until = due !== undefined ? due : dueDays === undefined ? null : addWorkingDays(start, dueDays);
      return { label, link, since: start, due: until, overdue: until !== null && until < now.today };
    })
    .sort((a, b) => a.since.localeCompare(b.since));
}

/** The user's to-dos as of now, remembered per user and day until the next write anywhere. */
function currentTodos(db: DB, user: SessionUser): Promise<TodoItem[]> {
  return untilNextWrite(db, `todos|${user.id}|${todayInTaizhou()}`, () => todosFor(db, user), { snapshot: snapshotSeenBy(user) });
}

/**
 * One page of the user's to-dos, oldest first. The city can have thousands waiting at once (every
 * subsidy to pay, every consent to record): the home page shows the first few and the to-do page
 * the rest, a page at a time, instead of one list of all of them.
 */
export async function todoPage(db: DB, user: SessionUser, page = 1, pageSize = PAGE_SIZE): Promise<Page<TodoItem>> {
  const all = await currentTodos(db, user);
  return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
}

/**
 * The navigation's badges, on every page: remembered until the next write anywhere, so a page
 * between writes spends one statement on them instead of a query per source.
 */
export function workCounts(db: DB, user: SessionUser): Promise<{ todo: number; unread: number }> {
  return untilNextWrite(
    db,
    `counts|${user.id}|${todayInTaizhou()}`,
    async () => {
      const [todos, unread] = await Promise.all([currentTodos(db, user), unreadCount(db, user)]);
      return { todo: todos.length, unread };
    },
    { snapshot: snapshotSeenBy(user) },
  );
}
