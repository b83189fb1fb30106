import crypto from "node:crypto";
import { sql, type Expression, type QueryCreator, type SqlBool } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Database, DB, Tx } from "~db";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { fieldsRefused, refuse, type Refusal, type Result, type SaveResult } from "~/lib/result";
import type { SmsGateway } from "~/lib/sms.server";
import { voterHash } from "~/modules/people/pii.server";
import { isUniqueViolation } from "~/modules/people/people.server";
import { escapeLike } from "~/lib/sql";
import { writeVotes } from "~/modules/nominations/review.server";
import { standingConsent } from "~/modules/showcase/showcase.server";
import { CHALLENGE_SPENT, checkChallenge, spendChallenge } from "~/modules/voting/challenge.server";
import { VOTE_AUDIT } from "~/modules/voting/labels";
import {
  maskPhone,
  NOTICE_MESSAGES,
  noticeState,
  PATTERNS,
  periodOf,
  rulesFrozen,
  steadyRate,
  subnetOf,
  tallyCutoff,
  WINDOW_MESSAGES,
  windowState,
  type Pattern,
} from "~/modules/voting/policy";
import type { VoteRulesInput } from "~/modules/voting/schema.server";
import type { CodePurpose } from "~db/types";
import { todayInTaizhou } from "~/lib/time";
import { env } from "~db/env";

/**
 * The online public vote. A voter proves a mobile number with a one-time code (after a
 * proof-of-work), then casts a ballot of up to N candidates; the per-candidate rule is a unique
 * index, ballots are kept as facts, and suspicious clusters are invalidated with a reason, never
 * deleted. Numbers are kept only as a keyed hash and a mask, and even those go once the campaign
 * is named.
 */

export async function voteRulesOf(db: DB, campaignId: number) {
  return db.selectFrom("vote_rule").selectAll().where("campaign_id", "=", campaignId).executeTakeFirst();
}

export type VoteRulesRow = NonNullable<Awaited<ReturnType<typeof voteRulesOf>>>;

/** The city sets the rules before voting opens; from the opening on they hold as published. */
export async function setVoteRules(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  input: VoteRulesInput,
  now = new Date(),
  wechat = !!env().wechat,
): Promise<SaveResult<object>> {
  if (!isCityAdmin(actor)) return fieldsRefused({ opensAt: ["只有市总工会可以设定投票规则"] });
  return db.transaction().execute(async (tx) => {
    const campaign = await tx.selectFrom("campaign").select(["id", "status"]).where("id", "=", campaignId).forUpdate().executeTakeFirst();
    if (!campaign || campaign.status === "closed" || campaign.status === "public_notice" || campaign.status === "final_approval") {
      return fieldsRefused({ opensAt: ["本届评选已过网络投票阶段"] });
    }
    const before = await tx.selectFrom("vote_rule").selectAll().where("campaign_id", "=", campaignId).executeTakeFirst();
    if (before && rulesFrozen(before, now)) return fieldsRefused({ opensAt: ["投票已经开始，规则不能再修改"] });
    if (input.opensAt <= now) return fieldsRefused({ opensAt: ["开始时间应晚于现在"] });
    if (input.wechatRequired && !wechat) return fieldsRefused({ wechatRequired: ["平台未配置微信公众号，不能要求微信身份"] });
    const values = {
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      max_choices: input.maxChoices,
      per_candidate: input.perCandidate,
      tally_shown: input.tallyShown,
      tally_hour: input.tallyHour,
      vote_weight: input.voteWeight,
      wechat_required: input.wechatRequired,
      set_by: actor.id,
      set_at: now,
    };
    await tx
      .insertInto("vote_rule")
      .values({ campaign_id: campaignId, ...values })
      .onConflict((oc) => oc.column("campaign_id").doUpdateSet(values))
      .execute();
    const shown = (r: typeof values | VoteRulesRow) => ({
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      maxChoices: r.max_choices,
      perCandidate: r.per_candidate,
      tallyShown: r.tally_shown,
      tallyHour: r.tally_hour,
      voteWeight: r.vote_weight,
      wechatRequired: r.wechat_required,
    });
    await recordAudit(tx, VOTE_AUDIT, { actor, id: campaignId, action: "set_rules", before: before ? shown(before) : undefined, after: shown(values) });
    return { ok: true as const };
  });
}

/** Where a request comes from, as far as the server can tell; hashed before it is kept. */
export interface Origin {
  address: string | null;
  userAgent: string;
  /** What the page reports of the screen and clock, joined to the user agent as a device signature. */
  device: string;
}

/** At most `max` within the last `withinMs`; `message` says so. */
export interface Limit {
  readonly withinMs: number;
  readonly max: number;
  readonly message: string;
}

/** One check of limitReached: its limits, the rows they count (null passes it: no address known) and the field it stands by. */
export interface LimitCheck {
  limits: readonly Limit[];
  rows: Expression<SqlBool> | null;
  field?: string;
}

