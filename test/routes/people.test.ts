import { describe, expect, it } from "vitest";
import * as detail from "../../app/routes/people.$personId._index/route";
import * as edit from "../../app/routes/people.$personId.edit";
import * as list from "../../app/routes/people._index";
import * as create from "../../app/routes/people.new";
import { decrypt } from "../../app/modules/people/pii.server";
import { useTestDb } from "../db";
import { idNumberFor, makePerson, makeUser, personForm, unitId } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

// A lower-case x and a phone number with dashes, as people type them.
const validForm = async (overrides: Record<string, string> = {}) =>
  personForm(await unitId(t.db, "wenling"), { idNumber: idNumberFor("M", "1979-03-15").toLowerCase(), phone: "139-5761-2345", ...overrides });

const personCount = async () =>
  Number(
    (
      await t.db
        .selectFrom("person")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("registering a person", () => {
  it("stores the ID and phone encrypted, shows them masked, and records who did it", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = await validForm();
    const response = await call(create.action, { db: t.db, path: "/people/new", as: officer, form });
    expect(response.status).toBe(302);
    const id = Number(response.headers.get("location")!.split("/").pop());

    const row = await t.db.selectFrom("person").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.id_number_cipher).not.toContain(form.idNumber.toUpperCase().slice(6, 14));
    expect(decrypt(row.id_number_cipher)).toBe(form.idNumber.toUpperCase());
    expect(decrypt(row.phone_cipher!)).toBe("13957612345");
    expect(row.id_number_masked).toBe(`${form.idNumber.slice(0, 4)}**************`);

    const page = await jsonOf(await call(detail.loader, { db: t.db, path: `/people/${id}`, params: { personId: String(id) }, as: officer }));
    expect(JSON.stringify(page)).not.toContain(form.idNumber.toUpperCase());
    expect(JSON.stringify(page)).not.toContain("13957612345");
    expect(page.person.phone_masked).toBe("139****2345");
    expect(page.history).toMatchObject([{ action: "create", actor_name: officer.displayName }]);
  });

  it.each([
    [{ idNumber: "33108119790315123" }, "idNumber", "身份证号码应为18位"],
    [{ idNumber: "331081197902301230" }, "idNumber", "不存在"],
    [{ sex: "F" }, "idNumber", "与所填性别“女”不一致"],
    [{ birthDate: "1979-03-16" }, "idNumber", "与所填出生日期 1979-03-16 不一致"],
    [{ name: "" }, "name", "请填写姓名"],
    [{ name: "名".repeat(31) }, "name", "不能超过30个字"],
    [{ ethnicity: "火星族" }, "ethnicity", "请选择民族"],
    [{ skillLevel: "宗师" }, "skillLevel", "请选择技术等级"],
    [{ phone: "12345" }, "phone", "11位手机号码"],
    [{ birthDate: "1979-02-30" }, "birthDate", "日期不存在"],
  ])("answers %j with a 400 and a message beside the field, writing nothing", async (change, field, message) => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const before = await personCount();
    const response = await call(create.action, { db: t.db, path: "/people/new", as: officer, form: await validForm(change) });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.form.error[field].join()).toContain(message);
    expect(await personCount()).toBe(before);
  });

  it("refuses the same ID number twice with a clear message", async () => {
    const city = await makeUser(t.db, "city_admin");
    const existing = await makePerson(t.db, { sex: "F", birthDate: "1990-01-02" });
    const form = await validForm({ idNumber: existing.idNumber, sex: "F", birthDate: "1990-01-02" });
    const response = await call(create.action, { db: t.db, path: "/people/new", as: city, form });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).form.error.idNumber).toEqual(["该身份证号码已登记过，请在人员列表中按号码查找"]);
  });

  it("files a county officer's people under their own unit, whatever the form says", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = await validForm({ orgUnitId: String(await unitId(t.db, "jiaojiang")) });
    const response = await call(create.action, { db: t.db, path: "/people/new", as: officer, form });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).form.error.orgUnitId).toEqual(["只能登记本单位的人员"]);
  });

  it("does not let a craftsman or the anonymous register people", async () => {
    const craftsman = await makeUser(t.db, "craftsman");
    expect((await call(create.action, { db: t.db, path: "/people/new", as: craftsman, form: await validForm() })).status).toBe(403);
    const anonymous = await call(create.action, { db: t.db, path: "/people/new", form: await validForm() });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?redirectTo=%2Fpeople%2Fnew");
  });

  it("rejects a form posted from another site", async () => {
    const city = await makeUser(t.db, "city_admin");
    const before = await personCount();
    const response = await call(create.action, {
      db: t.db,
      path: "/people/new",
      as: city,
      form: await validForm(),
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect(await personCount()).toBe(before);
  });
});

