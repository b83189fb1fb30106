import { describe, expect, it } from "vitest";
import { COUNTY_LIST_HEADER, countyWorkbook, reviewFormDocx, storyDocx } from "../../../test/county-files";
import { useTestDb } from "../../../test/db";
import { idNumberFor, importTargetFor, makeCampaign, makeUser } from "../../../test/factories";
import { zipOf } from "../../../test/files";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { eligibilityOf, findNomination, opinionsOf } from "~/modules/nominations/nominations.server";
import { parseReviewForms, reviewFormTemplate } from "~/modules/nominations/review-form.server";
import { commitImport, createImportBatch, findImportBatch, parseSummaryTable, previewStatus } from "~/modules/nominations/summary-table.server";
import { OLD_WORD, readWordDocument } from "~/lib/word.server";

const t = useTestDb();
const TODAY = "2018-03-20";

const wenling = () => importTargetFor(t.db);

const filled = (idNumber: string, over: Record<string, string> = {}) => ({
  姓名: "林建波",
  性别: "男",
  出生年月: "1981.07",
  民族: "汉族",
  学历: "大专",
  政治面貌: "中共党员",
  身份证号码: idNumber,
  工作单位: "温岭华科泵业有限公司",
  所属行业: "泵与电机",
  职务: "班组长",
  职称: "",
  技术等级: "技师",
  一线技能工作年限: "15",
  是否仍在技能岗位: "是",
  联系电话: "13957600011",
  符合条件: "（一）（五）",
  已获荣誉: "浙江省技术能手；台州市五一劳动奖章",
  主要技术成果: "主持叶轮铸造工艺改进，良品率提高12%。",
  主要事迹: "扎根一线十五年：从学徒做起。\n带徒8人，其中3人成为技师。",
  单位意见: "同意推荐。\n（盖章）\n2018年3月10日",
  县级意见: "经审核，同意推荐。\n（盖章）\n2018年3月15日",
  ...over,
});

