import { describe, expect, it } from "vitest";
import * as revocations from "../../app/routes/revocations";
import * as showcase from "../../app/routes/showcase._index";
import * as profile from "../../app/routes/showcase.craftsmen.$personId";
import * as publicStudio from "../../app/routes/showcase.studios.$studioId";
import * as studios from "../../app/routes/showcase.studios._index";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import * as plaqueSheet from "../../app/routes/studios.$studioId.plaque";
import * as verify from "../../app/routes/verify";
import * as todos from "../../app/routes/todos";
import { useTestDb } from "../db";
import { makeLedStudio, makeUser } from "../factories";
import { makeRevocationDocument } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** What a cached public page may be kept for: at most a minute. */
function maxAge(response: Response): number {
  const header = response.headers.get("cache-control") ?? "";
  if (/no-store/.test(header)) return 0;
  return Number(/max-age=(\d+)/.exec(header)?.[1] ?? Infinity);
}

describe("a revoked title and studio on the public pages", () => {
  it("reads 已撤销 with the document and date on the verify page and the plaque's QR target at once, leaves the showcase, and waits to be recalled", async () => {
    const { person, leader, city, studio } = await makeLedStudio(t.db, "公开撤销");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    await t.db.insertInto("publication_consent").values({ person_id: person.id, consented: true, how_obtained: "书面同意", recorded_by: leader.id }).execute();
    const award = await t.db.selectFrom("award").select(["id", "certificate_number"]).where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const doc = await makeRevocationDocument(t.db, { number: "台总工〔2026〕35号" });
    const verifyPath = `/verify?code=${encodeURIComponent(award.certificate_number)}`;
    const qrParams = { studioId: String(studio.id) };
    const showcased = async () => ({
      craftsmen: (await jsonOf(await call(showcase.loader, { db: t.db, path: "/showcase?q=公开撤销" }))).rows.length,
      studios: (await jsonOf(await call(studios.loader, { db: t.db, path: "/showcase/studios?q=公开撤销" }))).rows.length,
      profile: (await call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${person.id}`, params: { personId: String(person.id) } })).status,
    });

    // Before: valid, shown. The anonymous copy is kept a minute at most.
    const before = await call(verify.loader, { db: t.db, path: verifyPath });
    expect(await jsonOf(before)).toMatchObject({ revoked: null, result: { title: "第二届“台州工匠”" } });
    expect(maxAge(before)).toBeLessThanOrEqual(60);
    expect(await showcased()).toEqual({ craftsmen: 1, studios: 1, profile: 200 });

    // The city revokes the title (/revocations) and 摘牌 the studio (its page's step), each with the document.
    const stated = { documentId: String(doc.id), revokedOn: "2026-03-02", reason: "弄虚作假", confirmed: "1" };
    const revoked = await call(revocations.action, {
      db: t.db,
      path: "/revocations",
      as: city,
      form: { intent: "award", certificateNumber: award.certificate_number, ...stated },
    });
    expect(await jsonOf(revoked)).toMatchObject({ ok: true, data: { revoked: 1, alreadyRevoked: [] } });
    const plaque = await call(studioPage.action, {
      db: t.db,
      path: `/studios/${studio.id}`,
      params: qrParams,
      as: city,
      form: { intent: "step", step: "revoke", expected: "active", ...stated },
    });
    expect(plaque.status).toBe(200);

    // Right after: the verify page and the QR target say 已撤销 with the document and date, and are kept a minute at most.
    const after = await call(verify.loader, { db: t.db, path: verifyPath });
    expect(after.status).toBe(200);
    expect(maxAge(after)).toBeLessThanOrEqual(60);
    expect((await jsonOf(after)).revoked).toEqual({
      what: `证书 ${award.certificate_number}（公开撤销的第二届“台州工匠”称号）`,
      revokedOn: "2026-03-02",
      documentNumber: "台总工〔2026〕35号",
      issuer: "台州市总工会",
    });
    const target = await call(publicStudio.loader, { db: t.db, path: `/showcase/studios/${studio.id}`, params: qrParams });
    expect(target.status).toBe(200);
    expect(maxAge(target)).toBeLessThanOrEqual(60);
    expect(await jsonOf(target)).toMatchObject({
      studio: null,
      revoked: { name: "公开撤销工作室", revoked_on: "2026-03-02", document_number: "台总工〔2026〕35号" },
    });

    // The plaque sheet is no longer printed for it.
    const sheet = await call(plaqueSheet.loader, { db: t.db, path: `/studios/${studio.id}/plaque`, params: qrParams, as: city });
    expect(sheet.status).toBe(409);
    expect(await sheet.text()).toContain("牌匾已撤销");

    // The showcase drops both (its lists are computed per request: nothing remembers them past the write).
    expect(await showcased()).toEqual({ craftsmen: 0, studios: 0, profile: 404 });

    // The recall: a to-do for 温岭 until recorded on /revocations.
    const waiting = async () => JSON.stringify(await jsonOf(await call(todos.loader, { db: t.db, path: "/todos", as: county })));
    expect(await waiting()).toContain(`收回证书：公开撤销（${award.certificate_number}）（温岭市）`);
    expect(await waiting()).toContain("收回牌匾：公开撤销工作室（温岭市）");
    for (const [kind, id] of [
      ["award", award.id],
      ["studio", studio.id],
    ] as const) {
      // Not before the revocation (2026-03-02).
      const early = await call(revocations.action, {
        db: t.db,
        path: "/revocations",
        as: county,
        form: { intent: "recall", kind, id: String(id), recalledOn: "2026-03-01", note: "" },
      });
      expect([early.status, await jsonOf(early)]).toEqual([
        400,
        expect.objectContaining({ field: "recalledOn", message: "收回日期不能早于撤销日期（2026-03-02）" }),
      ]);
      const recalled = await call(revocations.action, {
        db: t.db,
        path: "/revocations",
        as: county,
        form: { intent: "recall", kind, id: String(id), recalledOn: "2026-03-05", note: "" },
      });
      expect(await jsonOf(recalled)).toMatchObject({ ok: true });
    }
    expect(await waiting()).not.toContain("收回");
    const list = await jsonOf(await call(revocations.loader, { db: t.db, path: "/revocations", as: county }));
    expect(list.revocations.rows.map((r: { scope: string }) => r.scope)).toEqual(["studio", "award"]);
    expect(list.canRevoke).toBe(false);
  });
});
