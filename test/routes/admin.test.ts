import { describe, expect, it } from "vitest";
import * as audit from "../../app/routes/audit._index";
import * as healthz from "../../app/routes/healthz";
import * as home from "../../app/routes/home/route";
import * as login from "../../app/routes/login";
import * as orgUnits from "../../app/routes/org-units._index";
import * as userPage from "../../app/routes/users.$userId";
import * as users from "../../app/routes/users._index";
import * as newUser from "../../app/routes/users.new";
import * as newPerson from "../../app/routes/people.new";
import { getUser } from "../../app/auth/session.server";
import { useTestDb } from "../db";
import { cookieFor, makeCampaign, makePerson, makeUser, personForm, TEST_PASSWORD, unitId } from "../factories";
import { call, jsonOf, ORIGIN } from "../http";

const t = useTestDb();

describe("user management", () => {
  it("is for city officers only", async () => {
    const county = await makeUser(t.db, "county_officer");
    const craftsman = await makeUser(t.db, "craftsman");
    for (const as of [county, craftsman]) {
      expect((await call(users.loader, { db: t.db, path: "/users", as })).status).toBe(403);
      expect((await call(newUser.action, { db: t.db, path: "/users/new", as, form: { username: "x" } })).status).toBe(403);
    }
    expect((await call(users.loader, { db: t.db, path: "/users" })).status).toBe(302);
  });

  it("opens a county officer account bound to a unit, and refuses bad input field by field", async () => {
    const city = await makeUser(t.db, "city_admin");
    const bad = await call(newUser.action, {
      db: t.db,
      path: "/users/new",
      as: city,
      form: { username: "A b", displayName: "", password: "short", role: "county_officer" },
    });
    expect(bad.status).toBe(400);
    const errors = (await jsonOf(bad)).form.error;
    expect(errors.username.join()).toContain("小写字母");
    expect(errors.displayName).toEqual(["请填写姓名"]);
    expect(errors.password.join()).toContain("至少8位");
    expect(errors.orgUnitId).toEqual(["县级总工会用户须选择所属单位"]);

    const created = await call(newUser.action, {
      db: t.db,
      path: "/users/new",
      as: city,
      form: {
        username: "linhai01",
        displayName: "临海 张敏",
        password: "Linhai-2026",
        role: "county_officer",
        orgUnitId: String(await unitId(t.db, "linhai")),
      },
    });
    expect(created.status).toBe(302);
    const row = await t.db.selectFrom("app_user").selectAll().where("username", "=", "linhai01").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: "county_officer", org_unit_id: await unitId(t.db, "linhai"), person_id: null });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const again = await call(newUser.action, {
      db: t.db,
      path: "/users/new",
      as: city,
      form: { username: "linhai01", displayName: "x", password: "Linhai-2026", role: "city_admin" },
    });
    expect((await jsonOf(again)).form.error.username).toEqual(["该用户名已被使用"]);
  });

  it("binds a craftsman account to one person only", async () => {
    const city = await makeUser(t.db, "city_admin");
    const person = await makePerson(t.db);
    const form = { displayName: "工匠", password: "Craft-2026x", role: "craftsman", personId: String(person.id) };
    expect((await call(newUser.action, { db: t.db, path: "/users/new", as: city, form: { ...form, username: "gj01" } })).status).toBe(302);
    const second = await call(newUser.action, { db: t.db, path: "/users/new", as: city, form: { ...form, username: "gj02" } });
    expect((await jsonOf(second)).form.error.personId).toEqual(["该人员已有账号（gj01）"]);
    const missing = await call(newUser.action, { db: t.db, path: "/users/new", as: city, form: { ...form, username: "gj03", personId: "999999" } });
    expect((await jsonOf(missing)).form.error.personId).toEqual(["找不到该人员档案"]);
  });

  it("ends the sessions of an account that is deactivated or has its password reset", async () => {
    const city = await makeUser(t.db, "city_admin");
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const cookie = await cookieFor(t.db, officer);
    // Each check is a request of its own, as the officer's next page would be (a request reads its session once).
    const asOfficer = () => new Request(`${ORIGIN}/home`, { headers: { cookie } });
    expect(await getUser(asOfficer(), t.db)).not.toBeNull();

    const reset = await call(userPage.action, {
      db: t.db,
      path: `/users/${officer.id}`,
      params: { userId: officer.id },
      as: city,
      form: { intent: "reset-password", password: "Reset-2026a" },
    });
    expect(reset.status).toBe(200);
    expect(await getUser(asOfficer(), t.db)).toBeNull();

    const cookie2 = await cookieFor(t.db, officer);
    const update = await call(userPage.action, {
      db: t.db,
      path: `/users/${officer.id}`,
      params: { userId: officer.id },
      as: city,
      form: { intent: "update", displayName: "已调离", role: "county_officer", orgUnitId: String(officer.orgUnitId) },
    });
    expect(update.status).toBe(200);
    expect(await getUser(new Request(`${ORIGIN}/home`, { headers: { cookie: cookie2 } }), t.db)).toBeNull();
    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "user")
      .where("entity_id", "=", officer.id)
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(["create", "reset_password", "update"]);
  });

  it("does not let a city officer lock themself out, and 404s unknown users and intents", async () => {
    const city = await makeUser(t.db, "city_admin");
    const self = await call(userPage.action, {
      db: t.db,
      path: `/users/${city.id}`,
      params: { userId: city.id },
      as: city,
      form: { intent: "update", displayName: "我", role: "county_officer", orgUnitId: String(await unitId(t.db, "wenling")), active: "on" },
    });
    expect(self.status).toBe(400);
    expect((await call(userPage.loader, { db: t.db, path: "/users/nope", params: { userId: "nope" }, as: city })).status).toBe(404);
    const forged = await call(userPage.action, {
      db: t.db,
      path: `/users/${city.id}`,
      params: { userId: city.id },
      as: city,
      form: { intent: "delete-everything" },
    });
    expect(forged.status).toBe(400);
  });
});

