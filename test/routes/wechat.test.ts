import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as account from "../../app/routes/account";
import * as accountWechat from "../../app/routes/account_.wechat";
import * as authorize from "../../app/routes/wechat.authorize";
import * as callback from "../../app/routes/wechat.callback";
import * as login from "../../app/routes/login";
import * as loginWechat from "../../app/routes/login_.wechat";
import * as home from "../../app/routes/home/route";
import * as share from "../../app/routes/wechat.share";
import { useTestDb } from "../db";
import { cookieFor, makeAwardee, makeCampaign, makeNominations, makeUser, makeVoteRules, solvedChallenge } from "../factories";
import * as votePage from "../../app/routes/vote.$campaignId._index";
import { call, jsonOf } from "../http";
import { wechatStandIn, type WechatStandIn } from "../wechat-stand-in";
import { lookupHash } from "~/modules/people/pii.server";
import { fanOut } from "~/worker.server";

/**
 * Issue 36, item 2, over the routes and a WeChat stand-in on a real port: the phone goes to the
 * stand-in's authorisation and comes back to our callback as WeChat would send it.
 */
const t = useTestDb();
const WECHAT_UA =
  "Mozilla/5.0 (Linux; Android 13; V2238A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F30) NetType/WIFI Language/zh_CN";
let wx: WechatStandIn;

beforeAll(async () => {
  wx = await wechatStandIn();
  for (const [name, value] of Object.entries(wx.env)) vi.stubEnv(name, value);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await wx.close();
});

const cookieOf = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith(`${name}=`) && c !== `${name}=`);
const jar = (...cookies: Array<string | undefined | null>) => cookies.filter(Boolean).join("; ");

/** A craftsman whose person record has this phone number. */
async function craftsmanWithPhone(phone: string, name: string) {
  const { person, user } = await makeAwardee(t.db, "wenling", name);
  await t.db
    .updateTable("person")
    .set({ phone_hash: lookupHash(phone) })
    .where("id", "=", person.id)
    .execute();
  return { person, user };
}

/** /wechat/authorize → the stand-in's authorisation → our callback, as a phone inside WeChat follows them. */
async function roundTrip(purpose: "sign-in" | "bind", cookie: string | null = null, redirectTo = "/home") {
  const started = await call(authorize.loader, {
    db: t.db,
    path: `/wechat/authorize?purpose=${purpose}&redirectTo=${encodeURIComponent(redirectTo)}`,
    cookie,
    headers: { "user-agent": WECHAT_UA },
  });
  expect(started.status).toBe(302);
  const flow = cookieOf(started, "jx_flow_wechat")!;
  const atWechat = await fetch(started.headers.get("location")!, { redirect: "manual" });
  const back = new URL(atWechat.headers.get("location")!);
  expect(back.pathname).toBe("/wechat/callback");
  const returned = await call(callback.loader, {
    db: t.db,
    path: back.pathname + back.search,
    cookie: jar(cookie, flow),
    headers: { "user-agent": WECHAT_UA },
  });
  return { returned, flow, back };
}

/** Posts a step and reads the one-time code the outbox printed, if any. */
async function post(fn: Parameters<typeof call>[0], path: string, cookie: string, form: Record<string, string>) {
  const printed = vi.spyOn(console, "log").mockImplementation(() => {});
  const response = await call(fn, { db: t.db, path, cookie, form, headers: { "user-agent": WECHAT_UA }, peer: "198.51.100.60" });
  const code = printed.mock.calls.map((c) => String(c[0]).match(/绑定微信验证码是 (\d{6})/)?.[1]).find(Boolean);
  printed.mockRestore();
  return { response, code };
}

