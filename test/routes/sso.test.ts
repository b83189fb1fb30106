import crypto from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as login from "../../app/routes/login";
import * as ssoStart from "../../app/routes/login_.sso";
import * as ssoCallback from "../../app/routes/login_.sso_.callback";
import * as userPage from "../../app/routes/users.$userId";
import * as usersList from "../../app/routes/users._index";
import * as peopleList from "../../app/routes/people._index";
import * as personPage from "../../app/routes/people.$personId._index/route";
import * as home from "../../app/routes/home/route";
import { UNBOUND_MESSAGE } from "../../app/auth/sso.server";
import { fanOut } from "../../app/worker.server";
import { useTestDb } from "../db";
import { makePerson, makeUser, TEST_PASSWORD } from "../factories";
import { call, jsonOf } from "../http";
import { oidcStandIn, type StandInProvider } from "../oidc-provider";

/**
 * Issue 36, item 1: an officer signs in through the government's single sign-on. The provider is a real OpenID
 * provider on this machine (test/oidc-provider.ts); every round trip goes over HTTP to it — its sign-in page, its
 * token endpoint, its signed ID token — and comes back to our callback carrying this browser's flow cookie.
 */
const t = useTestDb();
const REDIRECT_URI = "http://localhost:3000/login/sso/callback";
const SUB = "zzd-wenling-0001";
let provider: StandInProvider;
const saved = { ...process.env };

beforeAll(async () => {
  provider = await oidcStandIn({ redirectUri: REDIRECT_URI, names: { [SUB]: "温岭王科长", "zzd-city-0002": "市里李处长" } });
  Object.assign(process.env, provider.env);
  delete process.env.PUBLIC_URL;
});

afterAll(async () => {
  for (const key of Object.keys(provider.env)) delete process.env[key];
  Object.assign(process.env, saved);
  await provider.stop();
});

const firstCookie = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1) ?? null;

/** Clicks the button: our start page answers with the provider's address and this browser's flow cookie. */
async function leave(redirectTo = "/people") {
  const response = await call(ssoStart.loader, { db: t.db, path: `/login/sso?redirectTo=${encodeURIComponent(redirectTo)}` });
  expect(response.status).toBe(302);
  const flowCookie = firstCookie(response, "jx_flow_oidc");
  expect(flowCookie).not.toBeNull();
  return { location: response.headers.get("location")!, flowCookie: flowCookie! };
}

/** At the provider: its sign-in page (any password), following its redirects until it sends the browser back to us. */
async function atProvider(url: string, sub: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  let next = url;
  for (let hops = 0; hops < 12; hops++) {
    if (next.startsWith(REDIRECT_URI)) return next;
    const response = await fetch(next, { redirect: "manual", headers: { cookie: cookie() } });
    keep(response);
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get("location")!, next).href;
      continue;
    }
    const page = await response.text();
    const action = page.match(/<form[^>]*action="([^"]+)"/)?.[1];
    if (!action) throw new Error(`the provider answered ${response.status}: ${page.slice(0, 300)}`);
    const posted = await fetch(new URL(action, next), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login: sub, password: "whatever" }),
    });
    keep(posted);
    next = new URL(posted.headers.get("location")!, next).href;
  }
  throw new Error("the provider never sent the browser back");
}

const comeBack = (back: string, flowCookie: string | null) =>
  call(ssoCallback.loader, { db: t.db, path: `/login/sso/callback${new URL(back).search}`, cookie: flowCookie });

/** The whole round trip as one browser: start, the provider, back to our callback. */
async function roundTrip(sub: string, redirectTo?: string) {
  const { location, flowCookie } = await leave(redirectTo);
  expect(location.startsWith(provider.issuer)).toBe(true);
  return comeBack(await atProvider(location, sub), flowCookie);
}