/**
 * Every limit of every check as one statement's select list — `count(*) filter (…)` per window, over
 * the rows any check counts (`where`) since the oldest window — and how to read what it returns:
 * the first limit already reached, in the checks' order, as the refusal (429, beside its field), or
 * null. One round trip however many limits the policy lists (a round trip per limit was most of a
 * code request under load). Null when no check has rows to count.
 */
export function limitWindows(now: Date, at: "sent_at" | "filed_at", checks: readonly LimitCheck[]) {
  const since = (limit: Limit) => new Date(now.getTime() - limit.withinMs);
  const windows = checks.flatMap((check) => (check.rows ? check.limits.map((limit) => ({ check, limit, rows: check.rows! })) : []));
  if (!windows.length) return null;
  const oldest = new Date(Math.min(...windows.map((w) => since(w.limit).getTime())));
  const anyCounted = sql.join(
    windows.map((w) => w.rows),
    sql` or `,
  );
  return {
    counts: sql.join(windows.map((w, i) => sql`count(*) filter (where ${w.rows} and ${sql.ref(at)} > ${since(w.limit)})::int as ${sql.id(`window${i}`)}`)),
    where: sql<SqlBool>`${sql.ref(at)} > ${oldest} and (${anyCounted})`,
    reached(row: Record<string, unknown>): Refusal | null {
      const first = windows.find((w, i) => Number(row[`window${i}`]) >= w.limit.max);
      return first ? refuse(first.limit.message, { status: 429, field: first.check.field }) : null;
    },
  };
}

/** The first limit already reached (limitWindows) among the rows of `table` that also meet `also`, read in one statement. */
export async function limitReached(
  db: DB,
  table: "phone_code" | "objection_filing" | "subsidy_objection",
  at: "sent_at" | "filed_at",
  now: Date,
  checks: readonly LimitCheck[],
  also: Expression<SqlBool> = sql<SqlBool>`true`,
): Promise<Refusal | null> {
  const windows = limitWindows(now, at, checks);
  if (!windows) return null;
  const { rows } = await sql<Record<string, unknown>>`select ${windows.counts} from ${sql.table(table)} where ${windows.where} and ${also}`.execute(db);
  return windows.reached(rows[0]);
}

/** Policy as data: how often a number and an address may ask for a code. */
export const CODE_LIMITS = {
  phone: [
    { withinMs: 60_000, max: 1, message: "验证码已发送，请60秒后再试" },
    { withinMs: 3_600_000, max: 5, message: "该号码一小时内获取验证码次数已达上限" },
    { withinMs: 86_400_000, max: 10, message: "该号码今天获取验证码次数已达上限" },
  ],
  address: [
    { withinMs: 3_600_000, max: 30, message: "您所在网络一小时内获取验证码次数过多，请稍后再试" },
    { withinMs: 86_400_000, max: 100, message: "您所在网络今天获取验证码次数过多" },
  ],
} as const;

const CODE_VALID_MS = 10 * 60_000;
/** How a one-time code appears in 短信记录. */
export const CODE_MASK = "******";
const CODE_ATTEMPTS = 5;

interface Candidate {
  id: number;
  name: string;
}

/**
 * The vote's rules when it is open now; given a ballot's choices, those of them who stand as
 * candidates too (id and name, in the ballot's order), read in the same statement.
 */
async function openCampaign(
  db: DB,
  campaignId: number,
  now: Date,
  choices: readonly number[] = [],
): Promise<Result<{ rules: VoteRulesRow; candidates: Candidate[] }>> {
  const rules = await db
    .selectFrom("vote_rule")
    .innerJoin("campaign", "campaign.id", "vote_rule.campaign_id")
    .selectAll("vote_rule")
    .select("campaign.status")
    .$if(choices.length > 0, (q) =>
      q.select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom("nomination")
            .innerJoin("person", "person.id", "nomination.person_id")
            .select(["nomination.id", "person.name"])
            .whereRef("nomination.campaign_id", "=", "vote_rule.campaign_id")
            .where("nomination.candidate", "=", true)
            .where("nomination.withdrawn_reason", "is", null)
            .where("nomination.id", "in", choices)
            .orderBy("nomination.seq"),
        ).as("candidates"),
      ),
    )
    .where("vote_rule.campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!rules) return { ok: false, status: 404, message: "没有这场网络投票" };
  const state = windowState(rules, rules.status, now);
  return state === "open" ? { ok: true, rules, candidates: rules.candidates ?? [] } : { ok: false, status: 409, message: WINDOW_MESSAGES[state] };
}

/** The 社会公示 is open: the campaign at that stage and today within its set period. */
async function noticeOpen(db: DB, campaignId: number, now: Date): Promise<Result> {
  const campaign = await db.selectFrom("campaign").select(["status", "notice_start", "notice_end"]).where("id", "=", campaignId).executeTakeFirst();
  if (!campaign) return { ok: false, status: 404, message: "没有这次公示" };
  const state = noticeState(campaign, todayInTaizhou(now));
  return state === "open" ? { ok: true } : { ok: false, status: 409, message: NOTICE_MESSAGES[state] };
}

const codeHash = (campaignId: number, phone: string, code: string) => voterHash(campaignId, `code:${phone}:${code}`);