describe("signing in through WeChat", () => {
  it("binds an openid after the phone's code, then signs in with one tap; an unbound openid opens nothing", async () => {
    const phone = "13957611001";
    const { person, user } = await craftsmanWithPhone(phone, "微信甲工匠");
    wx.as("o-craftsman-jia", "老甲");

    // /login inside WeChat offers the one tap; outside it does not.
    expect(await jsonOf(await call(login.loader, { db: t.db, path: "/login", headers: { "user-agent": WECHAT_UA } }))).toMatchObject({ wechat: true });
    expect(await jsonOf(await call(login.loader, { db: t.db, path: "/login" }))).toMatchObject({ wechat: false });

    // First tap: the openid is nobody's yet — no session, on to the phone check.
    const first = await roundTrip("sign-in", null, "/studios");
    expect([first.returned.status, first.returned.headers.get("location")]).toEqual([302, "/login/wechat?redirectTo=%2Fstudios"]);
    expect(cookieOf(first.returned, "jx_session")).toBeUndefined();
    const pending = cookieOf(first.returned, "jx_flow_wechat")!;
    expect(pending).toBeDefined();
    // Holding the unbound openid reaches nothing.
    expect((await call(home.loader, { db: t.db, path: "/home", cookie: pending })).headers.get("location")).toMatch(/^\/login/);
    expect(await jsonOf(await call(loginWechat.loader, { db: t.db, path: "/login/wechat", cookie: pending }))).toEqual({ pending: true });

    // A number on no record is answered the same, and gets no code.
    const unknown = await post(loginWechat.action, "/login/wechat", pending, { intent: "code", phone: "13957619999" });
    expect(unknown.response.status).toBe(200);
    expect(unknown.code).toBeUndefined();
    const asked = await post(loginWechat.action, "/login/wechat", pending, { intent: "code", phone });
    expect(await jsonOf(asked.response)).toMatchObject({ ok: true, message: unknown.response.ok ? (await jsonOf(unknown.response)).message : "" });
    expect(asked.code).toMatch(/^\d{6}$/);
    const wrong = await post(loginWechat.action, "/login/wechat", pending, { intent: "bind", phone, code: asked.code === "000000" ? "111111" : "000000" });
    expect([wrong.response.status, (await jsonOf(wrong.response)).field]).toEqual([400, "code"]);
    expect(await t.db.selectFrom("wechat_identity").selectAll().execute()).toEqual([]);

    const bound = await post(loginWechat.action, "/login/wechat", pending, { intent: "bind", phone, code: asked.code!, redirectTo: "/studios" });
    expect([bound.response.status, bound.response.headers.get("location")]).toEqual([302, "/studios"]);
    // A phone's session (issue 36, item 3): a month long, bound to this browser's device token — the session's
    // cookie alone, copied elsewhere, opens nothing.
    const device = cookieOf(bound.response, "jx_device")!;
    expect(bound.response.headers.getSetCookie().find((c) => c.startsWith("jx_session="))).toMatch(/Max-Age=2592000/);
    const session = jar(cookieOf(bound.response, "jx_session"), device);
    expect((await call(home.loader, { db: t.db, path: "/home", cookie: session })).status).toBe(200);
    expect(await t.db.selectFrom("wechat_identity").select(["person_id", "nickname"]).execute()).toEqual([{ person_id: person.id, nickname: null }]);
    // The held openid was spent with the binding: the same flow binds nothing twice.
    const again = await post(loginWechat.action, "/login/wechat", pending, { intent: "bind", phone, code: asked.code! });
    expect(again.response.status).toBe(409);

    // Signed out, the next time is one tap: straight in, to where they were going.
    const tap = await roundTrip("sign-in", null, "/inbox");
    expect([tap.returned.status, tap.returned.headers.get("location")]).toEqual([302, "/inbox"]);
    const tapped = jar(cookieOf(tap.returned, "jx_session"), cookieOf(tap.returned, "jx_device") ?? device);
    expect((await call(home.loader, { db: t.db, path: "/home", cookie: tapped })).status).toBe(200);
    expect((await call(account.loader, { db: t.db, path: "/account", cookie: tapped })).status).toBe(200);
    // The session's cookie alone (copied to another browser) opens nothing — and ends the session.
    expect((await call(home.loader, { db: t.db, path: "/home", cookie: cookieOf(tap.returned, "jx_session") })).status).toBe(302);
    expect((await call(home.loader, { db: t.db, path: "/home", cookie: tapped })).status).toBe(302);

    // The history says so in Chinese, and the person hears of the binding.
    const history = await t.db.selectFrom("audit_log").select(["action", "comment"]).where("entity_type", "=", "wechat_identity").orderBy("id").execute();
    expect(history.map((h) => h.action)).toEqual(["bind", "sign_in"]);
    expect(history[0].comment).toMatch(/经手机验证码核验/);
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select(["text"]).where("user_id", "=", user.id).execute();
    expect(told.map((m) => m.text)).toContainEqual(expect.stringMatching(/已绑定微信/));

    // A deactivated account's openid opens nothing.
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", user.id).execute();
    const locked = await roundTrip("sign-in");
    expect(locked.returned.status).toBe(403);
    expect(cookieOf(locked.returned, "jx_session")).toBeUndefined();
    await t.db.updateTable("app_user").set({ active: true }).where("id", "=", user.id).execute();
  });

  it("refuses a replayed callback and one carried to another browser, and opens nothing for them", async () => {
    await craftsmanWithPhone("13957611002", "微信乙工匠");
    wx.as("o-replay-target");
    const started = await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=sign-in", headers: { "user-agent": WECHAT_UA } });
    const flow = cookieOf(started, "jx_flow_wechat")!;
    const back = new URL((await fetch(started.headers.get("location")!, { redirect: "manual" })).headers.get("location")!);
    // Carried to another browser (no flow cookie of its own, or another flow's): refused.
    const foreign = await call(callback.loader, { db: t.db, path: back.pathname + back.search });
    expect(foreign.status).toBe(400);
    const other = await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=sign-in", headers: { "user-agent": WECHAT_UA } });
    expect((await call(callback.loader, { db: t.db, path: back.pathname + back.search, cookie: cookieOf(other, "jx_flow_wechat") })).status).toBe(400);
    // Its own browser: once, and only once.
    const once = await call(callback.loader, { db: t.db, path: back.pathname + back.search, cookie: flow });
    expect(once.status).toBe(302);
    const replay = await call(callback.loader, { db: t.db, path: back.pathname + back.search, cookie: flow });
    expect(replay.status).toBe(400);
    expect(await jsonOf(replay)).toMatchObject({ message: expect.stringMatching(/已过期或已使用/) });
  });

  it("binds from /account after consent and a code to the person's own number, shows the nickname, and unbinds on confirmation", async () => {
    const phone = "13957611003";
    const { user, person } = await craftsmanWithPhone(phone, "微信丙工匠");
    const other = await craftsmanWithPhone("13957611004", "微信丁工匠");
    const cookie = await cookieFor(t.db, user);
    wx.as("o-craftsman-bing", "阿丙");

    // Not signed in: sent to sign in first. An officer cannot bind.
    expect(
      (await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=bind", headers: { "user-agent": WECHAT_UA } })).headers.get("location"),
    ).toMatch(/^\/login/);
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect((await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=bind", as: officer })).status).toBe(403);

    const started = await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=bind", cookie, headers: { "user-agent": WECHAT_UA } });
    expect(new URL(started.headers.get("location")!).searchParams.get("scope")).toBe("snsapi_userinfo");
    const flow = cookieOf(started, "jx_flow_wechat")!;
    const back = new URL((await fetch(started.headers.get("location")!, { redirect: "manual" })).headers.get("location")!);
    // Another account's session cannot pick up this binding.
    const otherCookie = await cookieFor(t.db, other.user);
    expect((await call(callback.loader, { db: t.db, path: back.pathname + back.search, cookie: jar(otherCookie, flow) })).status).toBe(403);

    const again = await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=bind", cookie, headers: { "user-agent": WECHAT_UA } });
    const flow2 = cookieOf(again, "jx_flow_wechat")!;
    const back2 = new URL((await fetch(again.headers.get("location")!, { redirect: "manual" })).headers.get("location")!);
    const returned = await call(callback.loader, { db: t.db, path: back2.pathname + back2.search, cookie: jar(cookie, flow2) });
    expect([returned.status, returned.headers.get("location")]).toEqual([302, "/account/wechat"]);
    const pending = cookieOf(returned, "jx_flow_wechat")!;
    const both = jar(cookie, pending);
    expect(await jsonOf(await call(accountWechat.loader, { db: t.db, path: "/account/wechat", cookie: both }))).toMatchObject({
      canBind: true,
      binding: null,
      pending: { step: "bind", nickname: "阿丙" },
    });

    // Someone else's number gets no code, and its code could not bind this account anyway.
    const foreignNumber = await post(accountWechat.action, "/account/wechat", both, { intent: "code", phone: "13957611004" });
    expect([foreignNumber.response.status, foreignNumber.code]).toEqual([200, undefined]);
    const asked = await post(accountWechat.action, "/account/wechat", both, { intent: "code", phone });
    expect(asked.code).toMatch(/^\d{6}$/);
    const bound = await post(accountWechat.action, "/account/wechat", both, { intent: "bind", phone, code: asked.code! });
    expect(await jsonOf(bound.response)).toMatchObject({ ok: true, message: "已绑定微信，以后在微信中可一键登录" });
    expect(await jsonOf(await call(account.loader, { db: t.db, path: "/account", cookie }))).toMatchObject({ wechat: { binding: { nickname: "阿丙" } } });

    // The same WeChat cannot be bound to a second person.
    const stolen = await roundTrip("bind", otherCookie);
    expect(stolen.returned.status).toBe(409);

    // Unbinding asks for the confirming button; after it the openid opens nothing.
    const unconfirmed = await call(accountWechat.action, { db: t.db, path: "/account/wechat", cookie, form: { intent: "unbind" } });
    expect(unconfirmed.status).toBe(400);
    expect(await t.db.selectFrom("wechat_identity").select("person_id").execute()).toContainEqual({ person_id: person.id });
    const unbound = await call(accountWechat.action, { db: t.db, path: "/account/wechat", cookie, form: { intent: "unbind", confirmed: "1" } });
    expect(await jsonOf(unbound)).toMatchObject({ ok: true, message: "已解除微信绑定" });
    const after = await roundTrip("sign-in");
    expect(after.returned.headers.get("location")).toMatch(/^\/login\/wechat/);
    expect(cookieOf(after.returned, "jx_session")).toBeUndefined();
    const history = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "wechat_identity")
      .where("entity_id", "=", String(person.id))
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.action)).toEqual(["bind", "unbind"]);
  });

  it("signs the share card for our own pages only, with a cached ticket", async () => {
    const before = wx.calls["/cgi-bin/ticket/getticket"] ?? 0;
    const ok = await call(share.loader, { db: t.db, path: `/wechat/share?url=${encodeURIComponent("http://localhost:3000/showcase?x=1#top")}` });
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const config = await jsonOf(ok);
    expect(config).toMatchObject({
      appId: wx.appId,
      timestamp: expect.any(Number),
      nonceStr: expect.any(String),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const { jsapiSignature } = await import("~/lib/wechat.server");
    expect(config.signature).toBe(
      jsapiSignature({ ticket: wx.ticket()!, nonceStr: config.nonceStr, timestamp: config.timestamp, url: "http://localhost:3000/showcase?x=1" }),
    );
    await call(share.loader, { db: t.db, path: `/wechat/share?url=${encodeURIComponent("http://localhost:3000/")}` });
    expect((wx.calls["/cgi-bin/ticket/getticket"] ?? 0) - before).toBe(1);
    for (const url of ["https://evil.example/", "http://localhost:3000.evil.example/", "javascript:alert(1)", "", "http://localhost:3001/"]) {
      const refused = await call(share.loader, { db: t.db, path: `/wechat/share?url=${encodeURIComponent(url)}` });
      expect([url, refused.status]).toEqual([url, 400]);
    }
  });

  it("offers nothing of WeChat when it is not configured", async () => {
    vi.stubEnv("WECHAT_APP_ID", "");
    vi.stubEnv("WECHAT_APP_SECRET", "");
    try {
      expect(await jsonOf(await call(login.loader, { db: t.db, path: "/login", headers: { "user-agent": WECHAT_UA } }))).toMatchObject({ wechat: false });
      expect((await call(authorize.loader, { db: t.db, path: "/wechat/authorize?purpose=sign-in", headers: { "user-agent": WECHAT_UA } })).status).toBe(404);
      expect((await call(share.loader, { db: t.db, path: "/wechat/share?url=http%3A%2F%2Flocalhost%3A3000%2F" })).status).toBe(404);
    } finally {
      for (const [name, value] of Object.entries(wx.env)) vi.stubEnv(name, value);
    }
  });

  it("keys a vote that requires WeChat by the voter's openid, held for them and never in the page", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { status: "online_vote" });
    const [first, second] = await makeNominations(t.db, campaign.id, ["投票甲", "投票乙"], { candidate: true, qualification_result: "pass" });
    await makeVoteRules(t.db, campaign.id, city.id, { wechat_required: true });
    const params = { campaignId: String(campaign.id) };
    const path = `/vote/${campaign.id}`;

    // Outside WeChat the page says where to vote.
    expect(await jsonOf(await call(votePage.loader, { db: t.db, path, params }))).toMatchObject({ wechat: "outside" });
    // Inside, the silent authorisation comes first, and brings the voter back with their openid held.
    wx.as("o-voter-route");
    const toWechat = await call(votePage.loader, { db: t.db, path, params, headers: { "user-agent": WECHAT_UA } });
    expect(new URL(toWechat.headers.get("location")!).searchParams.get("scope")).toBe("snsapi_base");
    const back = new URL((await fetch(toWechat.headers.get("location")!, { redirect: "manual" })).headers.get("location")!);
    const returned = await call(callback.loader, { db: t.db, path: back.pathname + back.search, cookie: cookieOf(toWechat, "jx_flow_wechat") });
    expect(returned.headers.get("location")).toBe(`${path}?wx=1`);
    const voter = cookieOf(returned, "jx_flow_wechat")!;
    const page = await call(votePage.loader, { db: t.db, path: `${path}?wx=1`, params, cookie: voter, headers: { "user-agent": WECHAT_UA } });
    const shown = await page.text();
    expect(JSON.parse(shown)).toMatchObject({ wechat: "held" });
    expect(shown).not.toContain("o-voter-route");

    const cast = async (cookie: string | null, phone: string, choice: number) => {
      const printed = vi.spyOn(console, "log").mockImplementation(() => {});
      await call(votePage.action, { db: t.db, path, params, cookie, form: { intent: "code", phone, altcha: await solvedChallenge(campaign.id) } });
      const code = printed.mock.calls.map((c) => String(c[0]).match(/网络投票验证码是 (\d{6})/)?.[1]).find(Boolean);
      printed.mockRestore();
      return call(votePage.action, { db: t.db, path, params, cookie, form: { intent: "vote", phone, code: code ?? "000000", choices: String(choice) } });
    };
    // Without the held openid (another browser), no ballot.
    const bare = await cast(null, "13957622001", first);
    expect([bare.status, (await jsonOf(bare)).message]).toEqual([409, "本次投票需要在微信中进行：请在微信中打开投票页面"]);
    expect((await cast(voter, "13957622002", first)).status).toBe(200);
    // Another number, the same WeChat, the same candidate: refused; another candidate: counted.
    const twice = await cast(voter, "13957622003", first);
    expect([twice.status, (await jsonOf(twice)).message]).toEqual([409, expect.stringContaining("投票甲")]);
    expect((await cast(voter, "13957622004", second)).status).toBe(200);
  });
});
