import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { countyWorkbook, csvOf } from "../../../test/county-files";
import { idNumberFor, importTargetFor, makeCampaign, makeUser, nominationForm } from "../../../test/factories";
import type { SessionUser } from "~/auth/roles";
import { runDueJobs } from "~/lib/jobs.server";
import { createRandom } from "~/lib/random";
import { findCampaign, type Campaign } from "~/modules/campaigns/campaigns.server";
import { PERSON_PROFILE_COLUMNS } from "~/modules/people/people.server";
import { decrypt } from "~/modules/people/pii.server";
import { maskIdNumber } from "~/modules/people/id-number";
import { createNomination, NOMINATION_CONTENT_COLUMNS } from "~/modules/nominations/nominations.server";
import { createNominationSchema } from "~/modules/nominations/schema.server";
import {
  commitImport,
  createImportBatch,
  findImportBatch,
  IMPORT_JOBS,
  parseSummaryTable,
  previewOf,
  requestCommit,
} from "~/modules/nominations/summary-table.server";

/**
 * A system of record: an import fills what is blank and never overwrites what is filled unless the
 * officer chose the file's value; and what the preview warned about is what the record keeps.
 */
const t = useTestDb();
const TODAY = "2018-03-20";

/** Runs the job queue until it is empty (earlier uploads' checks included). */
async function drain() {
  while ((await runDueJobs(t.db, IMPORT_JOBS)) > 0);
}

let number = 800;
async function openCampaign(quota = 5): Promise<Campaign> {
  return (await findCampaign(t.db, (await makeCampaign(t.db, { number: number++, deadline: "2099-03-31", quota })).id))!;
}

/** Every field of the record, as it stands (timestamps aside). */
async function snapshot(nominationId: number) {
  const n = await t.db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select([...PERSON_PROFILE_COLUMNS, "person.phone_cipher", "person.org_unit_id", ...NOMINATION_CONTENT_COLUMNS])
    .where("nomination.id", "=", nominationId)
    .executeTakeFirstOrThrow();
  const { phone_cipher, ...rest } = n;
  return { ...rest, phone: phone_cipher ? decrypt(phone_cipher) : null };
}

/** For each column of a full 汇总表: the record's own value, and values a file might give instead. */
function columnsFor(id: string) {
  return {
    姓名: { same: "林建波", other: ["林建彬"] },
    身份证号码: { same: id, other: [] },
    性别: { same: "男", other: [] },
    出生日期: { same: "1980-05-12", other: [] },
    民族: { same: "汉族", other: ["回族", "畲"] },
    学历: { same: "大专", other: ["本科", "中专", "大专（函授）"] },
    政治面貌: { same: "中共党员", other: ["群众", "共青团员"] },
    工作单位: { same: "温岭华科泵业有限公司", other: ["温岭市大溪镇某某泵业有限公司"] },
    所属行业: { same: "泵与电机", other: ["模具与塑料"] },
    职务: { same: "班组长", other: ["车间主任"] },
    职称: { same: "", other: ["工程师"] },
    技术等级: { same: "高级技师", other: ["技师", "高级技师（一级）"] },
    一线技能工作年限: { same: "18", other: ["7", "30年"] },
    是否仍在技能岗位: { same: "是", other: ["否"] },
    是否教师或研究人员: { same: "否", other: ["是"] },
    符合条件: { same: "一、五", other: ["二", "三、四"] },
    已获荣誉: { same: "浙江省技术能手", other: ["全国五一劳动奖章"] },
    主要技术成果: { same: "主持水泵叶轮工艺改进，良品率提高12%", other: ["数控改造"] },
    主要事迹: { same: "扎根一线二十年……", other: ["表格里的一句话"] },
    联系电话: { same: "13957600001", other: ["13800000000", "0576-88881234"] },
    备注: { same: "", other: ["县级技能大师"] },
  } as Record<string, { same: string; other: string[] }>;
}

