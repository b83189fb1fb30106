import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as privacyPage from "../../app/routes/privacy._index";
import * as requestsPage from "../../app/routes/privacy.requests";
import * as copyFile from "../../app/routes/privacy.requests.$requestId.copy";
import * as desk from "../../app/routes/privacy.desk";
import { requestRightsCode } from "../../app/modules/privacy/rights.server";
import { setRetention } from "../../app/modules/retention/retention.server";
import { useTestDb } from "../db";
import { makeAwardee, makeUser, phoneInbox } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

const cellsOf = async (response: Response) => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await response.arrayBuffer()) as ArrayBuffer);
  const text: string[] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => text.push(String(cell.text)))));
  return text.join("\n");
};

describe("the rights desk over HTTP", () => {
  it("a craftsman asks for a copy, the city grants it at the desk, and the craftsman downloads the file of their data", async () => {
    const { user, person } = await makeAwardee(t.db, "wenling", "页面申请人");
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });

    const filed = await call(requestsPage.action, {
      db: t.db,
      path: "/privacy/requests",
      as: user,
      form: { intent: "file", kind: "copy", details: "请提供我的全部信息" },
    });
    expect(await jsonOf(filed)).toMatchObject({ ok: true, intent: "file" });
    const own = await jsonOf(await call(requestsPage.loader, { db: t.db, path: "/privacy/requests", as: user }));
    expect(own.requests).toEqual([expect.objectContaining({ kind: "copy", status: "pending" })]);
    const id: number = own.requests[0].id;

    // Not before it is granted.
    expect((await call(copyFile.loader, { db: t.db, path: `/privacy/requests/${id}/copy`, params: { requestId: String(id) }, as: user })).status).toBe(409);

    // The county reads its own people's requests, and may not answer; another county does not see it.
    const countyDesk = await jsonOf(await call(desk.loader, { db: t.db, path: "/privacy/desk", as: county }));
    expect(countyDesk.canAnswer).toBe(false);
    expect(countyDesk.list.rows.map((r: { id: number }) => r.id)).toContain(id);
    expect(
      (await jsonOf(await call(desk.loader, { db: t.db, path: "/privacy/desk", as: otherCounty }))).list.rows.map((r: { id: number }) => r.id),
    ).not.toContain(id);
    const answer = { intent: "answer", requestId: String(id), outcome: "granted", answer: "已核对，可下载副本", confirmed: "1" };
    expect((await call(desk.action, { db: t.db, path: "/privacy/desk", as: county, form: answer })).status).toBe(403);

    // The city: the list, pending first; an answer must be confirmed.
    const cityDesk = await jsonOf(await call(desk.loader, { db: t.db, path: "/privacy/desk?status=pending", as: city }));
    expect(cityDesk.list.rows[0]).toMatchObject({ id, person_name: "页面申请人", status: "pending" });
    expect(await jsonOf(await call(desk.action, { db: t.db, path: "/privacy/desk", as: city, form: { ...answer, confirmed: undefined } }))).toMatchObject({
      ok: false,
      field: "confirmed",
    });
    expect(await jsonOf(await call(desk.action, { db: t.db, path: "/privacy/desk", as: city, form: answer }))).toMatchObject({ ok: true });

    const file = await call(copyFile.loader, { db: t.db, path: `/privacy/requests/${id}/copy`, params: { requestId: String(id) }, as: user });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("spreadsheetml");
    const text = await cellsOf(file);
    expect(text).toContain("页面申请人");
    const { id_number_masked } = await t.db.selectFrom("person").select("id_number_masked").where("id", "=", person.id).executeTakeFirstOrThrow();
    expect(text).toContain(id_number_masked);
    const history = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "rights_request")
      .where("entity_id", "=", String(id))
      .execute();
    expect(history.map((h) => h.action)).toEqual(["filed", "granted", "copy_downloaded"]);
  });

  it("a voter with no account asks by a phone code on the public page, and downloads the granted copy after a fresh code", async () => {
    const phone = "13857699001";
    const gateway = phoneInbox();
    const post = (form: Record<string, string>) => call(privacyPage.action, { db: t.db, path: "/privacy", form, peer: "198.51.100.90" });
    expect((await call(privacyPage.loader, { db: t.db, path: "/privacy" })).status).toBe(200);
    await requestRightsCode(t.db, gateway, phone, null);
    const filed = await jsonOf(await post({ intent: "file", phone, code: gateway.codeFor(phone), kind: "copy", details: "我参加过网络投票" }));
    expect(filed).toMatchObject({ ok: true, intent: "file" });
    const id = String(filed.data.id);

    const city = await makeUser(t.db, "city_admin");
    await call(desk.action, {
      db: t.db,
      path: "/privacy/desk",
      as: city,
      form: { intent: "answer", requestId: id, outcome: "granted", answer: "可下载副本", confirmed: "1" },
    });
    await requestRightsCode(t.db, gateway, phone, null, new Date(Date.now() + 61_000));
    const file = await post({ intent: "copy", phone, code: gateway.codeFor(phone), requestId: id });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("spreadsheetml");
    expect(await cellsOf(file)).toContain("我参加过网络投票");
  });
});

describe("the public privacy page", () => {
  it("publishes the retention schedule the daily purge applies, as the city keeps it", async () => {
    const page = async () => (await jsonOf(await call(privacyPage.loader, { db: t.db, path: "/privacy" }))).schedule as Array<{ kind: string; period: string }>;
    const before = await page();
    expect(before.map((r) => r.kind)).toEqual(["vote_phone", "objector_identity", "rejected_files", "sessions", "sms_messages", "access_logs", "backups"]);
    expect(before.find((r) => r.kind === "sms_messages")?.period).toBe("180天");
    const city = await makeUser(t.db, "city_admin");
    expect(await setRetention(t.db, city, { kind: "sms_messages", keepDays: 90, confirmed: true })).toMatchObject({ ok: true });
    expect((await page()).find((r) => r.kind === "sms_messages")?.period).toBe("90天");
  });
});
