import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { backupDir, logDir, type DB, type Tx } from "~db";
import type { RetentionKind } from "~db/types";
import { can, type SessionUser } from "~/auth/roles";
import { ACCESS_LOG_NAME } from "~/lib/access-log-file.server";
import { recordAudit } from "~/lib/audit.server";
import { enqueue, type JobHandler } from "~/lib/jobs.server";
import { refuse, type Result } from "~/lib/result";
import { paginate } from "~/lib/sql";
import { addDays, startOfDay, todayInTaizhou } from "~/lib/time";
import { RETENTION_AUDIT } from "~/modules/retention/labels";
import { pruneDataChanges } from "~/lib/data-version.server";
import { purgeVoters } from "~/modules/voting/voting.server";

/**
 * The retention schedule as data (issue 35, item 5): each kind of personal data has a rule in `retention_rule` (its
 * period, the event it runs from, its basis), and a daily job purges what is due and records each batch in
 * `purge_run` — which records, by id or file name, never the values erased — with a history row.
 *
 * Crash safety: a database batch is one transaction (select the due rows, erase them, record the run and its history
 * row), so an interrupted batch leaves nothing done and nothing recorded, and the next run finds the same rows due.
 * Files cannot be deleted in a transaction: their run is recorded first (unfinished, naming the files), then the files
 * are deleted, then the run is marked finished; the next run finishes any unfinished one before looking for more.
 */

/** Rows per batch (one transaction) and batches per rule per run: a backlog is worked off over a few days, never in one long lock. */
export const PURGE_BATCH = 500;
const MAX_BATCHES = 20;
/** The newest backups are kept whatever their age: a restore needs something to restore from. */
export const KEEP_NEWEST_BACKUPS = 7;
/** A sign-in device's cookie lives a year (auth/session.server); its row is of no use once that has passed. */
const DEVICE_COOKIE_DAYS = 365;
/** `npm run db:backup`'s file name: jiangxin-YYYYMMDD-HHMMSS.jxbak.gz, in UTC (db/bin/backup.ts). */
const BACKUP_NAME = /^jiangxin-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.jxbak\.gz$/;

export interface RetentionDirs {
  logs: string;
  backups: string;
}
const configuredDirs = (): RetentionDirs => ({ logs: logDir(), backups: backupDir() });

const DAY_MS = 86_400_000;
/** A key that is itself personal or a secret (an address, a session token), named in a run only by a digest. */
const opaque = (key: string) => crypto.createHash("sha256").update(key).digest("hex").slice(0, 16);

/** A database rule's batch: erases or deletes up to `limit` due records in `tx`, and names them. */
type BatchPurge = (tx: Tx, cutoff: Date, now: Date, limit: number) => Promise<string[]>;

const eraseObjectorIdentities: BatchPurge = async (tx, cutoff, now, limit) => {
  // An online objection to a nomination: once its campaign is closed (every objection decided) and the 公示 ended
  // `keep` days ago; its content, handling and outcome stay with the nomination.
  const filings = await tx
    .selectFrom("objection_filing as f")
    .innerJoin("objection as o", "o.id", "f.objection_id")
    .innerJoin("nomination as n", "n.id", "o.nomination_id")
    .innerJoin("campaign as c", "c.id", "n.campaign_id")
    .select("f.objection_id")
    .where("f.identity_erased_at", "is", null)
    .where("c.status", "=", "closed")
    .where(sql<boolean>`coalesce(c.notice_end, o.received_on) < ${todayInTaizhou(cutoff)}`)
    .orderBy("f.objection_id")
    .limit(limit)
    .forUpdate("f")
    .skipLocked()
    .execute();
  const filingIds = filings.map((f) => f.objection_id);
  if (filingIds.length) {
    await tx
      .updateTable("objection_filing")
      .set({ name_cipher: null, id_number_cipher: null, id_number_hash: null, phone_cipher: null, phone_hash: null, address: null, identity_erased_at: now })
      .where("objection_id", "in", filingIds)
      .execute();
  }
  // A 公示 objection to a subsidy: `keep` days after the city decided it.
  const rest = limit - filingIds.length;
  const subsidy = rest
    ? await tx
        .selectFrom("subsidy_objection")
        .select("id")
        .where("identity_erased_at", "is", null)
        .where("outcome", "!=", "pending")
        .where("handled_at", "<", cutoff)
        .orderBy("id")
        .limit(rest)
        .forUpdate()
        .skipLocked()
        .execute()
    : [];
  const subsidyIds = subsidy.map((o) => o.id);
  if (subsidyIds.length) {
    await tx
      .updateTable("subsidy_objection")
      .set({ name_cipher: null, id_number_cipher: null, id_number_hash: null, phone_cipher: null, phone_hash: null, address: null, identity_erased_at: now })
      .where("id", "in", subsidyIds)
      .execute();
  }
  return [...filingIds.map((id) => `objection:${id}`), ...subsidyIds.map((id) => `subsidy_objection:${id}`)];
};