describe("an import over a filled record", () => {
  it("changes no filled field, whatever subset of columns it gives and whatever they say, unless the officer takes the file's value", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const form = createNominationSchema.parse(await nominationForm(t.db, { name: "林建波", birthDate: "1980-05-12", position: "班组长", title: "" }));
    const filed = await createNomination(t.db, officer, campaign, { ...form, clearPhone: false }, TODAY);
    if (!filed.ok) throw new Error("could not file");
    const id = form.idNumber!.idNumber;
    const before = await snapshot(filed.id);
    const filledBefore = Object.entries(before).filter(([, v]) => v !== "" && v !== null && !(Array.isArray(v) && !v.length));
    const columns = columnsFor(id);
    const names = Object.keys(columns).filter((c) => c !== "姓名" && c !== "身份证号码");
    const random = createRandom(2026);
    const target = await importTargetFor(t.db);

    for (let run = 0; run < 24; run++) {
      // A random subset of the columns, each blank, the record's own value, or another.
      const chosen = ["姓名", "身份证号码", ...names.filter(() => random.chance(0.5))];
      const values = chosen.map((c) => {
        const { same, other } = columns[c];
        if (c === "身份证号码") return same;
        const roll = random.next();
        return roll < 0.2 ? "" : roll < 0.45 || !other.length ? same : random.pick(other);
      });
      const csv = run % 3 === 0;
      const bytes = csv
        ? csvOf([["推荐单位（盖章）：温岭市总工会"], chosen, values], run % 2 ? "gbk" : "utf-8")
        : await countyWorkbook({ header: chosen, rows: [values] });
      const table = await parseSummaryTable(bytes, target);
      const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, `第${run}次.xlsx`, table);
      const result = await commitImport(t.db, officer, campaign, batchId, TODAY);
      expect(result, `run ${run}: ${chosen.join(",")}`).toMatchObject({ ok: true, created: 0 });
      const after = await snapshot(filed.id);
      for (const [field, value] of filledBefore)
        expect(after[field as keyof typeof after], `run ${run}: ${field} (${chosen.join(",")} = ${values.join(",")})`).toEqual(value);
    }

    // The officer's explicit choice: 一线年限 and 职务 taken from the file, nothing else.
    const beforeChoice = await snapshot(filed.id);
    const bytes = await countyWorkbook({ header: ["姓名", "身份证号码", "一线技能工作年限", "职务", "民族"], rows: [["林建波", id, 30, "车间主任", "回族"]] });
    const table = await parseSummaryTable(bytes, target);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "改动.xlsx", table);
    await drain();
    const shown = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(shown.rows.rows[0].conflicts.map((c) => [c.label, c.was, c.will])).toEqual([
      ["民族", "汉族", "回族"],
      ["职务", "班组长", "车间主任"],
      ["一线技能工作年限", "18", "30"],
    ]);
    const line = shown.rows.rows[0].line;
    // What a hand-made request may add (a choice twice, a field or a row with no conflict) is no choice of the officer's.
    const sent = [`${line}:frontlineYears`, `${line}:position`, `${line}:position`, `${line}:employer`, `${line + 1}:position`, "nonsense"];
    expect(await requestCommit(t.db, officer, campaign, batchId, TODAY, sent)).toEqual({ ok: true });
    await drain();
    const chosen = await snapshot(filed.id);
    expect(chosen).toEqual({ ...beforeChoice, frontline_years: 30, position: "车间主任" });
    // Each change is in the history, with the file it came from.
    const history = await t.db.selectFrom("audit_log").select(["entity_type", "comment"]).where("comment", "=", "导入文件：改动.xlsx").orderBy("id").execute();
    expect(history.map((h) => h.entity_type).sort()).toEqual(["nomination", "person"]);
    // The batch's own history row counts the officer's two choices (found by a tester: it counted whatever was sent).
    const batchRow = await t.db
      .selectFrom("audit_log")
      .select("after")
      .where("action", "=", "import")
      .where("entity_id", "=", String(batchId))
      .executeTakeFirstOrThrow();
    expect(batchRow.after).toMatchObject({ filename: "改动.xlsx", updated: 1, chosenFromFile: 2 });
  });

  it("fills what the record leaves blank, and says so field by field", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const id = idNumberFor("M", "1981-07-09");
    const target = await importTargetFor(t.db);
    // First the county's list (who the person is), then the Word form's parts as a second sheet.
    const list = await countyWorkbook({
      header: ["姓名", "身份证号码", "民族", "学历", "政治面貌", "工作单位", "所属行业", "技术等级", "一线年限"],
      rows: [["林建波", id, "汉族", "大专", "群众", "温岭华科泵业有限公司", "泵与电机", "技师", 15]],
    });
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "名单.xlsx", await parseSummaryTable(list, target));
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ ok: true, created: 1 });
    const later = await countyWorkbook({
      header: ["姓名", "身份证号码", "是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹", "一线技能工作年限"],
      rows: [["林建波", id, "是", "五", "叶轮工艺改进", "带徒8人", ""]],
    });
    const second = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "补充.xlsx", await parseSummaryTable(later, target));
    await drain();
    const shown = previewOf((await findImportBatch(t.db, officer, campaign.id, second))!, {});
    expect(shown.rows.rows[0]).toMatchObject({ note: "将更新", conflicts: [], missing: [] });
    expect(shown.rows.rows[0].changes.map((c) => [c.label, c.was, c.will])).toEqual([
      ["是否仍在技能岗位", "（空）", "是"],
      ["符合条件", "（空）", "五"],
      ["主要技术成果", "（空）", "叶轮工艺改进"],
      ["主要事迹", "（空）", "带徒8人"],
    ]);
    // The list's 一线年限 survives the second file's blank cell.
    expect(await commitImport(t.db, officer, campaign, second, TODAY)).toMatchObject({ ok: true, updated: 1 });
    const [n] = await t.db.selectFrom("nomination").select(["frontline_years", "in_skill_post"]).where("campaign_id", "=", campaign.id).execute();
    expect(n).toEqual({ frontline_years: 15, in_skill_post: true });
  });
});

