import { describe, expect, it, vi } from "vitest";
import * as landing from "../../app/routes/_index";
import * as detail from "../../app/routes/subsidies.$applicationId._index/route";
import * as publishPage from "../../app/routes/subsidies.notices";
import * as policyRoute from "../../app/routes/subsidies.policy/route";
import * as noticeList from "../../app/routes/subsidy-notice._index";
import * as noticePage from "../../app/routes/subsidy-notice.$noticeId";
import * as objectionFile from "../../app/routes/subsidy-objection-files.$fileId";
import { decrypt } from "../../app/modules/people/pii.server";
import { useTestDb } from "../db";
import { idNumberFor, makeSubsidy, makeUser } from "../factories";
import { call, jsonOf } from "../http";

/**
 * Issue 34, item 2, through the pages: the city publishes the year's approved subsidies; the public
 * page lists them with the surname only and the amount, and nothing else of the person; a member of
 * the public objects with a proved number and a checked ID; the county reads the objection, the city
 * reveals who filed it and decides; an upheld objection lets the city revoke the approval.
 */
const t = useTestDb();
const YEAR = new Date().getFullYear();
const PDF = new File([new TextEncoder().encode("%PDF-1.4\n%%EOF\n")], "证明.pdf", { type: "application/pdf" });
const OBJECTOR = { name: "欧阳明远", idNumber: idNumberFor("M", "1979-11-23"), phone: "13857612399" };
const PEER = "198.51.100.7";

async function published() {
  const city = await makeUser(t.db, "city_admin");
  const saved = await call(policyRoute.action, {
    db: t.db,
    path: `/subsidies/policy?year=${YEAR}`,
    as: city,
    form: { budget: "500,000", sharePercent: "50", holdbackPercent: "20", yearsAfterAward: "10", noticeDays: "7", open: "on", "cap-本科": "15000" },
  });
  expect(saved.status).toBe(200);
  const app = await makeSubsidy(t.db, YEAR, city.id, { name: "欧阳春晓" });
  const person = await t.db.selectFrom("person").select(["id_number_cipher", "phone_cipher"]).where("id", "=", app.personId).executeTakeFirstOrThrow();
  const secrets = ["欧阳春晓", decrypt(person.id_number_cipher), decrypt(person.phone_cipher!)];
  const path = `/subsidies/notices?year=${YEAR}`;
  const preview = await jsonOf(await call(publishPage.loader, { db: t.db, path, as: city }));
  expect(preview.preview.rows.map((r: { id: number }) => r.id)).toEqual([app.id]);
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  expect((await call(publishPage.action, { db: t.db, path, as: county, form: { intent: "publish", expected: "1", confirmed: "1" } })).status).toBe(403);
  // The first press only asks to confirm.
  expect((await call(publishPage.action, { db: t.db, path, as: city, form: { intent: "publish", expected: "1" } })).status).toBe(400);
  const done = await call(publishPage.action, { db: t.db, path, as: city, form: { intent: "publish", expected: "1", confirmed: "1" } });
  expect(done.status).toBe(200);
  const notice = await t.db.selectFrom("subsidy_notice").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
  const pagePath = `/subsidy-notice/${notice.id}`;
  const params = { noticeId: String(notice.id) };
  const codeFor = async (phone: string, peer = PEER) => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const sent = await call(noticePage.action, { db: t.db, path: pagePath, params, peer, form: { intent: "code", phone } });
    const code = String(printed.mock.calls.at(-1)?.[0]).match(/验证码是 (\d{6})/)?.[1];
    printed.mockRestore();
    expect([sent.status, (await jsonOf(sent)).data]).toEqual([200, { sent: "138****" + phone.slice(-4) }]);
    return code!;
  };
  const object = (fields: Record<string, string | File | undefined>) =>
    call(noticePage.action, {
      db: t.db,
      path: pagePath,
      params,
      peer: PEER,
      form: {
        intent: "object",
        applicationId: String(app.id),
        relation: "同事",
        content: "反映其报读的是非学历培训班，不是学历教育。",
        name: OBJECTOR.name,
        idNumber: OBJECTOR.idNumber,
        phone: OBJECTOR.phone,
        ...fields,
      },
    });
  return { city, county, app, secrets, notice, pagePath, params, codeFor, object };
}

