/**
 * A worker process of its own, for the job queue's test: it says "ready" once connected, then runs
 * due jobs of one kind until it has found none for a while. Run with tsx: job-worker.ts URL KIND.
 */
import { createDb } from "../db";
import { runDueJobs } from "../app/lib/jobs.server";

const [databaseUrl, kind] = process.argv.slice(2);
const db = createDb({ databaseUrl });
await db.selectFrom("job").select("id").limit(1).execute();
console.log("ready");
const slow = async (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
for (let idle = 0; idle < 40;) {
  const ran = await runDueJobs(db, { [kind]: slow }, { worker: `process-${process.pid}`, limit: 2 });
  idle = ran ? 0 : idle + 1;
  if (!ran) await new Promise((resolve) => setTimeout(resolve, 50));
}
await db.destroy();
