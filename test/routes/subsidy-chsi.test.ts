import { describe, expect, it } from "vitest";
import * as detail from "../../app/routes/subsidies.$applicationId._index/route";
import * as create from "../../app/routes/subsidies.new";
import * as policyRoute from "../../app/routes/subsidies.policy/route";
import { addDays, addMonths, todayInTaizhou, yearInTaizhou } from "../../app/lib/time";
import type { SessionUser } from "../../app/auth/roles";
import { decrypt } from "../../app/modules/people/pii.server";
import { useTestDb } from "../db";
import { makeAwardee, makeUser, subsidyForm } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();
const YEAR = yearInTaizhou();
const today = todayInTaizhou();

/** A 温岭 awardee's application with its proof, the officers around it, and its page's loader and action. */
async function scene() {
  const city = await makeUser(t.db, "city_admin");
  const policy = { budget: "500,000", sharePercent: "50", holdbackPercent: "20", yearsAfterAward: "10", open: "on", "cap-本科": "15000" };
  expect((await call(policyRoute.action, { db: t.db, path: `/subsidies/policy?year=${YEAR}`, as: city, form: policy })).status).toBe(200);
  const { person, user: craftsman } = await makeAwardee(t.db, "wenling", "学信网学员");
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
  const { user: otherCraftsman } = await makeAwardee(t.db, "wenling", "旁观学员");
  const created = await call(create.action, { db: t.db, path: "/subsidies/new", as: craftsman, form: subsidyForm(YEAR) });
  const id = created.headers.get("location")!.split("/").pop()!;
  const params = { applicationId: id };
  const path = `/subsidies/${id}`;
  const post = (as: SessionUser, form: Record<string, string | File>) => call(detail.action, { db: t.db, path, params, as, form });
  const page = async (as: SessionUser) => {
    const response = await call(detail.loader, { db: t.db, path, params, as });
    return response.status === 200 ? (await jsonOf(response)).chsi : response.status;
  };
  for (const [kind, name] of [
    ["admission", "录取.pdf"],
    ["receipt", "收据.pdf"],
  ])
    await post(craftsman, { intent: "attach", kind, files: new File([new TextEncoder().encode("%PDF-1.4")], name) });
  const step = (as: SessionUser, name: string, expected: string, extra: Record<string, string> = {}) =>
    post(as, { intent: "step", step: name, expected, confirmed: "1", ...(name === "submit" ? { noOtherSchemes: "1" } : {}), ...extra });
  const idNumber = await t.db.selectFrom("person").select("id_number_cipher").where("id", "=", person.id).executeTakeFirstOrThrow();
  return { city, craftsman, county, otherCounty, otherCraftsman, id, post, page, step, idTail: decrypt(idNumber.id_number_cipher).slice(-4) };
}

const report = (over: Record<string, string> = {}) => ({
  intent: "chsi-report",
  code: "awp6 wyx8 m822 4h2x",
  kind: "enrolment",
  validUntil: addMonths(today, 6),
  ...over,
});
const record = (reportId: number, over: Record<string, string> = {}) => ({
  intent: "chsi-check",
  reportId: String(reportId),
  outcome: "matches",
  nameMatches: "on",
  idDigitsMatch: "on",
  school: "台州学院",
  level: "本科",
  recordStatus: "在籍（注册学籍）",
  ...over,
});