/** Longer than a request takes to call the provider (10 s at most) and record its answer. */
const SENDING_AT_MOST_MS = 30_000;

/**
 * The codes of a table of sent codes (`vote_code`, the apprentices' `phone_code`) that count against
 * the limits: a code whose SMS never went out — the provider refused it, or the request died before
 * the provider answered — is not charged, so the person may ask again at once.
 */
export const chargedCode = (table: "vote_code" | "phone_code", now: Date) => {
  const stuck = new Date(now.getTime() - SENDING_AT_MOST_MS);
  return sql<SqlBool>`not exists (
    select 1 from sms_message where sms_message.id = ${sql.ref(`${table}.sms_id`)}
      and (sms_message.status = 'failed' or (${sql.ref(`${table}.sent_at`)} < ${stuck} and sms_message.status in ('queued', 'sending')))
  )`;
};

/**
 * Serialises the requests of one voter (two tabs, a script) so limits and rules cannot be raced past.
 * Several keys (a WeChat identity, then the number) are taken in one statement, in the order given.
 */
export const lockVoter = (tx: Tx, ...keys: [string, ...string[]]) =>
  sql`select ${sql.join(keys.map((key) => sql`pg_advisory_xact_lock(hashtext(${key}))`))}`.execute(tx);

async function failed(db: DB, campaignId: number, address: string | null, kind: "challenge" | "code") {
  await db.insertInto("vote_failure").values({ campaign_id: campaignId, address, kind }).execute();
}

/**
 * Sends a six-digit code valid ten minutes, after the proof-of-work and within the limits per
 * number and per address. The code and its SMS are written in one transaction; the SMS leaves
 * after the commit.
 */
export async function requestCode(
  db: DB,
  gateway: SmsGateway,
  campaignId: number,
  input: { phone: string; altcha: string },
  origin: Pick<Origin, "address">,
  now = new Date(),
  purpose: CodePurpose = "vote",
): Promise<Result<{ masked: string }>> {
  const open = purpose === "vote" ? await openCampaign(db, campaignId, now) : await noticeOpen(db, campaignId, now);
  if (!open.ok) return open;
  const challenge = await checkChallenge(input.altcha, campaignId);
  if (!challenge.ok) {
    await failed(db, campaignId, origin.address, "challenge");
    return { ok: false, status: 400, message: challenge.message, field: "altcha" };
  }
  const phoneHash = voterHash(campaignId, input.phone);
  const masked = maskPhone(input.phone);
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  const textWith = (shown: string) =>
    `【匠心】您的台州工匠${purpose === "vote" ? "网络投票" : "公示异议"}验证码是 ${shown}，10分钟内有效。如非本人操作请忽略。`;
  const text = textWith(code);
  // Each round trip costs under load (a syscall each way, the database's CPU on the same cores):
  // after the lock, one statement spends the challenge and reads every limit, one writes the SMS
  // and its code.
  const queued = await db.transaction().execute(async (tx): Promise<Result<{ smsId: number }>> => {
    await lockVoter(tx, phoneHash);
    const limits = limitWindows(now, "sent_at", [
      { limits: CODE_LIMITS.phone, rows: sql<SqlBool>`campaign_id = ${campaignId} and phone_hash = ${phoneHash}`, field: "phone" },
      { limits: CODE_LIMITS.address, rows: origin.address ? sql<SqlBool>`address = ${origin.address}` : null },
    ])!;
    const { rows } = await sql<Record<string, unknown> & { spent: boolean }>`with spent as (${spendChallenge(challenge.nonce)})
      select exists (select 1 from spent) as spent, ${limits.counts} from vote_code where ${limits.where} and ${chargedCode("vote_code", now)}`.execute(tx);
    // A challenge is spent even by a request the limits then refuse (committed with the refusal): each try costs a proof-of-work.
    if (!rows[0].spent) {
      await failed(tx, campaignId, origin.address, "challenge");
      return { ok: false, status: 400, message: CHALLENGE_SPENT, field: "altcha" };
    }
    const limited = limits.reached(rows[0]);
    if (limited) return limited;
    const written = await tx
      .with("sms", (q) =>
        q
          .insertInto("sms_message")
          .values({
            user_id: null,
            org_unit_id: null,
            // Sent at once, so the number is never needed again: a voter is kept as hash and mask only.
            phone_cipher: "",
            phone_hash: phoneHash,
            phone_masked: masked,
            template: "vote_code",
            // The code goes out once, from memory, just below; the log keeps it masked — whoever reads
            // 短信记录 (or a backup) could otherwise vote or object before the number's owner.
            params: JSON.stringify({ code: CODE_MASK, campaign: String(campaignId) }),
            text: textWith(CODE_MASK),
            // Committed before the provider is called: a request that dies in between leaves it "sending",
            // which stops counting against the limits after half a minute.
            status: "sending",
            driver: gateway.driver,
          })
          .returning("id"),
      )
      .insertInto("vote_code")
      .values({
        campaign_id: campaignId,
        phone_hash: phoneHash,
        phone_masked: masked,
        code_hash: codeHash(campaignId, input.phone, code),
        purpose,
        address: origin.address,
        sent_at: now,
        expires_at: new Date(now.getTime() + CODE_VALID_MS),
        sms_id: (eb) => eb.selectFrom("sms").select("sms.id"),
      })
      .returning("sms_id")
      .executeTakeFirstOrThrow();
    return { ok: true, smsId: Number(written.sms_id) };
  });
  if (!queued.ok) return queued;
  const sent = await gateway.send({ phone: input.phone, template: "vote_code", params: { code }, text, outId: String(queued.smsId) });
  await db
    .updateTable("sms_message")
    .set(sent.ok ? { status: "sent", sent_at: new Date(), provider_id: sent.providerId } : { status: "failed", error: sent.error })
    .where("id", "=", queued.smsId)
    .execute();
  if (!sent.ok) return { ok: false, status: 409, message: "短信发送失败，请稍后再试" };
  return { ok: true, masked };
}

