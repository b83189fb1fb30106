import { beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { seedDemo } from "../../seeds/demo";
import type { SessionUser } from "../../app/auth/roles";
import * as root from "../../app/root";
import * as dashboard from "../../app/routes/dashboard";
import * as home from "../../app/routes/home";
import * as inbox from "../../app/routes/inbox";
import * as showcase from "../../app/routes/showcase._index";
import * as studios from "../../app/routes/studios._index";
import * as todos from "../../app/routes/todos";
import { useTestDb } from "../db";
import { cookieFor } from "../factories";
import { ORIGIN } from "../http";

/**
 * SQL statements a page sends (the root's loader — session and navigation counts — and its own),
 * once the figures it may remember are warm. A page sent over and over between writes should not
 * cost a statement per to-do source or per row. (Not there yet: the subsidy queue, 8, and the
 * studio page, 10 — see README, Speed.)
 */
let statements = 0;
const t = useTestDb({ onQuery: () => statements++ });
const users = new Map<string, SessionUser>();

beforeAll(async () => {
  await seedDemo(t.db);
  for (const u of await t.db.selectFrom("app_user").selectAll().execute()) {
    users.set(u.username, { id: u.id, username: u.username, displayName: u.display_name, role: u.role, orgUnitId: u.org_unit_id, personId: u.person_id });
  }
}, 120_000);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

async function statementsOf(username: string | null, path: string, loader: Loader, params: Record<string, string> = {}): Promise<number> {
  const cookie = username ? await cookieFor(t.db, users.get(username)!) : null;
  const once = async () => {
    // One request, as Remix hands it to the root's loader and the page's.
    const request = new Request(`${ORIGIN}${path}`, { headers: cookie ? { cookie } : {} });
    const before = statements;
    await Promise.all([(root.loader as Loader)({ request, params, context: {} }), loader({ request, params, context: {} })]);
    return statements - before;
  };
  await once();
  return once();
}

describe("statements per page", () => {
  it.each([
    ["admin", "/home", home.loader],
    ["wenling", "/home", home.loader],
    ["craftsman", "/home", home.loader],
    ["admin", "/inbox", inbox.loader],
    ["admin", "/todos", todos.loader],
    ["admin", "/dashboard", dashboard.loader],
    ["admin", "/studios", studios.loader],
    [null, "/showcase", showcase.loader],
  ] as Array<[string | null, string, Loader]>)("%s %s", async (username, path, loader) => {
    expect(await statementsOf(username, path, loader)).toBeLessThanOrEqual(6);
  });
});
