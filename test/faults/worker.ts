/**
 * A job worker process of its own for the fault suite, as an app process runs its background work:
 * `tsx test/faults/worker.ts KIND…` runs the due jobs of those kinds on DATABASE_URL (SMS through
 * SMS_DRIVER's provider) until it is killed. It prints "ready" once connected and "running N" as
 * it takes a job of the slow kind.
 *
 * fault.slow: a job whose work is one transaction of a few seconds that records its effect, so a
 * process killed in the middle leaves nothing and the job's second run writes it once.
 */
import { sql } from "kysely";
import { createDb } from "../../db";
import { runDueJobs, type JobHandler } from "../../app/lib/jobs.server";
import { smsGateway } from "../../app/lib/sms.server";
import { startOfDay, todayInTaizhou } from "../../app/lib/time";
import { jobHandlers } from "../../app/worker.server";

const kinds = process.argv.slice(2);
const db = createDb({ purpose: "long" });

const slow: JobHandler = async (db, job) => {
  console.log(`running ${job.id}`);
  await db.transaction().execute(async (tx) => {
    await sql`insert into fault_effect (job_id, worker) values (${job.id}, ${process.pid})`.execute(tx);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });
};
// Noon in Taizhou whenever the suite runs: the SMS quiet hours (21:00–08:00) are not what is tested here.
const noon = () => new Date(startOfDay(todayInTaizhou()).getTime() + 12 * 3_600_000);
const all: Record<string, JobHandler> = { "fault.slow": slow, "sms.send": jobHandlers(smsGateway(), noon)["sms.send"] };
const handlers = Object.fromEntries(kinds.map((k) => [k, all[k]]));

await db.selectFrom("job").select("id").limit(1).execute();
console.log("ready");
for (;;) {
  const ran = await runDueJobs(db, handlers, { worker: `fault-${process.pid}`, limit: 10 }).catch((error) => {
    console.error(error);
    return 0;
  });
  if (!ran) await new Promise((resolve) => setTimeout(resolve, 300));
}
