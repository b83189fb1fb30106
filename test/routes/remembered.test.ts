import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { seedDemo } from "../../seeds/demo";
import type { SessionUser } from "../../app/auth/roles";
import * as root from "../../app/root";
import * as dashboard from "../../app/routes/dashboard/route";
import * as home from "../../app/routes/home/route";
import * as todos from "../../app/routes/todos";
import * as studio from "../../app/routes/studios.$studioId._index/route";
import { useTestDb } from "../db";
import { cookieFor } from "../factories";
import { ORIGIN } from "../http";
import { sessionUserOf } from "~/auth/roles";
import { enqueue } from "~/lib/jobs.server";
import { PATTERNS } from "~/modules/voting/policy";
import { openVote } from "../vote-scene";
import { dashboardSettings, loadDashboard } from "~/modules/dashboard/dashboard.server";
import { dashboardOutcomes } from "~/modules/apprentices/outcomes.server";

/**
 * The home page, the to-do list, the navigation's badges and a studio's yearly figures are remembered until what
 * they are read from changes (the work's version), the dashboard's figures until what they count changes (the
 * figures' version): both kept by triggers (migrations 0035, 0036). A figure read from a table without its trigger
 * would be shown stale after that table changed; one remembered by PostgreSQL's snapshot was counted again, in a
 * request's path, whenever anything at all was written (issue 37).
 */
const statements: string[] = [];
const t = useTestDb({ onQuery: (text) => statements.push(text) });
const users = new Map<string, SessionUser>();
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

beforeAll(async () => {
  await seedDemo(t.db);
  for (const u of await t.db.selectFrom("app_user").selectAll().execute()) users.set(u.username, sessionUserOf(u)!);
}, 120_000);

/** One request as Remix hands it to the root's loader and the page's; the SQL it sent. */
async function sqlOf(user: SessionUser, path: string, loader: Loader, params: Record<string, string> = {}): Promise<string[]> {
  const request = new Request(`${ORIGIN}${path}`, { headers: { cookie: await cookieFor(t.db, user) } });
  const from = statements.length;
  await Promise.all([(root.loader as Loader)({ request, params, context: {} }), loader({ request, params, context: {} })]);
  return statements.slice(from);
}

/** The tables a statement reads, of those the database has. */
function tablesRead(text: string, tables: Set<string>): string[] {
  return [...text.matchAll(/\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1]).filter((name) => tables.has(name));
}

/** Each table whose changes add a `data_change` row as they commit, and whether they move the dashboard's figures. */
async function versionedTables(): Promise<Map<string, { movesFigures: boolean }>> {
  const { rows } = await sql<{ table: string; nargs: number }>`
    select tgrelid::regclass::text as table, max(tgnargs) as nargs
    from pg_trigger where tgfoid = 'note_data_change_at_commit'::regproc
    group by 1`.execute(t.db);
  return new Map(rows.map((r) => [r.table, { movesFigures: r.nargs === 0 }]));
}

describe("remembered figures", () => {
  it("are read only from tables whose changes move the version they are remembered under", async () => {
    const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(t.db);
    const tables = new Set(rows.map((r) => r.name));
    const versioned = await versionedTables();
    const read = new Set<string>();
    const readByFigures = new Set<string>();
    const studioId = String((await t.db.selectFrom("studio").select("id").orderBy("id").executeTakeFirstOrThrow()).id);
    // The to-dos some stages alone have: a vote under way with a cluster of refusals (the vote monitor), and a
    // campaign under expert review with a panel (the sheets' progress).
    const { campaignId } = await openVote(t.db, 90, new Date(Date.now() - 3_600_000));
    await t.db.insertInto("ballot").values({ campaign_id: campaignId, address: "10.9.9.9", receipt: "remembered-test" }).execute();
    const refusals = Array.from({ length: PATTERNS.failures.min }, () => ({ campaign_id: campaignId, address: "10.9.9.9", kind: "code" as const }));
    await t.db.insertInto("vote_failure").values(refusals).execute();
    const reviewed = await t.db.selectFrom("campaign").select("id").where("id", "!=", campaignId).orderBy("id", "desc").executeTakeFirstOrThrow();
    await t.db.updateTable("campaign").set({ status: "expert_review" }).where("id", "=", reviewed.id).execute();
    await t.db
      .insertInto("review_panel")
      .values({ campaign_id: reviewed.id, name: "第一组", field: "制造", created_by: users.get("admin")!.id })
      .execute();
    // Every account of the demo, each page cold (a fresh database: nothing remembered yet), so every source runs.
    for (const user of users.values()) {
      for (const text of [...(await sqlOf(user, "/home", home.loader as Loader)), ...(await sqlOf(user, "/todos", todos.loader as Loader))]) {
        for (const table of tablesRead(text, tables)) read.add(table);
      }
    }
    for (const username of ["admin", "wenling", "craftsman"]) {
      for (const text of await sqlOf(users.get(username)!, `/studios/${studioId}`, studio.loader as Loader, { studioId })) {
        for (const table of tablesRead(text, tables)) read.add(table);
      }
    }
    for (const username of ["admin", "wenling"]) {
      const user = users.get(username)!;
      // The dashboard's own figures, remembered under the figures' version, counted cold (before the page asks).
      const from = statements.length;
      await Promise.all([dashboardSettings(t.db, user), loadDashboard(t.db, user, { fromYear: 2018, toYear: 2030 }), dashboardOutcomes(t.db, user, null)]);
      for (const text of statements.slice(from)) for (const table of tablesRead(text, tables)) readByFigures.add(table);
      for (const text of await sqlOf(user, "/dashboard", dashboard.loader as Loader)) for (const table of tablesRead(text, tables)) read.add(table);
    }
    // What the pages read, and the figures among it: the extraction is not vacuous, and the stages' sources ran.
    expect(read).toContain("vote_failure");
    expect(read).toContain("panel_member");
    expect(read.size).toBeGreaterThan(40);
    expect(readByFigures.size).toBeGreaterThan(8);
    // The statement that finds the session reads the versions themselves.
    const unversioned = (names: Set<string>, movesFigures: boolean) =>
      [...names].filter(
        (table) => !["user_session", "data_change"].includes(table) && !(versioned.has(table) && (!movesFigures || versioned.get(table)!.movesFigures)),
      );
    expect(unversioned(read, false)).toEqual([]);
    expect(unversioned(readByFigures, true)).toEqual([]);
  }, 120_000);

  it("keep the badges through writes that change nothing they show, and count them again when a record they read changes", async () => {
    const admin = users.get("admin")!;
    const cookie = await cookieFor(t.db, admin);
    const countsOf = async () => {
      const request = new Request(`${ORIGIN}/todos`, { headers: { cookie } });
      const from = statements.length;
      const response = (await (root.loader as Loader)({ request, params: {}, context: {} })) as Response;
      const { counts } = (await response.json()) as { counts: { todo: number; unread: number } };
      return { counts, statements: statements.length - from };
    };
    await countsOf();
    const warm = await countsOf();
    // A job queued, another session opened: PostgreSQL's snapshot moves, the badges' data does not.
    await enqueue(t.db, "reminders", {});
    await cookieFor(t.db, users.get("wenling")!);
    expect(await countsOf()).toEqual(warm);
    // A message for the officer: the badge is counted again, and shows it.
    await t.db.insertInto("message").values({ user_id: admin.id, category: "todo", text: "新消息" }).execute();
    const after = await countsOf();
    expect(after.counts.unread).toBe(warm.counts.unread + 1);
    expect(after.statements).toBeGreaterThan(warm.statements);
  });
});
