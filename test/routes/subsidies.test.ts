import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as detail from "../../app/routes/subsidies.$applicationId._index/route";
import * as edit from "../../app/routes/subsidies.$applicationId.edit";
import * as list from "../../app/routes/subsidies._index";
import * as exportRoute from "../../app/routes/subsidies.export";
import * as create from "../../app/routes/subsidies.new";
import * as policyRoute from "../../app/routes/subsidies.policy/route";
import * as files from "../../app/routes/subsidy-files.$fileId";
import { useTestDb } from "../db";
import { makeAwardee, makeUser, publishSubsidies, subsidyForm } from "../factories";
import { call, jsonOf } from "../http";
import { checkChsi, chsiCode, chsiValidUntil } from "../chsi";

const t = useTestDb();
const YEAR = new Date().getFullYear();

const applicationForm = (over: Record<string, string> = {}) => subsidyForm(YEAR, over);

async function setup() {
  const city = await makeUser(t.db, "city_admin");
  const saved = await call(policyRoute.action, {
    db: t.db,
    path: `/subsidies/policy?year=${YEAR}`,
    as: city,
    form: { budget: "500,000", sharePercent: "50", holdbackPercent: "20", yearsAfterAward: "10", open: "on", "cap-本科": "15000", "cap-大专": "8000" },
  });
  expect(saved.status).toBe(200);
  const { user: craftsman } = await makeAwardee(t.db, "wenling");
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  return { city, craftsman, county };
}

async function upload(as: Awaited<ReturnType<typeof makeUser>>, id: number, kind: string, file: File) {
  return call(detail.action, { db: t.db, path: `/subsidies/${id}`, params: { applicationId: String(id) }, as, form: { intent: "attach", kind, files: file } });
}

