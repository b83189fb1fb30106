import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as detail from "../../app/routes/subsidies.$applicationId._index/route";
import * as create from "../../app/routes/subsidies.new";
import * as policyRoute from "../../app/routes/subsidies.policy/route";
import * as schemes from "../../app/routes/subsidies.schemes/route";
import { useTestDb } from "../db";
import { idNumberFor, makeAwardee, makeUser, subsidyForm } from "../factories";
import { PDF } from "../files";
import { checkChsi, enterChsi } from "../chsi";
import { call, jsonOf } from "../http";

const t = useTestDb();
const YEAR = new Date().getFullYear();
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * A county's list as it really comes: a merged title and a unit line above the header, columns of
 * its own (序号, 性别, 工作单位, 备注), 身份证号 for 身份证号码, 补助金额（元）, one ID typed into a
 * number cell (Excel kept 15 digits of it), and a 合计 line under the people.
 */
async function messyList(rows: Array<{ name: string; id: string | number; amount: number | string; degree?: string }>): Promise<File> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Sheet1");
  sheet.addRow(["2025年度浙江省总工会职工学历和技能素质双提升补助发放名单"]);
  sheet.mergeCells(1, 1, 1, 9);
  sheet.addRow(["填报单位（盖章）：温岭市总工会", null, null, null, null, "填报日期：2025年12月1日"]);
  sheet.addRow(["序号", "姓名", "性别", "身份证号", "工作单位", "学历层次", "就读院校", "补助金额（元）", "备注"]);
  rows.forEach((r, i) => sheet.addRow([i + 1, r.name, "男", r.id, "温岭恒远精密机械有限公司", r.degree ?? "本科", "台州学院", r.amount, ""]));
  sheet.addRow(["合计", null, null, null, null, null, null, rows.reduce((n, r) => n + Number(r.amount) || n, 0), null]);
  sheet.addRow(["填表人：陈晓燕", null, null, "联系电话：0576-86123456"]);
  return new File([await workbook.xlsx.writeBuffer()], "双提升名单.xlsx", { type: XLSX });
}

async function setUp() {
  const city = await makeUser(t.db, "city_admin");
  const policy = {
    budget: "500,000",
    sharePercent: "50",
    holdbackPercent: "0",
    yearsAfterAward: "10",
    combinedCapPercent: "100",
    open: "on",
    "cap-本科": "15000",
  };
  expect((await call(policyRoute.action, { db: t.db, path: `/subsidies/policy?year=${YEAR}`, as: city, form: policy })).status).toBe(200);
  const { user: craftsman, person } = await makeAwardee(t.db, "wenling");
  const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
  return { city, craftsman, person, county, policy };
}

const upload = (as: Awaited<ReturnType<typeof makeUser>>, file: File, extra: Record<string, string> = {}) =>
  call(schemes.action, {
    db: t.db,
    path: "/subsidies/schemes",
    as,
    form: { intent: "import", scheme: "provincial", year: String(YEAR), title: "2025年省总双提升名单", file, ...extra },
  });