/**
 * Whether the code given is the number's live one, without spending an attempt: asked before costly
 * work on a request (an objection's photos converted), so a made-up code costs nothing. The real
 * check, which counts the attempt, is verifyCode's inside the filing's transaction.
 */
export async function codeMatches(db: DB, campaignId: number, purpose: CodePurpose, input: { phone: string; code: string }, now: Date): Promise<boolean> {
  const code = await latestCode(db, campaignId, purpose, voterHash(campaignId, input.phone)).executeTakeFirst();
  return !!code && !code.used_at && code.expires_at > now && code.attempts < CODE_ATTEMPTS && code.code_hash === codeHash(campaignId, input.phone, input.code);
}

/**
 * Checks the latest code sent to the number for this purpose (an earlier one is superseded, used
 * or not). A wrong code costs one of its five tries, committed with the caller's transaction.
 */
export async function verifyCode(
  tx: Tx,
  campaignId: number,
  purpose: CodePurpose,
  input: { phone: string; code: string },
  address: string | null,
  now: Date,
): Promise<Result<{ id: number }>> {
  const phoneHash = voterHash(campaignId, input.phone);
  await lockVoter(tx, phoneHash);
  return judgeCode(tx, campaignId, input, address, now, await latestCode(tx, campaignId, purpose, phoneHash).forUpdate().executeTakeFirst());
}

/** The number's latest code for this purpose; a caller may lock it and read more with it (the ballot, the voter's earlier choices). */
const latestCode = (db: DB, campaignId: number, purpose: CodePurpose, phoneHash: string) =>
  db
    .selectFrom("vote_code")
    .select(["id", "code_hash", "attempts", "used_at", "expires_at"])
    .where("campaign_id", "=", campaignId)
    .where("phone_hash", "=", phoneHash)
    .where("purpose", "=", purpose)
    .orderBy("id", "desc")
    .limit(1);

/** Whether the code given is the one read (latestCode) and still good; a wrong one costs a try and is logged as a failure. */
async function judgeCode(
  tx: Tx,
  campaignId: number,
  input: { phone: string; code: string },
  address: string | null,
  now: Date,
  code: { id: number; code_hash: string; attempts: number; used_at: Date | null; expires_at: Date } | undefined,
): Promise<Result<{ id: number }>> {
  if (!code || code.used_at || code.expires_at <= now) return { ok: false, status: 400, message: "验证码已过期或已使用，请重新获取", field: "code" };
  if (code.attempts >= CODE_ATTEMPTS) return { ok: false, status: 400, message: "验证码错误次数过多，请重新获取", field: "code" };
  if (code.code_hash !== codeHash(campaignId, input.phone, input.code)) {
    await tx
      .updateTable("vote_code")
      .set({ attempts: code.attempts + 1 })
      .where("id", "=", code.id)
      .execute();
    await tx.insertInto("vote_failure").values({ campaign_id: campaignId, address, kind: "code" }).execute();
    return { ok: false, status: 400, message: "验证码不正确", field: "code" };
  }
  return { ok: true, id: code.id };
}

/**
 * A code is spent only by the step it was asked for, when that step succeeds: `q` may carry that
 * step's writes as data-modifying CTEs (the ballot's), so they go in the same statement.
 */
export const spendCode = (q: Pick<QueryCreator<Database>, "updateTable">, id: number, now: Date) =>
  q.updateTable("vote_code").set({ used_at: now }).where("id", "=", id).execute();

const RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const newReceipt = () => Array.from(crypto.randomBytes(10), (b) => RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length]).join("");

type BallotResult = Result<{ receipt: string; chosen: number }>;

/** A vote that requires WeChat, reached without a WeChat identity: what the voter is told. */
export const WECHAT_NEEDED = "本次投票需要在微信中进行：请在微信中打开投票页面";

