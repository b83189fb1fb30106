import { afterEach, describe, expect, it, vi } from "vitest";
import * as codeLogin from "../../app/routes/login_.code";
import * as loginWechat from "../../app/routes/login_.wechat";
import * as edit from "../../app/routes/people.$personId.edit";
import { decrypt, lookupHash } from "~/modules/people/pii.server";
import { fanOut } from "~/worker.server";
import { useTestDb } from "../db";
import { makePerson, makeUser, personForm, unitId } from "../factories";
import { call, jsonOf } from "../http";

/**
 * The security tester's findings on issue 36's phone sign-in: an officer who changes a craftsman's
 * phone must not get a silent way into the account; a new device's sign-in is told; a signed-in
 * user's session is not replaced at /login/wechat; full-width digits are read.
 */
const t = useTestDb();

afterEach(() => {
  vi.useRealTimers();
});

async function askCode(phone: string) {
  const printed = vi.spyOn(console, "log").mockImplementation(() => {});
  const response = await call(codeLogin.action, { db: t.db, path: "/login/code", form: { intent: "code", phone }, peer: "198.51.100.90" });
  const code = printed.mock.calls.map((c) => String(c[0]).match(/登录验证码是 (\d{6})/)?.[1]).find(Boolean);
  printed.mockRestore();
  return { response, code };
}

const signIn = (phone: string, code: string, cookie?: string) =>
  call(codeLogin.action, {
    db: t.db,
    path: "/login/code",
    form: { intent: "sign-in", phone, code },
    cookie,
    headers: { "user-agent": "Mozilla/5.0 (iPhone)" },
  });

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

const messagesOf = async (userId: string) => {
  await fanOut(t.db);
  return (await t.db.selectFrom("message").select("text").where("user_id", "=", userId).orderBy("id").execute()).map((m) => m.text);
};

describe("a craftsman's phone changed by an officer (takeover)", () => {
  it("tells the person (SMS to the old number, inbox), keeps it in the history, and holds sign-in by code to the new number for 24 hours", async () => {
    const oldPhone = "13957688001";
    const newPhone = "13957688002";
    const person = await makePerson(t.db, { unit: "wenling", birthDate: "1979-03-15", phone: oldPhone });
    const craftsman = await makeUser(t.db, "craftsman", { personId: person.id });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = await personForm(await unitId(t.db, "wenling"), { idNumber: "", phone: newPhone, birthDate: "1979-03-15", sex: "M" });
    const saved = await call(edit.action, { db: t.db, path: `/people/${person.id}/edit`, params: { personId: String(person.id) }, as: officer, form });
    expect(saved.status).toBe(302);

    // (a) An SMS to the old number, and a message in the inbox, naming who changed it and the new number masked.
    const sms = await t.db.selectFrom("job").select("payload").where("kind", "=", "sms.send").execute();
    const toOld = sms
      .map((j) => j.payload as { to?: { phone_cipher: string; phone_hash: string }; text: string })
      .filter((p) => p.to?.phone_hash === lookupHash(oldPhone));
    expect(toOld).toHaveLength(1);
    expect(decrypt(toOld[0].to!.phone_cipher)).toBe(oldPhone);
    expect(toOld[0].text).toMatch(/^您在匠心平台登记的手机号已由温岭.*修改为 139\*\*\*\*8002；.*如非本人申请，请立即联系/);
    expect(await messagesOf(craftsman.id)).toContainEqual(expect.stringMatching(/已由温岭.*修改为 139\*\*\*\*8002.*如非本人申请/));
    // (b) The history has the edit and the hold's start.
    const history = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_user_id"])
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .execute();
    expect(history).toEqual(
      expect.arrayContaining([
        { action: "update", actor_user_id: officer.id },
        { action: "phone_changed_by_other", actor_user_id: officer.id },
      ]),
    );

    // (c) The officer holding the new number gets a code but it opens nothing for 24 hours, said by the number.
    const { code } = await askCode(newPhone);
    expect(code).toMatch(/^\d{6}$/);
    const held = await signIn(newPhone, code!);
    expect(held.status).toBe(409);
    expect(await jsonOf(held)).toMatchObject({ field: "phone", message: expect.stringMatching(/24小时内不能用它验证码登录/) });
    expect(held.headers.get("set-cookie")).toBeNull();

    // After the hold, the number (now the person's own, or not contested) signs in.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.now() + 25 * 3_600_000));
    const later = await askCode(newPhone);
    const opened = await signIn(newPhone, later.code!);
    expect([opened.status, opened.headers.get("location")]).toEqual([302, "/home"]);
  });

  it("holds nothing when the person has no account: a record without one is no sign-in credential yet", async () => {
    const person = await makePerson(t.db, { unit: "wenling", birthDate: "1979-03-15", phone: "13957688011" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = await personForm(await unitId(t.db, "wenling"), { idNumber: "", phone: "13957688012", birthDate: "1979-03-15", sex: "M" });
    expect((await call(edit.action, { db: t.db, path: `/people/${person.id}/edit`, params: { personId: String(person.id) }, as: officer, form })).status).toBe(
      302,
    );
    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .execute();
    expect(actions.map((a) => a.action)).not.toContain("phone_changed_by_other");
    const sms = await t.db.selectFrom("job").select("payload").where("kind", "=", "sms.send").execute();
    expect(sms.filter((j) => (j.payload as { to?: { phone_hash: string } }).to?.phone_hash === lookupHash("13957688011"))).toEqual([]);
  });
});

describe("a sign-in by code from a new device", () => {
  it("tells the person in their inbox the first time a browser signs in, and not when the same browser comes back", async () => {
    const phone = "13957688021";
    const craftsman = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { phone })).id });
    const first = await signIn(phone, (await askCode(phone)).code!);
    expect(first.status).toBe(302);
    expect(await messagesOf(craftsman.id)).toEqual([expect.stringMatching(/^新设备登录：.*iPhone.*如非本人操作/)]);
    // The same browser, its device token kept, signs in again: nothing new to tell.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.now() + 2 * 60_000));
    const again = await signIn(phone, (await askCode(phone)).code!, cookiesOf(first).replace(/jx_session=[^;]*;?\s*/, ""));
    expect(again.status).toBe(302);
    expect(await messagesOf(craftsman.id)).toHaveLength(1);
  });
});

describe("/login/wechat for someone already signed in", () => {
  it("sends them home from the action too: no code asked, no binding, the session kept", async () => {
    const craftsman = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { phone: "13957688031" })).id });
    for (const form of [
      { intent: "code", phone: "13957688031" },
      { intent: "bind", phone: "13957688031", code: "123456" },
    ]) {
      const response = await call(loginWechat.action, { db: t.db, path: "/login/wechat", as: craftsman, form });
      expect([response.status, response.headers.get("location"), response.headers.get("set-cookie")]).toEqual([302, "/home", null]);
    }
    expect(await t.db.selectFrom("phone_code").select("id").where("phone_hash", "=", lookupHash("13957688031")).execute()).toEqual([]);
  });
});

describe("full-width digits", () => {
  it("reads a phone and a code typed in full-width (１３９…) as the digits they are, and signs in", async () => {
    const phone = "13957688041";
    await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { phone })).id });
    const wide = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const asked = await askCode(wide("139 5768 8041"));
    expect(await jsonOf(asked.response)).toMatchObject({ ok: true, data: { phone } });
    const signedIn = await signIn(wide(phone), wide(asked.code!));
    expect([signedIn.status, signedIn.headers.get("location")]).toEqual([302, "/home"]);
  });
});