describe("the 公示 of approved subsidies through the pages", () => {
  it("shows the public the surname, employer, degree, school and amount, and nothing else of the person", async () => {
    const { app, secrets, notice, pagePath, params } = await published();
    const page = await call(noticePage.loader, { db: t.db, path: pagePath, params });
    expect(page.status).toBe(200);
    const data = await jsonOf(page);
    expect(data.state).toBe("open");
    expect(data.rows).toEqual([
      { id: app.id, name: "欧***", employer: "温岭恒远精密机械有限公司", degree: "本科", institution: "台州学院", amountFen: 1_000_000 },
    ]);
    const text = await page.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Listed for anyone, and on the landing page while it runs.
    expect((await jsonOf(await call(noticeList.loader, { db: t.db, path: "/subsidy-notice" }))).notices).toMatchObject([{ id: notice.id, year: YEAR }]);
    expect((await jsonOf(await call(landing.loader, { db: t.db, path: "/" }))).happenings).toContainEqual(
      expect.objectContaining({ link: `/subsidy-notice/${notice.id}` }),
    );
    expect((await call(noticePage.loader, { db: t.db, path: "/subsidy-notice/999999", params: { noticeId: "999999" } })).status).toBe(404);
  });

  it("takes an objection with a proved number and a checked ID, which the county reads, the city reveals and decides, and an upheld one revokes", async () => {
    const { city, county, app, pagePath, params, codeFor, object } = await published();
    const code = await codeFor(OBJECTOR.phone);
    const last = OBJECTOR.idNumber.at(-1)!;
    const wrongDigit = OBJECTOR.idNumber.slice(0, 17) + (last === "1" ? "2" : "1");
    expect(await jsonOf(await object({ code, idNumber: wrongDigit }))).toMatchObject({
      field: "idNumber",
      message: "身份证号码校验位不正确，请核对是否有数字抄错",
    });
    const wrong = await object({ code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect(await jsonOf(wrong)).toMatchObject({ field: "code", message: "验证码不正确" });
    const filed = await object({ code, files: PDF });
    expect(filed.status).toBe(200);
    const { lookup } = (await jsonOf(filed)).data;
    expect(lookup).toMatch(/^YY[A-Z0-9]{8}$/);
    // The reply keeps neither the code nor the ID number.
    expect(await filed.text()).not.toContain(OBJECTOR.idNumber);
    const found = await jsonOf(await call(noticePage.loader, { db: t.db, path: `${pagePath}?lookup=${lookup}`, params }));
    expect(found.lookup.found).toMatchObject({ applicant: "欧***", outcome: "待处理" });

    const appPath = `/subsidies/${app.id}`;
    const appParams = { applicationId: String(app.id) };
    const objection = await t.db.selectFrom("subsidy_objection").select("id").where("application_id", "=", app.id).executeTakeFirstOrThrow();
    const file = await t.db.selectFrom("subsidy_objection_file").select("id").where("objection_id", "=", objection.id).executeTakeFirstOrThrow();
    // The county: what it says, not who said it; no reveal, no attachment, no finding.
    const countyPage = await call(detail.loader, { db: t.db, path: appPath, params: appParams, as: county });
    expect((await jsonOf(countyPage)).notice.objections).toMatchObject([{ relation: "同事", content: expect.stringContaining("非学历"), objector: null }]);
    const countyText = await countyPage.text();
    for (const secret of [OBJECTOR.name, OBJECTOR.phone, "138****2399"]) expect(countyText).not.toContain(secret);
    const reveal = { intent: "reveal-objector", objectionId: String(objection.id), reason: "联系异议人核实情况" };
    expect((await call(detail.action, { db: t.db, path: appPath, params: appParams, as: county, form: reveal })).status).toBe(403);
    const fileParams = { fileId: String(file.id) };
    expect((await call(objectionFile.loader, { db: t.db, path: `/subsidy-objection-files/${file.id}`, params: fileParams, as: county })).status).toBe(403);
    const resolve = {
      intent: "resolve-objection",
      objectionId: String(objection.id),
      outcome: "upheld",
      handling: "经向院校核实，所报读为非学历培训",
      confirmed: "1",
    };
    expect((await call(detail.action, { db: t.db, path: appPath, params: appParams, as: county, form: resolve })).status).toBe(403);

    // The city: masked until revealed with a reason (in the history), the attachment, the finding.
    const cityPage = await jsonOf(await call(detail.loader, { db: t.db, path: appPath, params: appParams, as: city }));
    expect(cityPage.notice.objections[0].objector).toMatchObject({ name: "欧***", phone: "138****2399" });
    expect(cityPage.steps.map((s: { step: string }) => s.step)).toEqual(["disburse"]);
    const revealed = await call(detail.action, { db: t.db, path: appPath, params: appParams, as: city, form: reveal });
    expect((await jsonOf(revealed)).data).toEqual({ objectionId: objection.id, ...OBJECTOR });
    expect(revealed.headers.get("cache-control")).toBe("no-store");
    expect((await call(objectionFile.loader, { db: t.db, path: `/subsidy-objection-files/${file.id}`, params: fileParams, as: city })).status).toBe(200);
    const paid = await call(detail.action, {
      db: t.db,
      path: appPath,
      params: appParams,
      as: city,
      form: { intent: "step", step: "disburse", expected: "approved", confirmed: "1", date: `${YEAR}-01-02`, voucher: "CW-1" },
    });
    expect(paid.status).toBe(409);
    expect((await jsonOf(paid)).reasons).toEqual(expect.arrayContaining(["有 1 件公示异议尚未处理，处理完毕后才能拨付"]));
    expect((await call(detail.action, { db: t.db, path: appPath, params: appParams, as: city, form: { ...resolve, handling: "" } })).status).toBe(400);
    expect((await call(detail.action, { db: t.db, path: appPath, params: appParams, as: city, form: resolve })).status).toBe(200);
    const after = await jsonOf(await call(detail.loader, { db: t.db, path: appPath, params: appParams, as: city }));
    expect(after.steps.map((s: { step: string }) => s.step)).toEqual(["revoke", "disburse"]);
    expect(after.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(["notice_publish", "objection_received", "reveal_objector", "objection_resolved"]),
    );
    const revoke = { intent: "step", step: "revoke", expected: "approved", reason: "公示异议属实：报读的是非学历培训" };
    expect((await call(detail.action, { db: t.db, path: appPath, params: appParams, as: city, form: revoke })).status).toBe(400);
    expect((await call(detail.action, { db: t.db, path: appPath, params: appParams, as: city, form: { ...revoke, confirmed: "1" } })).status).toBe(200);
    const revoked = await t.db.selectFrom("subsidy_application").select(["status", "status_reason"]).where("id", "=", app.id).executeTakeFirstOrThrow();
    expect(revoked).toEqual({ status: "rejected", status_reason: "公示异议属实：报读的是非学历培训" });
    // The outcome, as the objector reads it; the revoked approval leaves the public list.
    const outcome = await jsonOf(await call(noticePage.loader, { db: t.db, path: `${pagePath}?lookup=${lookup}`, params }));
    expect(outcome.lookup.found).toMatchObject({ outcome: "经核查属实", handling: "经向院校核实，所报读为非学历培训" });
    expect(outcome.rows).toEqual([]);
  });
});
