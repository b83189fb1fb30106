import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import * as root from "../../app/root";
import * as landing from "../../app/routes/_index";
import * as awardPage from "../../app/routes/awards.$number";
import * as attendancePage from "../../app/routes/certificates.$code";
import * as noticePage from "../../app/routes/notice.$campaignId";
import * as card from "../../app/routes/og.$kind.$file";
import * as privacyPage from "../../app/routes/privacy._index";
import * as revocations from "../../app/routes/revocations";
import * as showcase from "../../app/routes/showcase._index";
import * as profile from "../../app/routes/showcase.craftsmen.$personId";
import * as publicStudio from "../../app/routes/showcase.studios.$studioId";
import * as studios from "../../app/routes/showcase.studios._index";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import * as publishPage from "../../app/routes/subsidies.notices";
import * as policyRoute from "../../app/routes/subsidies.policy/route";
import * as subsidyNotices from "../../app/routes/subsidy-notice._index";
import * as subsidyNotice from "../../app/routes/subsidy-notice.$noticeId";
import * as verify from "../../app/routes/verify";
import * as votePage from "../../app/routes/vote.$campaignId._index";
import * as voteResults from "../../app/routes/vote.$campaignId.results";
import { recordConsent, withdrawConsent } from "../../app/modules/showcase/showcase.server";
import { shareCardHeld } from "../../app/lib/share-card.server";
import { addDays, todayInTaizhou } from "../../app/lib/time";
import { useTestDb } from "../db";
import { makeAwardee, makeCampaign, makeEvent, makeLedStudio, makeRevocationDocument, makeStudio, makeSubsidy, makeUser, makeVoteRules } from "../factories";
import { call, jsonOf } from "../http";

/**
 * Issue 36, item 2: every public page names a share card (og:image) on the configured public address,
 * and the card, asked of the app, is the PNG of the stated size; it exists while its page does, shows
 * a craftsman's photo only while the page does, and changes (its ETag) when what the page says changes.
 */
const t = useTestDb();
const PUBLIC = "https://jiangxin.example.cn";
beforeEach(() => void (process.env.PUBLIC_URL = PUBLIC));
afterEach(() => void delete process.env.PUBLIC_URL);

type Tag = { property?: string; name?: string; content?: string; title?: string };

/** The page's meta tags as Remix makes them: the route's meta over its loader's data and the root's. */
async function metaOf(route: { meta?: MetaFunction<never> }, response: Response, pathname: string): Promise<Tag[]> {
  const rootData = await ((await root.loader({ request: new Request(`http://evil.example${pathname}`), params: {}, context: {} })) as Response).json();
  return route.meta!({
    data: await jsonOf(response),
    params: {},
    location: { pathname, search: "", hash: "", state: null, key: "default" },
    matches: [{ id: "root", data: rootData, params: {}, pathname: "/", meta: [], handle: undefined }],
    error: undefined,
  } as never) as Tag[];
}

const tag = (tags: Tag[], key: string) => tags.find((m) => m.property === key || m.name === key)?.content;

/** The card at an address, asked of the app's card route as a reader would (optionally with the ETag it holds). */
function fetchCard(address: string, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(address);
  const [, kind, file] = /^\/og\/([^/]+)\/([^/]+)$/.exec(url.pathname) ?? [];
  return call(card.loader, { db: t.db, path: url.pathname, params: { kind: kind ?? "", file: file ?? "" }, headers });
}

const cardPath = (kind: string, file: string | number) => ({ path: `/og/${kind}/${file}`, params: { kind, file: String(file) } });
const askCard = (kind: string, file: string | number) => call(card.loader, { db: t.db, ...cardPath(kind, file) });

/** The photo's colour, which nothing else on a card is drawn in. */
const PHOTO_RGB = [30, 144, 255] as const;
const photoFile = async () =>
  new Uint8Array(
    await sharp({ create: { width: 400, height: 500, channels: 3, background: "#1e90ff" } })
      .png()
      .toBuffer(),
  );

/** How many of the card's pixels are the photo's. */
async function photoPixels(response: Response): Promise<number> {
  const { data, info } = await sharp(Buffer.from(await response.clone().arrayBuffer()))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (Math.abs(data[i]! - PHOTO_RGB[0]) < 12 && Math.abs(data[i + 1]! - PHOTO_RGB[1]) < 12 && Math.abs(data[i + 2]! - PHOTO_RGB[2]) < 12) count++;
  }
  return count;
}

