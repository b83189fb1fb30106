import { describe, expect, it } from "vitest";
import * as personPage from "../../app/routes/people.$personId._index/route";
import * as honoursPage from "../../app/routes/people.$personId.honours/route";
import * as importPage from "../../app/routes/honours.import._index";
import * as previewPage from "../../app/routes/honours.import.$importId";
import * as profile from "../../app/routes/showcase.craftsmen.$personId";
import { recordConsent } from "../../app/modules/showcase/showcase.server";
import { useTestDb } from "../db";
import { countyWorkbook } from "../county-files";
import { makeAwardee, makeUser } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

const xlsxFile = (bytes: Uint8Array<ArrayBuffer>, name = "荣誉名单.xlsx") =>
  new File([bytes], name, { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });

describe("honours on the record and public pages", () => {
  it("the officers enter and revoke; the record page shows them to the officers and the craftsman (read only); the public page only with consent and only 保持", async () => {
    const { person, user: craftsman } = await makeAwardee(t.db, "wenling", "荣誉工匠");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const city = await makeUser(t.db, "city_admin");
    const params = { personId: String(person.id) };
    const path = `/people/${person.id}/honours`;
    const post = (as: typeof county, form: Record<string, string>) => call(honoursPage.action, { db: t.db, path, params, as, form });

    const added = await post(county, { intent: "add", level: "provincial", kind: "craftsman", title: "浙江工匠", conferredBy: "浙江省总工会", year: "2021" });
    expect(added.status).toBe(200);
    expect(
      (await post(county, { intent: "add", level: "national", kind: "model_worker", title: "全国劳动模范", conferredBy: "国务院", year: "2015" })).status,
    ).toBe(200);
    const ids = await t.db.selectFrom("honour").select(["id", "title"]).where("person_id", "=", person.id).execute();
    const model = ids.find((h) => h.title === "全国劳动模范")!;
    const revoked = await post(county, { intent: "revoke", honourId: String(model.id), revokedOn: "2024-01-02", note: "违纪撤销", confirmed: "1" });
    expect(revoked.status).toBe(200);
    // The craftsman may not reach the officers' page, nor post to it.
    expect((await call(honoursPage.loader, { db: t.db, path, params, as: craftsman })).status).toBe(403);
    expect((await post(craftsman, { intent: "add", level: "city", kind: "other", title: "自封", conferredBy: "本人", year: "2020" })).status).toBe(403);

    for (const viewer of [county, city, craftsman]) {
      const data = await jsonOf(await call(personPage.loader, { db: t.db, path: `/people/${person.id}`, params, as: viewer }));
      expect(data.honours.map((h: { title: string; status: string }) => [h.title, h.status])).toEqual([
        ["浙江工匠", "kept"],
        ["第二届“台州工匠”", "kept"],
        ["全国劳动模范", "revoked"],
      ]);
      expect(data.canManageHonours).toBe(viewer !== craftsman);
    }

    const publicPage = () => call(profile.loader, { db: t.db, path: `/showcase/craftsmen/${person.id}`, params });
    expect((await publicPage()).status).toBe(404);
    await recordConsent(t.db, city, person.id, { howObtained: "本人签署同意书", story: "扎根一线。", photo: null });
    const shown = await jsonOf(await publicPage());
    expect(shown.honours).toEqual([{ id: expect.any(Number), level: "provincial", title: "浙江工匠", conferred_by: "浙江省总工会", year: 2021 }]);
    expect(JSON.stringify(shown)).not.toContain("全国劳动模范");
  });

  it("a list is uploaded, previewed and confirmed by the county; nothing is written before; the same file twice is refused", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "导入工匠");
    const idNumber = person.idNumber;
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const bytes = await countyWorkbook({
      header: ["序号", "姓名", "身份证号码", "荣誉名称", "级别", "授予单位", "年份"],
      rows: [{ 序号: 1, 姓名: "导入工匠", 身份证号码: idNumber, 荣誉名称: "台州市技术能手", 级别: "市级", 授予单位: "台州市人社局", 年份: 2019 }],
    });
    const upload = () => call(importPage.action, { db: t.db, path: "/honours/import", as: county, form: { intent: "upload", file: xlsxFile(bytes) } });
    const uploaded = await upload();
    expect(uploaded.status).toBe(302);
    const at = uploaded.headers.get("location")!;
    const importId = at.split("/").pop()!;
    expect(await t.db.selectFrom("honour").select("id").where("person_id", "=", person.id).execute()).toEqual([]);
    expect((await call(previewPage.loader, { db: t.db, path: at, params: { importId }, as: other })).status).toBe(403);
    const preview = await jsonOf(await call(previewPage.loader, { db: t.db, path: at, params: { importId }, as: county }));
    expect(preview.upload.preview.rows).toEqual([expect.objectContaining({ personId: person.id, title: "台州市技术能手", name: "导入工匠" })]);
    // Without its confirmation, nothing is written.
    expect((await call(previewPage.action, { db: t.db, path: at, params: { importId }, as: county, form: { intent: "commit" } })).status).toBe(400);
    const committed = await call(previewPage.action, { db: t.db, path: at, params: { importId }, as: county, form: { intent: "commit", confirmed: "1" } });
    expect(await jsonOf(committed)).toMatchObject({ ok: true, data: { imported: 1, skipped: 0 } });
    expect(await t.db.selectFrom("honour").select("title").where("person_id", "=", person.id).execute()).toEqual([{ title: "台州市技术能手" }]);
    const twice = await upload();
    expect(twice.status).toBe(409);
    expect(await jsonOf(twice)).toMatchObject({ field: "file", message: "该文件已导入过，同一文件不能重复导入" });
  });
});
