import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { countyWorkbook, reviewFormDocx } from "../../../test/county-files";
import { idEndingInX, idNumberFor, makeAwardee, makePerson, makeUser } from "../../../test/factories";
import {
  addHonour,
  commitHonourImport,
  discardHonourImport,
  honourHistoryOf,
  honourImportFor,
  honoursOf,
  parseHonourList,
  publicHonours,
  revokeHonour,
  uploadHonourList,
  withdrawHonour,
  withdrawnHonoursOf,
} from "~/modules/honours/honours.server";
import { honourSchema } from "~/modules/honours/schema.server";
import { recordConsent } from "~/modules/showcase/showcase.server";
import { yearInTaizhou } from "~/lib/time";

const t = useTestDb();

const HEADER = ["序号", "姓名", "性别", "身份证号码", "工作单位", "荣誉名称", "级别", "授予单位", "年份", "状态", "撤销日期", "撤销原因", "备注"];

const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

const entry = (over: Record<string, string> = {}) =>
  honourSchema.parse({ level: "provincial", kind: "craftsman", title: "浙江工匠", conferredBy: "浙江省总工会", year: "2021", ...over });

async function officers() {
  return {
    city: await makeUser(t.db, "city_admin"),
    wenling: await makeUser(t.db, "county_officer", { unit: "wenling" }),
    jiaojiang: await makeUser(t.db, "county_officer", { unit: "jiaojiang" }),
  };
}

/** The tests share one database: counts are of the people a test made. */
const honourCount = async (...personIds: number[]) =>
  Number(
    (
      await t.db
        .selectFrom("honour")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("person_id", "in", personIds)
        .executeTakeFirstOrThrow()
    ).n,
  );

let lists = 0;

describe("entering honours", () => {
  it("a county officer enters an honour of their own county's person; it shows with its source and is audited", async () => {
    const { wenling } = await officers();
    const person = await makePerson(t.db, { name: "林工匠" });
    const added = await addHonour(t.db, wenling, person.id, entry());
    expect(added).toMatchObject({ ok: true });
    const [honour] = await honoursOf(t.db, person.id);
    expect(honour).toMatchObject({ level: "provincial", kind: "craftsman", title: "浙江工匠", conferredBy: "浙江省总工会", year: 2021, status: "kept" });
    expect(honour.source).toContain("录入");
    const history = await honourHistoryOf(t.db, person.id);
    expect(history.map((h) => [h.action, h.actor_user_id])).toEqual([["create", wenling.id]]);
    // The same honour twice is refused by its field, nothing written.
    expect(await addHonour(t.db, wenling, person.id, entry({ conferredBy: "省总工会" }))).toMatchObject({ ok: false, status: 409, field: "title" });
    expect(await honourCount(person.id)).toBe(1);
  });

  it("another county's officer and a craftsman are refused; the city may enter for anyone", async () => {
    const { city, jiaojiang } = await officers();
    const { person, user: craftsman } = await makeAwardee(t.db, "wenling", "王匠人");
    expect(await addHonour(t.db, jiaojiang, person.id, entry())).toMatchObject({ ok: false, status: 403 });
    expect(await addHonour(t.db, craftsman, person.id, entry())).toMatchObject({ ok: false, status: 403 });
    expect(await honourCount(person.id)).toBe(0);
    expect(
      await addHonour(t.db, city, person.id, entry({ level: "national", kind: "model_worker", title: "全国劳动模范", conferredBy: "国务院", year: "2020" })),
    ).toMatchObject({
      ok: true,
    });
    expect(await addHonour(t.db, city, 999_999, entry())).toMatchObject({ ok: false, status: 404 });
  });

  it("refuses a year past this one or 20240, an empty title and a bad level", () => {
    const bad = (over: Record<string, string>) =>
      honourSchema.safeParse({ level: "city", kind: "other", title: "市先进", conferredBy: "市政府", year: "2020", ...over });
    expect(bad({ year: "20240" }).error?.issues[0]).toMatchObject({ path: ["year"], message: "年份不能大于2100" });
    expect(bad({ year: "2999" }).success).toBe(false);
    expect(bad({ title: "  " }).error?.issues[0]).toMatchObject({ path: ["title"], message: "请填写荣誉名称" });
    expect(bad({ level: "galactic" }).error?.issues[0].path).toEqual(["level"]);
    expect(bad({ conferredOn: "2019-05-01" }).error?.issues[0]).toMatchObject({ path: ["conferredOn"], message: "授予日期应在所填年份之内" });
  });
});

