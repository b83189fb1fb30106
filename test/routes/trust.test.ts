import { afterEach, beforeEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as root from "../../app/root";
import * as newNomination from "../../app/routes/campaigns.$campaignId.nominations.new";
import * as editNomination from "../../app/routes/nominations.$nominationId.edit";
import * as nominationPage from "../../app/routes/nominations.$nominationId._index/route";
import * as eventList from "../../app/routes/events._index";
import * as checkin from "../../app/routes/checkin";
import { createEvent } from "../../app/modules/events/events.server";
import { eventSchema } from "../../app/modules/events/schema.server";
import { toDateTimeLocal } from "../../app/lib/time";
import * as smsPage from "../../app/routes/sms";
import * as challengeRoute from "../../app/routes/vote.$campaignId.challenge";
import { loggedPath } from "../../app/lib/access-log";
import { sanitizedError, smsGateway } from "../../app/lib/sms.server";
import { addressKey } from "../../app/auth/throttle.server";
import { failedSignInsBeforeThisOne, signIn } from "../../app/auth/session.server";
import * as login from "../../app/routes/login";
import * as noticePage from "../../app/routes/notice.$campaignId";
import * as peopleNew from "../../app/routes/people.new";
import * as plaque from "../../app/routes/studios.$studioId.plaque";
import * as voteQr from "../../app/routes/vote.$campaignId.qr.$nominationId";
import * as votePage from "../../app/routes/vote.$campaignId._index";
import { qrSvg } from "../../app/lib/qr.server";
import * as personPage from "../../app/routes/people.$personId._index/route";
import * as publicity from "../../app/routes/publicity";
import * as clippingRoute from "../../app/routes/showcase.clippings.$itemId";
import * as photoRoute from "../../app/routes/showcase.photos.$personId";
import * as photoViewer from "../../app/routes/photo";
import { useTestDb } from "../db";
import {
  cookieFor,
  makeAwardee,
  makeCampaign,
  makeNominations,
  makeStudio,
  makeUser,
  makeVoteRules,
  nominationForm,
  solvedChallenge,
  TEST_PASSWORD,
  unitId,
} from "../factories";
import { phoneJpeg } from "../files";
import { call, ORIGIN } from "../http";

/**
 * Trust, round three (issue 29): each class of what an attacker found, with the test that fails
 * without its fix. Both engines.
 */
const t = useTestDb();
const latin1 = (bytes: ArrayBuffer) => Buffer.from(bytes).toString("latin1");

describe("published images carry no metadata", () => {
  it("a clipping uploaded with EXIF GPS is published without it, and one stored before the fix is cleaned as it is served", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "剪报工匠");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const consent = await call(personPage.action, {
      db: t.db,
      path: `/people/${person.id}`,
      params: { personId: String(person.id) },
      as: county,
      form: { intent: "consent", howObtained: "本人书面同意", story: "三十年如一日钻研缝纫机装配工艺。", photo: new File([phoneJpeg()], "me.jpg") },
    });
    expect(consent.status).toBeLessThan(400);
    const posted = await call(publicity.action, {
      db: t.db,
      path: "/publicity",
      as: county,
      form: {
        outlet: "newspaper",
        outletName: "台州日报",
        title: "匠心报道",
        publishedOn: "2026-05-01",
        personId: String(person.id),
        clipping: new File([phoneJpeg()], "报道.jpg", { type: "image/jpeg" }),
      },
    });
    expect(posted.status).toBe(200);
    const item = await t.db.selectFrom("publicity_item").select("id").where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const served = await call(clippingRoute.loader, { db: t.db, path: `/showcase/clippings/${item.id}`, params: { itemId: String(item.id) } });
    expect(served.status).toBe(200);
    const body = latin1(await served.arrayBuffer());
    expect(body).toContain("JFIF");
    expect(body).not.toContain("GPS");
    expect(body).not.toContain("28.6558");
    // What is stored is clean too, not only what is served.
    const stored = await t.db.selectFrom("publicity_item").select("clipping").where("id", "=", item.id).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.clipping!).toString("latin1")).not.toContain("GPS");

    // Rows stored before the fix (byte for byte): cleaned on the way out.
    await t.db
      .updateTable("publicity_item")
      .set({ clipping: Buffer.from(phoneJpeg()) })
      .where("id", "=", item.id)
      .execute();
    await t.db
      .updateTable("publication_consent")
      .set({ photo: Buffer.from(phoneJpeg()) })
      .where("person_id", "=", person.id)
      .execute();
    const again = await call(clippingRoute.loader, { db: t.db, path: `/showcase/clippings/${item.id}`, params: { itemId: String(item.id) } });
    expect(latin1(await again.arrayBuffer())).not.toContain("GPS");
    const photo = await call(photoRoute.loader, { db: t.db, path: `/showcase/photos/${person.id}`, params: { personId: String(person.id) } });
    expect(photo.status).toBe(200);
    expect(latin1(await photo.arrayBuffer())).not.toContain("GPS");
  });
});