/** A named craftsman their county has recorded consent for, with a photo unless `photo: false`. */
async function consenting(name: string, { photo = true } = {}) {
  const awardee = await makeAwardee(t.db, "wenling", name);
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  const recorded = await recordConsent(t.db, county, awardee.person.id, {
    howObtained: "本人签署同意书",
    story: "扎根一线二十年，练就铸造绝活。",
    photo: photo ? { name: "photo.png", bytes: await photoFile() } : null,
  });
  expect(recorded).toEqual({ ok: true });
  return { ...awardee, county };
}

describe("share cards of the public pages", () => {
  it("names a 1200×630 PNG on the public address in every public page's og:image, which the app serves, kept a minute, with an ETag", async () => {
    const city = await makeUser(t.db, "city_admin");
    const { person } = await consenting("分享工匠");
    const award = await t.db.selectFrom("award").select("certificate_number").where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const studio = await makeStudio(t.db, person.id, city.id, { name: "分享工匠工作室" });
    const noticed = await makeCampaign(t.db, { status: "public_notice" });
    const today = todayInTaizhou();
    await t.db
      .updateTable("campaign")
      .set({ notice_start: addDays(today, -1), notice_end: addDays(today, 6) })
      .where("id", "=", noticed.id)
      .execute();
    const voting = await makeCampaign(t.db, { status: "online_vote", title: "第九届“台州工匠”选树活动" });
    await makeVoteRules(t.db, voting.id, city.id);
    // A 公示 of the year's approved subsidies, published by the city.
    const year = new Date().getFullYear();
    const policy = await call(policyRoute.action, {
      db: t.db,
      path: `/subsidies/policy?year=${year}`,
      as: city,
      form: { budget: "500,000", sharePercent: "50", holdbackPercent: "20", yearsAfterAward: "10", noticeDays: "7", open: "on", "cap-本科": "15000" },
    });
    expect(policy.status).toBe(200);
    await makeSubsidy(t.db, year, city.id, { name: "欧阳春晓" });
    const published = await call(publishPage.action, {
      db: t.db,
      path: `/subsidies/notices?year=${year}`,
      as: city,
      form: { intent: "publish", expected: "1", confirmed: "1" },
    });
    expect(published.status).toBe(200);
    const notice = await t.db.selectFrom("subsidy_notice").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    // A certificate of attendance, opened by its code.
    const organiser = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const event = await makeEvent(t.db, organiser.id, {
      title: "交流会",
      starts_at: new Date(Date.now() - 5 * 3_600_000),
      ends_at: new Date(Date.now() - 3 * 3_600_000),
      checkin_code: "SHARE1",
    });
    await t.db
      .insertInto("event_participant")
      .values({ event_id: event.id, person_id: person.id, attended: true, hours: 2, registered_by: organiser.id, certificate_code: "JX7K2M9QSHAR" })
      .execute();

    const pages: Array<[route: { loader: (args: LoaderFunctionArgs) => unknown; meta?: MetaFunction<never> }, path: string, params: Record<string, string>]> = [
      [landing, "/", {}],
      [showcase, "/showcase", {}],
      [profile, `/showcase/craftsmen/${person.id}`, { personId: String(person.id) }],
      [studios, "/showcase/studios", {}],
      [publicStudio, `/showcase/studios/${studio.id}`, { studioId: String(studio.id) }],
      [noticePage, `/notice/${noticed.id}`, { campaignId: String(noticed.id) }],
      [votePage, `/vote/${voting.id}`, { campaignId: String(voting.id) }],
      [voteResults, `/vote/${voting.id}/results`, { campaignId: String(voting.id) }],
      [subsidyNotices, "/subsidy-notice", {}],
      [subsidyNotice, `/subsidy-notice/${notice.id}`, { noticeId: String(notice.id) }],
      [verify, "/verify", {}],
      [privacyPage, "/privacy", {}],
      [awardPage, `/awards/${award.certificate_number}`, { number: award.certificate_number }],
      [attendancePage, "/certificates/JX7K2M9QSHAR", { code: "JX7K2M9QSHAR" }],
    ];
    const images = new Set<string>();
    for (const [route, path, params] of pages) {
      const page = await call(route.loader, { db: t.db, path, params });
      expect([path, page.status]).toEqual([path, 200]);
      const tags = await metaOf(route, page, path);
      const image = tag(tags, "og:image");
      // On the configured address, never the request's host (the forged one the root loader was asked with).
      expect([path, image?.startsWith(`${PUBLIC}/og/`)]).toEqual([path, true]);
      expect(JSON.stringify(tags)).not.toMatch(/evil\.example|jiangxin\.test/);
      expect([tag(tags, "og:image:type"), tag(tags, "og:image:width"), tag(tags, "og:image:height")]).toEqual(["image/png", "1200", "630"]);
      expect(tag(tags, "og:image:alt")).toMatch(/\S/);
      expect(tag(tags, "twitter:card")).toBe("summary_large_image");
      images.add(image!);

      const served = await fetchCard(image!);
      expect([image, served.status]).toEqual([image, 200]);
      expect(served.headers.get("content-type")).toBe("image/png");
      expect(served.headers.get("cache-control")).toBe("public, max-age=60");
      const etag = served.headers.get("etag");
      expect(etag).toMatch(/^"[\w-]+"$/);
      const png = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      expect([image, png.format, png.width, png.height]).toEqual([image, "png", 1200, 630]);
      // Asked again with the ETag it holds, a reader is told nothing changed, with no picture sent.
      const again = await fetchCard(image!, { "if-none-match": etag! });
      expect(again.status).toBe(304);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
    }
    // Each page its own card (the certificates' name no holder: the same card for every certificate).
    expect(images.size).toBe(pages.length);
  });

  it("shows a craftsman's photo only while their consent stands, as their page does, and has no card once it is withdrawn", async () => {
    const withPhoto = await consenting("有照片工匠");
    const withoutPhoto = await consenting("无照片工匠", { photo: false });
    const shown = await askCard("craftsman", `${withPhoto.person.id}.png`);
    expect(shown.status).toBe(200);
    expect(await photoPixels(shown)).toBeGreaterThan(10_000);
    expect(shareCardHeld(`/og/craftsman/${withPhoto.person.id}.png`)).toBe(true);
    const plain = await askCard("craftsman", `${withoutPhoto.person.id}.png`);
    expect(plain.status).toBe(200);
    expect(await photoPixels(plain)).toBe(0);
    // No consent recorded at all: no page, no card.
    const never = await makeAwardee(t.db, "wenling", "未同意工匠");
    expect(
      (await call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${never.person.id}`, params: { personId: String(never.person.id) } })).status,
    ).toBe(404);
    expect((await askCard("craftsman", `${never.person.id}.png`)).status).toBe(404);

    expect(await withdrawConsent(t.db, withPhoto.county, withPhoto.person.id, "本人要求")).toEqual({ ok: true });
    const params = { personId: String(withPhoto.person.id) };
    expect((await call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${withPhoto.person.id}`, params })).status).toBe(404);
    expect((await askCard("craftsman", `${withPhoto.person.id}.png`)).status).toBe(404);
    // Nor is the drawing with the photo kept in memory, where nobody could be served it either.
    expect(shareCardHeld(`/og/craftsman/${withPhoto.person.id}.png`)).toBe(false);
  });

  it("serves no card for a revoked title, a revoked studio or one not accredited", async () => {
    const { person, city, studio } = await makeLedStudio(t.db, "撤销分享");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await recordConsent(t.db, county, person.id, { howObtained: "书面同意", story: "扎根一线二十年，练就绝活。", photo: null })).toEqual({ ok: true });
    const award = await t.db.selectFrom("award").select("certificate_number").where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const other = await makeAwardee(t.db, "wenling", "待授牌工匠");
    const waiting = await makeStudio(t.db, other.person.id, city.id, { name: "待授牌工作室", status: "submitted", plaque_number: null, accredited_on: null });
    expect((await askCard("craftsman", `${person.id}.png`)).status).toBe(200);
    expect((await askCard("studio", `${studio.id}.png`)).status).toBe(200);
    expect((await askCard("studio", `${waiting.id}.png`)).status).toBe(404);

    const doc = await makeRevocationDocument(t.db);
    const stated = { documentId: String(doc.id), revokedOn: "2026-03-02", reason: "弄虚作假", confirmed: "1" };
    const revoked = await call(revocations.action, {
      db: t.db,
      path: "/revocations",
      as: city,
      form: { intent: "award", certificateNumber: award.certificate_number, ...stated },
    });
    expect(await jsonOf(revoked)).toMatchObject({ ok: true });
    const plaque = await call(studioPage.action, {
      db: t.db,
      path: `/studios/${studio.id}`,
      params: { studioId: String(studio.id) },
      as: city,
      form: { intent: "step", step: "revoke", expected: "active", ...stated },
    });
    expect(plaque.status).toBe(200);
    expect((await askCard("craftsman", `${person.id}.png`)).status).toBe(404);
    // The plaque's QR still opens a page (saying 已撤销), but it has no share card and names none.
    const target = await call(publicStudio.loader, { db: t.db, path: `/showcase/studios/${studio.id}`, params: { studioId: String(studio.id) } });
    expect(target.status).toBe(200);
    expect(tag(await metaOf(publicStudio, target, `/showcase/studios/${studio.id}`), "og:image")).toBeUndefined();
    expect((await askCard("studio", `${studio.id}.png`)).status).toBe(404);
  });

  it("answers a bad or unknown card address with a 404, never a 500", async () => {
    const wrong: string[] = [];
    const addresses: Array<[string, string]> = [
      ["craftsman", "abc.png"],
      ["craftsman", "-1.png"],
      ["craftsman", "0.png"],
      ["craftsman", "2147483648.png"],
      ["craftsman", "99999999999999999999.png"],
      ["craftsman", "1e3.png"],
      ["craftsman", "12"],
      ["craftsman", "12.jpg"],
      ["craftsman", "12.png.png"],
      ["craftsman", "1\u0000.png"],
      ["craftsman", "１２.png"],
      ["constructor", "1.png"],
      ["__proto__", "1.png"],
      ["page", "toString.png"],
      ["page", "unknown.png"],
      ["page", "1.png"],
      ["craftsman", "showcase.png"],
      ...["craftsman", "studio", "notice", "vote", "vote-results", "subsidy-notice"].map((kind): [string, string] => [kind, "999999.png"]),
    ];
    for (const [kind, file] of addresses) {
      const answer = await askCard(kind, file);
      if (answer.status !== 404) wrong.push(`${kind}/${file}: ${answer.status}`);
      else expect((await jsonOf(answer)).error).toBe("没有这张分享卡片");
    }
    expect(wrong).toEqual([]);
  });

  it("changes the card, and its ETag, when what the page says changes", async () => {
    const { city, studio } = await makeLedStudio(t.db, "改名");
    const first = await askCard("studio", `${studio.id}.png`);
    const before = first.headers.get("etag");
    expect((await askCard("studio", `${studio.id}.png`)).headers.get("etag")).toBe(before);
    await t.db.updateTable("studio").set({ name: "改名后的工作室" }).where("id", "=", studio.id).execute();
    const page = await call(publicStudio.loader, { db: t.db, path: `/showcase/studios/${studio.id}`, params: { studioId: String(studio.id) } });
    expect(tag(await metaOf(publicStudio, page, `/showcase/studios/${studio.id}`), "og:title")).toBe("改名后的工作室 · 台州工匠");
    const renamed = await askCard("studio", `${studio.id}.png`);
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get("etag")).not.toBe(before);
    // A reader holding the old card is sent the new one, not a 304.
    expect((await call(card.loader, { db: t.db, ...cardPath("studio", `${studio.id}.png`), headers: { "if-none-match": before! } })).status).toBe(200);

    const voting = await makeCampaign(t.db, { status: "online_vote", title: "第十届“台州工匠”选树活动" });
    await makeVoteRules(t.db, voting.id, city.id);
    const vote = (await askCard("vote", `${voting.id}.png`)).headers.get("etag");
    await t.db.updateTable("campaign").set({ title: "第十届“台州工匠”选树活动（更正）" }).where("id", "=", voting.id).execute();
    expect((await askCard("vote", `${voting.id}.png`)).headers.get("etag")).not.toBe(vote);
  });
});