/** Checks the code and casts the ballot, in one transaction: the code is spent only by a ballot that counts. */
export async function castBallot(
  db: DB,
  campaignId: number,
  input: { phone: string; code: string; choices: number[]; device: string },
  origin: Origin,
  now = new Date(),
  /** The voter's openid, proven inside WeChat just before (the page holds it in the voter's flow), when the rules require it. */
  openid: string | null = null,
): Promise<BallotResult> {
  // Who the candidates are is public: read with the rules, a forged id is refused before the code is looked at.
  const open = await openCampaign(db, campaignId, now, input.choices);
  if (!open.ok) return open;
  const { rules, candidates } = open;
  if (rules.wechat_required && !openid) return { ok: false, status: 409, message: WECHAT_NEEDED };
  const phoneHash = voterHash(campaignId, input.phone);
  // The second key: per campaign like the number's, so it joins neither the people records nor another vote.
  const wechatKey = rules.wechat_required && openid ? voterHash(campaignId, `wechat:${openid}`) : null;
  if (new Set(input.choices).size !== input.choices.length) return { ok: false, status: 400, message: "同一位候选人只能选择一次", field: "choices" };
  if (input.choices.length > rules.max_choices) return { ok: false, status: 400, message: `每张选票最多选择 ${rules.max_choices} 位候选人`, field: "choices" };
  if (candidates.length !== input.choices.length) return { ok: false, status: 400, message: "所选的人不在本届候选名单中", field: "choices" };
  const period = periodOf(rules, now);
  try {
    // Four statements besides BEGIN and COMMIT (each round trip costs under load): the voter's lock,
    // the code with their earlier choices, the ballot with its choices and the code spent.
    return await db.transaction().execute(async (tx): Promise<BallotResult> => {
      // The voter's lock (their WeChat identity's first, when required): what follows reads and writes their choices alone.
      await (wechatKey ? lockVoter(tx, wechatKey, phoneHash) : lockVoter(tx, phoneHash));
      // What this voter chose before in the period, by their number or (when required) their WeChat identity.
      const earlierChoices = sql<number[]>`array(select distinct nomination_id from ballot_choice where campaign_id = ${campaignId} and period = ${period}
        and (voter_key = ${phoneHash}${wechatKey ? sql` or wechat_key = ${wechatKey}` : sql``}))`;
      const read = await latestCode(tx, campaignId, "vote", phoneHash).select(earlierChoices.as("earlier")).forUpdate().executeTakeFirst();
      const code = await judgeCode(tx, campaignId, input, origin.address, now, read);
      if (!code.ok) return code;
      const earlier = (read?.earlier ?? []).map(Number);
      const when = rules.per_candidate === "once" ? "本次投票中" : "今天";
      const again = candidates.filter((c) => earlier.includes(c.id));
      if (again.length) {
        const who = wechatKey ? "您（本手机号或本微信号）" : "您";
        return { ok: false, status: 409, message: `${who}${when}已为${again.map((c) => c.name).join("、")}投过票`, field: "choices" };
      }
      if (earlier.length + candidates.length > rules.max_choices) {
        return { ok: false, status: 409, message: `您${when}已选择 ${earlier.length} 位候选人，最多可选 ${rules.max_choices} 位`, field: "choices" };
      }
      const receipt = newReceipt();
      await spendCode(
        tx
          .with("cast", (q) =>
            q
              .insertInto("ballot")
              .values({
                campaign_id: campaignId,
                phone_hash: phoneHash,
                phone_masked: maskPhone(input.phone),
                block_hash: voterHash(campaignId, `block:${input.phone.slice(0, 10)}`),
                address: origin.address,
                subnet: subnetOf(origin.address),
                device: voterHash(campaignId, `device:${origin.userAgent}|${origin.device}`).slice(0, 24),
                receipt,
                cast_at: now,
              })
              .returning("id"),
          )
          .with("chosen", (q) =>
            q
              .insertInto("ballot_choice")
              .values(
                candidates.map((c) => ({
                  ballot_id: (eb) => eb.selectFrom("cast").select("cast.id"),
                  nomination_id: c.id,
                  campaign_id: campaignId,
                  voter_key: phoneHash,
                  wechat_key: wechatKey,
                  period,
                })),
              )
              .returning("ballot_id"),
          ),
        code.id,
        now,
      );
      return { ok: true, receipt, chosen: candidates.length };
    });
  } catch (error) {
    // The unique index is the last word on the per-candidate rule.
    if (isUniqueViolation(error)) return { ok: false, status: 409, message: "您已为所选的候选人投过票", field: "choices" };
    throw error;
  }
}