describe("subsidies through the pages", () => {
  it("checks amounts field by field, to the fen", async () => {
    const { craftsman } = await setup();
    const post = (over: Record<string, string>) => call(create.action, { db: t.db, path: "/subsidies/new", as: craftsman, form: applicationForm(over) });
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ tuition: "-20000" }, "tuition", "金额不能为负数"],
      [{ tuition: "20000.123" }, "tuition", "金额最多保留两位小数（到分）"],
      [{ tuition: "二万" }, "tuition", "不是有效的金额"],
      [{ tuition: "999999999999" }, "tuition", "金额过大，请核对"],
      [{ requested: "0" }, "requested", "申请补助金额应大于0"],
      [{ requested: "30000" }, "requested", "申请金额不能超过学费总额"],
      [{ requested: "10000.01" }, "requested", "按政策最多可申请 10000.00 元"],
      [{ targetDegree: "大专" }, "targetDegree", "报读学历应高于现有学历"],
      [{ expectedGraduation: `${YEAR}-01-01` }, "expectedGraduation", "预计毕业日期应晚于入学日期"],
    ];
    for (const [over, field, message] of cases) {
      const response = await post(over);
      expect(response.status, JSON.stringify(over)).toBe(400);
      expect((await jsonOf(response)).form.error[field].join(), JSON.stringify(over)).toContain(message);
    }
    expect(await t.db.selectFrom("subsidy_application").select("id").execute()).toEqual([]);
    const ok = await post({ tuition: "¥19,999.99", requested: "9999.99" });
    expect(ok.status).toBe(302);
    const row = await t.db.selectFrom("subsidy_application").select(["tuition_fen", "requested_fen"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ tuition_fen: 1999999, requested_fen: 999999 });
  });

  it("keeps each application with its applicant, their county and the city", async () => {
    const { craftsman, county, city } = await setup();
    const created = await call(create.action, {
      db: t.db,
      path: "/subsidies/new",
      as: craftsman,
      form: applicationForm({ targetDegree: "硕士研究生", currentEducation: "本科" }),
    });
    // No cap for 硕士 this year: refused with the reason.
    expect((await jsonOf(created)).form.error.targetDegree).toEqual([`${YEAR}年的政策不补助“硕士研究生”`]);
    const ok = await call(create.action, { db: t.db, path: "/subsidies/new", as: craftsman, form: applicationForm() });
    const id = Number(ok.headers.get("location")!.split("/").pop());
    const params = { applicationId: String(id) };
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const { user: otherCraftsman } = await makeAwardee(t.db, "wenling", "另一位工匠");
    for (const outsider of [otherCounty, otherCraftsman]) {
      expect((await call(detail.loader, { db: t.db, path: `/subsidies/${id}`, params, as: outsider })).status).toBe(403);
      expect(
        (await call(detail.action, { db: t.db, path: `/subsidies/${id}`, params, as: outsider, form: { intent: "step", step: "submit", expected: "draft" } }))
          .status,
      ).toBe(403);
    }
    expect((await call(edit.loader, { db: t.db, path: `/subsidies/${id}/edit`, params, as: county })).status).toBe(403);
    expect((await call(create.loader, { db: t.db, path: "/subsidies/new", as: county })).status).toBe(403);
    expect((await call(policyRoute.loader, { db: t.db, path: "/subsidies/policy", as: county })).status).toBe(403);
    expect((await call(exportRoute.loader, { db: t.db, path: "/subsidies/export", as: county })).status).toBe(403);

    const mine = await jsonOf(await call(list.loader, { db: t.db, path: "/subsidies", as: otherCraftsman }));
    expect(mine.rows).toEqual([]);
    const countyList = await jsonOf(await call(list.loader, { db: t.db, path: "/subsidies", as: otherCounty }));
    expect(countyList.rows).toEqual([]);

    // Proof: a renamed file is refused; real ones are served only to those who may see them.
    const fake = await upload(craftsman, id, "receipt", new File([new TextEncoder().encode("PK\u0003\u0004 zip")], "收据.jpg", { type: "image/jpeg" }));
    expect(fake.status).toBe(400);
    expect((await jsonOf(fake)).message).toContain("不是 PDF、JPEG 或 PNG 文件");
    expect((await upload(craftsman, id, "admission", new File([new TextEncoder().encode("%PDF-1.4")], "录取.pdf"))).status).toBe(200);
    expect((await upload(county, id, "receipt", new File([new TextEncoder().encode("%PDF-1.4")], "x.pdf"))).status).toBe(403);
    expect((await upload(craftsman, id, "graduation", new File([new TextEncoder().encode("%PDF-1.4")], "x.pdf"))).status).toBe(403);
    const file = await t.db.selectFrom("subsidy_attachment").select("id").where("application_id", "=", id).executeTakeFirstOrThrow();
    expect((await call(files.loader, { db: t.db, path: `/subsidy-files/${file.id}`, params: { fileId: String(file.id) }, as: otherCounty })).status).toBe(403);
    expect((await call(files.loader, { db: t.db, path: `/subsidy-files/${file.id}`, params: { fileId: String(file.id) }, as: county })).status).toBe(200);

    const step = (as: typeof city, s: string, expected: string, extra: Record<string, string> = {}) =>
      call(detail.action, { db: t.db, path: `/subsidies/${id}`, params, as, form: { intent: "step", step: s, expected, confirmed: "1", ...extra } });
    // The 学信网 code (test/routes/subsidy-chsi.test.ts has its own pages' tests).
    expect(
      (
        await call(detail.action, {
          db: t.db,
          path: `/subsidies/${id}`,
          params,
          as: craftsman,
          form: { intent: "chsi-report", code: chsiCode(), kind: "enrolment", validUntil: chsiValidUntil() },
        })
      ).status,
    ).toBe(200);
    // Submitting without a receipt lists what is missing.
    const early = await step(craftsman, "submit", "draft", { noOtherSchemes: "1" });
    expect(early.status).toBe(400);
    expect((await jsonOf(early)).reasons).toEqual(["请上传学费收据"]);
    await upload(craftsman, id, "receipt", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], "收据.png"));
    // A blurry photo taken back while the application is still the applicant's to edit.
    await upload(craftsman, id, "receipt", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], "模糊的收据.png"));
    const attachmentNamed = (filename: string) =>
      t.db.selectFrom("subsidy_attachment").select("id").where("application_id", "=", id).where("filename", "=", filename).executeTakeFirstOrThrow();
    const blurry = await attachmentNamed("模糊的收据.png");
    const detach = (as: typeof city, attachment: { id: number }, extra: Record<string, string> = { confirmed: "1" }) =>
      call(detail.action, { db: t.db, path: `/subsidies/${id}`, params, as, form: { intent: "detach", attachmentId: String(attachment.id), ...extra } });
    expect((await detach(craftsman, blurry, {})).status).toBe(400);
    expect((await detach(county, blurry)).status).toBe(403);
    expect((await detach(craftsman, blurry)).status).toBe(200);
    expect((await detach(craftsman, blurry)).status).toBe(404);
    expect(await t.db.selectFrom("subsidy_attachment").select("filename").where("application_id", "=", id).orderBy("id").execute()).toEqual([
      { filename: "录取.pdf" },
      { filename: "收据.png" },
    ]);
    expect((await step(craftsman, "submit", "draft", { noOtherSchemes: "1" })).status).toBe(200);
    expect((await step(craftsman, "county_approve", "submitted")).status).toBe(403);
    // Submitted: the files are the county's to judge now, not the applicant's to take back.
    expect((await detach(craftsman, await attachmentNamed("收据.png"))).status).toBe(403);
    await checkChsi(t.db, county, id);
    expect((await step(county, "county_approve", "submitted")).status).toBe(200);
    const page = await jsonOf(await call(detail.loader, { db: t.db, path: `/subsidies/${id}`, params, as: city }));
    expect(page.budget).toMatchObject({ budget: 50000000, remaining: 50000000 });
    expect((await step(city, "city_approve", "county_approved", { amount: "10,000.001" })).status).toBe(400);
    // A forged form with the amount twice is told so in Chinese, not in the validator's English.
    const twice = await call(detail.action, {
      db: t.db,
      path: `/subsidies/${id}`,
      params,
      as: city,
      form: { intent: "step", step: "city_approve", expected: "county_approved", confirmed: "1", amount: ["1", "10000"] },
    });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("批准金额格式不正确");
    expect((await step(city, "city_approve", "county_approved", { amount: "10000" })).status).toBe(200);
    expect((await step(city, "city_approve", "approved", { amount: "10000" })).status).toBe(403);
    // Paid only once the applicant has said where: their own card, recorded after approval.
    expect((await step(city, "disburse", "approved", { date: `${YEAR}-10-01`, voucher: "CW-1" })).status).toBe(409);
    const account = { intent: "payee", kind: "bank_card", accountName: "wenling匠人", bankName: "中国农业银行温岭支行", number: "6228 4804 0256 4890 018" };
    expect((await call(detail.action, { db: t.db, path: `/subsidies/${id}`, params, as: craftsman, form: account })).status).toBe(200);
    await publishSubsidies(t.db, city, YEAR);
    expect((await step(city, "disburse", "approved", { date: `${YEAR}-10-01`, voucher: "CW-1" })).status).toBe(200);

    const exported = await call(exportRoute.loader, { db: t.db, path: `/subsidies/export?year=${YEAR}`, as: city });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await exported.arrayBuffer());
    const rows = book.worksheets[0].getSheetValues().slice(3).filter(Boolean) as unknown[][];
    const ours = rows.find((r) => r[1] === id)!;
    expect(ours.slice(9, 14)).toEqual([20000, 10000, 10000, 8000, 2000]);
  });
});
