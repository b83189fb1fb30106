import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeApprentice, makeLedStudio, makePerson, makeUser, phoneInbox } from "../../../test/factories";
import { ORIGIN } from "../../../test/http";
import { getUser, signIn } from "~/auth/session.server";
import { lookupHash } from "~/modules/people/pii.server";
import { CODE_SENT, requestSignInCode, signInWithCode } from "~/modules/apprentices/sign-in.server";
import { sendPhoneCode } from "~/modules/apprentices/phone-code.server";
import type { SmsGateway } from "~/lib/sms.server";

const t = useTestDb();

const request = (cookie?: string) => new Request(`${ORIGIN}/login/code`, { method: "POST", headers: cookie ? { cookie } : {} });
const cookieOf = (setCookie: string) => setCookie.split(";")[0];
/** What the browser sends back after a code sign-in: the session and the device it is bound to. */
const browserOf = (signedIn: { cookie: string; deviceCookie: string | null }) => [signedIn.cookie, signedIn.deviceCookie ?? ""].map(cookieOf).join("; ");
const minutesLater = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

/**
 * A sign-in code's SMS is handed to the provider after the answer: waits until the log has its result, before a test
 * moves its clock on (a row still "sending" minutes later would be taken for one whose process died).
 */
const smsSettled = () => expect.poll(() => t.db.selectFrom("sms_message").select("id").where("status", "=", "sending").execute()).toEqual([]);

const accountsOf = (personId: number) => t.db.selectFrom("app_user").selectAll().where("person_id", "=", personId).execute();

