import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as root from "../../app/root";
import * as login from "../../app/routes/login";
import * as noticePage from "../../app/routes/notice.$campaignId";
import * as peopleNew from "../../app/routes/people.new";
import * as plaque from "../../app/routes/studios.$studioId.plaque";
import * as voteQr from "../../app/routes/vote.$campaignId.qr.$nominationId";
import * as votePage from "../../app/routes/vote.$campaignId._index";
import { qrSvg } from "../../app/lib/qr.server";
import * as personPage from "../../app/routes/people.$personId._index";
import * as publicity from "../../app/routes/publicity";
import * as clippingRoute from "../../app/routes/showcase.clippings.$itemId";
import * as photoRoute from "../../app/routes/showcase.photos.$personId";
import { useTestDb } from "../db";
import { cookieFor, makeAwardee, makeCampaign, makeNominations, makeStudio, makeUser, makeVoteRules } from "../factories";
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
      [noticePage.action, `/notice/${campaign.id}`, 17 * 1024 * 1024, "multipart/form-data; boundary=x"],
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