describe("other schemes' lists through the pages", () => {
  it("imports a messy county list: every bad row named, nothing stored until the good rows are asked for, the same file never twice", async () => {
    const { city, county, person } = await setUp();
    const other = idNumberFor("M", "1982-07-07");
    const file = await messyList([
      { name: "王建国", id: person.idNumber, amount: 1000 },
      { name: "张伟", id: Number(other), amount: 1000 },
      { name: "李强", id: idNumberFor("M", "1979-01-01"), amount: -1000 },
      { name: "赵敏", id: other.toLowerCase().replace(/(\d{6})(\d{8})/, "$1 $2 "), amount: "1,000.00", degree: "大专" },
    ]);

    expect((await call(schemes.loader, { db: t.db, path: "/subsidies/schemes", as: county })).status).toBe(403);
    expect((await upload(county, file)).status).toBe(403);

    const refused = await upload(city, file);
    expect(refused.status).toBe(400);
    const body = await jsonOf(refused);
    expect(body.message).toBe("有 2 行有问题，未导入任何数据：请改正后重新上传，或勾选“只导入无误的行”");
    expect(body.reasons).toEqual([
      expect.stringMatching(/^第 5 行（张\*）：身份证号码：身份证号码在 Excel 中被存成了数字，只保留了15位有效数字/),
      "第 6 行（李*）：补助金额：金额不能为负数",
    ]);
    expect(await t.db.selectFrom("subsidy_scheme_list").select("id").execute()).toEqual([]);

    const imported = await upload(city, file, { goodRowsOnly: "1" });
    expect(imported.status).toBe(200);
    expect(await jsonOf(imported)).toMatchObject({
      ok: true,
      message: "已导入“2025年省总双提升名单”2 行；2 行有问题，未导入",
      data: { problems: body.reasons },
    });
    const page = await jsonOf(await call(schemes.loader, { db: t.db, path: "/subsidies/schemes", as: city }));
    expect(page.lists).toMatchObject([{ scheme: "provincial", title: "2025年省总双提升名单", year: YEAR, filename: "双提升名单.xlsx", rows: 2 }]);
    const entries = await t.db
      .selectFrom("subsidy_scheme_entry")
      .select(["row_number", "name_masked", "amount_fen", "degree", "institution"])
      .orderBy("row_number")
      .execute();
    expect(entries).toEqual([
      { row_number: 4, name_masked: "王**", amount_fen: 100000, degree: "本科", institution: "台州学院" },
      { row_number: 7, name_masked: "赵*", amount_fen: 100000, degree: "大专", institution: "台州学院" },
    ]);

    const again = await upload(city, file, { goodRowsOnly: "1", title: "重复" });
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).message).toBe("该文件已导入过（“2025年省总双提升名单”），同一文件不能重复导入");

    // Deleting asks for the confirming press; it is the city's and is kept in the history.
    const listId = String(page.lists[0].id);
    const remove = (as: typeof city, extra: Record<string, string> = { confirmed: "1" }) =>
      call(schemes.action, { db: t.db, path: "/subsidies/schemes", as, form: { intent: "delete", listId, ...extra } });
    expect((await remove(city, {})).status).toBe(400);
    expect((await remove(county)).status).toBe(403);
    expect((await remove(city)).status).toBe(200);
    expect((await remove(city)).status).toBe(404);
    expect((await jsonOf(await call(schemes.loader, { db: t.db, path: "/subsidies/schemes", as: city }))).lists).toEqual([]);
    const audit = await t.db.selectFrom("audit_log").select("action").where("entity_type", "=", "subsidy_scheme_list").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["import", "delete"]);
  });

  it("shows the officers the declared claims and the lists' matches, flags an undeclared one, and caps the city's approval", async () => {
    const { city, county, craftsman, person, policy } = await setUp();
    // The city may lower the combined cap; an impossible one is refused by its field.
    for (const bad of ["0", "101", "八十"]) {
      const response = await call(policyRoute.action, {
        db: t.db,
        path: `/subsidies/policy?year=${YEAR}`,
        as: city,
        form: { ...policy, combinedCapPercent: bad },
      });
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).form.error.combinedCapPercent.join()).toMatch(/各项目合计上限/);
    }
    const created = await call(create.action, {
      db: t.db,
      path: "/subsidies/new",
      as: craftsman,
      form: subsidyForm(YEAR, { tuition: "10000", requested: "5000" }),
    });
    const id = Number(created.headers.get("location")!.split("/").pop());
    const params = { applicationId: String(id) };
    const post = (as: typeof city, form: Record<string, string | File>) => call(detail.action, { db: t.db, path: `/subsidies/${id}`, params, as, form });
    const page = async (as: typeof city) => jsonOf(await call(detail.loader, { db: t.db, path: `/subsidies/${id}`, params, as }));
    for (const kind of ["admission", "receipt"])
      expect((await post(craftsman, { intent: "attach", kind, files: new File([PDF], `${kind}.pdf`) })).status).toBe(200);

    // The declaration: each bad field by its field, then the 全总 payment declared.
    const bad = await post(craftsman, { intent: "claim", scheme: "acftu", schemeName: "", amount: "-6000" });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).form.error).toMatchObject({ schemeName: ["请填写项目名称"], amount: ["金额不能为负数"] });
    expect((await post(county, { intent: "claim", scheme: "acftu", schemeName: "求学圆梦行动", amount: "6000" })).status).toBe(403);
    expect((await post(craftsman, { intent: "claim", scheme: "acftu", schemeName: "求学圆梦行动", amount: "6,000" })).status).toBe(200);
    expect(await page(craftsman)).toMatchObject({ claims: [{ scheme: "acftu", scheme_name: "求学圆梦行动", amount_fen: 600000 }], otherSchemes: null });

    await enterChsi(t.db, craftsman, id);
    const submitted = await post(craftsman, { intent: "step", step: "submit", expected: "draft" });
    expect(submitted.status).toBe(200);
    await checkChsi(t.db, county, id);
    expect((await post(county, { intent: "step", step: "county_approve", expected: "submitted" })).status).toBe(200);

    // 省总's list names the applicant; the applicant declared only 全总.
    expect((await upload(city, await messyList([{ name: "王建国", id: person.idNumber, amount: 1000 }]))).status).toBe(200);
    for (const officer of [county, city]) {
      const seen = (await page(officer)).otherSchemes;
      expect(seen.listed).toMatchObject([{ scheme: "provincial", title: "2025年省总双提升名单", amountFen: 100000, counted: true, undeclared: true }]);
      expect(seen).toMatchObject({ otherFen: 700000, limitFen: 1000000, roomFen: 300000 });
    }
    // The applicant sees what they declared, never the lists.
    expect((await page(craftsman)).otherSchemes).toBeNull();

    const over = await post(city, { intent: "step", step: "city_approve", expected: "county_approved", amount: "5000" });
    expect(over.status).toBe(400);
    expect((await jsonOf(over)).message).toBe(
      "本补助与其他项目补助合计不得超过学费的 100%（10000.00 元），其他项目已补助 7000.00 元（全国总工会（求学圆梦行动等） 6000.00 元、省总工会（双提升等） 1000.00 元），本次最多可批准 3000.00 元",
    );
    expect((await post(city, { intent: "step", step: "city_approve", expected: "county_approved", amount: "3000" })).status).toBe(200);
    const approved = await t.db.selectFrom("subsidy_application").select("approved_fen").where("id", "=", id).executeTakeFirstOrThrow();
    expect(approved.approved_fen).toBe(300000);
  });
});