const deleteRejectedFiles: BatchPurge = async (tx, cutoff, _now, limit) => {
  // A rejected application's status is final; its updated_at is the rejection (nothing edits a rejected record).
  const attachments = await tx
    .selectFrom("subsidy_attachment as f")
    .innerJoin("subsidy_application as a", "a.id", "f.application_id")
    .select("f.id")
    .where("a.status", "=", "rejected")
    .where("a.updated_at", "<", cutoff)
    .orderBy("f.id")
    .limit(limit)
    .forUpdate("f")
    .skipLocked()
    .execute();
  const attachmentIds = attachments.map((f) => f.id);
  if (attachmentIds.length) await tx.deleteFrom("subsidy_attachment").where("id", "in", attachmentIds).execute();
  // A mentoring result the officer would not accept (不予认定) is final too; its evidence goes a period after the review.
  const rest = limit - attachmentIds.length;
  const evidence = rest
    ? await tx
        .selectFrom("evidence_file as f")
        .innerJoin("milestone as m", "m.id", "f.milestone_id")
        .select("f.id")
        .where("m.status", "=", "rejected")
        .where("m.reviewed_at", "<", cutoff)
        .orderBy("f.id")
        .limit(rest)
        .forUpdate("f")
        .skipLocked()
        .execute()
    : [];
  const evidenceIds = evidence.map((f) => f.id);
  if (evidenceIds.length) await tx.deleteFrom("evidence_file").where("id", "in", evidenceIds).execute();
  return [...attachmentIds.map((id) => `subsidy_attachment:${id}`), ...evidenceIds.map((id) => `evidence_file:${id}`)];
};