describe("学信网 verification through the application's page", () => {
  it("takes the applicant's code, shows the officer the official page, and records what the officer saw", async () => {
    const { city, craftsman, county, otherCounty, otherCraftsman, post, page, step, idTail } = await scene();

    // The applicant's form: the enrolment report only, valid from one month to six from today.
    expect(await page(craftsman)).toMatchObject({
      reports: [],
      entry: { stage: "enrolment", kinds: ["enrolment"], earliest: addMonths(today, 1), latest: addMonths(today, 6), askedMonths: 6 },
      check: null,
    });
    expect((await page(county)).entry).toBeNull();
    expect(await page(otherCounty)).toBe(403);

    const early = await step(craftsman, "submit", "draft");
    expect(early.status).toBe(400);
    expect((await jsonOf(early)).reasons).toEqual(["请填写学信网学籍在线验证报告的在线验证码"]);

    const refused = async (as: SessionUser, form: Record<string, string>, status: number, field?: string) => {
      const response = await post(as, form);
      expect(response.status, JSON.stringify(form)).toBe(status);
      const body = await jsonOf(response);
      if (field) expect(body.form.error[field].join(), JSON.stringify(form)).toMatch(/[\u4e00-\u9fff]/);
      return body;
    };
    expect((await refused(craftsman, report({ code: "AWP6WYX8M82" }), 400, "code")).form.error.code).toEqual([
      "在线验证码应为12到16位字母或数字（填写的是11位）",
    ]);
    await refused(craftsman, report({ code: "AWP6WYX8M8224H2XY" }), 400, "code");
    await refused(craftsman, report({ code: "AWP6-WYX8-M822-4H2X" }), 400, "code");
    await refused(craftsman, report({ kind: "degree" }), 400, "kind");
    await refused(craftsman, report({ kind: "diploma" }), 400, "kind");
    expect((await refused(craftsman, report({ validUntil: addDays(today, -1) }), 400, "validUntil")).form.error.validUntil[0]).toMatch(/^该验证码已于 .+ 过期/);
    await refused(craftsman, report({ validUntil: addDays(today, 10) }), 400, "validUntil");
    await refused(craftsman, report({ validUntil: addMonths(today, 7) }), 400, "validUntil");
    await refused(county, report(), 403);
    await refused(otherCraftsman, report(), 403);
    expect(await t.db.selectFrom("subsidy_chsi_report").select("id").execute()).toEqual([]);

    expect((await post(craftsman, report())).status).toBe(200);
    const [entered] = (await page(craftsman)).reports;
    expect(entered).toMatchObject({
      code: "AWP6WYX8M8224H2X",
      kind: "enrolment",
      outcome: null,
      url: "https://www.chsi.com.cn/xlcx/bg.do?vcode=AWP6WYX8M8224H2X&srcid=bgcx",
      replaced: false,
    });
    expect((await step(craftsman, "submit", "draft")).status).toBe(200);

    // The county reviews now: its check form, with the applicant's facts to compare; the city's comes later.
    expect((await page(county)).check).toEqual({
      reportId: entered.id,
      stage: "enrolment",
      name: "学信网学员",
      idTail,
      institution: "台州学院",
      degree: "本科",
    });
    expect((await page(city)).check).toBeNull();
    expect((await page(craftsman)).check).toBeNull();
    const blocked = await step(county, "county_approve", "submitted");
    expect(blocked.status).toBe(409);
    expect((await jsonOf(blocked)).message).toBe("请先在学信网核验申请人填写的验证码，并记录核验结果");

    await refused(city, record(entered.id), 403);
    await refused(otherCounty, record(entered.id), 403);
    await refused(craftsman, record(entered.id), 403);
    const unticked = await refused(county, record(entered.id, { nameMatches: "", idDigitsMatch: "", school: "" }), 400);
    expect(unticked.form.error).toMatchObject({
      nameMatches: ["姓名不一致时请记录为“不一致”"],
      idDigitsMatch: ["身份证号后几位不一致时请记录为“不一致”"],
      school: ["请填写报告上的学校"],
    });
    await refused(county, record(entered.id, { outcome: "mismatch" }), 400, "note");
    await refused(county, record(entered.id, { outcome: "maybe" }), 400, "outcome");
    await refused(county, record(entered.id + 1000), 409);
    expect((await post(county, record(entered.id))).status).toBe(200);
    expect((await page(county)).reports[0]).toMatchObject({
      outcome: "matches",
      name_matches: true,
      id_digits_match: true,
      school: "台州学院",
      level: "本科",
      record_status: "在籍（注册学籍）",
      checker_name: `${county.username}的名字`,
    });
    expect((await page(county)).check).toBeNull();
    expect((await step(county, "county_approve", "submitted")).status).toBe(200);
    expect((await step(city, "city_approve", "county_approved", { amount: "10000" })).status).toBe(200);
  });

  it("warns the applicant and the officer of a code that will lapse before the review ends", async () => {
    const { craftsman, county, post, page, step } = await scene();
    expect((await post(craftsman, report({ code: "DK4A8M2X7L3GPUFT", validUntil: addMonths(today, 1) }))).status).toBe(200);
    expect((await step(craftsman, "submit", "draft")).status).toBe(200);
    // A month is enough to enter, but the review may outlast it once fewer than thirty days remain; here it is set to nearly lapse.
    await t.db
      .updateTable("subsidy_chsi_report")
      .set({ valid_until: addDays(today, 12) })
      .execute();
    expect((await page(county)).lapse).toEqual({ lapse: "lapsing", validUntil: addDays(today, 12), owner: false });
    const mine = await page(craftsman);
    expect(mine.lapse).toEqual({ lapse: "lapsing", validUntil: addDays(today, 12), owner: true });
    // Under review, the applicant may now replace it; the county then checks the new one.
    expect(mine.entry).toMatchObject({ stage: "enrolment" });
    expect((await post(craftsman, report({ code: "DK4A8M2X7L3GPUFZ" }))).status).toBe(200);
    const renewed = await page(county);
    expect(renewed.lapse).toBeNull();
    expect(renewed.reports.map((r: { code: string; replaced: boolean }) => [r.code, r.replaced])).toEqual([
      ["DK4A8M2X7L3GPUFZ", false],
      ["DK4A8M2X7L3GPUFT", true],
    ]);
    expect(renewed.check).toMatchObject({ reportId: renewed.reports[0].id });
  });
});
