import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeCampaign, makeNominations, makeSubsidy, makeUser } from "../../../test/factories";
import { mentoringScene } from "../../../test/mentoring-scene";
import type { RetentionKind } from "~db/types";
import { runDueJobs } from "~/lib/jobs.server";
import { addDays, todayInTaizhou } from "~/lib/time";
import { smsGateway } from "~/lib/sms.server";
import { backgroundTick } from "~/worker.server";
import {
  KEEP_NEWEST_BACKUPS,
  planRetention,
  purgeRule,
  purgeRuns,
  purgeVotePhones,
  RETENTION_JOBS,
  runRetention,
  setRetention,
  type RetentionDirs,
} from "~/modules/retention/retention.server";
import { periodText, RETENTION_KIND_LABELS } from "~/modules/retention/labels";
import { retentionRuleSchema } from "~/modules/retention/schema.server";
import { revealSubsidyObjector } from "~/modules/subsidies/notice.server";
import { revealObjector } from "~/modules/voting/notice.server";

const t = useTestDb();
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

let dirs: RetentionDirs;
/** The history before this test: each test reads only the rows it made. */
let auditMark = 0;
beforeEach(async () => {
  // The file shares one database: each test starts with no runs or jobs of the tests before it.
  await t.db.deleteFrom("purge_run").execute();
  await t.db.deleteFrom("job").execute();
  auditMark = Number(
    (
      await t.db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.max("id").as("id"))
        .executeTakeFirst()
    )?.id ?? 0,
  );
  for (const year of [2024, 2026]) {
    await t.db
      .insertInto("subsidy_policy")
      .values({ year, budget_fen: 100_000_000, share_percent: 50, years_after_award: 10 })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jx-retention-"));
  dirs = { logs: path.join(root, "logs"), backups: path.join(root, "backups") };
  fs.mkdirSync(dirs.logs);
  fs.mkdirSync(dirs.backups);
});
afterEach(() => fs.rmSync(path.dirname(dirs.logs), { recursive: true, force: true }));

const runsOf = (kind: RetentionKind) =>
  t.db.selectFrom("purge_run").select(["purged", "record_ids", "finished_at", "keep_days"]).where("rule_kind", "=", kind).orderBy("id").execute();
const auditOf = (kind: RetentionKind, action: string) =>
  t.db
    .selectFrom("audit_log")
    .select(["actor_name", "after", "before"])
    .where("id", ">", auditMark)
    .where("entity_type", "=", "retention_rule")
    .where("entity_id", "=", kind)
    .where("action", "=", action)
    .execute();

// First: the tests below change periods in this file's database, and this one reads the schedule as seeded.
describe("the README's privacy section", () => {
  it("lists the schedule exactly as the seeded rules hold it", async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    const section = readme.split("## 个人信息与保存期限")[1]?.split("\n## ")[0] ?? "";
    const listed = section.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| 数据 |"));
    const rules = await t.db.selectFrom("retention_rule").selectAll().orderBy("sort_order").execute();
    expect(listed).toEqual(
      rules.map(
        (r) =>
          [RETENTION_KIND_LABELS[r.kind], periodText(r.keep_days), r.after_event, r.min_days === r.max_days ? "固定" : `${r.min_days}–${r.max_days}天`, r.basis]
            .map((cell) => `| ${cell} `)
            .join("") + "|",
      ),
    );
  });
});