const deleteExpiredSessions: BatchPurge = async (tx, cutoff, now, limit) => {
  const names: string[] = [];
  const room = () => limit - names.length;
  const sessions = await tx
    .selectFrom("user_session")
    .select("id")
    .where("expires_at", "<", cutoff)
    .orderBy("id")
    .limit(room())
    .forUpdate()
    .skipLocked()
    .execute();
  if (sessions.length) {
    await tx
      .deleteFrom("user_session")
      .where(
        "id",
        "in",
        sessions.map((s) => s.id),
      )
      .execute();
  }
  names.push(...sessions.map((s) => `user_session:${opaque(s.id)}`));
  const codes = room()
    ? await tx.selectFrom("phone_code").select("id").where("expires_at", "<", cutoff).orderBy("id").limit(room()).forUpdate().skipLocked().execute()
    : [];
  if (codes.length) {
    await tx
      .deleteFrom("phone_code")
      .where(
        "id",
        "in",
        codes.map((c) => c.id),
      )
      .execute();
  }
  names.push(...codes.map((c) => `phone_code:${c.id}`));
  // A sign-in's round trip through another site lives ten minutes; its row holds a verifier and a nonce.
  const flows = room()
    ? await tx
        .selectFrom("sign_in_flow")
        .select("state_hash")
        .where("expires_at", "<", cutoff)
        .orderBy("state_hash")
        .limit(room())
        .forUpdate()
        .skipLocked()
        .execute()
    : [];
  if (flows.length) {
    await tx
      .deleteFrom("sign_in_flow")
      .where(
        "state_hash",
        "in",
        flows.map((f) => f.state_hash),
      )
      .execute();
  }
  names.push(...flows.map((f) => `sign_in_flow:${f.state_hash.slice(0, 16)}`));
  // A password sign-in waiting for its one-time code lives five minutes; its row names the account.
  const challenges = room()
    ? await tx
        .selectFrom("second_factor_challenge")
        .select("token_hash")
        .where("expires_at", "<", cutoff)
        .orderBy("token_hash")
        .limit(room())
        .forUpdate()
        .skipLocked()
        .execute()
    : [];
  if (challenges.length) {
    await tx
      .deleteFrom("second_factor_challenge")
      .where(
        "token_hash",
        "in",
        challenges.map((c) => c.token_hash),
      )
      .execute();
  }
  names.push(...challenges.map((c) => `second_factor_challenge:${c.token_hash.slice(0, 16)}`));
  // A single sign-on identity nobody bound, not seen for the period: its name is no longer needed to recognise it.
  const strangers = room()
    ? await tx
        .selectFrom("external_identity")
        .select("id")
        .where("user_id", "is", null)
        .where("last_seen_at", "<", cutoff)
        .orderBy("id")
        .limit(room())
        .forUpdate()
        .skipLocked()
        .execute()
    : [];
  if (strangers.length) {
    await tx
      .deleteFrom("external_identity")
      .where(
        "id",
        "in",
        strangers.map((i) => i.id),
      )
      .where("user_id", "is", null)
      .execute();
  }
  names.push(...strangers.map((i) => `external_identity:${i.id}`));
  // A device's cookie expires a year after it was last used; its row is kept `keep` days beyond that.
  const deviceCutoff = new Date(cutoff.getTime() - DEVICE_COOKIE_DAYS * DAY_MS);
  const devices = room()
    ? await tx
        .selectFrom("sign_in_device")
        .select("token_hash")
        .where("last_used_at", "<", deviceCutoff)
        .orderBy("token_hash")
        .limit(room())
        .forUpdate()
        .skipLocked()
        .execute()
    : [];
  if (devices.length) {
    await tx
      .deleteFrom("sign_in_device")
      .where(
        "token_hash",
        "in",
        devices.map((d) => d.token_hash),
      )
      .execute();
  }
  names.push(...devices.map((d) => `sign_in_device:${d.token_hash.slice(0, 16)}`));
  // A throttle row counts failures within minutes; one not failed for `keep` days and not blocking counts nothing.
  const throttles = room()
    ? await tx
        .selectFrom("sign_in_throttle")
        .select("key")
        .where("last_failure_at", "<", cutoff)
        .where((eb) => eb.or([eb("blocked_until", "is", null), eb("blocked_until", "<", now)]))
        .orderBy("key")
        .limit(room())
        .forUpdate()
        .skipLocked()
        .execute()
    : [];
  if (throttles.length) {
    await tx
      .deleteFrom("sign_in_throttle")
      .where(
        "key",
        "in",
        throttles.map((t) => t.key),
      )
      .execute();
  }
  names.push(...throttles.map((t) => `sign_in_throttle:${opaque(t.key)}`));
  return names;
};

const deleteOldSms: BatchPurge = async (tx, cutoff, _now, limit) => {
  // Only messages whose outcome is known: a queued, held or sending one is still the queue's.
  const due = await tx
    .selectFrom("sms_message")
    .select("id")
    .where("status", "in", ["sent", "failed"])
    .where(sql<boolean>`coalesce(sent_at, created_at) < ${cutoff}`)
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  const ids = due.map((m) => m.id);
  if (!ids.length) return [];
  // A phone code names the SMS that carried it (a foreign key): the code stays, its link goes.
  await tx.updateTable("phone_code").set({ sms_id: null }).where("sms_id", "in", ids).execute();
  await tx.updateTable("vote_code").set({ sms_id: null }).where("sms_id", "in", ids).execute();
  await tx.deleteFrom("sms_message").where("id", "in", ids).execute();
  return ids.map((id) => `sms_message:${id}`);
};

const DATABASE_RULES: Partial<Record<RetentionKind, BatchPurge>> = {
  objector_identity: eraseObjectorIdentities,
  rejected_files: deleteRejectedFiles,
  sessions: deleteExpiredSessions,
  sms_messages: deleteOldSms,
};

