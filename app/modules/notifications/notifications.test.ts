import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "kysely";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { aliyunStandIn } from "../../../test/aliyun-sms";
import { checkChsi, enterChsi } from "../../../test/chsi";
import {
  accreditationBatch,
  apprenticeForm,
  makeAwardee,
  makeCampaign,
  makePayee,
  makePerson,
  makeStudio,
  makeUser,
  subsidyForm,
  unitId,
} from "../../../test/factories";
import { advanceCampaign } from "~/modules/campaigns/campaigns.server";
import { apprenticeSchema, milestoneSchema, studioSchema } from "~/modules/studios/schema.server";
import { addApprentice, findMentorship } from "~/modules/studios/mentorships.server";
import { addMilestone, reviewMilestone } from "~/modules/studios/milestones.server";
import { createStudio, takeStudioStep } from "~/modules/studios/studios.server";
import { saveCriteria } from "~/modules/studios/evaluation.server";
import { acceptStudioYear, reviewReport, saveChecklist, submitReport } from "~/modules/studios/cycle.server";
import type { SessionUser } from "~/auth/roles";
import { enqueue, LEASE_MS, runDueJobs } from "~/lib/jobs.server";
import { smsGateway, type SmsGateway } from "~/lib/sms.server";
import { listMessages, markAllRead, markRead, setSmsPreferences, unreadCount } from "~/modules/notifications/inbox.server";
import { digestJob } from "~/modules/notifications/notify.server";
import { fanOut, jobHandlers, todoPage, todosFor, workCounts } from "~/worker.server";
import { startOfDay, todayInTaizhou } from "~/lib/time";
import { applicationSchema } from "~/modules/subsidies/schema.server";
import { addAttachments, createApplication, findApplication, savePolicy, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import type { SubsidyStep } from "~/modules/subsidies/policy";
import { publishNotice } from "~/modules/subsidies/notice.server";
import {
  addParticipant,
  checkInByCode,
  checkInByOrganiser,
  createEvent,
  findEvent,
  participantsOf,
  setHours,
  updateEvent,
} from "~/modules/events/events.server";
import { eventSchema } from "~/modules/events/schema.server";
import { recordConsent } from "~/modules/showcase/showcase.server";

const t = useTestDb();
const YEAR = 2026;
/** The moment the to-do lists are computed for: 10:00 on 1 June 2026 in Taizhou. */
const NOW = new Date("2026-06-01T02:00:00Z");

async function subsidyReadyToSubmit(applicant: SessionUser) {
  const created = await createApplication(t.db, applicant, YEAR, applicationSchema.parse(subsidyForm(2025, { tuition: "24000", requested: "12000" })));
  if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
  const app = (await findApplication(t.db, created.id))!;
  await addAttachments(t.db, applicant, app, "admission", [{ name: "录取.pdf", bytes: PDF }]);
  await addAttachments(t.db, applicant, app, "receipt", [{ name: "收据.pdf", bytes: PDF }]);
  await enterChsi(t.db, applicant, created.id);
  return created.id;
}

/**
 * The signed-in principals of the authorization matrix: the record's craftsman, another craftsman of
 * the same county, its officer, another county's officer, the city. The sixth, the anonymous
 * visitor, has no inbox and no to-dos at all (the matrix sends them to sign in for /inbox and /home).
 */
type Visitors = Record<"applicant" | "neighbour" | "county" | "otherCounty" | "city", SessionUser>;
type Seen = { messages: string[]; todos: string[] };

/** The five signed-in visitors of a Wenling craftsman's record, made in the order the ids are handed out. */
async function wenlingVisitors(applicantName: string, neighbourName: string) {
  const { person, user: applicant } = await makeAwardee(t.db, "wenling", applicantName);
  const { user: neighbour } = await makeAwardee(t.db, "wenling", neighbourName);
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
  const city = await makeUser(t.db, "city_admin");
  return { person, everyone: { applicant, neighbour, county, otherCounty, city } satisfies Visitors };
}

/**
 * What each visitor has that is new about one record since the last look: the texts of their new
 * messages, and their to-do items for it. The fan-out runs first, as the server's tick would.
 */
function watcher(everyone: Visitors, link: string, { todoLinks = [link], now = NOW }: { todoLinks?: string[]; now?: Date } = {}) {
  const seen = new Map<string, number>();
  const none: Seen = { messages: [], todos: [] };
  const look = async () => {
    await fanOut(t.db);
    const out: Record<string, Seen> = {};
    for (const [who, user] of Object.entries(everyone)) {
      const messages = (await listMessages(t.db, user)).rows.filter((m) => m.id > (seen.get(who) ?? 0) && m.link === link);
      seen.set(who, Math.max(seen.get(who) ?? 0, ...messages.map((m) => m.id)));
      const todos = (await todosFor(t.db, user, now)).filter((i) => todoLinks.includes(i.link)).map((i) => i.label);
      out[who] = { messages: messages.map((m) => m.text).reverse(), todos };
    }
    return out;
  };
  /** These visitors have these; everyone else has nothing. */
  const only = (some: Partial<Record<keyof Visitors, Seen>>) => ({ applicant: none, neighbour: none, county: none, otherCounty: none, city: none, ...some });
  return { look, only };
}

describe("who hears of a subsidy application, and what waits for whom", () => {
  it("gives each of the six visitors exactly their messages and to-dos after every step", async () => {
    const city = await makeUser(t.db, "city_admin");
    await savePolicy(t.db, city, YEAR, {
      budget: 10_000_000,
      sharePercent: 50,
      holdbackPercent: 0,
      yearsAfterAward: 10,
      open: true,
      caps: { 本科: 1_500_000 },
    });
    const { user: applicant } = await makeAwardee(t.db, "wenling", "林建波");
    const { user: neighbour } = await makeAwardee(t.db, "wenling", "王秀英");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const everyone = { applicant, neighbour, county, otherCounty, city };
    const id = await subsidyReadyToSubmit(applicant);
    // The account is recorded with the application, so no "登记收款账户" to-do comes with the approval.
    await makePayee(t.db, id);
    const link = `/subsidies/${id}`;

    const { look, only } = watcher(everyone, link, { todoLinks: [link, `/subsidies/notices?year=${YEAR}`] });
    const step = async (
      actor: SessionUser,
      name: SubsidyStep,
      expected: string,
      extra: { reason?: string; amount?: string; date?: string; voucher?: string } = {},
    ) => {
      const result = await takeSubsidyStep(t.db, actor, id, name, {
        expected,
        reason: extra.reason ?? null,
        confirmed: true,
        // The applicant states at submission that no other scheme pays for these studies.
        noOtherSchemes: name === "submit",
        ...extra,
        voucher: extra.voucher ?? null,
      });
      expect(result).toMatchObject({ ok: true });
      return look();
    };

    expect(await step(applicant, "submit", "draft")).toEqual(
      only({ county: { messages: ["林建波提交了学历提升补助申请，请审核"], todos: ["审核补助申请：林建波"] } }),
    );
    expect(await step(county, "county_return", "submitted", { reason: "学费收据照片不清晰" })).toEqual(
      only({ applicant: { messages: ["您的补助申请被退回：学费收据照片不清晰"], todos: ["修改补助申请：学费收据照片不清晰"] } }),
    );
    expect(await step(applicant, "submit", "returned")).toEqual(
      only({ county: { messages: ["林建波提交了学历提升补助申请，请审核"], todos: ["审核补助申请：林建波"] } }),
    );
    // What the 学信网 report showed, recorded by the county before it approves: nobody else need act on it.
    await checkChsi(t.db, county, id);
    expect(await step(county, "county_approve", "submitted")).toEqual(
      only({
        applicant: { messages: ["您的补助申请已通过温岭市审核，等待市总工会批准"], todos: [] },
        city: { messages: ["温岭市审核通过了林建波的补助申请，请批准"], todos: ["批准补助申请：林建波"] },
      }),
    );
    expect(await step(city, "city_approve", "county_approved", { amount: "12000" })).toEqual(
      only({
        applicant: { messages: ["您的补助申请已获市总工会批准"], todos: [] },
        county: { messages: ["林建波的补助申请已获市总工会批准"], todos: [] },
        city: { messages: [], todos: [`发布${YEAR}年学历提升补助公示（1 份已批准）`] },
      }),
    );
    // The 公示 (one over by the day looked at): the applicant and the county hear of it, the city may pay.
    expect(await publishNotice(t.db, city, YEAR, { expected: 1, confirmed: true }, new Date("2026-05-01T02:00:00Z"))).toMatchObject({ ok: true });
    expect(await look()).toEqual(
      only({
        applicant: { messages: ["您的学历提升补助已在网上公示，公示期满无异议后拨付"], todos: [] },
        county: { messages: ["林建波的学历提升补助已在网上公示"], todos: [] },
        city: { messages: [], todos: ["登记补助拨付：林建波"] },
      }),
    );
    expect(await step(city, "disburse", "approved", { date: "2026-06-01", voucher: "CW-1" })).toEqual(
      only({ applicant: { messages: ["您的学历提升补助已拨付"], todos: [] } }),
    );
    // Fanned out once: another pass changes nothing.
    expect(await look()).toEqual(only({}));

    // Read and unread, and nobody marks anyone else's.
    expect(await unreadCount(t.db, applicant)).toBe(5);
    const [latest] = (await listMessages(t.db, applicant)).rows;
    expect(await markRead(t.db, county, latest.id)).toMatchObject({ ok: false, status: 404 });
    expect(await markRead(t.db, applicant, latest.id)).toEqual({ ok: true });
    expect(await unreadCount(t.db, applicant)).toBe(4);
    await markAllRead(t.db, applicant);
    expect(await unreadCount(t.db, applicant)).toBe(0);
    // No message carries a full number.
    const texts = await t.db.selectFrom("message").select("text").execute();
    expect(texts.every((m) => !/\d{11,}/.test(m.text))).toBe(true);
  });

  it("tells nobody of a step that rolled back", async () => {
    const { user: applicant } = await makeAwardee(t.db, "wenling", "回滚者");
    const id = await subsidyReadyToSubmit(applicant);
    await t.db
      .transaction()
      .execute(async (tx) => {
        await tx
          .insertInto("audit_log")
          .values({ actor_user_id: null, actor_name: "x", entity_type: "subsidy", entity_id: String(id), action: "subsidy_county_return", comment: "不会发出" })
          .execute();
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await fanOut(t.db);
    expect((await listMessages(t.db, applicant)).rows).toEqual([]);
  });
});

/** A stand-in for Aliyun's SMS API: checks the signature as the provider does, fails when told to. */
function standIn(secret: string) {
  const received: Array<Record<string, string>> = [];
  let failNext = 0;
  const server = aliyunStandIn(secret, (params, res) => {
    if (failNext > 0) {
      failNext--;
      res.statusCode = 503;
      return res.end(JSON.stringify({ Code: "ServiceUnavailable", Message: "稍后再试" }));
    }
    received.push(params);
    res.end(JSON.stringify({ Code: "OK", BizId: `biz-${received.length}`, RequestId: "r" }));
  });
  return { server, received, failOnce: () => (failNext = 1) };
}

describe("SMS through the provider's API", () => {
  const provider = standIn("test-secret");
  let gateway: SmsGateway;
  beforeAll(async () => {
    await new Promise<void>((resolve) => provider.server.listen(0, "127.0.0.1", resolve));
    const { port } = provider.server.address() as AddressInfo;
    gateway = smsGateway({
      driver: "aliyun",
      endpoint: `http://127.0.0.1:${port}/`,
      accessKeyId: "test-key",
      accessKeySecret: "test-secret",
      signName: "台州市总工会",
      templates: { returned: "SMS_0001", approved: "SMS_0002", todo: "SMS_0003", digest: "SMS_0004" },
    });
  });
  afterAll(() => new Promise<void>((resolve) => provider.server.close(() => resolve())));

  const at = (taizhou: string) => new Date(`${taizhou}+08:00`);

  it("sends a signed request, holds messages in quiet hours until 08:00, keeps each number to its limits, and retries a failure", async () => {
    const { user } = await makeAwardee(t.db, "wenling", "短信人");
    const payload = { userId: user.id, category: "returned", text: "您的补助申请被退回：收据不清晰", subject: "补助申请", reason: "收据不清晰" };
    const run = (now: string) => runDueJobs(t.db, { "sms.send": jobHandlers(gateway, () => at(now))["sms.send"] }, { now: at(now) });
    const sent = () =>
      t.db.selectFrom("sms_message").select(["status", "text", "phone_masked"]).where("user_id", "=", user.id).where("status", "=", "sent").execute();

    // 22:00: quiet hours. The job waits for the morning, nothing is sent.
    await enqueue(t.db, "sms.send", payload, { runAt: at("2026-06-01T22:00:00") });
    await run("2026-06-01T22:00:00");
    await run("2026-06-02T07:59:00");
    expect(await sent()).toEqual([]);
    await run("2026-06-02T08:00:00");
    expect(await sent()).toHaveLength(1);
    const request = provider.received.at(-1)!;
    expect(request).toMatchObject({ Action: "SendSms", SignName: "台州市总工会", TemplateCode: "SMS_0001", AccessKeyId: "test-key" });
    expect(JSON.parse(request.TemplateParam)).toEqual({ subject: "补助申请", reason: "收据不清晰" });
    expect((await sent())[0].phone_masked).toMatch(/^\d{3}\*{4}\d{4}$/);

    // A second one within the minute waits a minute; the provider failing once is tried again.
    await enqueue(t.db, "sms.send", payload, { runAt: at("2026-06-02T08:00:20") });
    await run("2026-06-02T08:00:30");
    expect(await sent()).toHaveLength(1);
    provider.failOnce();
    await run("2026-06-02T08:01:10");
    expect(await sent()).toHaveLength(1);
    const failed = await t.db.selectFrom("sms_message").select("error").where("user_id", "=", user.id).where("status", "=", "failed").execute();
    expect(failed.map((f) => f.error)).toEqual(["ServiceUnavailable：稍后再试"]);
    await run("2026-06-02T08:03:00");
    expect(await sent()).toHaveLength(2);

    // Five an hour: the sixth waits for the hour to pass.
    for (let i = 0; i < 4; i++) {
      await enqueue(t.db, "sms.send", payload, { runAt: at(`2026-06-02T08:1${i}:00`) });
      await run(`2026-06-02T08:1${i}:00`);
    }
    expect(await sent()).toHaveLength(5);
    await enqueue(t.db, "sms.send", payload, { runAt: at("2026-06-02T08:30:00") });
    await run("2026-06-02T08:30:00");
    expect(await sent()).toHaveLength(5);

    // Off means off (站内消息 stay on regardless).
    await setSmsPreferences(t.db, user, { returned: "off" });
    await enqueue(t.db, "sms.send", payload, { runAt: at("2026-06-03T09:00:00") });
    await run("2026-06-03T09:00:00");
    expect(await sent()).toHaveLength(5);
  });
});

describe("the job queue", () => {
  // Two server processes share one PostgreSQL; the embedded engine belongs to one process, so this runs on PostgreSQL.
  it.skipIf(!process.env.DATABASE_URL)(
    "runs each job exactly once with two worker processes at it",
    async () => {
      const kind = `process-${Date.now()}`;
      const name = (await sql<{ name: string }>`select current_database() as name`.execute(t.db)).rows[0].name;
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      const start = () => {
        const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["test/job-worker.ts", url.toString(), kind], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        const ready = new Promise<void>((resolve) => child.stdout!.on("data", (d) => String(d).includes("ready") && resolve()));
        const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
        return { ready, exited };
      };
      const workers = [start(), start()];
      await Promise.all(workers.map((w) => w.ready));
      for (let i = 0; i < 60; i++) await enqueue(t.db, kind, { n: i });
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
      const jobs = await t.db.selectFrom("job").select(["attempts", "done_at", "locked_by"]).where("kind", "=", kind).execute();
      expect(jobs).toHaveLength(60);
      expect(jobs.every((j) => j.done_at !== null && j.attempts === 1)).toBe(true);
      expect(new Set(jobs.map((j) => j.locked_by)).size).toBe(2);
    },
    60_000,
  );

  it("runs each job exactly once with two workers at it, and retries a failing one with backoff", async () => {
    const kind = `count-${Date.now()}`;
    for (let i = 0; i < 30; i++) await enqueue(t.db, kind, { n: i });
    const ran: number[] = [];
    const handler = async (_: unknown, job: { payload: Record<string, unknown> }) => {
      await new Promise((r) => setTimeout(r, 2));
      ran.push(Number(job.payload.n));
    };
    const drain = async (worker: string) => {
      while ((await runDueJobs(t.db, { [kind]: handler }, { worker, limit: 3 })) > 0);
    };
    await Promise.all([drain("worker-a"), drain("worker-b")]);
    expect([...ran].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    const byWorker = await t.db.selectFrom("job").select(["locked_by"]).where("kind", "=", kind).where("done_at", "is not", null).execute();
    expect(byWorker).toHaveLength(30);

    const flaky = `flaky-${Date.now()}`;
    let calls = 0;
    await enqueue(t.db, flaky, {}, { maxAttempts: 3 });
    const failing = {
      [flaky]: async () => {
        calls++;
        if (calls < 3) throw new Error("暂时失败");
      },
    };
    const now = Date.now();
    await runDueJobs(t.db, failing, { now: new Date(now) });
    await runDueJobs(t.db, failing, { now: new Date(now + 1000) }); // too early for the retry
    expect(calls).toBe(1);
    await runDueJobs(t.db, failing, { now: new Date(now + 31_000) });
    await runDueJobs(t.db, failing, { now: new Date(now + 31_000 + 121_000) });
    expect(calls).toBe(3);
    const job = await t.db.selectFrom("job").select(["attempts", "done_at", "last_error"]).where("kind", "=", flaky).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ attempts: 3, last_error: null });
    expect(job.done_at).not.toBeNull();

    // A keyed job exists once, however many processes plan it.
    await Promise.all([enqueue(t.db, "digest", {}, { uniqueKey: "digest:2026-06-02" }), enqueue(t.db, "digest", {}, { uniqueKey: "digest:2026-06-02" })]);
    expect(await t.db.selectFrom("job").select("id").where("unique_key", "=", "digest:2026-06-02").execute()).toHaveLength(1);
  });

  it("lets another process take over a dead worker's job within half a minute, not five", async () => {
    const kind = `lease-${Date.now()}`;
    await enqueue(t.db, kind, {});
    const now = Date.now();
    // The first worker claims it and dies (its handler never finishes; nothing renews the lease).
    const held = runDueJobs(t.db, { [kind]: () => new Promise<void>(() => {}) }, { worker: "dead", now: new Date(now) });
    await expect.poll(async () => (await t.db.selectFrom("job").select("locked_by").where("kind", "=", kind).executeTakeFirstOrThrow()).locked_by).toBe("dead");
    void held;
    const ran: string[] = [];
    const alive = { [kind]: async () => void ran.push("alive") };
    await runDueJobs(t.db, alive, { worker: "alive", now: new Date(now + 20_000) });
    expect(ran).toEqual([]);
    await runDueJobs(t.db, alive, { worker: "alive", now: new Date(now + LEASE_MS + 1_000) });
    expect(LEASE_MS).toBeLessThanOrEqual(30_000);
    expect(ran).toEqual(["alive"]);
    const job = await t.db.selectFrom("job").select(["attempts", "done_at"]).where("kind", "=", kind).executeTakeFirstOrThrow();
    expect(job.attempts).toBe(2);
    expect(job.done_at).not.toBeNull();
  });
});

describe("a job that runs longer than its lease", () => {
  it("stays its living worker's (a heartbeat renews the lease): another worker does not run it a second time", async () => {
    const kind = `beat-${Date.now()}`;
    await enqueue(t.db, kind, {});
    const lease = async () => t.db.selectFrom("job").select(["locked_by", "locked_until"]).where("kind", "=", kind).executeTakeFirstOrThrow();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    // The clock and the heartbeat's interval are the test's to move; the database's own waits are real.
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    try {
      let finish!: () => void;
      const ran: string[] = [];
      const busy = runDueJobs(t.db, { [kind]: () => new Promise<void>((resolve) => (finish = resolve)).then(() => void ran.push("busy")) }, { worker: "busy" });
      while ((await lease()).locked_by !== "busy") await pause();
      // Forty seconds of work, past the 30 s lease: the worker is alive and keeps saying so.
      for (let beat = 0; beat < 4; beat++) {
        const before = (await lease()).locked_until!.getTime();
        vi.advanceTimersByTime(10_000);
        // The renewal is written in the background: given a moment (no worker ever needs more).
        for (let tries = 0; tries < 100 && (await lease()).locked_until!.getTime() === before; tries++) await pause();
      }
      expect(Date.now() - (await lease()).locked_until!.getTime()).toBeLessThan(0);
      await runDueJobs(t.db, { [kind]: async () => void ran.push("other") }, { worker: "other" });
      finish();
      await busy;
      expect(ran).toEqual(["busy"]);
      const job = await t.db.selectFrom("job").select(["attempts", "done_at"]).where("kind", "=", kind).executeTakeFirstOrThrow();
      expect(job.attempts).toBe(1);
      expect(job.done_at).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("who hears of a studio and its apprentices' milestones", () => {
  it("gives each visitor exactly their messages and to-dos from application to a rejected milestone", async () => {
    const { person, everyone } = await wenlingVisitors("王建国", "邻居");
    const { applicant, county, city } = everyone;
    const created = await createStudio(
      t.db,
      applicant,
      studioSchema.parse({
        leaderPersonId: String(person.id),
        name: "王建国工匠工作室",
        hostEnterprise: "温岭东海泵业有限公司",
        industry: "泵与电机",
        focusSector: "advanced_manufacturing",
        orgUnitId: String(await unitId(t.db, "wenling")),
        address: "温岭市东部产业集聚区",
        focusAreas: "水泵叶轮精密铸造",
        foundingPlan: "三年带徒十名",
      }),
    );
    if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
    const id = created.id;
    const studio = watcher(everyone, `/studios/${id}`);
    const step = async (
      actor: SessionUser,
      name: Parameters<typeof takeStudioStep>[3],
      expected: string,
      extra: { reason?: string; plaqueNumber?: string; accreditedOn?: string } = {},
    ) => {
      const result = await takeStudioStep(t.db, actor, id, name, {
        expected,
        reason: extra.reason ?? null,
        confirmed: true,
        plaqueNumber: extra.plaqueNumber ?? null,
        accreditedOn: extra.accreditedOn ?? null,
        accreditationDocumentId: name === "accredit" ? await accreditationBatch(t.db) : null,
      });
      expect(result).toMatchObject({ ok: true });
      return studio.look();
    };
    const submitted = { messages: ["王建国提交了工作室申请“王建国工匠工作室”，请审核"], todos: ["审核工作室申请：王建国工匠工作室"] };
    expect(await step(applicant, "submit", "draft")).toEqual(studio.only({ county: submitted }));
    expect(await step(county, "return", "submitted", { reason: "请补充三年带徒计划" })).toEqual(
      studio.only({ applicant: { messages: ["您的工作室申请“王建国工匠工作室”被退回修改：请补充三年带徒计划"], todos: ["修改工作室申请：王建国工匠工作室"] } }),
    );
    expect(await step(applicant, "submit", "returned")).toEqual(studio.only({ county: submitted }));
    expect(await step(county, "county_approve", "submitted")).toEqual(
      studio.only({
        applicant: { messages: ["您的工作室申请“王建国工匠工作室”已通过温岭市审核，等待市总工会授牌"], todos: [] },
        city: { messages: ["温岭市审核通过了工作室申请“王建国工匠工作室”，请授牌"], todos: ["授牌：王建国工匠工作室"] },
      }),
    );
    const accredited = { messages: ["“王建国工匠工作室”已由市总工会授牌"], todos: [] };
    expect(await step(city, "accredit", "county_reviewed", { plaqueNumber: "TZGJGZS-101", accreditedOn: "2026-05-01" })).toEqual(
      studio.only({ applicant: accredited, county: accredited }),
    );

    // An apprentice's milestone: the county verifies; a rejection goes back to the leader with its reason.
    const added = await addApprentice(
      t.db,
      applicant,
      id,
      apprenticeSchema.parse(apprenticeForm("1998-08-08", { name: "李明", startDate: "2026-05-10", plannedEnd: "2029-05-09", goals: "三年内取得高级工证书" })),
    );
    if (!added.ok || !("id" in added)) throw new Error(JSON.stringify(added));
    const mentorship = (await findMentorship(t.db, added.id))!;
    const milestones = watcher(everyone, `/mentorships/${added.id}`);
    const filed = await addMilestone(
      t.db,
      applicant,
      mentorship,
      milestoneSchema.parse({ kind: "skill_upgrade", occurredOn: "2026-05-20", fromLevel: "中级工", toLevel: "高级工", certificateNumber: "ZJ2026-001" }),
      [{ name: "证书.pdf", bytes: PDF }],
    );
    if (!filed.ok || !("id" in filed)) throw new Error(JSON.stringify(filed));
    expect(await milestones.look()).toEqual(milestones.only({ county: { messages: ["王建国登记了学徒李明的成果，请核实"], todos: ["核实学徒成果：李明"] } }));
    expect(await reviewMilestone(t.db, county, filed.id, { decision: "rejected", comment: "证书照片看不清" })).toEqual({ ok: true });
    expect(await milestones.look()).toEqual(
      milestones.only({ applicant: { messages: ["学徒李明的成果不予认定：证书照片看不清"], todos: ["学徒李明的成果不予认定，请重新登记"] } }),
    );
  });
});

describe("who hears of a campaign's stage", () => {
  it("asks the city to move a stage on once nothing blocks it, then tells every county's officers and the other city officers, and no craftsman", async () => {
    const campaign = await makeCampaign(t.db, { number: 71, deadline: "2026-03-31" });
    const city = await makeUser(t.db, "city_admin");
    const otherCity = await makeUser(t.db, "city_admin");
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const { user: craftsman } = await makeAwardee(t.db, "wenling", "旁观者");
    await t.db
      .insertInto("nomination")
      .values({
        campaign_id: campaign.id,
        person_id: (await makePerson(t.db)).id,
        seq: 1,
        channel: "union",
        nominating_unit_id: await unitId(t.db, "wenling"),
        frontline_years: 10,
        in_skill_post: true,
        conditions: [5],
        achievements: "成果",
        deeds_summary: "事迹",
      })
      .execute();
    const { user: neighbour } = await makeAwardee(t.db, "jiaojiang", "另一位工匠");
    const watch = watcher({ applicant: craftsman, neighbour, county: wenling, otherCounty: jiaojiang, city }, `/campaigns/${campaign.id}`);
    const title = campaign.title;
    // Every nomination complete and the deadline past: the city is asked to move the stage on (overdue since 31 March).
    expect(await watch.look()).toEqual(watch.only({ city: { messages: [], todos: [`${title}可进入“资格初审”阶段`] } }));
    expect((await todosFor(t.db, city, NOW)).find((i) => i.link === `/campaigns/${campaign.id}`)).toMatchObject({ due: "2026-03-31", overdue: true });
    expect(await advanceCampaign(t.db, city, campaign.id, "nominating", { confirmed: true }, "2026-04-01")).toMatchObject({ ok: true });
    const text = `${title}已进入“资格初审”阶段`;
    // The counties and the other city officers hear of it; 资格初审 has work left and no set end, so no one has a to-do.
    expect(await watch.look()).toEqual(watch.only({ county: { messages: [text], todos: [] }, otherCounty: { messages: [text], todos: [] } }));
    expect((await listMessages(t.db, otherCity)).rows.filter((m) => m.link === `/campaigns/${campaign.id}`).map((m) => m.text)).toEqual([text]);
  });
});

describe("the daily digest", () => {
  it("sends one SMS a morning to those who chose it, counting their unread messages, through the outbox by default", async () => {
    const { user } = await makeAwardee(t.db, "wenling", "汇总者");
    await setSmsPreferences(t.db, user, { returned: "digest" });
    await t.db
      .insertInto("message")
      .values([
        { user_id: user.id, category: "returned", text: "您的补助申请被退回：一", link: "/subsidies/1" },
        { user_id: user.id, category: "returned", text: "您的补助申请被退回：二", link: "/subsidies/1" },
      ])
      .execute();
    // Chose the digest: the immediate SMS is not sent.
    await jobHandlers(smsGateway({ driver: "outbox" }))["sms.send"](t.db, {
      id: 0,
      kind: "sms.send",
      payload: { userId: user.id, category: "returned", text: "x", subject: "补助申请", reason: "" },
      attempts: 1,
      max_attempts: 1,
    });
    expect(await t.db.selectFrom("sms_message").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    // At 08:30 Taizhou time, when the day's digest job is due.
    const morning = () => new Date(startOfDay(todayInTaizhou()).getTime() + 8.5 * 3_600_000);
    // The digest plans one send per recipient; run again (a process died half-way), it plans nobody's twice.
    await digestJob(morning)(t.db, { id: 0, kind: "sms.digest", payload: {}, attempts: 1, max_attempts: 1 });
    await digestJob(morning)(t.db, { id: 0, kind: "sms.digest", payload: {}, attempts: 2, max_attempts: 2 });
    const planned = await t.db
      .selectFrom("job")
      .select("unique_key")
      .where("kind", "=", "sms.send")
      .where("unique_key", "like", `digest:%:${user.id}`)
      .execute();
    expect(planned).toHaveLength(1);
    const job = await t.db
      .selectFrom("job")
      .select(["id", "kind", "payload", "attempts", "max_attempts"])
      .where("unique_key", "=", planned[0].unique_key)
      .executeTakeFirstOrThrow();
    await jobHandlers(smsGateway({ driver: "outbox" }), morning)["sms.send"](t.db, { ...job, id: Number(job.id) });
    const sms = await t.db.selectFrom("sms_message").select(["text", "status", "driver"]).where("user_id", "=", user.id).execute();
    expect(sms).toEqual([{ text: "【匠心】您有 2 条新消息，请登录匠心平台查看", status: "sent", driver: "outbox" }]);
  });
});

describe("the morning reminder", () => {
  it("tells an officer on a working morning how many of their to-dos are overdue, and not at the weekend", async () => {
    const { user: applicant } = await makeAwardee(t.db, "wenling", "逾期者");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const id = await subsidyReadyToSubmit(applicant);
    expect(
      await takeSubsidyStep(t.db, applicant, id, "submit", { expected: "draft", reason: null, confirmed: true, voucher: null, noOtherSchemes: true }),
    ).toMatchObject({
      ok: true,
    });
    // Submitted five weeks ago: past the county's ten working days.
    await t.db
      .updateTable("subsidy_application")
      .set({ updated_at: new Date("2026-04-27T09:00:00+08:00") })
      .where("id", "=", id)
      .execute();
    const reminders = async (taizhou: string) => {
      await jobHandlers(smsGateway({ driver: "outbox" }), () => new Date(`${taizhou}+08:00`)).reminders(t.db, {
        id: 0,
        kind: "reminders",
        payload: {},
        attempts: 1,
        max_attempts: 1,
      });
      return (await listMessages(t.db, county)).rows.filter((m) => m.text.includes("已逾期")).map((m) => m.text);
    };
    expect(await reminders("2026-06-06T08:15:00")).toEqual([]); // a Saturday
    expect(await reminders("2026-06-03T08:15:00")).toEqual(["您有 1 项待办已逾期，请尽快办理"]);
    expect(await listMessages(t.db, applicant).then((p) => p.rows.filter((m) => m.text.includes("已逾期")))).toEqual([]);
  });
});

describe("who hears of a studio's year", () => {
  it("tells the county of a filed report, the leader of its return, the city of the county's pass, and the leader and county of the 验收", async () => {
    const { person, user: leader } = await makeAwardee(t.db, "wenling", "考核对象");
    const city = await makeUser(t.db, "city_admin");
    const { user: neighbour } = await makeAwardee(t.db, "wenling", "旁人");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const row = await makeStudio(t.db, person.id, city.id, { name: "考核对象工匠工作室", accredited_on: "2025-03-01", plaque_number: "TZGJGZS-301" });
    const studio = await t.db.selectFrom("studio").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(await saveChecklist(t.db, city, 2025, [{ key: "site", label: "场地设施", points: 100, needsPhoto: false }])).toEqual({ ok: true });
    const yearLink = `/studios/${studio.id}/years/2025`;
    const watch = watcher({ applicant: leader, neighbour, county, otherCounty, city }, `/studios/${studio.id}`, { todoLinks: [yearLink] });
    const report = { summary: "全年未带徒", selfAssessment: "未完成", outreach: 0 };

    expect(await submitReport(t.db, leader, studio, 2025, { ...report, expected: "planned" })).toEqual({ ok: true });
    expect(await watch.look()).toEqual(
      watch.only({ county: { messages: ["考核对象提交了“考核对象工匠工作室”的年度总结，请审核"], todos: ["审核2025年度总结：考核对象工匠工作室"] } }),
    );
    expect(await reviewReport(t.db, county, studio, 2025, "county_return", { expected: "submitted", reason: "补充经费说明" })).toEqual({ ok: true });
    expect(await watch.look()).toEqual(
      watch.only({ applicant: { messages: ["“考核对象工匠工作室”的年度总结被退回修改：补充经费说明"], todos: ["修改2025年度总结：补充经费说明"] } }),
    );
    expect(await submitReport(t.db, leader, studio, 2025, { ...report, expected: "returned" })).toEqual({ ok: true });
    await watch.look();
    expect(await reviewReport(t.db, county, studio, 2025, "county_pass", { expected: "submitted", reason: null })).toEqual({ ok: true });
    expect(await watch.look()).toEqual(
      watch.only({
        applicant: { messages: ["“考核对象工匠工作室”的年度总结已通过温岭市审核，等待市总工会验收"], todos: [] },
        city: { messages: ["温岭市审核通过了“考核对象工匠工作室”的年度总结，请组织验收"], todos: ["验收2025年度：考核对象工匠工作室"] },
      }),
    );
    const accepted = await acceptStudioYear(t.db, city, studio, 2025, {
      expected: "county_passed",
      grade: "fail",
      comment: "全年未带徒",
      points: { site: "20" },
      photos: {},
    });
    expect(accepted).toEqual({ ok: true, score: 20 });
    expect(await watch.look()).toEqual(
      watch.only({
        applicant: { messages: ["“考核对象工匠工作室”的年度考核结果已评定，请在工作室页面查看"], todos: [] },
        county: { messages: ["市总工会已完成“考核对象工匠工作室”的年度验收"], todos: [] },
      }),
    );
  });
});

describe("who hears of an event", () => {
  it("tells a registered craftsman of their place, a change of plan, the organiser's check-in and their hours, and nobody else", async () => {
    const { person, everyone } = await wenlingVisitors("参会者", "自签者");
    const { neighbour, county } = everyone;
    const form = (place: string, startsAt: string) =>
      eventSchema.parse({
        title: "数控车床技能交流会",
        kind: "skill_exchange",
        organiser: `unit:${county.orgUnitId}`,
        startsAt,
        endsAt: "2026-06-01T17:00",
        channel: "offline",
        place,
        capacity: "30",
      });
    const created = await createEvent(t.db, county, form("温岭市职工服务中心", "2026-06-01T14:00"));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const link = `/events/${created.id}`;
    const watch = watcher(everyone, link, { todoLinks: [link, "/checkin"] });
    expect(await watch.look()).toEqual(watch.only({}));

    const event = async () => (await findEvent(t.db, created.id))!;
    expect(await addParticipant(t.db, county, await event(), { idNumber: person.idNumber })).toEqual({ ok: true });
    expect(await watch.look()).toEqual(
      watch.only({
        applicant: { messages: ["您已登记参加“数控车床技能交流会”（2026/06/01 14:00），请按时到场签到"], todos: ["今天的活动签到：数控车床技能交流会"] },
      }),
    );
    expect(await updateEvent(t.db, county, await event(), form("温岭市工人文化宫二楼", "2026-06-01T14:30"))).toMatchObject({ ok: true });
    expect(await watch.look()).toEqual(
      watch.only({
        applicant: { messages: ["“数控车床技能交流会”的安排有更新：2026/06/01 14:30，请查看时间和地点"], todos: ["今天的活动签到：数控车床技能交流会"] },
      }),
    );

    // Checking oneself in with the code tells nobody; the organiser's check-in tells the one checked in.
    const during = new Date("2026-06-01T15:00:00+08:00");
    expect(await checkInByCode(t.db, neighbour, (await event()).checkin_code, during)).toMatchObject({ ok: true, already: false });
    const [participant] = (await participantsOf(t.db, created.id)).filter((p) => p.person_id === person.id);
    expect(await checkInByOrganiser(t.db, county, await event(), participant.id)).toEqual({ ok: true });
    expect(await watch.look()).toEqual(watch.only({ applicant: { messages: ["主办方已为您在“数控车床技能交流会”签到"], todos: [] } }));
    expect(await setHours(t.db, county, await event(), participant.id, 2.5)).toEqual({ ok: true });
    expect(await watch.look()).toEqual(watch.only({ applicant: { messages: ["您参加“数控车床技能交流会”的学时已登记，可在活动页面查看"], todos: [] } }));
  });
});

describe("what waits without anyone having taken a step", () => {
  /** The user's to-dos with due date and overdue mark; only those about pages `about` accepts, when given (the file's other tests leave work too). */
  const labels = async (user: SessionUser, now: Date, about: (link: string) => boolean = () => true) =>
    (await todosFor(t.db, user, now)).filter((i) => about(i.link)).map((i) => `${i.label}${i.due ? ` ·${i.due}` : ""}${i.overdue ? " ·逾期" : ""}`);

  it("asks a county to nominate before the deadline, to check an objection and to record a named craftsman's consent; the city to move a stage on", async () => {
    const yuhuan = await makeUser(t.db, "county_officer", { unit: "yuhuan" });
    const sanmen = await makeUser(t.db, "county_officer", { unit: "sanmen" });
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { deadline: "2026-06-30", year: 2026 });
    const { person: named } = await makeAwardee(t.db, "yuhuan", "林秀");
    const nominee = await makePerson(t.db, { unit: "yuhuan", name: "陈立" });
    const ours = (link: string) => link.startsWith(`/campaigns/${campaign.id}`) || link.startsWith("/nominations/") || link === "/people?consent=missing";
    const open = `推荐人选：${campaign.title}，本单位尚未推荐 ·2026-06-30`;
    expect(await labels(yuhuan, NOW, ours)).toEqual([open, `登记公开展示意愿：1 名工匠`]);
    expect(await labels(sanmen, NOW, ours)).toEqual([open]);
    // Nothing filed yet: the stage has nothing to move on with.
    expect(await labels(city, NOW, ours)).toEqual([]);

    const nomination = await t.db
      .insertInto("nomination")
      .values({ campaign_id: campaign.id, person_id: nominee.id, seq: 1, channel: "union", nominating_unit_id: await unitId(t.db, "yuhuan") })
      .returning("id")
      .executeTakeFirstOrThrow();
    // 待补全 (no frontline years yet): the county completes it; the stage may not move on.
    expect(await labels(yuhuan, NOW, ours)).toEqual([`补全推荐审批表：陈立`, `登记公开展示意愿：1 名工匠`]);
    expect(await labels(city, NOW, ours)).toEqual([]);
    // The deadline passes with the form still incomplete: the city sees the stage overdue, and why.
    const afterDeadline = new Date("2026-07-02T02:00:00Z");
    expect(await labels(city, afterDeadline, ours)).toEqual([
      `${campaign.title}“推荐申报”已过期限：还有 1 名推荐人选待补全（推荐审批表内容不全），补全后方可进入资格初审 ·2026-06-30 ·逾期`,
    ]);
    await t.db
      .updateTable("nomination")
      .set({ frontline_years: 12, in_skill_post: true, conditions: [1], achievements: "省技术能手", deeds_summary: "三十年扎根一线" })
      .where("id", "=", nomination.id)
      .execute();
    expect(await labels(city, NOW, ours)).toEqual([`${campaign.title}可进入“资格初审”阶段 ·2026-06-30`]);

    // An objection to a Yuhuan nomination: Yuhuan checks it, the city decides it, Sanmen has nothing.
    await t.db
      .insertInto("objection")
      .values({ nomination_id: nomination.id, received_on: "2026-06-01", source: "来信", content: "反映其工龄不实", recorded_by: city.id })
      .execute();
    expect((await labels(yuhuan, NOW, ours)).filter((l) => l.includes("异议"))).toEqual([`核查公示异议：陈立 ·2026-06-15`]);
    expect((await labels(city, NOW, ours)).filter((l) => l.includes("异议"))).toEqual([`处理公示异议：陈立 ·2026-06-15`]);
    expect((await labels(sanmen, NOW, ours)).filter((l) => l.includes("异议"))).toEqual([]);

    // Consent recorded either way: nothing more to ask.
    expect(await recordConsent(t.db, yuhuan, named.id, { howObtained: "本人书面同意", story: "", photo: null })).toMatchObject({ ok: true });
    expect((await labels(yuhuan, NOW, ours)).filter((l) => l.includes("公开展示"))).toEqual([]);
  });

  it("asks a studio's leader in December to check the year's records, and from January for the report and the plan, which the county then reviews", async () => {
    const { person, user: leader } = await makeAwardee(t.db, "linhai", "周工");
    const county = await makeUser(t.db, "county_officer", { unit: "linhai" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const city = await makeUser(t.db, "city_admin");
    await recordConsent(t.db, county, person.id, { howObtained: "本人书面同意", story: "", photo: null });
    const studio = await makeStudio(t.db, person.id, city.id, { name: "周工技能大师工作室", unit: "linhai", plaque_number: "TZGJGZS-302" });
    // Other tests' campaigns may wait for the city too; only the evaluation matters here.
    const cityLabels = async (now: Date) => (await labels(city, now)).filter((l) => l.includes("考核"));
    const december = new Date("2026-12-01T02:00:00Z");
    const february = new Date("2027-02-01T02:00:00Z");
    expect(await labels(leader, NOW)).toEqual([]);
    expect(await labels(leader, december)).toEqual(["准备2026年度考核：核对学徒成果和活动记录 ·2026-12-31"]);
    expect(await labels(county, december)).toEqual([]);
    // January: no criteria for 2026 yet, so the city is asked to set them.
    expect(await cityLabels(february)).toEqual(["设定2026年度工作室考核标准 ·2027-01-31 ·逾期"]);
    expect(await labels(county, february)).toEqual([]);
    expect(await saveCriteria(t.db, city, 2026, [{ key: "apprenticesMentored", label: "带徒人数", weight: 100, target: 5 }])).toEqual({ ok: true });
    expect(await cityLabels(february)).toEqual([]);
    // The year is graded from the leader's report: they are asked for it, and for the new year's plan.
    expect(await labels(leader, february)).toEqual(["报送2026年度总结 ·2027-03-31", "报送2027年度计划 ·2027-03-31"]);
    const row = await t.db.selectFrom("studio").selectAll().where("id", "=", studio.id).executeTakeFirstOrThrow();
    // (Filed here as of now; the season's dates are what the lists are computed for.)
    await t.db
      .insertInto("studio_year")
      .values({ studio_id: row.id, year: 2026, status: "submitted", plan: "{}", submitted_at: new Date("2027-01-10T02:00:00Z") })
      .execute();
    expect(await labels(county, february)).toEqual([expect.stringMatching(/^审核2026年度总结：周工技能大师工作室 ·\d{4}-\d{2}-\d{2}/)]);
    expect((await labels(otherCounty, february)).filter((l) => l.includes("年度"))).toEqual([]);
    expect(await labels(leader, february)).toEqual(["报送2027年度计划 ·2027-03-31"]);
  });

  it("asks the city for the next studio plan once the plan's window is over, and nobody else", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "linhai" });
    const plan = await t.db.selectFrom("studio_plan").select("end_year").where("id", "=", 1).executeTakeFirstOrThrow();
    const during = new Date(`${plan.end_year}-06-01T02:00:00Z`);
    const after = new Date(`${plan.end_year + 1}-02-01T02:00:00Z`);
    const planLabels = async (user: typeof city, now: Date) => (await labels(user, now)).filter((l) => l.includes("规划"));
    expect(await planLabels(city, during)).toEqual([]);
    expect(await planLabels(city, after)).toEqual([expect.stringMatching(/^制定下一期工作室建设规划（\d{4}–\d{4}年规划期已结束）/)]);
    expect(await planLabels(county, after)).toEqual([]);
  });

  it("remembers the navigation's counts between writes, and counts again after any write", async () => {
    const city = await makeUser(t.db, "city_admin");
    const first = await workCounts(t.db, city);
    // Nothing committed since: the very same answer, not a recount.
    expect(await workCounts(t.db, city)).toBe(first);
    const county = await makeUser(t.db, "county_officer", { unit: "linhai" });
    const again = await workCounts(t.db, city);
    expect(again).not.toBe(first);
    expect(again).toEqual(await workCounts(t.db, city));
    // Each user has their own.
    expect(await workCounts(t.db, county)).not.toBe(again);
  });

  it("pages the to-dos, oldest first, with the whole count", async () => {
    const city = await makeUser(t.db, "city_admin");
    const all = await todosFor(t.db, city);
    const first = await todoPage(t.db, city, 1, 2);
    expect(first.total).toBe(all.length);
    expect(first.rows).toEqual(all.slice(0, 2));
    expect((await todoPage(t.db, city, 2, 2)).rows).toEqual(all.slice(2, 4));
    expect((await todoPage(t.db, city, 999, 2)).rows).toEqual([]);
  });
});
