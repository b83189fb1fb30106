import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, migrateToLatest, type DB } from "~db";
import { enqueue } from "~/lib/jobs.server";
import { resetKeyCache } from "~/modules/people/pii.server";
import { aliyunStandIn } from "../aliyun-sms";
import { makePerson, makeUser } from "../factories";
import { startOwnPostgres, type OwnPostgres } from "./postgres";

/**
 * Processes killed in the middle of their work: a job half-way through its transaction, and an SMS
 * the provider has accepted but whose answer the process never recorded. Another process takes
 * both over when their lease runs out; the job's work is done once, each message delivered once.
 */

const SECRET = "fault-secret";
let pg: OwnPostgres;
let db: DB;
const children: ChildProcess[] = [];

/** Aliyun's SMS API as far as this needs: SendSms (signed, as the provider checks) and QuerySendDetails by OutId. */
function provider() {
  const delivered: Array<{ phone: string; outId: string }> = [];
  let hangFirst = true;
  let onHang: () => void = () => {};
  const hung = new Promise<void>((resolve) => (onHang = resolve));
  const server = aliyunStandIn(SECRET, (params, res) => {
    if (params.Action === "QuerySendDetails") {
      const found = delivered.filter((d) => d.phone === params.PhoneNumber).map((d) => ({ OutId: d.outId, SendStatus: 3, PhoneNum: d.phone }));
      return res.end(JSON.stringify({ Code: "OK", TotalCount: found.length, SmsSendDetailDTOs: { SmsSendDetailDTO: found } }));
    }
    // Accepted: the handset will get it, whatever becomes of the process that asked.
    delivered.push({ phone: params.PhoneNumbers, outId: params.OutId });
    if (hangFirst) {
      // The first answer never comes back: the process is killed while waiting for it.
      hangFirst = false;
      onHang();
      return;
    }
    res.end(JSON.stringify({ Code: "OK", BizId: `biz-${delivered.length}` }));
  });
  return { server, delivered, hung };
}

const sms = provider();

function worker(kinds: string[], env: Record<string, string>) {
  // node itself with tsx's loader, not the tsx wrapper: SIGKILL must reach the process doing the work.
  const child = spawn(process.execPath, ["--import", "tsx", "test/faults/worker.ts", ...kinds], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  const seen = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => output.includes(text) && resolve();
      child.stdout!.on("data", (d) => {
        output += d;
        check();
      });
      child.once("exit", () => reject(new Error(`worker ended before "${text}":\n${output}`)));
      check();
    });
  child.stderr!.on("data", (d) => (output += d));
  return { child, seen, output: () => output };
}

let env: Record<string, string>;

beforeAll(async () => {
  pg = await startOwnPostgres();
  await new Promise<void>((resolve) => sms.server.listen(0, "127.0.0.1", resolve));
  env = {
    DATABASE_URL: pg.url,
    APP_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
    SMS_DRIVER: "aliyun",
    SMS_ENDPOINT: `http://127.0.0.1:${(sms.server.address() as AddressInfo).port}/`,
    SMS_ACCESS_KEY_ID: "fault-key",
    SMS_ACCESS_KEY_SECRET: SECRET,
    SMS_SIGN_NAME: "台州市总工会",
    SMS_TEMPLATES: "returned:SMS_0001",
  };
  // The people's numbers are encrypted with the workers' key.
  process.env.APP_ENCRYPTION_KEY = env.APP_ENCRYPTION_KEY;
  resetKeyCache();
  db = createDb({ databaseUrl: pg.url });
  await migrateToLatest(db);
  await sql`create table fault_effect (job_id bigint not null, worker integer not null)`.execute(db);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await db?.destroy();
  await new Promise<void>((resolve) => sms.server.close(() => resolve()));
  sms.server.closeAllConnections();
  pg?.stop();
});

describe("work taken over from a process that was killed", () => {
  it("finishes a job killed half-way once, and sends each SMS once, within a minute", async () => {
    const phones = Array.from({ length: 5 }, (_, i) => `1395761${String(i).padStart(4, "0")}`);
    const users = [];
    for (const phone of phones) {
      const person = await makePerson(db, { phone, name: `短信${phone.slice(-2)}` });
      users.push(await makeUser(db, "craftsman", { personId: person.id }));
    }
    await enqueue(db, "fault.slow", {});
    for (const user of users) {
      await enqueue(db, "sms.send", {
        userId: user.id,
        category: "returned",
        text: "您的补助申请被退回：收据不清晰",
        subject: "补助申请",
        reason: "收据不清晰",
      });
    }

    // One process takes the slow job, another the messages; both are killed mid-work.
    const jobs = worker(["fault.slow"], env);
    const texts = worker(["sms.send"], env);
    await Promise.all([jobs.seen("running"), sms.hung]);
    const killedAt = Date.now();
    jobs.child.kill("SIGKILL");
    texts.child.kill("SIGKILL");
    expect(sms.delivered).toHaveLength(1);
    const left = await db.selectFrom("sms_message").select("status").execute();
    expect(left.map((r) => r.status)).toEqual(["sending"]);

    // A new process: it must wait for the dead ones' leases, then does everything once.
    const takeover = worker(["fault.slow", "sms.send"], env);
    await takeover.seen("ready");
    const deadline = killedAt + 60_000;
    for (;;) {
      const open = await db.selectFrom("job").select("id").where("done_at", "is", null).where("failed_at", "is", null).execute();
      if (!open.length) break;
      if (Date.now() > deadline) throw new Error(`jobs still open a minute after the kill:\n${takeover.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const tookMs = Date.now() - killedAt;
    takeover.child.kill("SIGKILL");
    expect(tookMs).toBeLessThan(60_000);

    // The slow job's work is there once, done by the new process.
    const effects = await sql<{ job_id: number; worker: number }>`select job_id, worker from fault_effect`.execute(db);
    expect(effects.rows).toHaveLength(1);
    expect(effects.rows[0].worker).toBe(takeover.child.pid);
    // Each message reached the provider once: the one in flight was confirmed, not resent.
    expect(sms.delivered.map((d) => d.phone).sort()).toEqual([...phones].sort());
    const rows = await db.selectFrom("sms_message").select(["id", "status", "user_id"]).orderBy("id").execute();
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(users.length);
    expect(rows).toHaveLength(users.length);
    expect(sms.delivered.map((d) => d.outId).sort()).toEqual(rows.map((r) => String(r.id)).sort());
  });
});