/** The date a file's name carries (a day's access log, a backup's stamp), or null for a file that is not ours. */
function fileDate(kind: "access_logs" | "backups", name: string): Date | null {
  if (kind === "access_logs") {
    const day = ACCESS_LOG_NAME.exec(name)?.[1];
    // A day's log is written until the day ends: its age runs from then.
    return day ? startOfDay(addDays(day, 1)) : null;
  }
  const m = BACKUP_NAME.exec(name);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/** The files of a file rule that are due: older than the cutoff by their names; of backups, never the newest few. */
function dueFiles(kind: "access_logs" | "backups", dir: string, cutoff: Date): string[] {
  if (!fs.existsSync(dir)) return [];
  const ours = fs
    .readdirSync(dir)
    .map((name) => ({ name, at: fileDate(kind, name) }))
    .filter((f): f is { name: string; at: Date } => f.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const candidates = kind === "backups" ? ours.slice(KEEP_NEWEST_BACKUPS) : ours;
  return candidates
    .filter((f) => f.at < cutoff)
    .map((f) => f.name)
    .sort();
}

async function recordRun(tx: Tx, kind: RetentionKind, keepDays: number, names: string[], finishedAt: Date | null): Promise<void> {
  const run = await tx
    .insertInto("purge_run")
    .values({ rule_kind: kind, keep_days: keepDays, purged: names.length, record_ids: JSON.stringify(names), finished_at: finishedAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(tx, RETENTION_AUDIT, { actor: null, id: kind, action: "purge", after: { run: run.id, purged: names.length, keepDays } });
}

/** Deletes the files of the runs a crash left unfinished (each named there), then marks them finished. */
async function finishFileRuns(db: DB, kind: "access_logs" | "backups", dir: string): Promise<void> {
  const open = await db.selectFrom("purge_run").select(["id", "record_ids"]).where("rule_kind", "=", kind).where("finished_at", "is", null).execute();
  for (const run of open) {
    for (const name of run.record_ids) fs.rmSync(path.join(dir, path.basename(name)), { force: true });
    await db.updateTable("purge_run").set({ finished_at: new Date() }).where("id", "=", run.id).execute();
  }
}

/** Runs one rule now: every due batch, up to the run's bound. Returns how many records or files it purged. */
export async function purgeRule(db: DB, kind: RetentionKind, now = new Date(), dirs: RetentionDirs = configuredDirs()): Promise<number> {
  if (kind === "vote_phone") return purgeVotePhones(db);
  const rule = await db.selectFrom("retention_rule").select("keep_days").where("kind", "=", kind).executeTakeFirstOrThrow();
  const cutoff = new Date(now.getTime() - rule.keep_days * DAY_MS);
  if (kind === "access_logs" || kind === "backups") {
    const dir = kind === "access_logs" ? dirs.logs : dirs.backups;
    await finishFileRuns(db, kind, dir);
    const names = dueFiles(kind, dir, cutoff).slice(0, PURGE_BATCH * MAX_BATCHES);
    if (!names.length) return 0;
    await db.transaction().execute((tx) => recordRun(tx, kind, rule.keep_days, names, null));
    await finishFileRuns(db, kind, dir);
    return names.length;
  }
  const batch = DATABASE_RULES[kind]!;
  let purged = 0;
  for (let batches = 0; batches < MAX_BATCHES; batches++) {
    const names = await db.transaction().execute(async (tx) => {
      const done = await batch(tx, cutoff, now, PURGE_BATCH);
      if (done.length) await recordRun(tx, kind, rule.keep_days, done, now);
      return done;
    });
    purged += names.length;
    if (names.length < PURGE_BATCH) break;
  }
  return purged;
}

/**
 * Vote phone hashes go at naming, as soon as a process notices (voting/voting.server's purgeVoters, run by every
 * tick); each campaign's purge is recorded as a run of this rule in the same transaction.
 */
export function purgeVotePhones(db: DB): Promise<number> {
  return purgeVoters(db, (tx, campaignId) => recordRun(tx, "vote_phone", 0, [`campaign:${campaignId}`], new Date()));
}

/** The daily job: every rule in the schedule's order. A rule that fails does not keep the others from running. */
export async function runRetention(db: DB, now = new Date(), dirs: RetentionDirs = configuredDirs()): Promise<Record<string, number>> {
  const rules = await db.selectFrom("retention_rule").select("kind").orderBy("sort_order").execute();
  const purged: Record<string, number> = {};
  const failures: string[] = [];
  for (const { kind } of rules) {
    try {
      purged[kind] = await purgeRule(db, kind, now, dirs);
    } catch (error) {
      failures.push(`${kind}: ${(error as Error).message}`);
    }
  }
  // The job is retried (with backoff) when any rule failed; the rules that ran find nothing left due.
  if (failures.length) throw new Error(`保存期限清除未完成：${failures.join("；")}`);
  return purged;
}

/** At 03:00 Taizhou time, when nobody is working: planned by every tick, one job a day by its key, whichever process plans it first. */
const PURGE_HOUR = 3;

export async function planRetention(db: DB, now = new Date()): Promise<void> {
  const today = todayInTaizhou(now);
  await enqueue(
    db,
    "retention.purge",
    { date: today },
    { uniqueKey: `retention:${today}`, runAt: new Date(startOfDay(today).getTime() + PURGE_HOUR * 3_600_000) },
  );
}

export const RETENTION_JOBS: Record<string, JobHandler> = {
  "retention.purge": async (db) => {
    await runRetention(db);
    // Not personal data: the figures' old versions (data-version.server.ts), gone with the day's purge.
    await pruneDataChanges(db);
  },
};

/** The schedule, in its order. */
export function retentionSchedule(db: DB) {
  return db
    .selectFrom("retention_rule")
    .select(["kind", "keep_days", "min_days", "max_days", "after_event", "basis", "updated_at"])
    .orderBy("sort_order")
    .execute();
}

/** How many of a run's record names the page shows: a run names up to PURGE_BATCH, the rest stay in its row. */
const SHOWN_IDS = 6;

/** The purge runs, newest first, one page, each with its first few record names. */
export function purgeRuns(db: DB, page = 1) {
  const all = db.selectFrom("purge_run");
  const firstIds = sql<
    string[]
  >`(select coalesce(jsonb_agg(t.v order by t.n), '[]'::jsonb) from (select v, n from jsonb_array_elements_text(purge_run.record_ids) with ordinality as e(v, n) order by n limit ${SHOWN_IDS}) t)`;
  return paginate(
    all
      .select(["id", "rule_kind", "keep_days", "started_at", "finished_at", "purged", firstIds.as("first_ids")])
      .orderBy("started_at", "desc")
      .orderBy("id", "desc"),
    all,
    page,
  );
}

export const RETENTION_CITY_ONLY = "只有市总工会可以修改保存期限";

/** The city moves a rule's period within its bounds; the change and its history row commit together. */
export async function setRetention(db: DB, actor: SessionUser, input: { kind: RetentionKind; keepDays: number; confirmed: boolean }): Promise<Result> {
  if (!can(actor, "retention.manage")) return refuse(RETENTION_CITY_ONLY, { status: 403 });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const rule = await tx
      .selectFrom("retention_rule")
      .select(["keep_days", "min_days", "max_days"])
      .where("kind", "=", input.kind)
      .forUpdate()
      .executeTakeFirst();
    if (!rule) return refuse("没有这类数据的保存期限", { status: 404, field: "kind" });
    if (rule.min_days === rule.max_days && input.keepDays !== rule.keep_days) {
      return refuse(`这一期限固定为${rule.keep_days === 0 ? "即时删除" : `${rule.keep_days}天`}，不能修改`, { field: "keepDays" });
    }
    if (input.keepDays < rule.min_days || input.keepDays > rule.max_days) {
      return refuse(`保存期限应在${rule.min_days}至${rule.max_days}天之间`, { field: "keepDays" });
    }
    if (input.keepDays === rule.keep_days) return { ok: true };
    // A shorter period makes more records due at the next purge, and a purge cannot be undone.
    if (input.keepDays < rule.keep_days && !input.confirmed) return refuse("缩短保存期限后，下次清除将删除更多数据且无法恢复，请确认", { field: "keepDays" });
    await tx
      .updateTable("retention_rule")
      .set({ keep_days: input.keepDays, updated_by: actor.id, updated_at: new Date() })
      .where("kind", "=", input.kind)
      .execute();
    await recordAudit(tx, RETENTION_AUDIT, {
      actor,
      id: input.kind,
      action: "update",
      before: { keepDays: rule.keep_days },
      after: { keepDays: input.keepDays },
    });
    return { ok: true };
  });
}
