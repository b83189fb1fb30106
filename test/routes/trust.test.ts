import { describe, expect, it } from "vitest";
import * as personPage from "../../app/routes/people.$personId._index";
import * as publicity from "../../app/routes/publicity";
import * as clippingRoute from "../../app/routes/showcase.clippings.$itemId";
import * as photoRoute from "../../app/routes/showcase.photos.$personId";
import { useTestDb } from "../db";
import { makeAwardee, makeUser } from "../factories";
import { phoneJpeg } from "../files";
import { call } from "../http";

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