describe("Word 推荐审批表", () => {
  it("reads a filled form in our template's layout and in a county's own, to the same nomination fields", async () => {
    const id = idNumberFor("M", "1981-07-09");
    const beside = await reviewFormDocx(filled(id), "beside");
    const below = await reviewFormDocx(
      filled(idNumberFor("M", "1979-08-15"), {
        姓名: "陈立国",
        出生年月: "1979年8月",
        学历: "中专",
        政治面貌: "党员",
        是否仍在技能岗位: "☑是　□否",
        符合条件: "☑（一）重大发明革新\n□（二）绝招绝技\n□（三）推广先进技术\n□（四）节能减排创新\n☑（五）传绝技带高徒",
      }),
      "below",
    );
    const table = await parseReviewForms(
      [
        { name: "林建波-推荐审批表.docx", bytes: beside },
        { name: "陈立国审批表.docx", bytes: below },
      ],
      await wenling(),
    );
    expect(table.rows.map((r) => [r.source, r.name, r.errors, r.missing])).toEqual([
      ["林建波-推荐审批表.docx", "林建波", [], []],
      ["陈立国审批表.docx", "陈立国", [], []],
    ]);
    for (const row of table.rows) {
      expect(row.form).toMatchObject({
        employer: "温岭华科泵业有限公司",
        industry: "泵与电机",
        skillLevel: "技师",
        frontlineYears: "15",
        inSkillPost: "yes",
        conditions: ["1", "5"],
        honors: "浙江省技术能手；台州市五一劳动奖章",
        deedsSummary: "扎根一线十五年：从学徒做起。\n带徒8人，其中3人成为技师。",
      });
    }
    expect(table.rows[1].form).toMatchObject({ education: "中专", politicalStatus: "中共党员", birthDate: "1979-08-15" });
    expect(table.rows[0].opinions).toEqual([
      { kind: "employer", text: "同意推荐。", signer: "温岭华科泵业有限公司", signedOn: "2018-03-10" },
      { kind: "county", text: "经审核，同意推荐。", signer: "推荐单位", signedOn: "2018-03-15" },
    ]);
  });

  it("completes a nomination filed from the county's list, with its opinions and the 事迹材料 uploaded beside it", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 61, deadline: "2018-03-31" })).id))!;
    const target = await wenling();
    const id = idNumberFor("M", "1981-07-09");
    const list = await countyWorkbook({
      header: COUNTY_LIST_HEADER,
      rows: [
        {
          序号: 1,
          姓名: "林建波",
          性别: "男",
          民族: "汉",
          出生年月: "1981.07",
          身份证号码: id,
          学历: "大专",
          政治面貌: "党员",
          工作单位: "温岭华科泵业有限公司",
          所属行业: "泵与电机",
          技术等级: "技师",
          一线年限: 15,
        },
      ],
    });
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭汇总表.xlsx", await parseSummaryTable(list, target), TODAY);
    expect(await commitImport(t.db, officer, campaign, first, TODAY)).toMatchObject({ ok: true, created: 1 });
    const filed = await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).executeTakeFirstOrThrow();
    expect(eligibilityOf((await findNomination(t.db, filed.id))!).missing).toEqual(["是否仍在技能岗位", "符合条件", "主要技术成果", "主要事迹"]);

    const story = ["林建波同志1999年进厂，从学徒做起。", "他主持的叶轮铸造工艺改进，使良品率提高了12%。"];
    const zip = zipOf("林建波-推荐审批表.docx", Buffer.from(await reviewFormDocx(filled(id), "beside")));
    const table = await parseReviewForms(
      [
        { name: "温岭第一批.zip", bytes: zip },
        { name: "林建波-事迹材料.docx", bytes: await storyDocx(story) },
      ],
      target,
    );
    const storyText = ["事迹材料", ...story].join("\n");
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].storyFrom).toBe(`林建波-事迹材料.docx（${storyText.length} 字）`);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭第一批.zip", table, TODAY);
    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    expect([...(await previewStatus(t.db, officer, campaign, batch, TODAY)).rows.values()].map((o) => o.ok && o.change)).toEqual(["updated"]);
    expect(await commitImport(t.db, officer, campaign, batchId, TODAY)).toEqual({ ok: true, created: 0, updated: 1, unchanged: 0 });

    const completed = (await findNomination(t.db, filed.id))!;
    expect(eligibilityOf(completed)).toMatchObject({ eligible: true, missing: [] });
    expect(completed.story).toBe(storyText);
    expect(completed.deeds_summary).toBe("扎根一线十五年：从学徒做起。\n带徒8人，其中3人成为技师。");
    // A county officer records the employer's and the county's opinions, never the city's.
    expect((await opinionsOf(t.db, filed.id)).map((o) => [o.kind, o.text, o.signed_on])).toEqual([
      ["employer", "同意推荐。", "2018-03-10"],
      ["county", "经审核，同意推荐。", "2018-03-15"],
    ]);
  });

  it("refuses old .doc and WPS files with 另存为 .docx, and a Word file that is no 审批表 with its reason", async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const table = await parseReviewForms(
      [
        { name: "张三.doc", bytes: ole },
        { name: "李四.wps", bytes: ole },
        { name: "说明.docx", bytes: await storyDocx(["这不是审批表"]) },
      ],
      await wenling(),
    );
    expect(table.rows.map((r) => [r.source, r.errors])).toEqual([
      ["张三.doc", [OLD_WORD]],
      ["李四.wps", [OLD_WORD]],
      ["说明.docx", ["文件中没有找到推荐审批表（需要有“姓名”“身份证号码”栏）；事迹材料的文件名请包含“事迹”"]],
    ]);
  });

  it("offers the 推荐审批表 as a .docx template whose labels read back", async () => {
    const { rows } = await readWordDocument(new Uint8Array(await reviewFormTemplate({ title: "第三届“台州工匠”选树" })));
    const labels = rows.map((r) => r[0].text);
    expect(labels).toEqual(expect.arrayContaining(["姓名", "身份证号码", "工作单位", "一线技能工作年限", "符合条件", "主要事迹", "单位意见", "市总工会意见"]));
  });
});