describe("status and withdrawal", () => {
  it("保持 → 撤销 keeps its date and note in the history; a mistaken entry is withdrawn with a reason, never deleted", async () => {
    const { wenling, jiaojiang } = await officers();
    const person = await makePerson(t.db);
    const added = await addHonour(t.db, wenling, person.id, entry());
    if (!added.ok) throw new Error(added.message);
    const id = added.id;
    expect(await revokeHonour(t.db, jiaojiang, person.id, { honourId: id, revokedOn: "2024-03-01", note: "省总工会撤销" })).toMatchObject({ status: 403 });
    // Not before the honour's year (2021), nor in the future: refused by the date's field, nothing changed.
    for (const [revokedOn, message] of [
      ["2020-12-31", "撤销日期不能早于荣誉的年份（2021年）"],
      ["2999-01-01", expect.stringMatching(/^撤销日期不能晚于今天/)],
    ] as const)
      expect(await revokeHonour(t.db, wenling, person.id, { honourId: id, revokedOn, note: "省总工会撤销" })).toEqual({
        ok: false,
        status: 400,
        field: "revokedOn",
        message,
      });
    expect((await honoursOf(t.db, person.id))[0]).toMatchObject({ status: "kept", revokedOn: null });
    expect(await revokeHonour(t.db, wenling, person.id, { honourId: id, revokedOn: "2024-03-01", note: "省总工会撤销" })).toEqual({ ok: true });
    expect((await honoursOf(t.db, person.id))[0]).toMatchObject({ status: "revoked", revokedOn: "2024-03-01", revokedNote: "省总工会撤销" });
    expect(await revokeHonour(t.db, wenling, person.id, { honourId: id, revokedOn: "2024-03-02", note: "再次" })).toMatchObject({ status: 409 });

    const other = await addHonour(
      t.db,
      wenling,
      person.id,
      entry({ title: "温岭市技术能手", level: "county", kind: "technical_expert", conferredBy: "温岭市人社局" }),
    );
    if (!other.ok) throw new Error(other.message);
    expect(await withdrawHonour(t.db, wenling, person.id, { honourId: other.id, reason: "录入有误，应为他人" })).toEqual({ ok: true });
    expect((await honoursOf(t.db, person.id)).map((h) => h.title)).toEqual(["浙江工匠"]);
    expect((await withdrawnHonoursOf(t.db, person.id))[0]).toMatchObject({ title: "温岭市技术能手", withdrawnReason: "录入有误，应为他人" });
    expect(await honourCount(person.id)).toBe(2);
    const history = await honourHistoryOf(t.db, person.id);
    expect(history.map((h) => [h.action, h.comment])).toEqual([
      ["create", null],
      ["revoke", "省总工会撤销"],
      ["create", null],
      ["withdraw", "录入有误，应为他人"],
    ]);
    // Withdrawn, the same honour may be entered again rightly.
    expect(
      await addHonour(t.db, wenling, person.id, entry({ title: "温岭市技术能手", level: "county", kind: "technical_expert", conferredBy: "温岭市人社局" })),
    ).toMatchObject({
      ok: true,
    });
  });

  it("the platform's own 台州工匠 title is read from its award, and reads 撤销 once the award is revoked", async () => {
    const { city } = await officers();
    const { person } = await makeAwardee(t.db, "wenling", "陈匠人");
    expect(await honoursOf(t.db, person.id)).toEqual([
      expect.objectContaining({
        id: null,
        level: "city",
        kind: "craftsman",
        title: "第二届“台州工匠”",
        status: "kept",
        source: expect.stringContaining("证书"),
      }),
    ]);
    const document = await t.db
      .insertInto("decision_document")
      .values({ issuer: "台州市总工会", number: "台总工〔2024〕3号", issued_on: "2024-04-01", title: "关于撤销的决定", recorded_by: city.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    const award = await t.db.selectFrom("award").select("id").where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const revocation = await t.db
      .insertInto("revocation")
      .values({ scope: "award", award_id: award.id, document_id: document.id, reason: "材料不实", revoked_on: "2024-04-02", revoked_by: city.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db.updateTable("award").set({ revocation_id: revocation.id }).where("id", "=", award.id).execute();
    expect((await honoursOf(t.db, person.id))[0]).toMatchObject({ status: "revoked", revokedOn: "2024-04-02", revokedNote: "材料不实" });
  });
});

describe("importing a county's list", () => {
  async function messyList() {
    const wenlingA = await makePerson(t.db, { name: "张三", unit: "wenling" });
    const xId = idEndingInX(`1976030${++lists}`);
    const wenlingX = await makePerson(t.db, { name: "李四", unit: "wenling", idNumber: xId, birthDate: `1976-03-0${lists}` });
    const jiaojiangC = await makePerson(t.db, { name: "王五", unit: "jiaojiang" });
    const bytes = await countyWorkbook({
      header: HEADER,
      above: [["温岭市职工荣誉名单（2024年）"], ["填报单位（盖章）：温岭市总工会", "", "", "", "", "", "", "", "填报日期：2024年5月"]],
      rows: [
        {
          序号: 1,
          姓名: "张三",
          性别: "男",
          身份证号码: toFullWidth(wenlingA.idNumber),
          工作单位: "恒远",
          荣誉名称: "浙江工匠",
          级别: "省级",
          授予单位: "浙江省总工会",
          年份: toFullWidth("2021"),
        },
        {
          序号: 2,
          姓名: "张三",
          身份证号码: wenlingA.idNumber,
          荣誉名称: "全国五一劳动奖章",
          级别: "全国",
          授予单位: "中华全国总工会",
          年份: 2019,
          状态: "撤销",
          撤销日期: "2023-06-01",
          撤销原因: "违纪",
        },
        {
          序号: 3,
          姓名: "李四",
          身份证号码: xId.toLowerCase(),
          荣誉名称: "台州市技术能手",
          级别: "市级",
          授予单位: "台州市人社局",
          年份: "2018年",
          状态: "保持",
        },
        // Excel kept this ID as a number: its last digits are gone.
        { 序号: 4, 姓名: "赵六", 身份证号码: 331081198506010000, 荣誉名称: "浙江工匠", 级别: "省级", 授予单位: "浙江省总工会", 年份: 2022 },
        { 序号: 5, 姓名: "王五", 身份证号码: jiaojiangC.idNumber, 荣誉名称: "浙江工匠", 级别: "省级", 授予单位: "浙江省总工会", 年份: 2022 },
        { 序号: 6, 姓名: "钱七", 身份证号码: idNumberFor("M", "1980-01-01"), 荣誉名称: "浙江工匠", 级别: "省级", 授予单位: "浙江省总工会", 年份: 2022 },
        { 序号: 7, 姓名: "张三", 身份证号码: wenlingA.idNumber, 荣誉名称: "市劳模", 级别: "宇宙级", 授予单位: "台州市政府", 年份: 20240 },
        // Copied from a CSV: the number as Excel showed it.
        { 序号: 8, 姓名: "孙八", 身份证号码: "3.31E+17", 荣誉名称: "浙江工匠", 级别: "省级", 授予单位: "浙江省总工会", 年份: 2022 },
      ],
      below: [[], ["合计：7人"], ["填表人：王丽", "", "", "审核人：张强", "", "", "联系电话：0576-86123456"]],
    });
    return { bytes, wenlingA, wenlingX, jiaojiangC, xId };
  }

  it("reads the county's shapes, refuses bad rows one by one, stores nothing until confirmed, then writes the good rows", async () => {
    const { wenling } = await officers();
    const { bytes, wenlingA, wenlingX } = await messyList();
    const uploaded = await uploadHonourList(t.db, wenling, { name: "温岭荣誉名单.xlsx", bytes });
    if (!uploaded.ok) throw new Error(uploaded.message);
    expect(await honourCount(wenlingA.id, wenlingX.id)).toBe(0);
    const found = await honourImportFor(t.db, wenling, uploaded.id);
    if (!found.ok) throw new Error(found.message);
    const { rows, problems, skipped } = found.upload.preview;
    expect(rows.map((r) => [r.line, r.name, r.title, r.level, r.kind, r.year, r.status])).toEqual([
      [4, "张三", "浙江工匠", "provincial", "craftsman", 2021, "kept"],
      [5, "张三", "全国五一劳动奖章", "national", "may_day_medal", 2019, "revoked"],
      [6, "李四", "台州市技术能手", "city", "technical_expert", 2018, "kept"],
    ]);
    expect(problems).toHaveLength(5);
    expect(problems.join("\n")).toMatch(/第 7 行（赵\*）：身份证号码：身份证号码在 Excel 中被存成了数字/);
    // Another county's person and a number on no one's record read alike: a county does not learn who is on the platform.
    const notOurs = "本单位人员中没有此身份证号码，只能导入本单位人员的荣誉（新人员请先登记再导入）";
    expect(problems[1]).toBe(`第 8 行（王*）：${notOurs}`);
    expect(problems[2]).toBe(`第 9 行（钱*）：${notOurs}`);
    expect(problems.join("\n")).toMatch(/第 10 行（张\*）：级别“宇宙级”无法识别.*；年份应在 1950 到/);
    expect(problems[4]).toMatch(/^第 11 行（孙\*）：身份证号码：身份证号码在 Excel 中被存成了数字.*（表中显示为 3\.31\*+）$/);
    expect(skipped).toEqual([]);
    // No ID number is kept anywhere in the preview.
    expect(JSON.stringify(found.upload.preview)).not.toMatch(/\d{17}[\dXx]/);

    const committed = await commitHonourImport(t.db, wenling, uploaded.id);
    expect(committed).toEqual({ ok: true, imported: 3, skipped: 0 });
    const honoursA = await honoursOf(t.db, wenlingA.id);
    expect(honoursA.map((h) => [h.title, h.status, h.revokedOn])).toEqual([
      ["浙江工匠", "kept", null],
      ["全国五一劳动奖章", "revoked", "2023-06-01"],
    ]);
    expect(honoursA[0].source).toBe(`${wenling.displayName} 导入自“温岭荣誉名单.xlsx”第 4 行`);
    expect((await honoursOf(t.db, wenlingX.id)).map((h) => h.title)).toEqual(["台州市技术能手"]);
    expect((await honourHistoryOf(t.db, wenlingA.id)).map((h) => h.action)).toEqual(["import", "import"]);
    expect(await commitHonourImport(t.db, wenling, uploaded.id)).toMatchObject({ ok: false, status: 409 });

    // The same file again is refused; a new file repeating an honour skips that row and says so.
    expect(await uploadHonourList(t.db, wenling, { name: "温岭荣誉名单.xlsx", bytes })).toMatchObject({ ok: false, status: 409, field: "file" });
    const again = await countyWorkbook({
      header: HEADER,
      rows: [{ 序号: 1, 姓名: "张三", 身份证号码: wenlingA.idNumber, 荣誉名称: "浙江工匠", 级别: "省级", 授予单位: "省总工会", 年份: 2021 }],
    });
    const second = await uploadHonourList(t.db, wenling, { name: "补报.xlsx", bytes: again });
    if (!second.ok) throw new Error(second.message);
    const preview = await honourImportFor(t.db, wenling, second.id);
    expect(preview.ok && preview.upload.preview.skipped).toEqual([expect.stringMatching(/第 4 行（张\*）：“浙江工匠”（2021）已登记过，跳过/)]);
    expect(await commitHonourImport(t.db, wenling, second.id)).toEqual({ ok: true, imported: 0, skipped: 0 });
    expect(await honourCount(wenlingA.id, wenlingX.id)).toBe(3);
  });

  it("a county's import reaches only its own people; the city's reaches every county; another county may not see or commit it", async () => {
    const { city, wenling, jiaojiang } = await officers();
    const { bytes, jiaojiangC, wenlingA, wenlingX } = await messyList();
    const byCity = await uploadHonourList(t.db, city, { name: "全市名单.xlsx", bytes });
    if (!byCity.ok) throw new Error(byCity.message);
    const preview = await honourImportFor(t.db, city, byCity.id);
    expect(preview.ok && preview.upload.preview.rows.map((r) => r.name)).toEqual(["张三", "张三", "李四", "王五"]);
    // The city sees everyone: it is told the number is on no one's record.
    expect(preview.ok && preview.upload.preview.problems).toContainEqual("第 9 行（钱*）：平台人员库中没有此身份证号码的人员，请先登记人员再导入");
    // The city's upload holds any county's people: no county officer reaches it.
    expect(await honourImportFor(t.db, wenling, byCity.id)).toMatchObject({ ok: false, status: 403 });
    expect(await commitHonourImport(t.db, jiaojiang, byCity.id)).toMatchObject({ ok: false, status: 403 });
    const byWenling = await uploadHonourList(t.db, wenling, { name: "温岭.xlsx", bytes });
    if (!byWenling.ok) throw new Error(byWenling.message);
    expect(await honourImportFor(t.db, jiaojiang, byWenling.id)).toMatchObject({ ok: false, status: 403 });
    expect(await discardHonourImport(t.db, jiaojiang, byWenling.id)).toMatchObject({ ok: false, status: 403 });
    expect(await discardHonourImport(t.db, wenling, byWenling.id)).toEqual({ ok: true });
    expect(await commitHonourImport(t.db, wenling, byWenling.id)).toMatchObject({ ok: false, status: 409 });
    expect(await honourCount(wenlingA.id, wenlingX.id, jiaojiangC.id)).toBe(0);
    expect(await commitHonourImport(t.db, city, byCity.id)).toEqual({ ok: true, imported: 4, skipped: 0 });
    expect((await honoursOf(t.db, jiaojiangC.id)).map((h) => h.title)).toEqual(["浙江工匠"]);
  });

  it("refuses a 撤销 row dated in the future, before the honour's year or before its day, by the same rule as the 撤销 step", async () => {
    const revoked = (line: number, 年份: string | number, 撤销日期: string) => ({
      序号: line,
      姓名: "张三",
      身份证号码: idNumberFor("M", "1980-01-01"),
      荣誉名称: `浙江工匠${line}`,
      级别: "省级",
      授予单位: "浙江省总工会",
      年份,
      状态: "撤销",
      撤销日期,
    });
    const bytes = await countyWorkbook({
      header: HEADER,
      rows: [
        revoked(1, 2019, `${yearInTaizhou() + 1}-01-01`),
        revoked(2, 2019, "1951-01-01"),
        revoked(3, "2019-05-01", "2019-03-01"),
        revoked(4, 2019, "2023-06-01"),
      ],
    });
    const { rows, problems } = await parseHonourList(bytes);
    expect(problems).toEqual([
      expect.stringMatching(/^第 4 行（张\*）：撤销日期不能晚于今天/),
      "第 5 行（张*）：撤销日期不能早于荣誉的年份（2019年）",
      "第 6 行（张*）：撤销日期不能早于授予日期（2019-05-01）",
    ]);
    expect(rows.map((r) => [r.line, r.revokedOn])).toEqual([[7, "2023-06-01"]]);
  });

  it("refuses a Word file named .xlsx, an empty sheet and a sheet without the columns, writing nothing", async () => {
    const { wenling } = await officers();
    const uploads = () => t.db.selectFrom("honour_import").select("id").execute();
    const before = await uploads();
    const word = await reviewFormDocx({ 姓名: "张三" }, "beside");
    expect(await uploadHonourList(t.db, wenling, { name: "名单.xlsx", bytes: word })).toMatchObject({
      ok: false,
      status: 400,
      field: "file",
      message: "该文件是 Word 文档，不是 Excel .xlsx 工作簿（可能只是改了扩展名）：请上传用 Excel 或 WPS 表格保存的 .xlsx 文件",
    });
    const empty = await countyWorkbook({ header: HEADER, rows: [], above: [] });
    expect(await uploadHonourList(t.db, wenling, { name: "空.xlsx", bytes: empty })).toMatchObject({ ok: false, message: "表头下面没有荣誉名单数据行" });
    const noColumns = await countyWorkbook({ header: ["序号", "姓名", "身份证号码"], rows: [{ 序号: 1, 姓名: "张三", 身份证号码: "x" }] });
    await expect(parseHonourList(noColumns)).rejects.toThrow(/找不到表头/);
    expect(await uploads()).toEqual(before);
  });
});

describe("the public page", () => {
  it("shows kept honours only while the person's consent stands, and nothing private", async () => {
    const { city } = await officers();
    const { person } = await makeAwardee(t.db, "wenling", "周匠人");
    const kept = await addHonour(t.db, city, person.id, entry());
    const revoked = await addHonour(
      t.db,
      city,
      person.id,
      entry({ title: "全国劳动模范", level: "national", kind: "model_worker", conferredBy: "国务院", year: "2015" }),
    );
    const mistaken = await addHonour(
      t.db,
      city,
      person.id,
      entry({ title: "台州市五一劳动奖章", level: "city", kind: "may_day_medal", conferredBy: "台州市总工会" }),
    );
    if (!kept.ok || !revoked.ok || !mistaken.ok) throw new Error("not added");
    await revokeHonour(t.db, city, person.id, { honourId: revoked.id, revokedOn: "2020-01-01", note: "撤销" });
    await withdrawHonour(t.db, city, person.id, { honourId: mistaken.id, reason: "误录" });
    expect(await publicHonours(t.db, person.id)).toEqual([]);
    await recordConsent(t.db, city, person.id, { howObtained: "本人签署同意书", story: "事迹", photo: null });
    const shown = await publicHonours(t.db, person.id);
    expect(shown).toEqual([{ id: kept.id, level: "provincial", title: "浙江工匠", conferred_by: "浙江省总工会", year: 2021 }]);
    await t.db.updateTable("publication_consent").set({ consented: false }).where("person_id", "=", person.id).execute();
    expect(await publicHonours(t.db, person.id)).toEqual([]);
  });
});