describe("an apprentice signs in with a code sent to their phone", () => {
  it("makes their one apprentice account at the first sign-in, opens a session in place of the one before, and records both", async () => {
    const { studio } = await makeLedStudio(t.db, "码登甲");
    const { personId, phone } = await makeApprentice(t.db, studio.id, { account: false });
    const inbox = phoneInbox();
    const start = new Date();

    expect(await requestSignInCode(t.db, inbox, phone, null, start)).toEqual({ ok: true, message: CODE_SENT, resendAfterSeconds: 60 });
    expect(inbox.sent.map((s) => [s.phone, s.text.includes("登录验证码")])).toEqual([[phone, true]]);

    // Someone signed in before on this browser: their session ends.
    const before = await makeUser(t.db, "city_admin");
    const earlier = await signIn(t.db, request(), { username: before.username, password: "Correct-horse-42" });
    if (!earlier.ok) throw new Error("the earlier sign-in failed");
    const first = await signInWithCode(t.db, request(cookieOf(earlier.cookie)), { phone, code: inbox.codeFor(phone) }, start);
    if (!first.ok) throw new Error(first.message);
    expect(first.user).toMatchObject({ role: "apprentice", personId, orgUnitId: null, username: `apprentice-${personId}` });
    expect(await getUser(request(browserOf(first)), t.db)).toMatchObject({ id: first.user.id, role: "apprentice", personId });
    expect(await getUser(request(cookieOf(earlier.cookie)), t.db)).toBeNull();

    // The second time: the same account, no other made.
    await requestSignInCode(t.db, inbox, phone, null, minutesLater(start, 2));
    const second = await signInWithCode(t.db, request(), { phone, code: inbox.codeFor(phone) }, minutesLater(start, 2));
    expect(second).toMatchObject({ ok: true, user: { id: first.user.id } });
    expect((await accountsOf(personId)).map((a) => a.role)).toEqual(["apprentice"]);

    const history = await t.db.selectFrom("audit_log").select(["entity_type", "action"]).where("entity_id", "=", first.user.id).orderBy("id").execute();
    expect(history).toEqual([
      { entity_type: "user", action: "create" },
      { entity_type: "session", action: "sign_in" },
      { entity_type: "session", action: "sign_in" },
    ]);
  });

  it("has no password: nothing typed signs in to the apprentice's account", async () => {
    const { studio } = await makeLedStudio(t.db, "码登乙");
    const { user } = await makeApprentice(t.db, studio.id);
    for (const password of ["", "!no-password", "Correct-horse-42"])
      expect(await signIn(t.db, request(), { username: user.username, password })).toEqual({ ok: false, status: 401, message: "用户名或密码不正确" });
  });

  it("answers an unknown number the same, sends it nothing, and no code signs in with it", async () => {
    const inbox = phoneInbox();
    const stranger = "13657699001";
    expect(await requestSignInCode(t.db, inbox, stranger, null)).toEqual({ ok: true, message: CODE_SENT, resendAfterSeconds: 60 });
    expect(inbox.sent).toEqual([]);
    // The number's limits are spent as for a real one.
    expect(await requestSignInCode(t.db, inbox, stranger, null)).toMatchObject({ ok: false, status: 429, field: "phone" });
    expect(await signInWithCode(t.db, request(), { phone: stranger, code: "000000" })).toMatchObject({ ok: false, message: "验证码不正确", field: "code" });
    // Nothing in the SMS log either: the outbox is not told of a number nobody owns.
    expect(await t.db.selectFrom("sms_message").select("id").where("phone_hash", "=", lookupHash(stranger)).execute()).toEqual([]);
  });

  it("counts wrong codes: after five the right one no longer signs in", async () => {
    const { studio } = await makeLedStudio(t.db, "码登丙");
    const { phone } = await makeApprentice(t.db, studio.id);
    const inbox = phoneInbox();
    await requestSignInCode(t.db, inbox, phone, null);
    const right = inbox.codeFor(phone);
    const wrong = right === "111111" ? "222222" : "111111";
    for (let i = 0; i < 5; i++) expect(await signInWithCode(t.db, request(), { phone, code: wrong })).toMatchObject({ ok: false, message: "验证码不正确" });
    const tries = await t.db.selectFrom("phone_code").select("attempts").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(tries.attempts).toBe(5);
    expect(await signInWithCode(t.db, request(), { phone, code: right })).toMatchObject({ ok: false, message: "验证码错误次数过多，请重新获取" });
  });

  it("signs a craftsman in to their own account by a code (issue 36), also once taken on as an apprentice, never making a second account", async () => {
    const { studio } = await makeLedStudio(t.db, "码登丁");
    const craftsmanPhone = "13657699101";
    const craftsman = await makePerson(t.db, { phone: craftsmanPhone });
    const account = await makeUser(t.db, "craftsman", { personId: craftsman.id });
    const inbox = phoneInbox();
    const now = new Date();
    expect(await requestSignInCode(t.db, inbox, craftsmanPhone, null, now)).toEqual({ ok: true, message: CODE_SENT, resendAfterSeconds: 60 });
    expect(inbox.sent.map((s) => s.phone)).toEqual([craftsmanPhone]);
    const first = await signInWithCode(t.db, request(), { phone: craftsmanPhone, code: inbox.codeFor(craftsmanPhone) }, now);
    expect(first).toMatchObject({ ok: true, user: { id: account.id, role: "craftsman", personId: craftsman.id } });

    // Taken on as an apprentice: the same craftsman's account, no apprentice account beside it.
    await makeApprentice(t.db, studio.id, { account: false }).then(async ({ mentorshipId }) =>
      t.db.updateTable("mentorship").set({ apprentice_id: craftsman.id }).where("id", "=", mentorshipId).execute(),
    );
    await requestSignInCode(t.db, inbox, craftsmanPhone, null, minutesLater(now, 2));
    const again = await signInWithCode(t.db, request(), { phone: craftsmanPhone, code: inbox.codeFor(craftsmanPhone) }, minutesLater(now, 2));
    expect(again).toMatchObject({ ok: true, user: { id: account.id, role: "craftsman" } });
    expect((await accountsOf(craftsman.id)).map((a) => a.role)).toEqual(["craftsman"]);
  });

  it("sends no code to an officer's number, and a person on record without an account gets none", async () => {
    const inbox = phoneInbox();
    const officerPhone = "13657699102";
    const officer = await makePerson(t.db, { phone: officerPhone });
    await makeUser(t.db, "county_officer", { personId: officer.id });
    const plainPhone = "13657699103";
    await makePerson(t.db, { phone: plainPhone });
    for (const phone of [officerPhone, plainPhone]) {
      expect(await requestSignInCode(t.db, inbox, phone, null)).toEqual({ ok: true, message: CODE_SENT, resendAfterSeconds: 60 });
      expect(await signInWithCode(t.db, request(), { phone, code: "000000" })).toMatchObject({ ok: false, field: "code" });
    }
    expect(inbox.sent).toEqual([]);
  });

  it("refuses a deactivated apprentice account and opens no session", async () => {
    const { studio } = await makeLedStudio(t.db, "码登戊");
    const { user, phone } = await makeApprentice(t.db, studio.id);
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", user.id).execute();
    const inbox = phoneInbox();
    await requestSignInCode(t.db, inbox, phone, null);
    expect(await signInWithCode(t.db, request(), { phone, code: inbox.codeFor(phone) })).toMatchObject({ ok: false, status: 403 });
    expect(await t.db.selectFrom("user_session").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
  });

  it("keeps each purpose's limits apart: the agreement's code comes at once after the sign-in's, a second sign-in code waits its minute", async () => {
    const { studio } = await makeLedStudio(t.db, "码登限");
    const { personId, phone } = await makeApprentice(t.db, studio.id);
    const inbox = phoneInbox();
    const start = new Date();
    expect(await requestSignInCode(t.db, inbox, phone, null, start)).toMatchObject({ ok: true });
    const tenSeconds = new Date(start.getTime() + 10_000);
    expect(await sendPhoneCode(t.db, inbox, { phone, purpose: "agreement", personId }, null, tenSeconds)).toMatchObject({ ok: true });
    expect(await requestSignInCode(t.db, inbox, phone, null, tenSeconds)).toMatchObject({ ok: false, status: 429, message: "验证码已发送，请60秒后再试" });
    expect(inbox.sent).toHaveLength(2);
  });
});

describe("a number's codes, whatever they are for (security review of issue 36)", () => {
  it("counts a number's hour and day over every purpose: a day spent on sign-in codes leaves no binding code, while the agreement's still comes right after a sign-in's", async () => {
    const { studio } = await makeLedStudio(t.db, "码登总");
    const { personId, phone } = await makeApprentice(t.db, studio.id);
    const inbox = phoneInbox();
    const start = new Date();
    // The apprentice's normal way through: signed in, then at once the agreement's code.
    expect(await requestSignInCode(t.db, inbox, phone, null, start)).toMatchObject({ ok: true });
    expect(await sendPhoneCode(t.db, inbox, { phone, purpose: "agreement", personId }, null, new Date(start.getTime() + 10_000))).toMatchObject({ ok: true });
    // Eight more sign-in codes, a quarter of an hour apart (under the hour's five): ten texts today.
    for (let i = 1; i <= 8; i++) {
      await smsSettled();
      expect(await requestSignInCode(t.db, inbox, phone, null, minutesLater(start, 15 * i))).toMatchObject({ ok: true });
    }
    await smsSettled();
    const later = minutesLater(start, 15 * 9);
    const dayOver = { ok: false, status: 429, field: "phone", message: "该号码今天获取验证码次数已达上限" };
    expect(await sendPhoneCode(t.db, inbox, { phone, purpose: "wechat_bind", personId }, null, later)).toEqual(dayOver);
    expect(await sendPhoneCode(t.db, inbox, { phone, purpose: "agreement", personId }, null, later)).toEqual(dayOver);
    expect(inbox.sent).toHaveLength(10);
  });

  it("answers a number on record without waiting for the SMS provider, the same as an unknown number", async () => {
    const { studio } = await makeLedStudio(t.db, "码登慢");
    const { personId, phone } = await makeApprentice(t.db, studio.id);
    const called: string[] = [];
    // A provider that never answers: a request waiting for it would never come back.
    const stalled: SmsGateway = { driver: "aliyun", send: (r) => (called.push(r.phone), new Promise<never>(() => {})), confirm: async () => "unknown" };
    const known = await requestSignInCode(t.db, stalled, phone, null);
    const unknown = await requestSignInCode(t.db, stalled, "13657699201", null);
    expect(known).toEqual({ ok: true, message: CODE_SENT, resendAfterSeconds: 60 });
    expect(unknown).toEqual(known);
    const masked = { ok: true, masked: expect.stringMatching(/^136\*{4}\d{4}$/) };
    expect(await sendPhoneCode(t.db, stalled, { phone, purpose: "wechat_bind", personId }, null)).toEqual(masked);
    expect(await sendPhoneCode(t.db, stalled, { phone: "13657699202", purpose: "wechat_bind", personId: null }, null)).toEqual(masked);
    // The code did go to the provider, for the number on record only.
    expect(called).toEqual([phone, phone]);
  });

  it("still answers a number on record the same when the provider fails, and the SMS log says it failed", async () => {
    const { studio } = await makeLedStudio(t.db, "码登败");
    const { personId, phone } = await makeApprentice(t.db, studio.id);
    const refusing: SmsGateway = {
      driver: "aliyun",
      send: async () => ({ ok: false, error: "isv.MOBILE_NUMBER_ILLEGAL：号码错误", retry: false }),
      confirm: async () => "absent",
    };
    const throwing: SmsGateway = { driver: "aliyun", send: () => Promise.reject(new Error("socket hang up")), confirm: async () => "unknown" };
    expect(await requestSignInCode(t.db, refusing, phone, null)).toEqual({ ok: true, message: CODE_SENT, resendAfterSeconds: 60 });
    expect(await sendPhoneCode(t.db, throwing, { phone, purpose: "wechat_bind", personId }, null)).toMatchObject({ ok: true });
    const log = () => t.db.selectFrom("sms_message").select(["status", "error"]).where("phone_hash", "=", lookupHash(phone)).orderBy("id").execute();
    await expect.poll(log).toEqual([
      { status: "failed", error: "isv.MOBILE_NUMBER_ILLEGAL：号码错误" },
      { status: "failed", error: expect.stringContaining("socket hang up") },
    ]);
    // The agreement's code is asked by a signed-in apprentice, whose number is known to them: a failure is said.
    expect(await sendPhoneCode(t.db, refusing, { phone, purpose: "agreement", personId }, null)).toMatchObject({ ok: false, status: 409, field: "phone" });
  });
});