describe("what the preview warns about", () => {
  it("is on the stored record, every warning of every row, and the preview states the unit's quota against its count", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign(2);
    const header = ["姓名", "身份证号码", "民族", "学历", "政治面貌", "工作单位", "所属行业", "职务", "技术等级", "一线年限", "是否教师或研究人员"];
    const person = (name: string, born: string, over: Partial<Record<string, string | number>> = {}) => {
      const v: Record<string, string | number> = {
        民族: "汉族",
        学历: "大专",
        政治面貌: "群众",
        工作单位: "温岭华科泵业有限公司",
        所属行业: "泵与电机",
        职务: "班组长",
        技术等级: "技师",
        一线年限: 12,
        是否教师或研究人员: "",
        ...over,
      };
      return [name, idNumberFor("M", born), ...header.slice(2).map((h) => v[h])];
    };
    const bytes = await countyWorkbook({
      header,
      rows: [
        person("教师甲", "1980-01-01", { 工作单位: "温岭市职业技术学校", 职务: "实训教师", 是否教师或研究人员: "是" }),
        person("年限乙", "1990-02-02", { 一线年限: 3 }),
        person("等级丙", "1985-03-03", { 技术等级: "中级工" }),
        person("超额丁", "1979-04-04"),
      ],
    });
    const table = await parseSummaryTable(bytes, await importTargetFor(t.db));
    const batchId = await createImportBatch(t.db, officer, campaign, officer.orgUnitId!, "温岭.xlsx", table);
    await drain();
    const shown = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {});
    expect(shown.quota).toEqual({ unit: "温岭市", before: 0, after: 4, quota: 2 });
    const warned = Object.fromEntries(shown.rows.rows.map((r) => [r.name, r.warnings]));
    expect(warned["教师甲"].join()).toContain("各级各类学校教师及专门研究人员不在选树之列");
    expect(warned["年限乙"].join()).toContain("不满5年");
    expect(warned["等级丙"].join()).toContain("高级工以上");
    expect(warned["超额丁"].join()).toContain("超过原则上每单位2名的名额");
    expect(warned["等级丙"].join()).toContain("超过原则上每单位2名的名额");

    expect(await requestCommit(t.db, officer as SessionUser, campaign, batchId, TODAY)).toEqual({ ok: true });
    await drain();
    const stored = await t.db
      .selectFrom("nomination")
      .innerJoin("person", "person.id", "nomination.person_id")
      .select(["person.name", "nomination.import_warnings", "nomination.teacher_or_researcher"])
      .where("campaign_id", "=", campaign.id)
      .execute();
    expect(stored).toHaveLength(4);
    for (const n of stored) expect(n.import_warnings, n.name).toEqual(warned[n.name]);
    // The teacher's flag is the record's, not only the preview's.
    expect(stored.find((n) => n.name === "教师甲")?.teacher_or_researcher).toBe(true);
  });
});

