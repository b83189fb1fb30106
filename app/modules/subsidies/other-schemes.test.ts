import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { checkChsi, enterChsi } from "../../../test/chsi";
import { hanDigits, idEndingInX, idNumberFor, makeAwardee, makeUser } from "../../../test/factories";
import type { SessionUser } from "~/auth/roles";
import { historyOf } from "~/modules/audit/audit.server";
import { lookupHash } from "~/modules/people/pii.server";
import { addOtherClaim, importSchemeList, otherSchemesOf, parseSchemeList, removeOtherClaim, deleteSchemeList } from "~/modules/subsidies/other-schemes.server";
import { otherSchemesFen } from "~/modules/subsidies/policy";
import { paymentBlockers } from "~/modules/subsidies/payment-gate.server";
import { applicationSchema } from "~/modules/subsidies/schema.server";
import { addAttachments, createApplication, findApplication, savePolicy, takeSubsidyStep, type ApplicationView } from "~/modules/subsidies/subsidies.server";
import type { OtherScheme } from "~db/types";

const t = useTestDb();
const YEAR = 2026;

/** An .xlsx as a scheme's office sends it: the given rows, cells as given (a number stays a number cell). */
async function xlsx(rows: unknown[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("名单");
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const HEADER = ["序号", "姓名", "身份证号码", "补助金额（元）", "学历层次", "院校"];

async function setUp(policyOver: { combinedCapPercent?: number } = {}) {
  const city = await makeUser(t.db, "city_admin");
  expect(
    await savePolicy(t.db, city, YEAR, {
      budget: 10_000_000,
      sharePercent: 50,
      holdbackPercent: 0,
      yearsAfterAward: 10,
      open: true,
      caps: { 本科: 1_500_000 },
      combinedCapPercent: 100,
      ...policyOver,
    }),
  ).toEqual({ ok: true });
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  return { city, county };
}

let applicants = 0;

/** An applicant's 本科 application with its proof and 学信网 code, tuition 10,000 元, asking 5,000 (the policy's 50 %). */
async function application(identity: { idNumber?: string; sex?: "M" | "F"; birthDate?: string } = {}) {
  const { user, person } = await makeAwardee(t.db, "wenling", `申请人${hanDigits(++applicants)}`, identity);
  const created = await createApplication(
    t.db,
    user,
    YEAR,
    applicationSchema.parse({
      currentEducation: "大专",
      targetDegree: "本科",
      institution: "台州学院",
      programme: "机械工程",
      studyMode: "part_time",
      enrolledOn: "2026-09-01",
      expectedGraduation: "2029-07-01",
      tuition: "10000",
      requested: "5000",
    }),
  );
  if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
  const id = created.id;
  const app = async () => (await findApplication(t.db, id)) as ApplicationView;
  await addAttachments(t.db, user, await app(), "admission", [{ name: "录取.pdf", bytes: PDF }]);
  await addAttachments(t.db, user, await app(), "receipt", [{ name: "收据.pdf", bytes: PDF }]);
  await enterChsi(t.db, user, id);
  return { user, person, id, app };
}

const step = (
  actor: SessionUser,
  id: number,
  name: "submit" | "county_approve" | "city_approve",
  expected: string,
  extra: { amount?: string; noOtherSchemes?: boolean } = {},
) => takeSubsidyStep(t.db, actor, id, name, { expected, reason: null, confirmed: true, voucher: null, ...extra });

const claim = (scheme: OtherScheme, schemeName: string, yuan: number) => ({ scheme, schemeName, amount: yuan * 100 });

async function importList(city: SessionUser, scheme: OtherScheme, bytes: Uint8Array, goodRowsOnly = false, title = `${scheme}名单`) {
  return importSchemeList(t.db, city, { scheme, year: YEAR, title, goodRowsOnly }, { name: `${title}.xlsx`, bytes });
}

describe("declaring other schemes", () => {
  it("is the applicant's while the application is theirs, and submitting asks for it or for the statement of none", async () => {
    const { county } = await setUp();
    const { user, id, app } = await application();
    expect(await addOtherClaim(t.db, county, await app(), claim("acftu", "求学圆梦行动", 3000))).toMatchObject({ ok: false, status: 403 });
    expect(await addOtherClaim(t.db, user, await app(), claim("acftu", "求学圆梦行动", 3000))).toEqual({ ok: true });
    expect(await addOtherClaim(t.db, user, await app(), claim("employer", "温岭恒远精密机械有限公司助学金", 1000))).toEqual({ ok: true });
    const [, employer] = await t.db.selectFrom("subsidy_other_claim").select("id").where("application_id", "=", id).orderBy("id").execute();
    expect(await removeOtherClaim(t.db, county, await app(), employer.id)).toMatchObject({ ok: false, status: 403 });
    expect(await removeOtherClaim(t.db, user, await app(), employer.id)).toEqual({ ok: true });
    expect(await removeOtherClaim(t.db, user, await app(), employer.id)).toMatchObject({ ok: false, status: 404 });

    // Claims declared: the statement of none is a contradiction, refused with the reason.
    expect(await step(user, id, "submit", "draft", { noOtherSchemes: true })).toMatchObject({
      ok: false,
      reasons: ["已申报了其他项目补助，不能同时声明未享受其他补助，请刷新页面后再提交"],
    });
    expect(await step(user, id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    // Submitted: the declarations are the county's to judge, no longer the applicant's to change.
    expect(await addOtherClaim(t.db, user, await app(), claim("provincial", "双提升", 1000))).toMatchObject({ ok: false, status: 403 });

    const history = await historyOf(t.db, "subsidy", id);
    const said = (action: string) => history.filter((h) => h.action === action);
    expect(said("claim")).toHaveLength(2);
    expect(said("unclaim")).toHaveLength(1);
    expect(JSON.stringify(said("subsidy_submit")[0].after)).toContain("全国总工会（求学圆梦行动等）·求学圆梦行动 ¥3,000.00");
  });

  it("refuses a submission that declares nothing and states nothing, and records the statement of none", async () => {
    await setUp();
    const { user, id } = await application();
    expect(await step(user, id, "submit", "draft")).toMatchObject({
      ok: false,
      reasons: ["请申报享受的其他学历提升补助（全总、省总、工作单位等），或勾选“本人未享受其他学历提升补助”"],
    });
    expect(await step(user, id, "submit", "draft", { noOtherSchemes: true })).toEqual({ ok: true, to: "submitted" });
    const submitted = (await historyOf(t.db, "subsidy", id)).find((h) => h.action === "subsidy_submit")!;
    expect(JSON.stringify(submitted.after)).toContain("本人声明未享受其他学历提升补助");
  });
});

describe("other schemes' lists", () => {
  it("matches the applicant by the keyed hash whatever the list's formatting: a lower-case x, spaces, full-width digits", async () => {
    const { city } = await setUp();
    const xId = idEndingInX("19760309");
    const { app } = await application({ idNumber: xId, sex: Number(xId[16]) % 2 ? "M" : "F", birthDate: "1976-03-09" });
    const spaced = `${xId.slice(0, 6)} ${xId.slice(6, 14)} ${xId.slice(14, 17)}x`;
    const fullWidth = [...xId.slice(0, 17)].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join("") + "ｘ";
    const acftu = await xlsx([["2026年全总求学圆梦行动补助名单"], HEADER, [1, "王 建 国", spaced, 6000, "本科", "台州学院"]]);
    expect(await importList(city, "acftu", acftu)).toMatchObject({ ok: true, message: "已导入“acftu名单”1 行" });
    const employer = await xlsx([HEADER, [1, "王建国", fullWidth, "¥1,000.00", "大专", "台州职业技术学院"]]);
    expect(await importList(city, "employer", employer)).toMatchObject({ ok: true, message: "已导入“employer名单”1 行" });
    // Kept as the hash of the number the people module keeps, the name masked: no number in the clear.
    const entries = await t.db
      .selectFrom("subsidy_scheme_entry")
      .select(["row_number", "id_number_hash", "name_masked"])
      .where("id_number_hash", "=", lookupHash(xId))
      .orderBy("id")
      .execute();
    expect(entries).toEqual([
      { row_number: 3, id_number_hash: lookupHash(xId), name_masked: "王**" },
      { row_number: 2, id_number_hash: lookupHash(xId), name_masked: "王**" },
    ]);
    const person = await t.db
      .selectFrom("person")
      .select("id_number_hash")
      .where("id", "=", (await app()).person_id)
      .executeTakeFirstOrThrow();
    expect(person.id_number_hash).toBe(lookupHash(xId));

    const o = await otherSchemesOf(t.db, await app());
    // The 本科 line counts and is undeclared; the 大专 one (other studies) is shown, not counted.
    expect(o.listed.map((l) => [l.scheme, l.amountFen, l.counted, l.undeclared])).toEqual([
      ["employer", 100000, false, false],
      ["acftu", 600000, true, true],
    ]);
    expect(o).toMatchObject({ otherFen: 600000, limitFen: 1000000, roomFen: 400000 });
  });

  it("refuses a truncated or invalid ID number row by row, stores nothing unless asked for the good rows, and never stores a wrong number", async () => {
    const { city } = await setUp();
    const good = idNumberFor("F", "1988-02-02");
    const other = idNumberFor("M", "1990-10-10");
    const wrongCheck = other.slice(0, 17) + (other[17] === "1" ? "2" : "1");
    const rows = [
      HEADER,
      [1, "李秀英", good, 1000, "本科", "浙江工业大学"],
      // Typed into a number cell: Excel kept 15 significant digits.
      [2, "张伟", Number(other), 1000],
      [3, "赵敏", "3.31081E+17", 1000],
      [4, "钱多", other.slice(0, 15), 1000],
      [5, "孙立", other.slice(0, 17), 1000],
      [6, "周全", wrongCheck, 1000],
      [7, "吴用", idNumberFor(), -500],
      [8, "郑重", idNumberFor(), "一千"],
      [9, "李秀英", good, 800],
      ["合计", null, null, 6300],
    ];
    const bytes = await xlsx(rows);
    const refused = await importList(city, "provincial", bytes);
    expect(refused).toMatchObject({ ok: false, status: 400, message: "有 8 行有问题，未导入任何数据：请改正后重新上传，或勾选“只导入无误的行”" });
    const reasons = (refused as { reasons: string[] }).reasons;
    expect(reasons).toHaveLength(8);
    expect(reasons[0]).toMatch(/^第 3 行（张\*）：身份证号码：身份证号码在 Excel 中被存成了数字/);
    expect(reasons[1]).toMatch(/^第 4 行（赵\*）：身份证号码：身份证号码在 Excel 中被存成了数字.*3\.31081E\+17/);
    expect(reasons[2]).toBe("第 5 行（钱*）：身份证号码：身份证号码应为18位，当前为15位");
    expect(reasons[3]).toBe("第 6 行（孙*）：身份证号码：身份证号码应为18位，当前为17位");
    expect(reasons[4]).toBe("第 7 行（周*）：身份证号码：身份证号码校验位不正确，请核对是否有数字抄错");
    expect(reasons[5]).toBe("第 8 行（吴*）：补助金额：金额不能为负数");
    expect(reasons[6]).toBe("第 9 行（郑*）：补助金额：“一千”不是有效的金额");
    expect(reasons[7]).toBe("第 10 行（李**）：身份证号码与第 2 行重复");
    // The reply names no whole number (a rounded one is quoted as the sheet shows it, to find the cell by).
    for (const whole of [good, other, wrongCheck]) expect(JSON.stringify(reasons)).not.toContain(whole);
    // Lists of this file's other tests aside: this one's scheme has none.
    const provincial = () => t.db.selectFrom("subsidy_scheme_list").select("id").where("scheme", "=", "provincial").execute();
    expect(await provincial()).toEqual([]);

    const partial = await importList(city, "provincial", bytes, true);
    expect(partial).toMatchObject({ ok: true, message: "已导入“provincial名单”1 行；8 行有问题，未导入" });
    const [list] = await provincial();
    const entriesOf = (listId: number) =>
      t.db.selectFrom("subsidy_scheme_entry").select(["row_number", "id_number_hash", "amount_fen"]).where("list_id", "=", listId).execute();
    const stored = await entriesOf(list.id);
    expect(stored).toEqual([{ row_number: 2, id_number_hash: lookupHash(good), amount_fen: 100000 }]);
    // Neither the rounded number nor any guess at it became someone's hash.
    expect(stored.map((s) => s.id_number_hash)).not.toContain(lookupHash(String(Number(other))));

    // The same file again is refused, with the list it became; another file imports.
    expect(await importList(city, "provincial", bytes, true, "再次导入")).toMatchObject({
      ok: false,
      status: 409,
      message: "该文件已导入过（“provincial名单”），同一文件不能重复导入",
    });
    expect(await provincial()).toHaveLength(1);

    // Deleted (audited), the file may come again.
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await deleteSchemeList(t.db, county, list.id)).toMatchObject({ ok: false, status: 403 });
    expect(await deleteSchemeList(t.db, city, list.id)).toEqual({ ok: true });
    expect(await entriesOf(list.id)).toEqual([]);
    expect((await historyOf(t.db, "subsidy_scheme_list", list.id)).map((h) => h.action)).toEqual(["import", "delete"]);
    expect(await importList(city, "provincial", bytes, true)).toMatchObject({ ok: true });
  });

  it("is the city's alone, and refuses what is no list", async () => {
    const { county, city } = await setUp();
    const bytes = await xlsx([HEADER, [1, "李秀英", idNumberFor(), 1000]]);
    expect(await importList(county, "acftu", bytes)).toMatchObject({ ok: false, status: 403 });
    expect(await importList(city, "acftu", new TextEncoder().encode("姓名,身份证号码,补助金额\n"))).toMatchObject({ ok: false, field: "file" });
    expect(await importList(city, "acftu", await xlsx([["姓名", "身份证号码"]]))).toMatchObject({
      ok: false,
      message: "找不到表头：表格中需要有“姓名”“身份证号码”“补助金额”三列",
    });
    expect(await importList(city, "acftu", await xlsx([HEADER]))).toMatchObject({ ok: false, message: "表头下面没有补助名单数据行" });
    await expect(parseSchemeList(await xlsx([]))).rejects.toThrow("表格里没有内容");
  });

  it("takes one file once even when it is sent twice at the same moment", async () => {
    const { city } = await setUp();
    const bytes = await xlsx([HEADER, [1, "李秀英", idNumberFor("F", "1992-02-02"), 1000]]);
    const results = await Promise.all([importList(city, "other", bytes, false, "同时一"), importList(city, "other", bytes, false, "同时二")]);
    expect(results.map((r) => (r.ok ? "ok" : r.status)).sort()).toEqual([409, "ok"]);
    expect(await t.db.selectFrom("subsidy_scheme_list").select("id").where("scheme", "=", "other").execute()).toHaveLength(1);
  });
});

describe("the combined cap", () => {
  it("counts each scheme once (the larger of declared and listed) and caps the city's approval: tuition 10,000, 全总 6,000, at most 4,000", async () => {
    expect(otherSchemesFen([{ scheme: "acftu", amount_fen: 600000 }], [{ scheme: "acftu", amount_fen: 600000 }]).total).toBe(600000);
    expect(otherSchemesFen([{ scheme: "acftu", amount_fen: 500000 }], [{ scheme: "acftu", amount_fen: 600000 }]).total).toBe(600000);
    expect(otherSchemesFen([{ scheme: "acftu", amount_fen: 600000 }], [{ scheme: "provincial", amount_fen: 100000 }]).total).toBe(700000);

    const { city, county } = await setUp();
    const { user, person, id, app } = await application();
    expect(await addOtherClaim(t.db, user, await app(), claim("acftu", "求学圆梦行动", 6000))).toEqual({ ok: true });
    expect(await step(user, id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    await checkChsi(t.db, county, id);
    expect(await step(county, id, "county_approve", "submitted")).toEqual({ ok: true, to: "county_approved" });
    // The policy alone allows 5,000 (half the tuition, under the 本科 cap).
    expect((await app()).max_fen).toBe(500000);
    expect(await step(city, id, "city_approve", "county_approved", { amount: "5000" })).toEqual({
      ok: false,
      status: 400,
      message:
        "本补助与其他项目补助合计不得超过学费的 100%（10000.00 元），其他项目已补助 6000.00 元（全国总工会（求学圆梦行动等） 6000.00 元），本次最多可批准 4000.00 元",
    });
    // The same 全总 payment on the imported list is the same payment, not a second one: still 4,000.
    const list = await xlsx([HEADER, [1, "申请人", person.idNumber, "6,000", "本科", "台州学院"]]);
    expect(await importList(city, "acftu", list)).toMatchObject({ ok: true });
    expect(await otherSchemesOf(t.db, await app())).toMatchObject({ otherFen: 600000, roomFen: 400000 });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "4000.01" })).toMatchObject({ ok: false, status: 400 });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "4000" })).toEqual({ ok: true, to: "approved" });
    expect((await app()).approved_fen).toBe(400000);
  });

  it("holds the payment of an approval that a list imported afterwards puts over the cap", async () => {
    const { city, county } = await setUp();
    const { user, person, id } = await application();
    expect(await step(user, id, "submit", "draft", { noOtherSchemes: true })).toEqual({ ok: true, to: "submitted" });
    await checkChsi(t.db, county, id);
    await step(county, id, "county_approve", "submitted");
    expect(await step(city, id, "city_approve", "county_approved", { amount: "5000" })).toEqual({ ok: true, to: "approved" });
    const blockersNow = () => t.db.transaction().execute((tx) => paymentBlockers(tx, { id }, new Date()));
    expect((await blockersNow()).join()).not.toContain("超出上限");
    // The province's list, imported after the approval: 6,000 paid for the same studies leaves room for 4,000 only.
    expect(await importList(city, "provincial", await xlsx([HEADER, [1, "申请人", person.idNumber, 6000, "本科", "台州学院"]]))).toMatchObject({ ok: true });
    expect((await blockersNow()).join()).toContain("本次最多可批准 4000.00 元");
  });

  it("takes the list's amount when it is the larger, flags a listed scheme that was not declared, and follows the policy's percent", async () => {
    const { city, county } = await setUp({ combinedCapPercent: 80 });
    const { user, person, id, app } = await application();
    await addOtherClaim(t.db, user, await app(), claim("acftu", "求学圆梦行动", 3000));
    await step(user, id, "submit", "draft");
    await checkChsi(t.db, county, id);
    await step(county, id, "county_approve", "submitted");
    const listOf = (rows: unknown[][]) => xlsx([["其他项目补助名单"], [], HEADER, ...rows]);
    // 全总's list says 4,000 (the applicant declared 3,000); 省总's 双提升 paid 1,000, undeclared.
    expect(await importList(city, "acftu", await listOf([[1, "申请人", person.idNumber, 4000, "本科"]]))).toMatchObject({ ok: true });
    expect(await importList(city, "provincial", await listOf([[1, "申请人", person.idNumber.toLowerCase(), 1000]]))).toMatchObject({ ok: true });

    const o = await otherSchemesOf(t.db, await app());
    expect(o.listed.map((l) => [l.scheme, l.undeclared])).toEqual([
      ["provincial", true],
      ["acftu", false],
    ]);
    expect(o.bySchemes).toEqual([
      { scheme: "acftu", declaredFen: 300000, listedFen: 400000, countedFen: 400000 },
      { scheme: "provincial", declaredFen: 0, listedFen: 100000, countedFen: 100000 },
    ]);
    // 80 % of 10,000 is 8,000; the others pay 5,000: 3,000 are left.
    expect(o).toMatchObject({ combinedCapPercent: 80, limitFen: 800000, otherFen: 500000, roomFen: 300000 });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "3000.01" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("本次最多可批准 3000.00 元"),
    });
    expect(await step(city, id, "city_approve", "county_approved", { amount: "3000" })).toEqual({ ok: true, to: "approved" });
  });

  it("leaves nothing to approve when the others already pay the whole share", async () => {
    const { city, county } = await setUp();
    const { user, id, app } = await application();
    await addOtherClaim(t.db, user, await app(), claim("employer", "单位全额报销", 10000));
    await step(user, id, "submit", "draft");
    await checkChsi(t.db, county, id);
    await step(county, id, "county_approve", "submitted");
    expect(await step(city, id, "city_approve", "county_approved", { amount: "1" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("已没有可批准的金额，请退回核实或不予批准"),
    });
  });
});