describe("the photo viewer shows no text of a link's making", () => {
  it("shows the photo's own file route only, whatever text the link carries", async () => {
    const phishing = "您的账号存在风险，请立即拨打 400-000-0000";
    const shown = await call(photoViewer.loader, { db: t.db, path: `/photo?src=/evidence/1&name=${encodeURIComponent(phishing)}` });
    expect(shown.status).toBe(200);
    expect(JSON.stringify(await shown.json())).not.toContain("400-000-0000");
    expect((await call(photoViewer.loader, { db: t.db, path: "/photo?src=https://evil.example/x.jpg" })).status).toBe(404);
  });
});

describe("absolute links come from the configured public address", () => {
  beforeEach(() => void (process.env.PUBLIC_URL = "https://jiangxin.example.cn"));
  afterEach(() => void delete process.env.PUBLIC_URL);
  // What a forged Host header makes of the request's URL: the page must not repeat it.
  const forged = (path: string, headers: Record<string, string> = {}) => new Request(`http://evil.example${path}`, { headers });

  it("the vote's share QR (cached an hour), the plaque's QR and the pages' og:url ignore the Host header", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { year: 2026, status: "online_vote" });
    const [nomination] = await makeNominations(t.db, campaign.id, ["链接甲"], { candidate: true });
    await makeVoteRules(t.db, campaign.id, city.id);
    const params = { campaignId: String(campaign.id), nominationId: String(nomination) };
    const qr = (await voteQr.loader({ request: forged(`/vote/${campaign.id}/qr/${nomination}`), params, context: {} })) as Response;
    expect(qr.headers.get("cache-control")).toContain("public");
    const svg = await qr.text();
    expect(svg).toBe(await qrSvg(`https://jiangxin.example.cn/vote/${campaign.id}#c-${nomination}`));
    expect(svg).not.toBe(await qrSvg(`http://evil.example/vote/${campaign.id}#c-${nomination}`));

    const { person, user } = await makeAwardee(t.db, "wenling", "牌匾工匠");
    const studio = await makeStudio(t.db, person.id, city.id);
    const sheet = (await plaque.loader({
      request: forged(`/studios/${studio.id}/plaque`, { cookie: await cookieFor(t.db, user) }),
      params: { studioId: String(studio.id) },
      context: {},
    })) as Response;
    expect((await sheet.json()).address).toBe(`https://jiangxin.example.cn/showcase/studios/${studio.id}`);

    const rootData = await ((await root.loader({ request: forged("/vote/1"), params: {}, context: {} })) as Response).json();
    const tags = votePage.meta!({
      data: undefined,
      params: {},
      location: { pathname: `/vote/${campaign.id}`, search: "", hash: "", state: null, key: "default" },
      matches: [{ id: "root", data: rootData, params: {}, pathname: "/", meta: [], handle: undefined }],
      error: undefined,
    } as never);
    expect(tags).toContainEqual({ property: "og:url", content: `https://jiangxin.example.cn/vote/${campaign.id}` });
    expect(JSON.stringify(tags)).not.toContain("evil.example");
  });
});

