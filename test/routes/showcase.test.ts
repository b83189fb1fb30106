import { describe, expect, it } from "vitest";
import * as personPage from "../../app/routes/people.$personId._index/route";
import * as publicity from "../../app/routes/publicity";
import * as photo from "../../app/routes/showcase.photos.$personId";
import * as profile from "../../app/routes/showcase.craftsmen.$personId";
import * as showcase from "../../app/routes/showcase._index";
import * as verify from "../../app/routes/verify";
import { useTestDb } from "../db";
import { cookieFor, makeAwardee, makeUser } from "../factories";
import { call, jsonOf, ORIGIN } from "../http";

const t = useTestDb();

async function consentForm(as: Awaited<ReturnType<typeof makeUser>>, personId: number, fields: Record<string, string>, photoFile?: File) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (photoFile) body.set("photo", photoFile);
  const request = new Request(`${ORIGIN}/people/${personId}`, { method: "POST", body, headers: { cookie: await cookieFor(t.db, as), origin: ORIGIN } });
  try {
    return (await personPage.action({ request, params: { personId: String(personId) }, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

describe("the public showcase", () => {
  it("shows a named craftsman only after their consent is recorded, and takes them off at once when it is withdrawn", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "公开工匠");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const params = { personId: String(person.id) };
    const publicPage = () => call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${person.id}`, params });

    expect((await publicPage()).status).toBe(404);
    expect((await jsonOf(await call(showcase.loader, { db: t.db, path: "/showcase" }))).rows).toEqual([]);

    const consent = { intent: "consent", howObtained: "本人签署同意书", story: "扎根一线二十年，练就绝活。" };
    expect((await consentForm(otherCounty, person.id, consent)).status).toBe(403);
    expect((await consentForm(county, person.id, { ...consent, story: "太短" })).status).toBe(400);
    const fakePhoto = await consentForm(county, person.id, consent, new File([new TextEncoder().encode("%PDF-1.4")], "photo.png"));
    expect(fakePhoto.status).toBe(400);
    expect((await consentForm(county, person.id, consent, new File([PNG], "photo.png"))).status).toBe(200);

    const shown = await publicPage();
    expect(shown.status).toBe(200);
    // The same page for every visitor who is not signed in: kept a minute; a signed-in copy never.
    expect(shown.headers.get("cache-control")).toBe("public, max-age=60");
    expect(shown.headers.get("vary")).toBe("Cookie");
    const signedIn = await call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${person.id}`, params, as: county });
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
    const body = await jsonOf(shown);
    expect(body.profile).toMatchObject({ name: "公开工匠", story: "扎根一线二十年，练就绝活。", has_photo: true });
    const text = JSON.stringify(body);
    expect(text).not.toContain(person.idNumber);
    expect(text).not.toMatch(/birth_date|id_number|phone/);
    expect((await call(photo.loader, { db: t.db, path: `/showcase/photos/${person.id}`, params })).status).toBe(200);
    const listed = await jsonOf(await call(showcase.loader, { db: t.db, path: "/showcase?q=公开" }));
    expect(listed.rows.map((r: { id: number }) => r.id)).toEqual([person.id]);
    const award = await t.db.selectFrom("award").select("certificate_number").where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const checked = await jsonOf(await call(verify.loader, { db: t.db, path: `/verify?code=${award.certificate_number}` }));
    expect(checked.result).toMatchObject({ name: "公开工匠" });

    expect((await consentForm(county, person.id, { intent: "withdraw-consent", reason: "本人要求" })).status).toBe(200);
    expect((await publicPage()).status).toBe(404);
    expect((await call(photo.loader, { db: t.db, path: `/showcase/photos/${person.id}`, params })).status).toBe(404);
    expect((await jsonOf(await call(showcase.loader, { db: t.db, path: "/showcase" }))).rows).toEqual([]);
    const after = await jsonOf(await call(verify.loader, { db: t.db, path: `/verify?code=${award.certificate_number}` }));
    expect(after.result.name).toBe("获证人（未同意公开姓名）");
    expect((await call(verify.loader, { db: t.db, path: "/verify?code=TZGJ-9-999" })).status).toBe(404);
  });

  it("keeps the publicity log to officers, each for their own unit, with real clippings only", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "上报道的工匠");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const craftsman = await makeUser(t.db, "craftsman");
    const form = { outlet: "newspaper", outletName: "台州日报", title: "匠心报道", publishedOn: "2026-05-01", personId: String(person.id) };
    expect((await call(publicity.loader, { db: t.db, path: "/publicity", as: craftsman })).status).toBe(403);
    expect((await call(publicity.action, { db: t.db, path: "/publicity", as: otherCounty, form })).status).toBe(403);
    expect((await call(publicity.action, { db: t.db, path: "/publicity", as: county, form: { ...form, url: "javascript:alert(1)" } })).status).toBe(400);
    expect((await call(publicity.action, { db: t.db, path: "/publicity", as: county, form: { ...form, personId: "" } })).status).toBe(400);
    expect(
      (await call(publicity.action, { db: t.db, path: "/publicity", as: county, form: { ...form, url: "https://www.taizhou.com.cn/a.html" } })).status,
    ).toBe(200);
    const listed = await jsonOf(await call(publicity.loader, { db: t.db, path: "/publicity", as: otherCounty }));
    expect(listed.items).toEqual([]);
    // It shows on the person's public page once they consent.
    const params = { personId: String(person.id) };
    expect((await call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${person.id}`, params })).status).toBe(404);
    await consentForm(county, person.id, { intent: "consent", howObtained: "同意书", story: "事迹简介十个字以上的内容。" });
    const page = await jsonOf(await call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${person.id}`, params }));
    expect(page.profile.coverage).toMatchObject([
      { outlet: "newspaper", outlet_name: "台州日报", title: "匠心报道", url: "https://www.taizhou.com.cn/a.html" },
    ]);
  });
});
