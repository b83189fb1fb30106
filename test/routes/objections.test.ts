import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import * as noticePage from "../../app/routes/notice.$campaignId";
import * as nominationPage from "../../app/routes/nominations.$nominationId._index/route";
import * as objectionFile from "../../app/routes/objection-files.$fileId";
import { todayInTaizhou } from "../../app/lib/time";
import { useTestDb } from "../db";
import { idNumberFor, makeCampaign, makeNominations, makeUser, solvedChallenge } from "../factories";
import { call, jsonOf } from "../http";

/**
 * Issue 29, item 6: an objection on the public notice is real-name (a code to the phone, a name,
 * an ID number whose check digit holds), kept encrypted; the city reveals the objector (audited)
 * and opens the attachments; the nominee's county reads the content and never who filed it.
 */
const t = useTestDb();
const PDF = new File([new TextEncoder().encode("%PDF-1.4\n%%EOF\n")], "工作证明.pdf", { type: "application/pdf" });
const OBJECTOR = { name: "欧阳明远", idNumber: idNumberFor("M", "1979-11-23"), phone: "13857612399" };
const dayFrom = (days: number) => new Date(Date.parse(`${todayInTaizhou()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function inNotice() {
  const campaign = await makeCampaign(t.db, { year: 2026, status: "public_notice" });
  await t.db
    .updateTable("campaign")
    .set({ notice_start: dayFrom(-1), notice_end: dayFrom(5) })
    .where("id", "=", campaign.id)
    .execute();
  const [nominee] = await makeNominations(t.db, campaign.id, ["陈立"], { candidate: true, deeds_summary: "三十年扎根一线。" }, { unit: "wenling" });
  const path = `/notice/${campaign.id}`;
  const params = { campaignId: String(campaign.id) };
  /** Asks for a code from `peer` and reads it off the outbox's console line, as a developer would. */
  const askFor = async (phone: string, peer = "198.51.100.7") =>
    call(noticePage.action, { db: t.db, path, params, peer, form: { intent: "code", phone, altcha: await solvedChallenge(campaign.id) } });
  const codeFor = async (phone: string, peer = "198.51.100.7") => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const sent = await askFor(phone, peer);
    const code = String(printed.mock.calls.at(-1)?.[0]).match(/验证码是 (\d{6})/)?.[1];
    printed.mockRestore();
    expect([phone, sent.status, (await sent.clone().json()).message]).toEqual([phone, 200, null]);
    return code!;
  };
  const file = async (fields: Record<string, string | File | undefined>, peer = "198.51.100.7") =>
    call(noticePage.action, {
      db: t.db,
      path,
      params,
      peer,
      form: {
        intent: "object",
        nominationId: String(nominee),
        relation: "同事",
        content: "反映其一线工作年限与实际不符，2010年至2015年在机关工作。",
        name: OBJECTOR.name,
        idNumber: OBJECTOR.idNumber,
        phone: OBJECTOR.phone,
        ...fields,
      },
    });
  return { campaign, nominee, askFor, codeFor, file };
}

describe("a real-name objection on the public notice", () => {
  it("refuses a wrong ID check digit and a missing code at their fields, and files a verified one with its number, name and phone encrypted", async () => {
    const { codeFor, file } = await inNotice();
    const code = await codeFor(OBJECTOR.phone);
    const last = OBJECTOR.idNumber.at(-1)!;
    const wrongDigit = OBJECTOR.idNumber.slice(0, 17) + (last === "1" ? "2" : "1");
    const refused = await file({ code, idNumber: wrongDigit });
    expect(refused.status).toBe(400);
    expect(await jsonOf(refused)).toMatchObject({ field: "idNumber", message: "身份证号码校验位不正确，请核对是否有数字抄错" });
    expect(await jsonOf(await file({ code, idNumber: undefined }))).toMatchObject({ field: "idNumber", message: "请输入身份证号码" });
    expect(await jsonOf(await file({ code, name: "<b>x</b>" }))).toMatchObject({ field: "name" });
    const noCode = await file({ code: undefined });
    expect(noCode.status).toBe(400);
    expect(await jsonOf(noCode)).toMatchObject({ field: "code", message: "请填写短信验证码" });
    expect(await t.db.selectFrom("objection").select("id").execute()).toEqual([]);

    const filed = await file({ code, files: PDF });
    expect(filed.status).toBe(200);
    expect((await jsonOf(filed)).data.lookup).toMatch(/^YY[A-Z0-9]{8}$/);
    const stored = await t.db.selectFrom("objection_filing").selectAll().executeTakeFirstOrThrow();
    const [objection] = await t.db.selectFrom("objection").select("source").execute();
    const everything = JSON.stringify({ stored, objection });
    for (const secret of [OBJECTOR.name, OBJECTOR.idNumber, OBJECTOR.phone]) expect(everything).not.toContain(secret);
    expect(stored).toMatchObject({ objector_name: "欧***", phone_masked: "138****2399", address: "198.51.100.7" });
    expect([stored.name_cipher, stored.id_number_cipher, stored.phone_cipher].every((c) => c?.startsWith("v1:"))).toBe(true);
  });

  it("shows the nominee's county the content but not who filed it; the city reveals the objector with a reason (in the history) and opens the attachment", async () => {
    const { nominee, codeFor, file } = await inNotice();
    expect((await file({ code: await codeFor(OBJECTOR.phone), files: PDF })).status).toBe(200);
    const params = { nominationId: String(nominee) };
    const path = `/nominations/${nominee}`;
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const city = await makeUser(t.db, "city_admin");

    const seen = await call(nominationPage.loader, { db: t.db, path, params, as: county });
    expect(seen.status).toBe(200);
    const page = await jsonOf(seen);
    expect(page.objections).toMatchObject([{ source: "网上实名异议（同事）", content: expect.stringContaining("机关工作"), outcome: "pending" }]);
    expect(page.filings).toEqual([]);
    const text = await seen.text();
    for (const secret of [OBJECTOR.name, OBJECTOR.idNumber, OBJECTOR.phone, "欧***", "138****2399"]) expect(text).not.toContain(secret);
    // The county cannot reveal, nor open the attachment; another county sees nothing of the nomination.
    const objection = await t.db.selectFrom("objection").select("id").where("nomination_id", "=", nominee).executeTakeFirstOrThrow();
    const attachment = await t.db.selectFrom("objection_attachment").select("id").where("objection_id", "=", objection.id).executeTakeFirstOrThrow();
    const reveal = { intent: "reveal-objector", objectionId: String(objection.id), reason: "联系异议人核实情况" };
    expect((await call(nominationPage.action, { db: t.db, path, params, as: county, form: reveal })).status).toBe(403);
    const fileParams = { fileId: String(attachment.id) };
    expect((await call(objectionFile.loader, { db: t.db, path: `/objection-files/${attachment.id}`, params: fileParams, as: county })).status).toBe(403);
    expect((await call(nominationPage.loader, { db: t.db, path, params, as: other })).status).toBe(403);

    // The city: masked until a reveal with a reason, then everything, and the reveal is in the history.
    const cityPage = await jsonOf(await call(nominationPage.loader, { db: t.db, path, params, as: city }));
    expect(cityPage.filings).toEqual([
      { objectionId: objection.id, name: "欧***", phone: "138****2399", attachments: [{ id: attachment.id, filename: "工作证明.pdf", size: 15 }] },
    ]);
    const noReason = await call(nominationPage.action, { db: t.db, path, params, as: city, form: { ...reveal, reason: "" } });
    expect(noReason.status).toBe(400);
    expect((await jsonOf(noReason)).form.error.reason).toEqual(["请说明查看完整号码的事由"]);
    const revealed = await call(nominationPage.action, { db: t.db, path, params, as: city, form: reveal });
    expect(revealed.status).toBe(200);
    expect((await jsonOf(revealed)).data).toEqual({ objectionId: objection.id, ...OBJECTOR });
    const history = await jsonOf(await call(nominationPage.loader, { db: t.db, path, params, as: city }));
    expect(history.history.at(-1)).toMatchObject({ action: "reveal_objector", comment: "联系异议人核实情况", actor_name: city.displayName });
    // What the county reads of that history names no one.
    expect(await (await call(nominationPage.loader, { db: t.db, path, params, as: county })).text()).not.toContain(OBJECTOR.name);
    const opened = await call(objectionFile.loader, { db: t.db, path: `/objection-files/${attachment.id}`, params: fileParams, as: city });
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode(await opened.arrayBuffer())).toContain("%PDF-1.4");
  });

  it("converts no photo for a filing whose code is made up: the code is refused, the files unread", async () => {
    const { codeFor, file } = await inNotice();
    const code = await codeFor(OBJECTOR.phone);
    const wrong = code === "000000" ? "111111" : "000000";
    // Not a picture at all: had it been read, the answer would be about the file.
    const heic = new File([new Uint8Array(4096).fill(7)], "IMG_0001.HEIC", { type: "image/heic" });
    const refused = await file({ code: wrong, files: heic });
    expect(refused.status).toBe(400);
    expect(await jsonOf(refused)).toMatchObject({ field: "code", message: "验证码不正确" });
    // With the live code the same file is read, and refused for what it is.
    expect(await jsonOf(await file({ code, files: heic }))).toMatchObject({ field: "files" });
  });

  it("limits filing per number, per address and per person", async () => {
    const { campaign, nominee, askFor, codeFor: codeFrom, file: fileFrom } = await inNotice();
    const network = "198.51.100.30";
    const codeFor = (phone: string, peer = network) => codeFrom(phone, peer);
    const texts = async () => (await t.db.selectFrom("sms_message").select("id").execute()).length;
    const file = (fields: Record<string, string | File | undefined>, peer = network) => fileFrom(fields, peer);
    const filed = async () => (await t.db.selectFrom("objection").select("id").where("nomination_id", "=", nominee).execute()).length;
    // A number files three a day; the fourth is refused at the phone field with nothing written.
    for (let i = 0; i < 3; i++) {
      expect((await file({ code: await codeFor(OBJECTOR.phone) })).status).toBe(200);
      // The next code may be asked for at once (the minute between codes is the code's own limit).
      await sql`update vote_code set sent_at = sent_at - interval '2 minutes' where campaign_id = ${campaign.id}`.execute(t.db);
    }
    // The fourth is refused when its code is asked for: no SMS spent on a filing that could not stand.
    const before = await texts();
    const fourth = await askFor(OBJECTOR.phone, network);
    expect(fourth.status).toBe(429);
    expect(await jsonOf(fourth)).toMatchObject({ field: "phone", message: expect.stringContaining("该号码今天提出异议的次数已达上限") });
    expect(await texts()).toBe(before);
    expect(await filed()).toBe(3);

    // One network files ten within the hour, from fresh numbers; the eleventh is refused.
    for (let i = 0; i < 7; i++) {
      const phone = `1395761${String(1000 + i)}`;
      expect((await file({ phone, idNumber: idNumberFor(), code: await codeFor(phone) })).status).toBe(200);
    }
    const eleventh = await askFor("13957619999", network);
    expect(eleventh.status).toBe(429);
    expect((await jsonOf(eleventh)).message).toBe("您所在网络一小时内提出的异议过多，请稍后再试");
    // Another network is not held up by it.
    const elsewhere = "13957618888";
    expect((await file({ phone: elsewhere, idNumber: idNumberFor(), code: await codeFor(elsewhere, "203.0.113.50") }, "203.0.113.50")).status).toBe(200);
    expect(await filed()).toBe(11);

    // One person files ten over the notice, whatever numbers and networks they use; the eleventh is refused at the ID number.
    for (let i = 0; i < 7; i++) {
      const [other, from] = [`1365761${String(1000 + i)}`, `203.0.113.${60 + i}`];
      expect((await file({ phone: other, code: await codeFor(other, from) }, from)).status).toBe(200);
    }
    const lastPhone = "13657619999";
    const again = await file({ phone: lastPhone, code: await codeFor(lastPhone, "203.0.113.99") }, "203.0.113.99");
    expect(again.status).toBe(429);
    expect(await jsonOf(again)).toMatchObject({ field: "idNumber", message: expect.stringContaining("您本次公示期内提出异议的次数已达上限") });
    expect(await filed()).toBe(18);
  });
});