let serial = 0;
/** A campaign objection filed online with the objector's identity, in a campaign at `status` whose 公示 ended `endedDaysAgo` days ago. */
async function campaignObjection(status: "closed" | "public_notice", endedDaysAgo: number) {
  const city = await makeUser(t.db, "city_admin");
  const campaign = await makeCampaign(t.db, { status, year: 2025 });
  await t.db
    .updateTable("campaign")
    .set({ notice_end: addDays(todayInTaizhou(), -endedDaysAgo) })
    .where("id", "=", campaign.id)
    .execute();
  const [nomination] = await makeNominations(t.db, campaign.id, [`被异议人${++serial}`]);
  const objection = await t.db
    .insertInto("objection")
    .values({
      nomination_id: nomination,
      received_on: addDays(todayInTaizhou(), -endedDaysAgo - 3),
      source: "网上实名",
      content: "事迹不实",
      outcome: "dismissed",
      handling: "经核实不属实",
      recorded_by: city.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("objection_filing")
    .values({
      objection_id: objection.id,
      lookup_code: `LK${serial}ABCDEFG`,
      objector_name: "张*",
      relation: "同事",
      phone_hash: `phone-hash-${serial}`,
      phone_masked: "139****0001",
      name_cipher: "cipher:name",
      id_number_cipher: "cipher:id",
      id_number_hash: `id-hash-${serial}`,
      phone_cipher: "cipher:phone",
      address: "203.0.113.9",
    })
    .execute();
  return objection.id;
}

/** A subsidy 公示 objection decided `handledDaysAgo` days ago (null: still pending). */
async function subsidyObjection(handledDaysAgo: number | null) {
  const city = await makeUser(t.db, "city_admin");
  const application = await makeSubsidy(t.db, 2026, city.id);
  const notice = await t.db
    .insertInto("subsidy_notice")
    .values({ year: 2026, starts_on: "2026-01-01", ends_on: "2026-01-07", published_by: city.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await t.db
    .insertInto("subsidy_objection")
    .values({
      application_id: application.id,
      notice_id: notice.id,
      content: "学历造假",
      relation: "同学",
      objector_masked: "李*",
      name_cipher: "cipher:name",
      id_number_cipher: "cipher:id",
      id_number_hash: `sid-hash-${++serial}`,
      phone_cipher: "cipher:phone",
      phone_hash: `sphone-hash-${serial}`,
      phone_masked: "138****0002",
      address: "203.0.113.10",
      lookup_code: `SO${serial}ABCDEFG`,
      outcome: handledDaysAgo === null ? "pending" : "upheld",
      handling: handledDaysAgo === null ? "" : "属实",
      handled_by: handledDaysAgo === null ? null : city.id,
      handled_at: handledDaysAgo === null ? null : daysAgo(handledDaysAgo),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("objectors' identities", () => {
  it("are erased once the objection was decided and the period passed; the objection and its outcome stay", async () => {
    const due = await campaignObjection("closed", 200);
    const recent = await campaignObjection("closed", 10);
    const open = await campaignObjection("public_notice", 400);
    const subsidyDue = await subsidyObjection(200);
    const subsidyRecent = await subsidyObjection(10);
    const pending = await subsidyObjection(null);

    expect(await purgeRule(t.db, "objector_identity")).toBe(2);

    const filings = await t.db
      .selectFrom("objection_filing as f")
      .innerJoin("objection as o", "o.id", "f.objection_id")
      .select([
        "f.objection_id",
        "f.name_cipher",
        "f.id_number_cipher",
        "f.phone_cipher",
        "f.phone_hash",
        "f.id_number_hash",
        "f.address",
        "f.identity_erased_at",
        "f.objector_name",
        "o.content",
        "o.outcome",
        "o.handling",
      ])
      .execute();
    const filing = (id: number) => filings.find((f) => f.objection_id === id)!;
    expect(filing(due)).toMatchObject({ name_cipher: null, id_number_cipher: null, phone_cipher: null, phone_hash: null, id_number_hash: null, address: null });
    expect(filing(due)).toMatchObject({ objector_name: "张*", content: "事迹不实", outcome: "dismissed", handling: "经核实不属实" });
    expect(filing(due).identity_erased_at).not.toBeNull();
    for (const kept of [recent, open])
      expect(filing(kept)).toMatchObject({ name_cipher: "cipher:name", phone_cipher: "cipher:phone", identity_erased_at: null });

    const subsidy = await t.db.selectFrom("subsidy_objection").selectAll().execute();
    const objection = (id: number) => subsidy.find((o) => o.id === id)!;
    expect(objection(subsidyDue)).toMatchObject({
      name_cipher: null,
      id_number_cipher: null,
      phone_cipher: null,
      phone_hash: null,
      id_number_hash: null,
      address: null,
    });
    expect(objection(subsidyDue)).toMatchObject({ content: "学历造假", outcome: "upheld", handling: "属实", objector_masked: "李*" });
    for (const kept of [subsidyRecent, pending]) expect(objection(kept)).toMatchObject({ name_cipher: "cipher:name", identity_erased_at: null });

    const runs = await runsOf("objector_identity");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ purged: 2, keep_days: 180, record_ids: [`objection:${due}`, `subsidy_objection:${subsidyDue}`] });
    // The run names records, never the values erased.
    expect(JSON.stringify(runs)).not.toContain("cipher");
    expect(await auditOf("objector_identity", "purge")).toEqual([
      expect.objectContaining({ actor_name: "系统", after: expect.objectContaining({ purged: 2 }) }),
    ]);

    // The city's 查看异议人 says why there is no one to show; a kept one still shows.
    const city = await makeUser(t.db, "city_admin");
    const nominationOf = async (id: number) =>
      (await t.db.selectFrom("objection").select("nomination_id").where("id", "=", id).executeTakeFirstOrThrow()).nomination_id;
    expect(await revealObjector(t.db, city, await nominationOf(due), due, "回访")).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("已按保存期限删除"),
    });
    const applicationOf = (id: number) => objection(id).application_id;
    expect(await revealSubsidyObjector(t.db, city, applicationOf(subsidyDue), subsidyDue, "回访")).toMatchObject({ ok: false, status: 409 });

    // Run again: nothing is due twice, nothing counted twice.
    expect(await purgeRule(t.db, "objector_identity")).toBe(0);
    expect(await runsOf("objector_identity")).toHaveLength(1);
  });

  it("an interrupted batch is undone whole and redone by the next run, counted once", async () => {
    const due = await campaignObjection("closed", 200);
    // The crash: the run's record cannot be written, after the identities were erased in the same transaction.
    await sql`create function jx_crash() returns trigger language plpgsql as $$ begin raise exception 'crash'; end $$`.execute(t.db);
    await sql`create trigger jx_crash before insert on purge_run for each row execute function jx_crash()`.execute(t.db);
    await expect(purgeRule(t.db, "objector_identity")).rejects.toThrow();
    const untouched = await t.db
      .selectFrom("objection_filing")
      .select(["name_cipher", "identity_erased_at"])
      .where("objection_id", "=", due)
      .executeTakeFirstOrThrow();
    expect(untouched).toEqual({ name_cipher: "cipher:name", identity_erased_at: null });
    expect(await runsOf("objector_identity")).toEqual([]);

    await sql`drop trigger jx_crash on purge_run`.execute(t.db);
    expect(await purgeRule(t.db, "objector_identity")).toBe(1);
    expect((await runsOf("objector_identity")).map((r) => r.record_ids)).toEqual([[`objection:${due}`]]);
    expect(await auditOf("objector_identity", "purge")).toHaveLength(1);
  });
});

describe("rejected applications' files", () => {
  it("are deleted a year after the rejection; the application and its reason stay, others' files stay", async () => {
    const city = await makeUser(t.db, "city_admin");
    const file = (applicationId: number) => ({
      application_id: applicationId,
      kind: "admission" as const,
      filename: "录取通知书.pdf",
      content_type: "application/pdf",
      size: 4,
      sha256: "x",
      data: new Uint8Array([1, 2, 3, 4]),
      uploaded_by: city.id,
    });
    const old = await makeSubsidy(t.db, 2024, city.id, { status: "rejected" });
    const recent = await makeSubsidy(t.db, 2026, city.id, { status: "rejected" });
    const approved = await makeSubsidy(t.db, 2024, city.id, { status: "approved" });
    await t.db
      .updateTable("subsidy_application")
      .set({ updated_at: daysAgo(400), status_reason: "不符合条件" })
      .where("id", "in", [old.id, approved.id])
      .execute();
    await t.db
      .updateTable("subsidy_application")
      .set({ updated_at: daysAgo(100) })
      .where("id", "=", recent.id)
      .execute();
    const [gone] = await t.db
      .insertInto("subsidy_attachment")
      .values([file(old.id)])
      .returning("id")
      .execute();
    await t.db
      .insertInto("subsidy_attachment")
      .values([file(recent.id), file(approved.id)])
      .execute();
    // A mentoring result not accepted (不予认定): its evidence goes the same way; an accepted one's stays.
    const scene = await mentoringScene(t.db, "成果领办人");
    const officer = scene.city;
    const { id: mentorshipId } = await scene.pairing();
    const rejected = await scene.milestone(mentorshipId, "skill_upgrade", { level: "高级工" });
    const verified = await scene.milestone(mentorshipId, "skill_upgrade", { level: "技师" });
    await t.db.updateTable("milestone").set({ status: "rejected" }).where("id", "=", rejected).execute();
    await t.db
      .updateTable("milestone")
      .set({ reviewed_at: daysAgo(400), reviewed_by: officer.id })
      .where("id", "in", [rejected, verified])
      .execute();
    const evidence = (milestoneId: number) => ({
      milestone_id: milestoneId,
      filename: "证书.jpg",
      content_type: "image/jpeg",
      size: 1,
      sha256: "y",
      data: new Uint8Array([1]),
      uploaded_by: officer.id,
    });
    const [rejectedEvidence] = await t.db
      .insertInto("evidence_file")
      .values([evidence(rejected)])
      .returning("id")
      .execute();
    await t.db
      .insertInto("evidence_file")
      .values([evidence(verified)])
      .execute();

    expect(await purgeRule(t.db, "rejected_files")).toBe(2);
    const left = await t.db.selectFrom("subsidy_attachment").select("application_id").orderBy("application_id").execute();
    expect(left.map((f) => f.application_id)).toEqual([recent.id, approved.id].sort((a, b) => a - b));
    expect((await t.db.selectFrom("evidence_file").select("milestone_id").execute()).map((f) => f.milestone_id)).toEqual([verified]);
    expect(await t.db.selectFrom("subsidy_application").select(["status", "status_reason"]).where("id", "=", old.id).executeTakeFirst()).toEqual({
      status: "rejected",
      status_reason: "不符合条件",
    });
    expect((await runsOf("rejected_files"))[0].record_ids).toEqual([`subsidy_attachment:${gone.id}`, `evidence_file:${rejectedEvidence.id}`]);
  });
});

describe("expired sessions", () => {
  it("go a month after expiring, with old codes, sign-in round trips, one-time-code waits, identities nobody bound, forgotten devices and stale throttles; live ones stay", async () => {
    const user = await makeUser(t.db, "craftsman");
    await t.db
      .insertInto("user_session")
      .values([
        { id: "old-session", user_id: user.id, expires_at: daysAgo(40) },
        { id: "lately-expired", user_id: user.id, expires_at: daysAgo(5) },
        { id: "live-session", user_id: user.id, expires_at: new Date(Date.now() + DAY) },
      ])
      .execute();
    const codes = await t.db
      .insertInto("phone_code")
      .values([
        { phone_hash: "p1", purpose: "sign_in", code_hash: "c1", expires_at: daysAgo(40), used_at: daysAgo(40) },
        { phone_hash: "p2", purpose: "sign_in", code_hash: "c2", expires_at: daysAgo(1) },
      ])
      .returning("id")
      .execute();
    await t.db
      .insertInto("sign_in_flow")
      .values([
        { state_hash: "f".repeat(64), kind: "oidc", expires_at: daysAgo(40) },
        { state_hash: "e".repeat(64), kind: "wechat", expires_at: daysAgo(1) },
      ])
      .execute();
    await t.db
      .insertInto("second_factor_challenge")
      .values([
        { token_hash: "c".repeat(64), user_id: user.id, expires_at: daysAgo(40) },
        { token_hash: "d".repeat(64), user_id: user.id, expires_at: daysAgo(1) },
      ])
      .execute();
    await t.db
      .insertInto("external_identity")
      .values([
        { issuer: "https://sso.example.gov.cn", subject: "stranger", display_name: "没人绑定", last_seen_at: daysAgo(40) },
        { issuer: "https://sso.example.gov.cn", subject: "lately", display_name: "刚登录过", last_seen_at: daysAgo(1) },
        { issuer: "https://sso.example.gov.cn", subject: "bound", user_id: user.id, bound_at: daysAgo(50), last_seen_at: daysAgo(40) },
      ])
      .execute();
    await t.db
      .insertInto("sign_in_device")
      .values([
        { token_hash: "a".repeat(64), user_id: user.id, last_used_at: daysAgo(400) },
        { token_hash: "b".repeat(64), user_id: user.id, last_used_at: daysAgo(300) },
      ])
      .execute();
    await t.db
      .insertInto("sign_in_throttle")
      .values([
        { key: "ip:203.0.113.1", failures: 3, last_failure_at: daysAgo(40), blocked_until: null },
        { key: "ip:203.0.113.2", failures: 9, last_failure_at: daysAgo(40), blocked_until: new Date(Date.now() + DAY) },
        { key: "ip:203.0.113.3", failures: 1, last_failure_at: daysAgo(1), blocked_until: null },
      ])
      .execute();

    expect(await purgeRule(t.db, "sessions")).toBe(7);
    expect((await t.db.selectFrom("user_session").select("id").orderBy("id").execute()).map((s) => s.id)).toEqual(["lately-expired", "live-session"]);
    expect((await t.db.selectFrom("phone_code").select("id").execute()).map((c) => c.id)).toEqual([codes[1].id]);
    expect((await t.db.selectFrom("sign_in_device").select("token_hash").execute()).map((d) => d.token_hash)).toEqual(["b".repeat(64)]);
    expect((await t.db.selectFrom("sign_in_throttle").select("key").orderBy("key").execute()).map((k) => k.key)).toEqual(["ip:203.0.113.2", "ip:203.0.113.3"]);
    const [run] = await runsOf("sessions");
    expect(run.purged).toBe(7);
    expect((await t.db.selectFrom("external_identity").select("subject").orderBy("subject").execute()).map((i) => i.subject)).toEqual(["bound", "lately"]);
    expect((await t.db.selectFrom("second_factor_challenge").select("token_hash").execute()).map((c) => c.token_hash)).toEqual(["d".repeat(64)]);
    expect((await t.db.selectFrom("sign_in_flow").select("state_hash").execute()).map((f) => f.state_hash)).toEqual(["e".repeat(64)]);
    // A session id is a token and a throttle key an address: the run names them by a digest only.
    expect(JSON.stringify(run.record_ids)).not.toMatch(/old-session|203\.0\.113/);
    expect(run.record_ids).toContain(`phone_code:${codes[0].id}`);
  });
});

describe("SMS messages", () => {
  it("go half a year after they were sent or failed; recent and unfinished ones stay", async () => {
    const message = (status: "sent" | "failed" | "queued", sentDaysAgo: number) => ({
      phone_cipher: "cipher:phone",
      phone_hash: "h",
      phone_masked: "139****0003",
      template: "sign_in_code",
      params: "{}",
      text: "验证码 ******",
      status,
      created_at: daysAgo(sentDaysAgo),
      sent_at: status === "queued" ? null : daysAgo(sentDaysAgo),
    });
    const [old, failed, recent, queued] = await t.db
      .insertInto("sms_message")
      .values([message("sent", 200), message("failed", 200), message("sent", 10), message("queued", 200)])
      .returning("id")
      .execute();
    await t.db.insertInto("phone_code").values({ phone_hash: "p", purpose: "sign_in", code_hash: "c", expires_at: new Date(), sms_id: old.id }).execute();

    expect(await purgeRule(t.db, "sms_messages")).toBe(2);
    expect((await t.db.selectFrom("sms_message").select("id").orderBy("id").execute()).map((m) => m.id)).toEqual([recent.id, queued.id]);
    expect(await t.db.selectFrom("phone_code").select("sms_id").executeTakeFirst()).toEqual({ sms_id: null });
    expect((await runsOf("sms_messages"))[0].record_ids).toEqual([`sms_message:${old.id}`, `sms_message:${failed.id}`]);
  });
});

describe("files: access logs and backups", () => {
  const touch = (dir: string, name: string) => fs.writeFileSync(path.join(dir, name), "x");
  const names = (dir: string) => fs.readdirSync(dir).sort();

  it("deletes a day's access log once it is older than the rule, keeps recent days and files not ours", async () => {
    const old = `access-${addDays(todayInTaizhou(), -200)}.log`;
    const recent = `access-${addDays(todayInTaizhou(), -10)}.log`;
    for (const name of [old, recent, "notes.txt"]) touch(dirs.logs, name);
    expect(await purgeRule(t.db, "access_logs", new Date(), dirs)).toBe(1);
    expect(names(dirs.logs)).toEqual([recent, "notes.txt"].sort());
    expect(await runsOf("access_logs")).toEqual([expect.objectContaining({ purged: 1, record_ids: [old], finished_at: expect.any(Date) })]);
  });

  it("deletes backups older than the rule but always keeps the newest seven", async () => {
    const stamp = (days: number) => `jiangxin-${new Date(Date.now() - days * DAY).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}.jxbak.gz`;
    const all = [1, 100, 101, 102, 103, 104, 105, 106, 107, 108].map(stamp);
    for (const name of all) touch(dirs.backups, name);
    touch(dirs.backups, "restore-me.jxbak.gz");
    expect(await purgeRule(t.db, "backups", new Date(), dirs)).toBe(all.length - KEEP_NEWEST_BACKUPS);
    // The three oldest go; a file whose name carries no date is never ours to delete.
    expect(names(dirs.backups)).toEqual([...all.slice(0, KEEP_NEWEST_BACKUPS), "restore-me.jxbak.gz"].sort());
  });

  it("finishes a file run a crash left half done, counting it once", async () => {
    const old = `access-${addDays(todayInTaizhou(), -200)}.log`;
    const older = `access-${addDays(todayInTaizhou(), -201)}.log`;
    touch(dirs.logs, old);
    // The crash came after the run was recorded and `older` deleted, before `old` was.
    await t.db
      .insertInto("purge_run")
      .values({ rule_kind: "access_logs", keep_days: 180, purged: 2, record_ids: JSON.stringify([old, older]), finished_at: null })
      .execute();
    expect(await purgeRule(t.db, "access_logs", new Date(), dirs)).toBe(0);
    expect(names(dirs.logs)).toEqual([]);
    expect(await runsOf("access_logs")).toEqual([expect.objectContaining({ purged: 2, finished_at: expect.any(Date) })]);
  });
});

describe("vote phone hashes", () => {
  it("go at naming, each campaign's purge recorded as a run of the schedule's first rule", async () => {
    const campaign = await makeCampaign(t.db, { status: "closed" });
    const open = await makeCampaign(t.db, { status: "online_vote" });
    await t.db
      .insertInto("ballot")
      .values([
        { campaign_id: campaign.id, phone_hash: "h1", phone_masked: "139****0001", receipt: "RECEIPT001" },
        { campaign_id: open.id, phone_hash: "h2", phone_masked: "139****0002", receipt: "RECEIPT002" },
      ])
      .execute();
    expect(await purgeVotePhones(t.db)).toBe(1);
    expect((await t.db.selectFrom("ballot").select("phone_hash").orderBy("id").execute()).map((b) => b.phone_hash)).toEqual([null, "h2"]);
    expect(await runsOf("vote_phone")).toEqual([expect.objectContaining({ purged: 1, keep_days: 0, record_ids: [`campaign:${campaign.id}`] })]);
    expect(await purgeVotePhones(t.db)).toBe(0);
    expect(await runsOf("vote_phone")).toHaveLength(1);
  });
});

describe("the daily job", () => {
  it("is planned once a day however many processes plan it, and runs once", async () => {
    const now = new Date();
    // Two processes' ticks plan the same day.
    await Promise.all([planRetention(t.db, now), planRetention(t.db, now)]);
    await planRetention(t.db, now);
    const jobs = await t.db.selectFrom("job").select(["unique_key", "run_at"]).where("kind", "=", "retention.purge").execute();
    expect(jobs).toEqual([{ unique_key: `retention:${todayInTaizhou(now)}`, run_at: expect.any(Date) }]);
    await campaignObjection("closed", 200);
    // Both processes' workers reach for it at once, late in the day: one runs it.
    const later = new Date(jobs[0].run_at.getTime() + 60_000);
    const ran = await Promise.all([
      runDueJobs(t.db, RETENTION_JOBS, { worker: "a", now: later }),
      runDueJobs(t.db, RETENTION_JOBS, { worker: "b", now: later }),
    ]);
    expect(ran.sort()).toEqual([0, 1]);
    expect(await runsOf("objector_identity")).toHaveLength(1);
    // The next day is a job of its own.
    await planRetention(t.db, new Date(now.getTime() + DAY));
    expect(await t.db.selectFrom("job").select("id").where("kind", "=", "retention.purge").execute()).toHaveLength(2);
  });

  it("is planned by every app process's tick, which also runs it when due", async () => {
    const now = new Date();
    await backgroundTick(t.db, smsGateway(), now);
    const job = await t.db.selectFrom("job").select(["unique_key", "run_at", "done_at"]).where("kind", "=", "retention.purge").executeTakeFirstOrThrow();
    expect(job.unique_key).toBe(`retention:${todayInTaizhou(now)}`);
    // A tick after 03:00 finds it due and runs it with the queue's handler.
    await backgroundTick(t.db, smsGateway(), new Date(job.run_at.getTime() + 60_000));
    expect((await t.db.selectFrom("job").select("done_at").where("kind", "=", "retention.purge").executeTakeFirstOrThrow()).done_at).not.toBeNull();
  });

  it("runs every rule of the schedule", async () => {
    expect(Object.keys(await runRetention(t.db, new Date(), dirs))).toEqual([
      "vote_phone",
      "objector_identity",
      "rejected_files",
      "sessions",
      "sms_messages",
      "access_logs",
      "backups",
    ]);
  });
});

describe("the city's changes to a period", () => {
  const form = (fields: Record<string, string>) => retentionRuleSchema.parse(fields);

  it("stay within each rule's bounds, ask to confirm a shorter period, and are kept in the history", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await setRetention(t.db, county, form({ kind: "sms_messages", keepDays: "60" }))).toMatchObject({ ok: false, status: 403 });
    expect(await setRetention(t.db, city, form({ kind: "sms_messages", keepDays: "29" }))).toMatchObject({
      ok: false,
      field: "keepDays",
      message: "保存期限应在30至365天之间",
    });
    expect(await setRetention(t.db, city, form({ kind: "sms_messages", keepDays: "366" }))).toMatchObject({ ok: false, field: "keepDays" });
    // The law's six months for access logs is the floor.
    expect(await setRetention(t.db, city, form({ kind: "access_logs", keepDays: "90", confirmed: "1" }))).toMatchObject({ ok: false, field: "keepDays" });
    expect(await setRetention(t.db, city, form({ kind: "vote_phone", keepDays: "30" }))).toMatchObject({ ok: false, field: "keepDays" });
    expect(await setRetention(t.db, city, form({ kind: "sms_messages", keepDays: "60" }))).toMatchObject({ ok: false, field: "keepDays" });
    expect(await auditOf("sms_messages", "update")).toEqual([]);

    expect(await setRetention(t.db, city, form({ kind: "sms_messages", keepDays: "60", confirmed: "1" }))).toEqual({ ok: true });
    expect(await setRetention(t.db, city, form({ kind: "sms_messages", keepDays: "90" }))).toEqual({ ok: true });
    expect(await t.db.selectFrom("retention_rule").select(["keep_days", "updated_by"]).where("kind", "=", "sms_messages").executeTakeFirst()).toEqual({
      keep_days: 90,
      updated_by: city.id,
    });
    expect((await auditOf("sms_messages", "update")).map((a) => [a.before, a.after])).toEqual([
      [{ keepDays: 180 }, { keepDays: 60 }],
      [{ keepDays: 60 }, { keepDays: 90 }],
    ]);
  });

  it("moves what is due: the next purge uses the new period", async () => {
    const city = await makeUser(t.db, "city_admin");
    await campaignObjection("closed", 100);
    expect(await purgeRule(t.db, "objector_identity")).toBe(0);
    expect(await setRetention(t.db, city, form({ kind: "objector_identity", keepDays: "60", confirmed: "1" }))).toEqual({ ok: true });
    expect(await purgeRule(t.db, "objector_identity")).toBe(1);
    expect((await purgeRuns(t.db)).rows[0]).toMatchObject({ rule_kind: "objector_identity", keep_days: 60, purged: 1 });
  });
});
