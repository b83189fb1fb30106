import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeApprentice, makeAwardee, makeLedStudio, makeUser, phoneInbox } from "../../../test/factories";
import { runDueJobs } from "~/lib/jobs.server";
import { addDays, todayInTaizhou } from "~/lib/time";
import { actionLabel } from "~/modules/audit/labels";
import {
  answerRequest,
  deskList,
  fileOwnRequest,
  filePhoneRequest,
  ownCopy,
  phoneCopy,
  requestRightsCode,
  setAnswerDays,
  setCalendarDay,
} from "~/modules/privacy/rights.server";
import { fanOut, jobHandlers, todosFor } from "~/worker.server";

const t = useTestDb();
const at = (taizhou: string) => new Date(`${taizhou}+08:00`);
/** A Friday, before the National Day holiday. */
const FRIDAY = at("2026-09-25T10:00:00");

const historyOf = (id: number) =>
  t.db
    .selectFrom("audit_log")
    .select(["action", "actor_name", "comment"])
    .where("entity_type", "=", "rights_request")
    .where("entity_id", "=", String(id))
    .orderBy("id")
    .execute();

describe("the rights desk", () => {
  it("files a request due 15 working days on (over a weekend, two holidays and a 调休 Saturday), a to-do for the city until answered", async () => {
    const city = await makeUser(t.db, "city_admin");
    expect((await setCalendarDay(t.db, city, { day: "2026-10-01", working: "holiday", name: "国庆节" })).ok).toBe(true);
    await setCalendarDay(t.db, city, { day: "2026-10-02", working: "holiday", name: "国庆节" });
    await setCalendarDay(t.db, city, { day: "2026-10-10", working: "workday", name: "国庆调休" });
    const { user } = await makeAwardee(t.db, "wenling", "查阅人");
    const filed = await fileOwnRequest(t.db, user, { kind: "copy", details: "请提供我的全部信息", correction: null }, FRIDAY);
    if (!filed.ok) throw new Error(filed.message);
    const row = await t.db.selectFrom("rights_request").selectAll().where("id", "=", filed.id).executeTakeFirstOrThrow();
    // Sep 28–30 (3), Oct 5–9 (8), the working Saturday 10 (9), Oct 12–16 (14), Mon 19 (15).
    expect(row).toMatchObject({ status: "pending", due_on: "2026-10-19", kind: "copy", person_id: user.personId });

    const todo = async (instant: Date) => (await todosFor(t.db, city, instant)).find((i) => i.link === `/privacy/desk#request-${filed.id}`);
    expect(await todo(FRIDAY)).toMatchObject({ due: "2026-10-19", overdue: false });
    expect(await todo(at("2026-10-20T09:00:00"))).toMatchObject({ overdue: true });
    // The copy is not given before the city grants it.
    expect(await ownCopy(t.db, user, filed.id)).toMatchObject({ ok: false, status: 409 });

    const answered = await answerRequest(
      t.db,
      city,
      { requestId: filed.id, outcome: "granted", answer: "已提供副本下载", confirmed: true },
      at("2026-09-28T10:00:00"),
    );
    expect(answered.ok).toBe(true);
    expect(await todo(at("2026-09-28T11:00:00"))).toBeUndefined();
    expect(await historyOf(filed.id)).toEqual([
      expect.objectContaining({ action: "filed", comment: "请提供我的全部信息" }),
      expect.objectContaining({ action: "granted", comment: "已提供副本下载" }),
    ]);
    expect(actionLabel("filed", "rights_request")).toBe("提出申请");
    expect(actionLabel("refused", "rights_request")).toBe("不予同意");

    // The requester hears it in their inbox (and by SMS, the category being one that goes out).
    await fanOut(t.db, at("2026-09-28T11:00:00"));
    const inbox = await t.db.selectFrom("message").select(["text", "category"]).where("user_id", "=", user.id).execute();
    expect(inbox).toEqual([expect.objectContaining({ category: "approved", text: expect.stringContaining("已办理：已提供副本下载") })]);
    const copy = await ownCopy(t.db, user, filed.id);
    expect(copy.ok && copy.file.length > 0).toBe(true);
    // Another person's request is no one's to download.
    const other = await makeAwardee(t.db, "wenling", "旁人");
    expect(await ownCopy(t.db, other.user, filed.id)).toMatchObject({ ok: false, status: 404 });
  });

  it("refuses only with a reason, answers once, and only the city answers; a county reads its own county's requests", async () => {
    const city = await makeUser(t.db, "city_admin");
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const { user } = await makeAwardee(t.db, "wenling", "更正人");
    const filed = await fileOwnRequest(t.db, user, { kind: "correct", details: "工作单位有误", correction: "温岭恒远精密机械股份有限公司" }, FRIDAY);
    if (!filed.ok) throw new Error(filed.message);
    const ask = (actor = city, answer: string | null = null, outcome: "granted" | "refused" = "refused") =>
      answerRequest(t.db, actor, { requestId: filed.id, outcome, answer, confirmed: true });
    expect(await ask()).toMatchObject({ ok: false, field: "answer", message: "不予同意须写明理由" });
    // "." would go out by SMS as 不予同意：. — a reason, and what a grant did, are said in words.
    for (const [answer, outcome] of [
      [".", "refused"],
      ["  ……！  ", "refused"],
      ["不同意", "refused"],
      ["好。", "granted"],
      ["——", "granted"],
    ] as const)
      expect(await ask(city, answer, outcome)).toMatchObject({ ok: false, status: 400, field: "answer", message: expect.stringContaining("至少4个字") });
    expect(await ask(wenling, "不同意")).toMatchObject({ ok: false, status: 403 });
    expect(await answerRequest(t.db, city, { requestId: 999999, outcome: "granted", answer: "x", confirmed: true })).toMatchObject({ status: 404 });
    expect((await t.db.selectFrom("rights_request").select("status").where("id", "=", filed.id).executeTakeFirstOrThrow()).status).toBe("pending");

    expect((await deskList(t.db, wenling, {})).rows.map((r) => r.id)).toContain(filed.id);
    expect((await deskList(t.db, jiaojiang, {})).rows.map((r) => r.id)).not.toContain(filed.id);

    expect(await ask(city, "单位名称以营业执照为准，档案无误")).toMatchObject({ ok: true });
    expect(await ask(city, "再答一次", "granted")).toMatchObject({ ok: false, status: 409 });
    expect((await historyOf(filed.id)).map((h) => h.action)).toEqual(["filed", "refused"]);
    await fanOut(t.db);
    expect(await t.db.selectFrom("message").select("text").where("user_id", "=", user.id).execute()).toEqual([
      { text: expect.stringContaining("不予同意：单位名称以营业执照为准") },
    ]);
  });

  it("withdraws publication consent at once, and records the request as answered", async () => {
    const { person, user } = await makeAwardee(t.db, "wenling", "撤回人");
    await t.db
      .insertInto("publication_consent")
      .values({ person_id: person.id, consented: true, how_obtained: "书面", story: "", recorded_by: user.id })
      .execute();
    const filed = await fileOwnRequest(t.db, user, { kind: "withdraw", details: "不再希望公开展示", correction: null }, FRIDAY);
    if (!filed.ok) throw new Error(filed.message);
    expect((await t.db.selectFrom("publication_consent").select("consented").where("person_id", "=", person.id).executeTakeFirstOrThrow()).consented).toBe(
      false,
    );
    expect(await t.db.selectFrom("rights_request").select(["status", "answer"]).where("id", "=", filed.id).executeTakeFirstOrThrow()).toMatchObject({
      status: "granted",
      answer: expect.stringContaining("已即时撤回"),
    });
    expect((await historyOf(filed.id)).map((h) => h.action)).toEqual(["filed", "granted"]);
    const personHistory = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person.id))
      .execute();
    expect(personHistory.map((h) => h.action)).toContain("consent_withdrawn");
    const city = await makeUser(t.db, "city_admin");
    expect((await todosFor(t.db, city)).some((i) => i.link === `/privacy/desk#request-${filed.id}`)).toBe(false);
  });

  it("an apprentice asks about their own record; officers and experts file nothing", async () => {
    const { studio } = await makeLedStudio(t.db, "带徒师傅");
    const { user } = await makeApprentice(t.db, studio.id, { name: "学徒申请人" });
    expect((await fileOwnRequest(t.db, user, { kind: "delete", details: "删除我的旧手机号", correction: null }, FRIDAY)).ok).toBe(true);
    const city = await makeUser(t.db, "city_admin");
    expect(await fileOwnRequest(t.db, city, { kind: "copy", details: "x", correction: null })).toMatchObject({ ok: false, status: 403 });
  });

  it("a voter with no account asks by a phone code: limits as every code, a wrong code refused, the answer by SMS, the copy after a fresh code", async () => {
    const phone = "13857612345";
    const gateway = phoneInbox();
    expect((await requestRightsCode(t.db, gateway, phone, "10.0.0.1", FRIDAY)).ok).toBe(true);
    // One code a minute per number.
    expect(await requestRightsCode(t.db, gateway, phone, "10.0.0.1", new Date(FRIDAY.getTime() + 10_000))).toMatchObject({ ok: false, field: "phone" });
    const wrong = await filePhoneRequest(t.db, { phone, code: "000000", kind: "copy", details: "我投过票", correction: null }, FRIDAY);
    expect(wrong).toMatchObject({ ok: false, field: "code" });
    expect(await t.db.selectFrom("rights_request").select("id").where("phone_masked", "=", "138****2345").execute()).toEqual([]);
    // A number has no consent to withdraw.
    expect(await filePhoneRequest(t.db, { phone, code: gateway.codeFor(phone), kind: "withdraw", details: "x", correction: null }, FRIDAY)).toMatchObject({
      ok: false,
      field: "kind",
    });
    const filed = await filePhoneRequest(t.db, { phone, code: gateway.codeFor(phone), kind: "copy", details: "我投过票", correction: null }, FRIDAY);
    if (!filed.ok) throw new Error(filed.message);
    // The code is spent.
    expect(await filePhoneRequest(t.db, { phone, code: gateway.codeFor(phone), kind: "copy", details: "再来", correction: null }, FRIDAY)).toMatchObject({
      ok: false,
      field: "code",
    });
    expect((await historyOf(filed.id))[0]).toMatchObject({ action: "filed", actor_name: "系统" });

    const city = await makeUser(t.db, "city_admin");
    const noon = at("2026-09-28T12:00:00");
    expect((await answerRequest(t.db, city, { requestId: filed.id, outcome: "granted", answer: "可下载副本", confirmed: true }, noon)).ok).toBe(true);
    // Codes are logged at the real clock: the job runs two days on, clear of the per-number SMS limits they count in.
    const later = at(`${addDays(todayInTaizhou(), 2)}T12:00:00`);
    await runDueJobs(t.db, { "sms.send": jobHandlers(gateway, () => later)["sms.send"] }, { now: later });
    const told = gateway.sent.filter((s) => s.phone === phone && s.text.includes("可下载副本"));
    expect(told).toHaveLength(1);
    expect(told[0].text).toContain(`申请编号 ${filed.id}`);

    // The copy: a fresh code, and only for the number's own request.
    expect((await requestRightsCode(t.db, gateway, phone, "10.0.0.1", noon)).ok).toBe(true);
    expect(await phoneCopy(t.db, { phone, code: "111111", requestId: filed.id }, noon)).toMatchObject({ ok: false, field: "code" });
    const copy = await phoneCopy(t.db, { phone, code: gateway.codeFor(phone), requestId: filed.id }, noon);
    expect(copy.ok && copy.file.length > 0).toBe(true);
    const other = "13857654321";
    await requestRightsCode(t.db, gateway, other, "10.0.0.2", noon);
    expect(await phoneCopy(t.db, { phone: other, code: gateway.codeFor(other), requestId: filed.id }, noon)).toMatchObject({ ok: false, status: 404 });
  });

  it("the answer period is the city's policy", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer");
    expect(await setAnswerDays(t.db, county, 5)).toMatchObject({ ok: false, status: 403 });
    // Editable within 1–30 working days: the former bound of 60 is refused, and 0.
    for (const days of [0, 31, 60])
      expect(await setAnswerDays(t.db, city, days)).toEqual({ ok: false, status: 400, field: "answerWorkingDays", message: "答复期限应为 1 到 30 个工作日" });
    expect((await t.db.selectFrom("privacy_policy").select("answer_working_days").executeTakeFirstOrThrow()).answer_working_days).toBe(15);
    expect((await setAnswerDays(t.db, city, 3)).ok).toBe(true);
    const { user } = await makeAwardee(t.db, "wenling", "期限人");
    const filed = await fileOwnRequest(t.db, user, { kind: "copy", details: "x", correction: null }, FRIDAY);
    if (!filed.ok) throw new Error(filed.message);
    expect((await t.db.selectFrom("rights_request").select("due_on").where("id", "=", filed.id).executeTakeFirstOrThrow()).due_on).toBe("2026-09-30");
    await setAnswerDays(t.db, city, 15);
  });
});