describe("bounded bodies, never echoed", () => {
  /** A body that must not be read: pulling from it fails the test's request with a 500. */
  const unread = () =>
    new ReadableStream({
      pull() {
        throw new Error("the body was read");
      },
    });
  const oversized = (path: string, length: number, type = "application/x-www-form-urlencoded", cookie = "") =>
    new Request(ORIGIN + path, {
      method: "POST",
      body: unread(),
      duplex: "half",
      headers: { origin: ORIGIN, "content-type": type, "content-length": String(length), cookie },
    } as RequestInit);
  const answer = async (fn: (args: never) => unknown, request: Request, params: Record<string, string> = {}) => {
    try {
      const result = await fn({ request, params, context: {} } as never);
      return result as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      return new Response(String(thrown), { status: 500 });
    }
  };

  it("the public vote, the notice and the sign-in refuse a body larger than they take with a 413, without reading it", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { year: 2026, status: "online_vote" });
    await makeVoteRules(t.db, campaign.id, city.id);
    const params = { campaignId: String(campaign.id) };
    const officer = await cookieFor(t.db, await makeUser(t.db, "county_officer", { unit: "wenling" }));
    for (const [fn, path, length, type, cookie] of [
      [votePage.action, `/vote/${campaign.id}`, 300_000, undefined],
      [noticePage.action, `/notice/${campaign.id}`, 33 * 1024 * 1024, "multipart/form-data; boundary=x"],
      [login.action, "/login", 9_300_000, undefined],
      [peopleNew.action, "/people/new", 9_300_000, undefined, officer],
    ] as const) {
      const response = await answer(fn as never, oversized(path, length, type, cookie), params);
      expect([path, response.status]).toEqual([path, 413]);
      expect(await response.text()).toMatch(/提交的内容过大/);
    }
  });

  it("a refused sign-in echoes at most 3,000 characters of a field, and a field past 10,000 is refused unread by the form", async () => {
    const long = "长".repeat(9_000);
    const replied = await call(login.action, { db: t.db, path: "/login", form: { username: long, password: "x" } });
    expect(replied.status).toBe(400);
    const text = await replied.text();
    expect(text.length).toBeLessThan(5_000);
    const refused = await call(login.action, { db: t.db, path: "/login", form: { username: "长".repeat(10_001), password: "x" } });
    expect(refused.status).toBe(400);
    expect((await refused.text()).length).toBeLessThan(500);
  });
});

/** A vote open now with two candidates, and the city officer who set it. */
async function openVote() {
  const city = await makeUser(t.db, "city_admin");
  const campaign = await makeCampaign(t.db, { year: 2026, status: "online_vote" });
  const ids = await makeNominations(t.db, campaign.id, ["候选甲", "候选乙"], { candidate: true });
  await makeVoteRules(t.db, campaign.id, city.id);
  return { city, campaign, ids, path: `/vote/${campaign.id}`, params: { campaignId: String(campaign.id) } };
}