const sessions = async () =>
  Number(
    (
      await t.db
        .selectFrom("user_session")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("single sign-on through a standard OpenID provider", () => {
  it("records an unbound identity and refuses it; the city binds it to an officer, who then signs in as themself", async () => {
    const city = await makeUser(t.db, "city_admin");
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const craftsman = await makeUser(t.db, "craftsman");

    // The login page offers the button, named as configured.
    expect(await jsonOf(await call(login.loader, { db: t.db, path: "/login" }))).toMatchObject({ sso: "浙政钉" });

    const before = await sessions();
    const refused = await roundTrip(SUB);
    expect(refused.status).toBe(403);
    expect((await jsonOf(refused)).message).toBe(UNBOUND_MESSAGE);
    expect(firstCookie(refused, "jx_session")).toBeNull();
    expect(await sessions()).toBe(before);
    // Recorded as waiting, with the provider's name for the person and no account made.
    const identity = await t.db.selectFrom("external_identity").selectAll().where("subject", "=", SUB).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ issuer: provider.issuer, display_name: "温岭王科长", user_id: null });
    expect(await t.db.selectFrom("app_user").select("id").where("display_name", "=", "温岭王科长").execute()).toEqual([]);
    // Seen again: still one row, its time refreshed.
    expect((await roundTrip(SUB)).status).toBe(403);
    expect(await t.db.selectFrom("external_identity").select("id").where("subject", "=", SUB).execute()).toHaveLength(1);

    // The city sees it waiting on the officer's page, and binds it.
    const page = await jsonOf(await call(userPage.loader, { db: t.db, path: `/users/${officer.id}`, params: { userId: officer.id }, as: city }));
    expect(page.signIn.waiting.map((w: { id: number }) => w.id)).toContain(identity.id);
    const bindAs = (target: string, identityId: number) =>
      call(userPage.action, {
        db: t.db,
        path: `/users/${target}`,
        params: { userId: target },
        as: city,
        form: { intent: "bind-identity", identityId: String(identityId) },
      });
    // Never to a craftsman's account.
    expect((await bindAs(craftsman.id, identity.id)).status).toBe(409);
    expect((await bindAs(officer.id, identity.id)).status).toBe(200);
    // One identity, one account: neither again, nor a second identity for the same account.
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect((await bindAs(other.id, identity.id)).status).toBe(409);
    expect((await roundTrip("zzd-city-0002")).status).toBe(403);
    const second = await t.db.selectFrom("external_identity").select("id").where("subject", "=", "zzd-city-0002").executeTakeFirstOrThrow();
    expect((await bindAs(officer.id, second.id)).status).toBe(409);

    // The officer hears of it in their inbox.
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select(["text", "category"]).where("user_id", "=", officer.id).execute();
    expect(told).toEqual([{ text: "市总工会已将统一身份账号“温岭王科长”绑定到您的平台账号，今后可通过统一身份认证登录", category: "account" }]);
    // Nobody else: not another county's officer, not the craftsman.
    expect(await t.db.selectFrom("message").select("id").where("user_id", "in", [other.id, craftsman.id]).execute()).toEqual([]);

    // Now the same sign-in opens the officer's own account, and goes where it was asked to.
    const signedIn = await roundTrip(SUB, "/people");
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe("/people");
    const session = firstCookie(signedIn, "jx_session");
    expect(session).not.toBeNull();
    const homePage = await jsonOf(await call(home.loader, { db: t.db, path: "/home", cookie: session }));
    expect(JSON.stringify(homePage)).toContain(officer.displayName);
    // The history: the sign-in, as every sign-in (openSession), and under the identity.
    const rows = await t.db
      .selectFrom("audit_log")
      .select(["entity_type", "action"])
      .where("entity_id", "in", [officer.id, String(identity.id)])
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { entity_type: "session", action: "sign_in" },
        { entity_type: "external_identity", action: "bind" },
        { entity_type: "external_identity", action: "sign_in" },
      ]),
    );

    // A bound identity is a county officer's account, no more: their county's people, not another's, no user management.
    expect((await call(usersList.loader, { db: t.db, path: "/users", cookie: session })).status).toBe(403);
    expect((await call(peopleList.loader, { db: t.db, path: "/people", cookie: session })).status).toBe(200);
    const elsewhere = await makePerson(t.db, { unit: "jiaojiang" });
    const personOf = (id: number) => call(personPage.loader, { db: t.db, path: `/people/${id}`, params: { personId: String(id) }, cookie: session });
    expect((await personOf(elsewhere.id)).status).toBe(403);
    expect((await personOf((await makePerson(t.db, { unit: "wenling" })).id)).status).toBe(200);

    // Deactivated, the account opens to nothing, its identity included.
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", officer.id).execute();
    const closed = await roundTrip(SUB);
    expect(closed.status).toBe(403);
    expect(firstCookie(closed, "jx_session")).toBeNull();
    await t.db.updateTable("app_user").set({ active: true }).where("id", "=", officer.id).execute();

    // Unbinding asks for confirmation, ends the officer's sessions, and the identity waits again.
    const unbind = (form: Record<string, string>) =>
      call(userPage.action, { db: t.db, path: `/users/${officer.id}`, params: { userId: officer.id }, as: city, form: { intent: "unbind-identity", ...form } });
    expect((await unbind({})).status).toBe(400);
    expect((await unbind({ confirmed: "1" })).status).toBe(200);
    expect((await call(home.loader, { db: t.db, path: "/home", cookie: session })).status).toBe(302);
    const again = await roundTrip(SUB);
    expect(again.status).toBe(403);
    expect((await jsonOf(again)).message).toBe(UNBOUND_MESSAGE);
    await fanOut(t.db);
    expect((await t.db.selectFrom("message").select("text").where("user_id", "=", officer.id).orderBy("id", "desc").executeTakeFirstOrThrow()).text).toBe(
      "市总工会已解除统一身份账号“温岭王科长”与您的平台账号的绑定",
    );
  });

  it("refuses a return to another browser, with another state, or a second time", async () => {
    const officer = await makeUser(t.db, "city_admin");
    const identity = await t.db.selectFrom("external_identity").select("id").where("subject", "=", SUB).executeTakeFirstOrThrow();
    await t.db.updateTable("external_identity").set({ user_id: officer.id, bound_at: new Date() }).where("id", "=", identity.id).execute();

    const { location, flowCookie } = await leave();
    const back = await atProvider(location, SUB);
    // Carried to another browser (no flow cookie, or that browser's own): nothing.
    expect((await comeBack(back, null)).status).toBe(400);
    const { flowCookie: otherBrowser } = await leave();
    expect((await comeBack(back, otherBrowser)).status).toBe(400);
    // Another state than the one this browser started with.
    const forged = new URL(back);
    forged.searchParams.set(
      "state",
      flowCookie.split("=")[1].replace(/^./, (c) => (c === "A" ? "B" : "A")),
    );
    expect((await comeBack(forged.href, flowCookie)).status).toBe(400);
    // The real one, once; then the same again (a reload, a replay) is spent.
    expect((await comeBack(back, flowCookie)).status).toBe(302);
    const replay = await comeBack(back, flowCookie);
    expect(replay.status).toBe(400);
    expect((await jsonOf(replay)).message).toBe("登录请求已过期或已使用，请重新登录");
  });

  it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
    const before = await sessions();
    const { location, flowCookie } = await leave();
    // The nonce this sign-in keeps is not the one it sent the provider (whose signed token carries the sent one).
    const stateHash = crypto.createHash("sha256").update(flowCookie.split("=")[1]).digest("hex");
    const flow = await t.db.selectFrom("sign_in_flow").select("data").where("state_hash", "=", stateHash).executeTakeFirstOrThrow();
    expect(flow.data.nonce).toBe(new URL(location).searchParams.get("nonce"));
    await t.db
      .updateTable("sign_in_flow")
      .set({ data: JSON.stringify({ ...flow.data, nonce: "another-nonce" }) })
      .where("state_hash", "=", stateHash)
      .execute();
    const back = await atProvider(location, SUB);
    const refused = await comeBack(back, flowCookie);
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).message).toBe("统一身份认证未完成，请重新登录");
    expect(await sessions()).toBe(before);
  });

  it("says so when the provider is down, and the password sign-in still works", async () => {
    const officer = await makeUser(t.db, "county_officer");
    // Down before discovery: a provider at an address where nothing answers.
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    process.env.OIDC_ISSUER = `http://127.0.0.1:${closed}`;
    const down = await call(ssoStart.loader, { db: t.db, path: "/login/sso" });
    expect(down.status).toBe(503);
    expect((await jsonOf(down)).message).toBe("统一身份认证服务暂时无法连接，请稍后再试，或用用户名和密码登录");
    expect((await call(login.loader, { db: t.db, path: "/login" })).status).toBe(200);
    const password = await call(login.action, { db: t.db, path: "/login", form: { username: officer.username, password: TEST_PASSWORD } });
    expect(password.status).toBe(302);
    expect(firstCookie(password, "jx_session")).not.toBeNull();
    process.env.OIDC_ISSUER = provider.issuer;

    // Down when first asked, up again: the failed discovery is not kept, the next press gets through.
    await provider.stop();
    process.env.OIDC_CLIENT_ID = "jiangxin-fresh";
    try {
      expect((await call(ssoStart.loader, { db: t.db, path: "/login/sso" })).status).toBe(503);
      await provider.start();
      expect((await call(ssoStart.loader, { db: t.db, path: "/login/sso" })).status).toBe(302);
    } finally {
      process.env.OIDC_CLIENT_ID = provider.env.OIDC_CLIENT_ID;
    }

    // Down between the sign-in page and the return: the code cannot be exchanged; the same message.
    const { location, flowCookie } = await leave();
    const back = await atProvider(location, SUB);
    await provider.stop();
    try {
      const late = await comeBack(back, flowCookie);
      expect(late.status).toBe(400);
      expect((await jsonOf(late)).message).toBe("统一身份认证服务暂时无法连接，请稍后再试，或用用户名和密码登录");
    } finally {
      await provider.start();
    }
  });

  it("is off without OIDC_ISSUER: no button, and its pages are not found", async () => {
    delete process.env.OIDC_ISSUER;
    try {
      expect(await jsonOf(await call(login.loader, { db: t.db, path: "/login" }))).toMatchObject({ sso: null });
      expect((await call(ssoStart.loader, { db: t.db, path: "/login/sso" })).status).toBe(404);
      expect((await call(ssoCallback.loader, { db: t.db, path: "/login/sso/callback?code=x&state=y" })).status).toBe(404);
    } finally {
      process.env.OIDC_ISSUER = provider.issuer;
    }
  });
});