/** A voter checks with the receipt that their ballot was counted (and, if it was invalidated, why). */
export async function checkReceipt(db: DB, campaignId: number, receipt: string) {
  const ballot = await db
    .selectFrom("ballot")
    .leftJoin("ballot_invalidation as inv", "inv.ballot_id", "ballot.id")
    .select(["ballot.id", "ballot.cast_at", "inv.reason", "inv.pattern"])
    .where("ballot.campaign_id", "=", campaignId)
    .where("ballot.receipt", "=", receipt)
    .executeTakeFirst();
  if (!ballot) return null;
  const chosen = await db
    .selectFrom("ballot_choice")
    .innerJoin("nomination", "nomination.id", "ballot_choice.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["person.name", "nomination.seq"])
    .where("ballot_choice.ballot_id", "=", ballot.id)
    .orderBy("nomination.seq")
    .execute();
  return { castAt: ballot.cast_at, counted: ballot.reason === null, reason: ballot.reason, chosen: chosen.map((c) => c.name) };
}

/** The candidates the public may vote for, with what they consented to show. No personal numbers. */
export async function publicCandidates(db: DB, campaignId: number, search = "") {
  const q = search.trim().slice(0, 40);
  return db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .leftJoin("publication_consent as consent", standingConsent("person.id"))
    .select([
      "nomination.id",
      "nomination.seq",
      "person.name",
      "person.employer",
      "person.industry",
      "person.id as person_id",
      sql<boolean>`consent.photo is not null`.as("has_photo"),
      sql<string | null>`left(consent.story, 200)`.as("story"),
      // The ballot's own numbering, 1 to N over the candidates in filing order (the filing numbers
      // run over everyone nominated, so they would leave gaps); a search keeps each one's number.
      sql<number>`(select count(*)::int from nomination as o where o.campaign_id = nomination.campaign_id and o.candidate and o.seq <= nomination.seq)`.as(
        "number",
      ),
    ])
    .where("nomination.campaign_id", "=", campaignId)
    .where("nomination.candidate", "=", true)
    .where("nomination.withdrawn_reason", "is", null)
    .$if(q !== "", (qb) =>
      qb.where((eb) =>
        eb.or([
          eb("person.name", "like", `%${escapeLike(q)}%`),
          eb("person.employer", "like", `%${escapeLike(q)}%`),
          eb("person.industry", "like", `%${escapeLike(q)}%`),
        ]),
      ),
    )
    .orderBy("nomination.seq")
    .limit(200)
    .execute();
}

/** Valid votes per candidate among ballots cast before `until`. */
async function validCounts(db: DB, campaignId: number, until: Date) {
  const rows = await db
    .selectFrom("ballot_choice")
    .innerJoin("ballot", "ballot.id", "ballot_choice.ballot_id")
    .leftJoin("ballot_invalidation as inv", "inv.ballot_id", "ballot.id")
    .select(["ballot_choice.nomination_id", (eb) => eb.fn.countAll<number>().as("votes")])
    .where("ballot_choice.campaign_id", "=", campaignId)
    .where("ballot.cast_at", "<", until)
    .where("inv.ballot_id", "is", null)
    .groupBy("ballot_choice.nomination_id")
    .execute();
  return new Map(rows.map((r) => [r.nomination_id, Number(r.votes)]));
}

/** What the public results page shows, as the rules allow at this moment. */
export async function publicTally(db: DB, campaignId: number, now = new Date()) {
  const rules = await voteRulesOf(db, campaignId);
  if (!rules) return null;
  const cutoff = tallyCutoff(rules, now);
  const candidates = await publicCandidates(db, campaignId);
  const counts = cutoff ? await validCounts(db, campaignId, new Date(cutoff.getTime() + 1)) : null;
  const invalidated = await db
    .selectFrom("ballot_invalidation as inv")
    .innerJoin("ballot", "ballot.id", "inv.ballot_id")
    .select(["inv.pattern", (eb) => eb.fn.countAll<number>().as("ballots")])
    .where("ballot.campaign_id", "=", campaignId)
    .groupBy("inv.pattern")
    .execute();
  return {
    rules,
    cutoff,
    rows: candidates
      .map((c) => ({ id: c.id, number: c.number, name: c.name, employer: c.employer, votes: counts ? (counts.get(c.id) ?? 0) : null }))
      .sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || a.number - b.number),
    invalidated: invalidated.map((i) => ({
      pattern: i.pattern,
      label: Object.hasOwn(PATTERNS, i.pattern) ? PATTERNS[i.pattern as Pattern].label : i.pattern,
      ballots: Number(i.ballots),
    })),
  };
}

export interface Cluster {
  pattern: Pattern;
  key: string;
  label: string;
  /** What the officer reads: an address, a /24, a number block's mask, an hour. */
  shown: string;
  ballots: number;
  valid: number;
}

const hourBucket = sql<number>`floor(extract(epoch from ballot.cast_at) / 3600)::int`;

/** The ballots of one cluster: the same query finds it on the monitor and invalidates it. */
function clusterBallots(db: DB, campaignId: number, pattern: Pattern, key: string) {
  const base = db.selectFrom("ballot").select("ballot.id").where("ballot.campaign_id", "=", campaignId);
  const [value, hour] = key.split("@");
  switch (pattern) {
    case "address":
      return base.where("ballot.address", "=", value).where(hourBucket, "=", Number(hour));
    case "subnet":
      return base.where("ballot.subnet", "=", value).where(hourBucket, "=", Number(hour));
    case "device":
      return base.where("ballot.device", "=", value);
    case "block":
      return base.where("ballot.block_hash", "=", value);
    case "steady":
    case "failures":
      return base.where("ballot.address", "=", value);
  }
}

const valid = sql<number>`count(*) filter (where not exists (select 1 from ballot_invalidation inv where inv.ballot_id = ballot.id))`;