describe("secrets never in logs", () => {
  it("a vote code is sent in full but kept masked in 短信记录, its stored text and parameters alike", async () => {
    const { city, path, params, campaign } = await openVote();
    const sent = await call(votePage.action, {
      db: t.db,
      path,
      params,
      peer: "203.0.113.7",
      form: { intent: "code", phone: "13957612345", altcha: await solvedChallenge(campaign.id) },
    });
    expect(sent.status).toBe(200);
    const row = await t.db.selectFrom("sms_message").select(["text", "params"]).where("template", "=", "vote_code").executeTakeFirstOrThrow();
    expect(row.text).toContain("验证码是 ******");
    expect(JSON.stringify(row.params)).not.toMatch(/\d{6}/);
    expect(row.text).not.toMatch(/\d{6}/);
    const log = await (await call(smsPage.loader, { db: t.db, path: "/sms", as: city })).text();
    expect(log).toContain("******");
    expect(log).not.toMatch(/验证码是 \d{6}/);
  });

  it("a provider's error text is stored without the number, the code, keys, addresses or markup", async () => {
    const standIn = http.createServer((req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          Code: "isv.MOBILE_NUMBER_ILLEGAL",
          Message:
            'Mobile 13957612345 rejected; TemplateParam {"code":"483920"}; AccessKeyId=LTAI5tQx9 <script>alert(1)</script> see https://help.example/x\u0000',
        }),
      );
    });
    await new Promise<void>((resolve) => standIn.listen(0, "127.0.0.1", resolve));
    try {
      const gateway = smsGateway({
        driver: "aliyun",
        endpoint: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/`,
        accessKeyId: "LTAI5tQx9",
        accessKeySecret: "secret",
        signName: "匠心",
        templates: { vote_code: "SMS_1" },
      });
      const result = await gateway.send({ phone: "13957612345", template: "vote_code", params: { code: "483920" }, text: "验证码是 483920" });
      expect(result.ok).toBe(false);
      const error = (result as { error: string }).error;
      expect(error).toContain("isv.MOBILE_NUMBER_ILLEGAL");
      for (const secret of ["13957612345", "483920", "LTAI", "<script", "help.example", "\u0000"]) expect(error).not.toContain(secret);
    } finally {
      standIn.close();
    }
    expect(sanitizedError("短信平台无法连接：connect ECONNREFUSED 10.0.0.5:443 https://dysmsapi.aliyuncs.com/?Signature=abc")).not.toMatch(
      /aliyuncs|abc|10\.0\.0\.5/,
    );
  });

  it("the access log keeps paths, not the ID or phone numbers, receipts, lookup and certificate codes or tokens in them", () => {
    expect(loggedPath("/people?q=330102198506010013&page=2")).toBe("/people?q=***&page=2");
    expect(loggedPath("/people?name=%E9%99%88&unit=13957612345")).toBe("/people?name=%E9%99%88&unit=***");
    expect(loggedPath("/vote/3/results?receipt=ABCDEFGHJK")).toBe("/vote/3/results?receipt=***");
    expect(loggedPath("/notice/3?lookup=YYABCDEFGH")).toBe("/notice/3?lookup=***");
    expect(loggedPath("/checkin?e=5&t=1234.abcdef")).toBe("/checkin?e=5&t=***");
    expect(loggedPath("/certificates/JX7K2M9Q")).toBe("/certificates/***");
    expect(loggedPath("/verify?code=C-2019-001")).toBe("/verify?code=***");
    // Spaced out or full-width, a number is still a number.
    expect(loggedPath("/subsidies?x=139%205761%202345")).toBe("/subsidies?x=***");
    expect(loggedPath("/subsidies?x=%EF%BC%91%EF%BC%93%EF%BC%99%EF%BC%95%EF%BC%97%EF%BC%96")).toBe("/subsidies?x=***");
  });
});

describe("vote integrity in the default set-up", () => {
  it("without a proxy, the socket's address carries the per-address code limit; a forged X-Forwarded-For changes nothing", async () => {
    const { path, params, campaign } = await openVote();
    // Thirty codes from one address within the hour, as the limit allows.
    await t.db
      .insertInto("vote_code")
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          campaign_id: campaign.id,
          phone_hash: `h${i}`,
          phone_masked: "139****0000",
          code_hash: "x",
          address: "198.51.100.23",
          expires_at: new Date(Date.now() + 600_000),
        })),
      )
      .execute();
    const ask = async (peer: string, phone: string, headers: Record<string, string> = {}) =>
      call(votePage.action, { db: t.db, path, params, peer, headers, form: { intent: "code", phone, altcha: await solvedChallenge(campaign.id) } });
    const refused = await ask("198.51.100.23", "13957600001", { "x-forwarded-for": "192.0.2.1" });
    expect(refused.status).toBe(429);
    expect((await ask("198.51.100.24", "13957600002")).status).toBe(200);
  });

  it("an IPv6 phone counts by its /64: a fresh address from the same prefix meets the same limit", async () => {
    expect(addressKey("2408:8207:1:2:aaaa:bbbb:cccc:1")).toBe("2408:8207:1:2::/64");
    expect(addressKey("2408:8207:1:2::9")).toBe("2408:8207:1:2::/64");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("not an address")).toBeNull();
    process.env.TRUST_PROXY = "1";
    try {
      const { path, params, campaign } = await openVote();
      const ask = async (forwarded: string, phone: string) =>
        call(votePage.action, {
          db: t.db,
          path,
          params,
          headers: { "x-forwarded-for": forwarded },
          form: { intent: "code", phone, altcha: await solvedChallenge(campaign.id) },
        });
      await t.db
        .insertInto("vote_code")
        .values(
          Array.from({ length: 30 }, (_, i) => ({
            campaign_id: campaign.id,
            phone_hash: `v6-${i}`,
            phone_masked: "139****0000",
            code_hash: "x",
            address: "2408:8207:1:2::/64",
            expires_at: new Date(Date.now() + 600_000),
          })),
        )
        .execute();
      expect((await ask("2408:8207:1:2:9999:8888:7777:6666", "13957600003")).status).toBe(429);
      expect((await ask("2408:8207:1:3::1", "13957600004")).status).toBe(200);
    } finally {
      delete process.env.TRUST_PROXY;
    }
  });

  it("the code request, the ballot and the objection refuse another site's post; a challenge solved for one campaign is refused by another", async () => {
    const { path, params, campaign } = await openVote();
    for (const intent of ["code", "vote"]) {
      const response = await call(votePage.action, { db: t.db, path, params, origin: "https://evil.example", form: { intent, phone: "13957600009" } });
      expect(response.status).toBe(403);
    }
    const objection = await call(noticePage.action, { db: t.db, path: `/notice/${campaign.id}`, params, origin: null, form: { intent: "object" } });
    expect(objection.status).toBe(403);
    const other = await makeCampaign(t.db, { year: 2026, status: "online_vote" });
    const challenge = await (
      await call(challengeRoute.loader, { db: t.db, path: `/vote/${other.id}/challenge`, params: { campaignId: String(other.id) } })
    ).json();
    const elsewhere = await call(votePage.action, {
      db: t.db,
      path,
      params,
      form: { intent: "code", phone: "13957600010", altcha: await solvedChallenge(challenge) },
    });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("人机验证无效");
  });
});

describe("sign-in slowing does not keep the owner out", () => {
  const at = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);
  const from = (cookie = "") => new Request(`${ORIGIN}/login`, { method: "POST", headers: cookie ? { cookie } : {} });

  it("the browser the owner signed in with before passes the slowing an anonymous guesser causes; the owner is told of the guessing", async () => {
    const owner = await makeUser(t.db, "city_admin");
    const other = await makeUser(t.db, "county_officer");
    const start = new Date("2026-11-26T08:00:00Z");
    const first = await signIn(t.db, from(), { username: owner.username, password: TEST_PASSWORD }, at(start, 0));
    if (first.ok !== true || !first.deviceCookie) throw new Error("the first sign-in remembers the browser");
    expect(first.deviceCookie).toMatch(/HttpOnly; SameSite=Lax/);
    const device = first.deviceCookie.split(";")[0];
    // The guesser: fifty wrong passwords, one every 31 s, from nowhere in particular.
    let s = 10;
    for (let i = 0; i < 50; i++, s += 31) {
      expect(await signIn(t.db, from(), { username: owner.username, password: "wrong-pass-1" }, at(start, s))).toMatchObject({ status: 401 });
    }
    // Right after a guess: a fresh browser is slowed, the owner's own is not.
    expect(await signIn(t.db, from(), { username: owner.username, password: TEST_PASSWORD }, at(start, s - 30))).toMatchObject({ status: 429 });
    expect(await signIn(t.db, from(device), { username: owner.username, password: TEST_PASSWORD }, at(start, s - 29))).toMatchObject({ ok: true });
    expect(await failedSignInsBeforeThisOne(t.db, owner.id)).toBe(50);
    // The device stands for its own account only.
    for (let i = 0; i < 6; i++) await signIn(t.db, from(), { username: other.username, password: "wrong-pass-1" }, at(start, s + i * 10));
    expect(await signIn(t.db, from(device), { username: other.username, password: TEST_PASSWORD }, at(start, s + 51))).toMatchObject({ status: 429 });
    // And a stolen device cookie is no way to guess: it is locked after five wrong passwords.
    for (let i = 0; i < 5; i++) await signIn(t.db, from(device), { username: owner.username, password: "wrong-pass-2" }, at(start, s + 100 + i * 60));
    expect(await signIn(t.db, from(device), { username: owner.username, password: TEST_PASSWORD }, at(start, s + 500))).toMatchObject({ status: 429 });
  });
});

describe("scope, still open from last round", () => {
  it("check-in codes are no list data for those who only see the event (the organiser announces them at the door)", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const own = await makeAwardee(t.db, "wenling", "本县工匠");
    const now = Date.now();
    const created = await createEvent(
      t.db,
      officer,
      eventSchema.parse({
        title: "温岭技能交流",
        kind: "skill_exchange",
        organiser: `unit:${officer.orgUnitId}`,
        startsAt: toDateTimeLocal(new Date(now - 600_000)),
        endsAt: toDateTimeLocal(new Date(now + 3 * 3_600_000)),
        channel: "offline",
        place: "温岭市职工服务中心",
      }),
    );
    if (!created.ok) throw new Error("the event was not created");
    const event = await t.db.selectFrom("event").select("checkin_code").where("id", "=", created.id).executeTakeFirstOrThrow();
    const seen = await (await call(eventList.loader, { db: t.db, path: "/events", as: own.user })).json();
    const row = seen.rows.find((r: { id: number }) => r.id === created.id);
    expect(row).toBeDefined();
    expect(row.checkin_code).toBeNull();
    const managed = await (await call(eventList.loader, { db: t.db, path: "/events", as: officer })).json();
    expect(managed.rows.find((r: { id: number }) => r.id === created.id).checkin_code).toBe(event.checkin_code);
    // The county's own craftsman, whom the event is open to, checks in.
    expect((await call(checkin.action, { db: t.db, path: "/checkin", as: own.user, form: { code: event.checkin_code } })).status).toBe(200);
  });

  it("the nomination edit form does not move the person to another county, and the county does not see the experts' names and marks", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db);
    const form = await nominationForm(t.db);
    const created = await call(newNomination.action, {
      db: t.db,
      path: `/campaigns/${campaign.id}/nominations/new`,
      params: { campaignId: String(campaign.id) },
      as: wenling,
      form,
    });
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("location")!.split("/").pop());
    const params = { nominationId: String(id) };
    const moved = await call(editNomination.action, {
      db: t.db,
      path: `/nominations/${id}/edit`,
      params,
      as: wenling,
      form: { ...form, orgUnitId: String(await unitId(t.db, "jiaojiang")) },
    });
    expect(moved.status).toBe(400);
    const person = await t.db
      .selectFrom("nomination")
      .innerJoin("person", "person.id", "nomination.person_id")
      .select("person.org_unit_id")
      .where("nomination.id", "=", id)
      .executeTakeFirstOrThrow();
    expect(person.org_unit_id).toBe(await unitId(t.db, "wenling"));
    // An expert's mark on it, as the panel's sheets record them.
    await t.db.insertInto("expert_score").values({ nomination_id: id, expert_name: "专家 #7 王评审", score: 88, recorded_by: city.id }).execute();
    const county = await (await call(nominationPage.loader, { db: t.db, path: `/nominations/${id}`, params, as: wenling })).text();
    expect(county).not.toContain("王评审");
    expect(JSON.parse(county).scores).toEqual([]);
    const cityView = await (await call(nominationPage.loader, { db: t.db, path: `/nominations/${id}`, params, as: city })).json();
    expect(cityView.scores).toEqual([{ expert: "专家 #7 王评审", score: 88 }]);
  });
});