describe("who sees whom", () => {
  it("keeps a county officer to their own unit through every URL", async () => {
    const wenlingOfficer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const own = await makePerson(t.db, { unit: "wenling", name: "温岭人" });
    const other = await makePerson(t.db, { unit: "jiaojiang", name: "椒江人" });
    const params = { personId: String(other.id) };

    const listed = await jsonOf(await call(list.loader, { db: t.db, path: "/people", as: wenlingOfficer }));
    const names = listed.rows.map((r: { name: string }) => r.name);
    expect(names).toContain("温岭人");
    expect(names).not.toContain("椒江人");

    const filtered = await jsonOf(await call(list.loader, { db: t.db, path: `/people?orgUnitId=${await unitId(t.db, "jiaojiang")}`, as: wenlingOfficer }));
    expect(filtered.rows).toEqual([]);
    const byNumber = await jsonOf(await call(list.loader, { db: t.db, path: `/people?q=${other.idNumber}`, as: wenlingOfficer }));
    expect(byNumber.rows).toEqual([]);

    expect((await call(detail.loader, { db: t.db, path: `/people/${other.id}`, params, as: wenlingOfficer })).status).toBe(403);
    expect((await call(edit.loader, { db: t.db, path: `/people/${other.id}/edit`, params, as: wenlingOfficer })).status).toBe(403);
    const posted = await call(edit.action, {
      db: t.db,
      path: `/people/${other.id}/edit`,
      params,
      as: wenlingOfficer,
      form: await validForm({ idNumber: "", sex: "M", birthDate: "1985-06-01", name: "改名" }),
    });
    expect(posted.status).toBe(403);
    const unchanged = await t.db.selectFrom("person").select("name").where("id", "=", other.id).executeTakeFirstOrThrow();
    expect(unchanged.name).toBe("椒江人");
    expect(
      (await call(detail.action, { db: t.db, path: `/people/${other.id}`, params, as: wenlingOfficer, form: { intent: "reveal", reason: "核对" } })).status,
    ).toBe(403);

    expect((await call(detail.loader, { db: t.db, path: `/people/${own.id}`, params: { personId: String(own.id) }, as: wenlingOfficer })).status).toBe(200);
  });

  it("shows a craftsman only their own record", async () => {
    const me = await makePerson(t.db, { name: "本人" });
    const craftsman = await makeUser(t.db, "craftsman", { personId: me.id });
    const colleague = await makePerson(t.db, { name: "同事" });
    const listed = await jsonOf(await call(list.loader, { db: t.db, path: "/people", as: craftsman }));
    expect(listed.rows.map((r: { name: string }) => r.name)).toEqual(["本人"]);
    expect((await call(detail.loader, { db: t.db, path: `/people/${colleague.id}`, params: { personId: String(colleague.id) }, as: craftsman })).status).toBe(
      403,
    );
    expect((await call(edit.loader, { db: t.db, path: `/people/${me.id}/edit`, params: { personId: String(me.id) }, as: craftsman })).status).toBe(403);
  });

  it("answers 404 for ids that do not exist or are not ids", async () => {
    const city = await makeUser(t.db, "city_admin");
    for (const personId of ["999999", "abc", "0", "-1", "1e3", "99999999999"]) {
      const response = await call(detail.loader, { db: t.db, path: `/people/${personId}`, params: { personId }, as: city });
      expect(response.status, personId).toBe(404);
    }
  });

  it("finds people by their full ID or phone number through the lookup hash", async () => {
    const city = await makeUser(t.db, "city_admin");
    const person = await makePerson(t.db, { name: "按号查找", phone: "13800001111" });
    const byId = await jsonOf(await call(list.loader, { db: t.db, path: `/people?q=${person.idNumber.toLowerCase()}`, as: city }));
    expect(byId.rows.map((r: { id: number }) => r.id)).toEqual([person.id]);
    const byPhone = await jsonOf(await call(list.loader, { db: t.db, path: "/people?q=138-0000-1111", as: city }));
    expect(byPhone.rows.map((r: { id: number }) => r.id)).toEqual([person.id]);
  });
});

describe("revealing and editing", () => {
  it("reveals full numbers to a city officer only with a reason, and records it", async () => {
    const city = await makeUser(t.db, "city_admin");
    const person = await makePerson(t.db, { phone: "13900002222" });
    const params = { personId: String(person.id) };
    const noReason = await call(detail.action, { db: t.db, path: `/people/${person.id}`, params, as: city, form: { intent: "reveal", reason: "" } });
    expect(noReason.status).toBe(400);

    const response = await call(detail.action, {
      db: t.db,
      path: `/people/${person.id}`,
      params,
      as: city,
      form: { intent: "reveal", reason: "核对推荐审批表" },
    });
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).data).toEqual({ idNumber: person.idNumber, phone: "13900002222" });
    const audit = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .where("action", "=", "reveal_personal_data")
      .execute();
    expect(audit).toMatchObject([{ actor_user_id: city.id, comment: "核对推荐审批表" }]);
  });

  it("keeps the stored numbers when the fields are left empty, and checks them against the edited birth date", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const person = await makePerson(t.db, { unit: "wenling", birthDate: "1985-06-01", phone: "13900003333" });
    const params = { personId: String(person.id) };
    const base = await validForm({ idNumber: "", phone: "", sex: "M", birthDate: "1985-06-01", name: "新名字" });

    const mismatch = await call(edit.action, { db: t.db, path: `/people/${person.id}/edit`, params, as: officer, form: { ...base, birthDate: "1985-06-02" } });
    expect(mismatch.status).toBe(400);
    expect((await jsonOf(mismatch)).form.error.idNumber.join()).toContain("1985-06-01");

    const saved = await call(edit.action, { db: t.db, path: `/people/${person.id}/edit`, params, as: officer, form: base });
    expect(saved.status).toBe(302);
    const row = await t.db.selectFrom("person").selectAll().where("id", "=", person.id).executeTakeFirstOrThrow();
    expect(row.name).toBe("新名字");
    expect(decrypt(row.id_number_cipher)).toBe(person.idNumber);
    expect(decrypt(row.phone_cipher!)).toBe("13900003333");

    await call(edit.action, { db: t.db, path: `/people/${person.id}/edit`, params, as: officer, form: { ...base, clearPhone: "on" } });
    const cleared = await t.db.selectFrom("person").select(["phone_cipher", "phone_masked"]).where("id", "=", person.id).executeTakeFirstOrThrow();
    expect(cleared).toEqual({ phone_cipher: null, phone_masked: null });

    const history = await t.db
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.action)).toEqual(["create", "update", "update"]);
    expect(history[1].before).toMatchObject({ name: expect.stringMatching(/^测试/) });
    expect(history[1].after).toMatchObject({ name: "新名字" });
  });
});