/** The city's 投票监控: ballots per hour, and every cluster that fits a pattern of stuffing. */
export async function voteMonitor(db: DB, campaignId: number) {
  const inCampaign = db.selectFrom("ballot").where("ballot.campaign_id", "=", campaignId);
  const hourly = await inCampaign
    .select([hourBucket.as("hour"), (eb) => eb.fn.countAll<number>().as("ballots"), valid.as("valid")])
    .groupBy(hourBucket)
    .orderBy(hourBucket)
    .limit(24 * 60)
    .execute();
  const byHour = (column: "address" | "subnet", min: number, distinctVoters: boolean) =>
    inCampaign
      .select([`ballot.${column} as value`, hourBucket.as("hour"), (eb) => eb.fn.countAll<number>().as("ballots"), valid.as("valid")])
      .where(`ballot.${column}`, "is not", null)
      .groupBy([`ballot.${column}`, hourBucket])
      .having(distinctVoters ? sql<number>`count(distinct ballot.phone_hash)` : sql<number>`count(*)`, ">=", min)
      .limit(200)
      .execute();
  const whole = (column: "device" | "block_hash", min: number) =>
    inCampaign
      .select([
        `ballot.${column} as value`,
        (eb) => eb.fn.countAll<number>().as("ballots"),
        valid.as("valid"),
        sql<string>`min(ballot.phone_masked)`.as("mask"),
      ])
      .where(`ballot.${column}`, "is not", null)
      .groupBy(`ballot.${column}`)
      .having(column === "block_hash" ? sql<number>`count(distinct ballot.phone_hash)` : sql<number>`count(*)`, ">=", min)
      .limit(200)
      .execute();
  const hourText = (hour: number) => new Date(hour * 3_600_000).toISOString();
  const [addresses, subnets, devices, blocks] = await Promise.all([
    byHour("address", PATTERNS.address.min, false),
    byHour("subnet", PATTERNS.subnet.min, true),
    whole("device", PATTERNS.device.min),
    whole("block_hash", PATTERNS.block.min),
  ]);
  const clusters: Cluster[] = [
    ...addresses.map((r) => ({ pattern: "address" as const, key: `${r.value}@${r.hour}`, shown: `${r.value} · ${hourText(r.hour)}`, ...r })),
    ...subnets.map((r) => ({ pattern: "subnet" as const, key: `${r.value}@${r.hour}`, shown: `${r.value} · ${hourText(r.hour)}`, ...r })),
    ...devices.map((r) => ({ pattern: "device" as const, key: r.value!, shown: `设备特征 ${r.value!.slice(0, 8)}`, ...r })),
    ...blocks.map((r) => ({ pattern: "block" as const, key: r.value!, shown: `号段 ${r.mask?.slice(0, 3) ?? ""}…`, ...r })),
  ].map((c) => ({ pattern: c.pattern, key: c.key, shown: c.shown, label: PATTERNS[c.pattern].label, ballots: Number(c.ballots), valid: Number(c.valid) }));

  // A machine's pace: among the busiest addresses, those whose ballots come at near-even gaps.
  const busy = await inCampaign
    .select(["ballot.address as value", (eb) => eb.fn.countAll<number>().as("ballots"), valid.as("valid")])
    .where("ballot.address", "is not", null)
    .groupBy("ballot.address")
    .having(sql<number>`count(*)`, ">=", PATTERNS.steady.min)
    .orderBy(sql`count(*)`, "desc")
    .limit(50)
    .execute();
  for (const b of busy) {
    const times = await inCampaign.select("ballot.cast_at").where("ballot.address", "=", b.value).orderBy("ballot.cast_at").limit(500).execute();
    if (steadyRate(times.map((t) => t.cast_at.getTime()))) {
      clusters.push({ pattern: "steady", key: b.value!, shown: b.value!, label: PATTERNS.steady.label, ballots: Number(b.ballots), valid: Number(b.valid) });
    }
  }
  const failures = await db
    .selectFrom("vote_failure")
    .select(["address", (eb) => eb.fn.countAll<number>().as("n")])
    .where("campaign_id", "=", campaignId)
    .where("address", "is not", null)
    .groupBy("address")
    .having(sql<number>`count(*)`, ">=", PATTERNS.failures.min)
    .limit(100)
    .execute();
  for (const f of failures) {
    const counts = await clusterBallots(db, campaignId, "failures", f.address!)
      .clearSelect()
      .select([(eb) => eb.fn.countAll<number>().as("ballots"), valid.as("valid")])
      .executeTakeFirstOrThrow();
    clusters.push({
      pattern: "failures",
      key: f.address!,
      shown: `${f.address} · 失败 ${f.n} 次`,
      label: PATTERNS.failures.label,
      ballots: Number(counts.ballots),
      valid: Number(counts.valid),
    });
  }
  const totals = await inCampaign.select([(eb) => eb.fn.countAll<number>().as("ballots"), valid.as("valid")]).executeTakeFirstOrThrow();
  return {
    hourly: hourly.map((h) => ({ hour: hourText(h.hour), ballots: Number(h.ballots), valid: Number(h.valid) })),
    clusters: clusters.sort((a, b) => b.valid - a.valid),
    ballots: Number(totals.ballots),
    valid: Number(totals.valid),
  };
}