describe("org units", () => {
  it("lets the city add a social group, refuses duplicates, and keeps others out", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer");
    const form = { name: "台州市机械工程学会", shortName: "机械工程学会" };
    expect((await call(orgUnits.action, { db: t.db, path: "/org-units", as: county, form })).status).toBe(403);
    expect((await call(orgUnits.action, { db: t.db, path: "/org-units", as: city, form })).status).toBe(200);
    const dup = await call(orgUnits.action, { db: t.db, path: "/org-units", as: city, form });
    expect(dup.status).toBe(400);
    expect((await jsonOf(dup)).form.error.name).toEqual(["已有同名单位"]);
    const listed = await jsonOf(await call(orgUnits.loader, { db: t.db, path: "/org-units", as: county }));
    expect(listed.units.find((u: { name: string }) => u.name === form.name)).toMatchObject({ kind: "social_group" });
    expect(listed.canManage).toBe(false);
  });
});

describe("audit log", () => {
  it("is browsable and filterable by city officers only", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer");
    const person = await makePerson(t.db, { name: "审计对象" });
    expect((await call(audit.loader, { db: t.db, path: "/audit", as: county })).status).toBe(403);
    const page = await jsonOf(await call(audit.loader, { db: t.db, path: `/audit?entityType=person&entityId=${person.id}`, as: city }));
    expect(page.rows).toMatchObject([{ what: "人员档案 · 审计对象", link: `/people/${person.id}`, action: "新建" }]);
    const junk = await call(audit.loader, { db: t.db, path: "/audit?from=yesterday&page=-3", as: city });
    expect(junk.status).toBe(200);
  });
});

describe("sign-in page and home pages", () => {
  it("signs in, follows a same-site redirect only, and explains failures", async () => {
    const officer = await makeUser(t.db, "county_officer", { username: "login-test" });
    const ok = await call(login.action, { db: t.db, path: "/login", form: { username: "login-test", password: TEST_PASSWORD, redirectTo: "/people?page=2" } });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/people?page=2");
    expect(ok.headers.get("set-cookie")).toMatch(/jx_session=/);
    const offsite = await call(login.action, {
      db: t.db,
      path: "/login",
      form: { username: officer.username, password: TEST_PASSWORD, redirectTo: "//evil.example/x" },
    });
    expect(offsite.headers.get("location")).toBe("/home");
    const wrong = await call(login.action, { db: t.db, path: "/login", form: { username: officer.username, password: "wrong-2026" } });
    expect(wrong.status).toBe(401);
    expect((await jsonOf(wrong)).form.error[""]).toEqual(["用户名或密码不正确"]);
    const empty = await call(login.action, { db: t.db, path: "/login", form: { username: "", password: "" } });
    expect(empty.status).toBe(400);
    const crossSite = await call(login.action, {
      db: t.db,
      path: "/login",
      form: { username: officer.username, password: TEST_PASSWORD },
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
  });

  it("gives each role its own home page", async () => {
    const city = await makeUser(t.db, "city_admin");
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const craftsman = await makeUser(t.db, "craftsman");
    const cityHome = await jsonOf(await call(home.loader, { db: t.db, path: "/home", as: city }));
    expect(cityHome.units).toHaveLength(10);
    const countyHome = await jsonOf(await call(home.loader, { db: t.db, path: "/home", as: officer }));
    expect(countyHome.units.map((u: { short_name: string }) => u.short_name)).toEqual(["温岭市"]);
    expect(countyHome.unit.name).toBe("温岭市总工会");
    const craftsmanHome = await jsonOf(await call(home.loader, { db: t.db, path: "/home", as: craftsman }));
    expect(craftsmanHome.units).toEqual([]);
    // The campaign taking nominations leads, even with a newer one already set up and closed.
    const open = await makeCampaign(t.db, { number: 31, status: "nominating" });
    await makeCampaign(t.db, { number: 32, status: "closed" });
    expect((await jsonOf(await call(home.loader, { db: t.db, path: "/home", as: officer }))).campaigns[0].id).toBe(open.id);
    expect(craftsmanHome.me.id).toBe(craftsman.personId);
  });

  it("lists beside the to-dos what the user has done lately (已办), their own steps only, each linked to its record", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const other = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const created = await call(newPerson.action, { db: t.db, path: "/people/new", as: officer, form: personForm(await unitId(t.db, "wenling")) });
    const id = Number(created.headers.get("location")!.split("/").pop());
    // Signing in is not work done.
    await call(login.action, { db: t.db, path: "/login", form: { username: officer.username, password: TEST_PASSWORD }, headers: { origin: ORIGIN } });
    const mine = await jsonOf(await call(home.loader, { db: t.db, path: "/home", as: officer }));
    expect(mine.done.map((d: { what: string; link: string }) => [d.what, d.link])).toEqual([["新建 · 人员档案", `/people/${id}`]]);
    const theirs = await jsonOf(await call(home.loader, { db: t.db, path: "/home", as: other }));
    expect(theirs.done).toEqual([]);
  });
});

it("answers /healthz with the database state", async () => {
  const response = await call(healthz.loader, { db: t.db, path: "/healthz" });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", db: "ok", process: process.pid });
});