describe("a preview overtaken by another change (issue 37, found by a tester)", () => {
  /** A one-row file uploaded (and, being small, checked at once) by a county officer of 温岭; the batch's id. */
  async function uploadRow(officer: SessionUser, campaign: Campaign, name: string, header: string[], row: Array<string | number>) {
    const target = await importTargetFor(t.db);
    return createImportBatch(
      t.db,
      officer,
      campaign,
      target.nominatingUnitId,
      name,
      await parseSummaryTable(await countyWorkbook({ header, rows: [row] }), target),
    );
  }

  it("is not committed: a row whose record changed since its preview is refused whole, and the record keeps what the other change wrote", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const id = idNumberFor("M", "1982-03-04");
    const header = ["姓名", "身份证号码", "民族", "学历", "政治面貌", "工作单位", "所属行业", "职务", "技术等级", "一线年限"];
    const upload = (name: string, position: string) =>
      uploadRow(officer, campaign, name, header, ["陈立", id, "汉族", "大专", "群众", "温岭华科泵业有限公司", "泵与电机", position, "技师", 15]);
    expect(await commitImport(t.db, officer, campaign, await upload("名单.xlsx", "班组长"), TODAY)).toMatchObject({ ok: true, created: 1 });
    // Two files, each previewed against 班组长 and proposing another 职务.
    const first = await upload("甲.xlsx", "车间主任甲");
    const second = await upload("乙.xlsx", "车间主任乙");
    const shown = previewOf((await findImportBatch(t.db, officer, campaign.id, first))!, {}).rows.rows[0];
    expect(shown.conflicts.map((c) => [c.label, c.was, c.will])).toEqual([["职务", "班组长", "车间主任甲"]]);
    const take = [`${shown.line}:position`];
    expect(await commitImport(t.db, officer, campaign, second, TODAY, async () => {}, take)).toMatchObject({ ok: true, updated: 1 });
    // 甲's preview said 班组长 → 车间主任甲; the record now says 车间主任乙, which its officer never saw.
    expect(await commitImport(t.db, officer, campaign, first, TODAY, async () => {}, take)).toMatchObject({ ok: false, status: 409 });
    const person = await t.db.selectFrom("person").select("position").where("name", "=", "陈立").executeTakeFirstOrThrow();
    expect(person.position).toBe("车间主任乙");
    // Uploaded again, the file is previewed against what the record says now.
    const again = previewOf((await findImportBatch(t.db, officer, campaign.id, await upload("甲.xlsx", "车间主任甲")))!, {}).rows.rows[0];
    expect(again.conflicts.map((c) => [c.was, c.will])).toEqual([["车间主任乙", "车间主任甲"]]);
  });

  it("is committed when what a later row finds moved is the file's own earlier row of the same person, taken by the officer", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const target = await importTargetFor(t.db);
    const id = idNumberFor("M", "1979-11-02");
    const header = ["姓名", "性别", "出生日期", "身份证号码", "民族", "学历", "政治面貌", "工作单位", "所属行业", "职务", "技术等级", "一线年限"];
    const row = ([position, number]: string[]) => [
      "吴刚",
      "男",
      "1979-11-02",
      number,
      "汉族",
      "大专",
      "群众",
      "温岭华科泵业有限公司",
      "泵与电机",
      position,
      "技师",
      15,
    ];
    const file = async (name: string, ...positions: string[][]) =>
      createImportBatch(
        t.db,
        officer,
        campaign,
        target.nominatingUnitId,
        name,
        await parseSummaryTable(await countyWorkbook({ header, rows: positions.map(row) }), target),
      );
    expect(await commitImport(t.db, officer, campaign, await file("名单.xlsx", ["班组长", id]), TODAY)).toMatchObject({ ok: true, created: 1 });
    // One file names him twice, as our export's row (the number masked) and with the whole number, with two other
    // 职务; each row is previewed against the record's 班组长.
    const batchId = await file("两行.xlsx", ["车间主任", maskIdNumber(id)], ["副厂长", id]);
    const [first, second] = previewOf((await findImportBatch(t.db, officer, campaign.id, batchId))!, {}).rows.rows;
    expect([first, second].map((r) => r.conflicts.map((c) => [c.was, c.will]))).toEqual([[["班组长", "车间主任"]], [["班组长", "副厂长"]]]);
    // The officer takes the first row's value: the second row then finds 车间主任, moved by the file itself, not by
    // another change. It was refused as overtaken, every time the same file was sent again (found by a tester).
    expect(await commitImport(t.db, officer, campaign, batchId, TODAY, async () => {}, [`${first.line}:position`])).toMatchObject({ ok: true, updated: 1 });
    expect(await t.db.selectFrom("person").select("position").where("name", "=", "吴刚").execute()).toEqual([{ position: "车间主任" }]);
  });

  it("is not committed when the person it would add was added meanwhile", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await openCampaign();
    const id = idNumberFor("F", "1986-06-01");
    const header = ["姓名", "身份证号码", "民族", "学历", "政治面貌", "工作单位", "所属行业", "技术等级", "一线年限", "联系电话"];
    const upload = (name: string, employer: string, phone: string) =>
      uploadRow(officer, campaign, name, header, ["周敏", id, "汉族", "本科", "群众", employer, "泵与电机", "技师", 10, phone]);
    const first = await upload("甲.xlsx", "甲公司", "13957600011");
    const second = await upload("乙.xlsx", "乙公司", "13957600022");
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ ok: true, created: 1 });
    // 乙's preview said 将新增; adding it now would drop its 工作单位 and phone as conflicts nobody was shown.
    expect(await commitImport(t.db, officer, campaign, second, TODAY)).toMatchObject({ ok: false, status: 409 });
    expect(await t.db.selectFrom("person").select("employer").where("name", "=", "周敏").execute()).toEqual([{ employer: "甲公司" }]);
  });
});