/** Invalidates a flagged cluster's ballots with a reason: new facts beside the ballots, audited. */
export async function invalidateCluster(
  db: DB,
  actor: SessionUser,
  campaignId: number,
  input: { pattern: string; key: string; reason: string },
): Promise<Result<{ invalidated: number }>> {
  if (!isCityAdmin(actor)) return { ok: false, status: 403, message: "只有市总工会可以作废选票" };
  if (!Object.hasOwn(PATTERNS, input.pattern)) return { ok: false, status: 400, message: "可疑类型无效" };
  const pattern = input.pattern as Pattern;
  if (!(await voteRulesOf(db, campaignId))) return { ok: false, status: 404, message: "没有这场网络投票" };
  return db.transaction().execute(async (tx) => {
    const ids = (await clusterBallots(tx, campaignId, pattern, input.key).execute()).map((b) => b.id);
    if (!ids.length) return { ok: false as const, status: 404 as const, message: "没有找到这组选票" };
    const inserted = await tx
      .insertInto("ballot_invalidation")
      .values(ids.map((ballot_id) => ({ ballot_id, pattern, reason: input.reason, by_user: actor.id })))
      .onConflict((oc) => oc.column("ballot_id").doNothing())
      .returning("ballot_id")
      .execute();
    await recordAudit(tx, VOTE_AUDIT, {
      actor,
      id: campaignId,
      action: "invalidate",
      after: { pattern: PATTERNS[pattern].label, ballots: inserted.length },
      comment: input.reason,
    });
    return { ok: true as const, invalidated: inserted.length };
  });
}

/** At the close, the valid counts become the candidates' votes in the review, in one transaction. */
export async function transferCounts(db: DB, actor: SessionUser, campaignId: number, now = new Date()): Promise<Result> {
  if (!isCityAdmin(actor)) return { ok: false, status: 403, message: "只有市总工会可以计入票数" };
  const rules = await voteRulesOf(db, campaignId);
  if (!rules) return { ok: false, status: 404, message: "没有这场网络投票" };
  if (now < rules.closes_at) return { ok: false, status: 409, message: "投票结束后才能计入评审" };
  return db.transaction().execute(async (tx) => {
    const counts = await validCounts(tx, campaignId, rules.closes_at);
    const candidates = await tx.selectFrom("nomination").select("id").where("campaign_id", "=", campaignId).where("candidate", "=", true).execute();
    const votes = candidates.map((c) => ({ nominationId: c.id, votes: counts.get(c.id) ?? 0 }));
    const written = await writeVotes(tx, actor, campaignId, votes, "网络投票（平台统计的有效票）");
    if (!written.ok) return written;
    await recordAudit(tx, VOTE_AUDIT, {
      actor,
      id: campaignId,
      action: "transfer_counts",
      after: { candidates: votes.length, votes: votes.reduce((s, v) => s + v.votes, 0) },
    });
    return { ok: true as const };
  });
}

/**
 * Once a campaign is named, the voters' personal part goes: number hashes and masks, addresses,
 * devices, codes and their SMS. The ballots and their counts stay. Run by the background work.
 */
export async function purgeVoters(db: DB, recorded?: (tx: Tx, campaignId: number) => Promise<void>): Promise<number> {
  const due = await db
    .selectFrom("campaign")
    .select("campaign.id")
    .where("campaign.status", "=", "closed")
    .where((eb) =>
      eb.exists(eb.selectFrom("ballot").select("ballot.id").whereRef("ballot.campaign_id", "=", "campaign.id").where("ballot.phone_hash", "is not", null)),
    )
    .execute();
  for (const { id } of due) {
    await db.transaction().execute(async (tx) => {
      const cleared = await tx
        .updateTable("ballot")
        .set({ phone_hash: null, phone_masked: null, block_hash: null, address: null, subnet: null, device: null })
        .where("campaign_id", "=", id)
        .where("phone_hash", "is not", null)
        .executeTakeFirst();
      await tx
        .updateTable("ballot_choice")
        .set({ voter_key: sql`ballot_id::text`, wechat_key: null })
        .where("campaign_id", "=", id)
        .execute();
      await tx.deleteFrom("vote_code").where("campaign_id", "=", id).execute();
      await tx.updateTable("vote_failure").set({ address: null }).where("campaign_id", "=", id).execute();
      await tx
        .deleteFrom("sms_message")
        .where("template", "=", "vote_code")
        .where(sql<boolean>`params->>'campaign' = ${String(id)}`)
        .execute();
      await recordAudit(tx, VOTE_AUDIT, { actor: null, id, action: "purge_voters", after: { ballots: Number(cleared.numUpdatedRows) } });
      // The retention schedule's record of the purge commits with it (retention/retention.server).
      await recorded?.(tx, id);
    });
  }
  return due.length;
}
