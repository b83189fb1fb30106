import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF, zipEntries } from "../../../test/files";
import { makeAwardee, makeCampaign, makeDocument, makeRevocationDocument, makeStudio, makeUser } from "../../../test/factories";
import { historyOf } from "~/modules/audit/audit.server";
import { nameAwardees } from "~/modules/nominations/review.server";
import { basisSentence } from "~/modules/governance/labels";
import { normaliseDocumentNumber } from "~/modules/governance/policy";
import { revokeAward } from "~/modules/governance/revocation.server";
import { documentSchema } from "~/modules/governance/schema.server";
import {
  campaignBasis,
  checkDocumentFile,
  documentChoices,
  programmeBasis,
  recordDocument,
  setCampaignBasis,
  setProgrammeBasis,
} from "~/modules/governance/documents.server";

const t = useTestDb();

const typed = (fields: Partial<Record<"issuer" | "number" | "issuedOn" | "title", string>> = {}) =>
  documentSchema.safeParse({
    issuer: "台州市总工会",
    number: "台总工〔2018〕10号",
    issuedOn: "2018-05-18",
    title: "关于命名第二届“台州工匠”的决定",
    ...fields,
  });

const errorsOf = (parsed: ReturnType<typeof typed>) =>
  parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));

describe("decision documents", () => {
  it("reads a 文号 typed with any brackets as the one the document prints", () => {
    for (const number of [
      "台总工[2018]10号",
      "台总工(2018)10号",
      "台总工（2018）10号",
      "台总工【2018】10",
      "台总工 〔2018〕 10 号",
      "台总工〔2018〕第10号",
      "台总工〔2018〕010号",
      "台总工〔２０１８〕１０号",
    ]) {
      expect(normaliseDocumentNumber(number), number).toBe("台总工〔2018〕10号");
    }
    expect(typed({ number: "台总工[2018]10号" })).toMatchObject({ success: true, data: { number: "台总工〔2018〕10号" } });
    expect(typed({ issuer: "台州市 总工会", number: "台总工〔２０１８〕第０１０号" })).toMatchObject({
      success: true,
      data: { issuer: "台州市总工会", number: "台总工〔2018〕10号" },
    });
    expect(normaliseDocumentNumber("台总工〔2018〕0号")).toBe("台总工〔2018〕0号");
    expect(errorsOf(typed({ number: "十号文件" }))).toEqual({ number: "文号应如 台总工〔2018〕10号：机关代字、〔年份〕、序号" });
    expect(errorsOf(typed({ number: "台总工〔2019〕10号" }))).toEqual({ issuedOn: "发文日期应在文号的年份（2019年）内" });
    expect(errorsOf(typed({ issuedOn: "2018-02-30" }))).toEqual({ issuedOn: "发文日期不存在" });
    expect(errorsOf(typed({ issuer: "", title: "题".repeat(201) }))).toEqual({ issuer: "请填写发文机关", title: "文件标题不能超过200字" });
  });

  it("records a document with its file checked by content, once per issuer and number, in the history", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const input = typed().data!;
    expect(await recordDocument(t.db, county, input, null)).toMatchObject({ ok: false, status: 403 });
    const text = { name: "决定.pdf", bytes: new TextEncoder().encode("这不是PDF") };
    expect(await recordDocument(t.db, city, input, text)).toMatchObject({
      ok: false,
      field: "file",
      message: expect.stringContaining("不是 PDF、Word 或图片文件"),
    });
    const big = new Uint8Array(12 * 1024 * 1024);
    big.set(PDF);
    expect(await recordDocument(t.db, city, input, { name: "扫描件.pdf", bytes: big })).toMatchObject({
      ok: false,
      field: "file",
      message: expect.stringContaining("超过 10 MB"),
    });
    expect(await t.db.selectFrom("decision_document").select("id").execute()).toEqual([]);

    const saved = await recordDocument(t.db, city, input, { name: "决定.pdf", bytes: PDF });
    expect(saved).toMatchObject({ ok: true });
    expect(await recordDocument(t.db, city, { ...input, title: "另一份" }, null)).toMatchObject({
      ok: false,
      field: "number",
      message: "台州市总工会的“台总工〔2018〕10号”已经登记过",
    });
    // Normalised on write, whoever calls: the same document typed another way is the one recorded.
    for (const [issuer, number] of [
      ["台州市 总工会", "台总工〔2018〕10号"],
      ["台州市总工会", "台总工〔2018〕第10号"],
      ["台州市总工会", "台总工〔2018〕010号"],
      ["台州市总工会", "台总工〔２０１８〕１０号"],
    ]) {
      expect(await recordDocument(t.db, city, { ...input, issuer, number }, null), `${issuer} ${number}`).toMatchObject({ ok: false, field: "number" });
    }
    // Another issuer may use the same number.
    expect(await recordDocument(t.db, city, { ...input, issuer: "温岭市总工会" }, null)).toMatchObject({ ok: true });
    const row = await t.db
      .selectFrom("decision_document")
      .selectAll()
      .where("id", "=", (saved as { id: number }).id)
      .executeTakeFirstOrThrow();
    expect([row.number, row.file_type, row.file_name]).toEqual(["台总工〔2018〕10号", "application/pdf", "决定.pdf"]);
    expect((await historyOf(t.db, "decision_document", row.id)).map((h) => h.action)).toEqual(["create"]);
    expect((await documentChoices(t.db)).map((c) => c.label)).toContain("台总工〔2018〕10号 台州市总工会《关于命名第二届“台州工匠”的决定》");
  });

  it("takes Word files by their content, and an old .doc only by that name", () => {
    const docx = zipEntries([{ name: "word/document.xml", data: "<w:document/>" }], { utf8: true });
    expect(checkDocumentFile({ name: "决定.bin", bytes: docx })).toMatchObject({
      ok: true,
      type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    });
    const xlsx = zipEntries([{ name: "xl/workbook.xml", data: "<workbook/>" }], { utf8: true });
    expect(checkDocumentFile({ name: "决定.docx", bytes: xlsx })).toMatchObject({ ok: false });
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(checkDocumentFile({ name: "决定.doc", bytes: ole })).toMatchObject({ ok: true, type: "application/msword" });
    expect(checkDocumentFile({ name: "名单.xls", bytes: ole })).toMatchObject({ ok: false });
  });

  it("sets a campaign's naming decision, without which the campaign cannot be named", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { status: "final_approval" });
    expect(await nameAwardees(t.db, city, campaign.id, { ranking: [], namedOn: "2018-05-20", confirmed: true })).toEqual({
      ok: false,
      status: 409,
      message: "请先在本届活动页面选定命名依据（批准命名的决定文件），再审定命名",
    });
    const document = await makeDocument(t.db);
    expect(await setCampaignBasis(t.db, city, campaign.id, 999_999)).toMatchObject({ ok: false, field: "documentId" });
    expect(await setCampaignBasis(t.db, city, campaign.id, document.id)).toEqual({ ok: true });
    const basis = await campaignBasis(t.db, campaign.id);
    expect(basis && basisSentence(basis)).toBe(`依据台州市总工会《关于命名第二届“台州工匠”的决定》（${document.number}，2018年5月18日）`);
    const history = await historyOf(t.db, "campaign", campaign.id);
    expect(history.map((h) => [h.action, h.after])).toEqual([["set_basis", { basisDocument: document.number }]]);
    // Past the basis, naming goes on to its own checks (here: an empty ranking names nobody it should).
    expect(await nameAwardees(t.db, city, campaign.id, { ranking: [], namedOn: "2018-05-20", confirmed: true })).not.toMatchObject({ status: 409 });
  });

  it("takes as a campaign's basis no revocation's document and, once named, none issued after the naming", async () => {
    const city = await makeUser(t.db, "city_admin");
    const { person } = await makeAwardee(t.db, "wenling", "依据已命名");
    const award = await t.db.selectFrom("award").select(["id", "campaign_id"]).where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const naming = await makeDocument(t.db);
    expect(await setCampaignBasis(t.db, city, award.campaign_id, naming.id)).toEqual({ ok: true });
    const revoking = await makeRevocationDocument(t.db);
    expect(
      await revokeAward(t.db, city, {
        documentId: revoking.id,
        revokedOn: "2026-03-02",
        reason: "弄虚作假",
        confirmed: true,
        certificateNumber: `C-${award.campaign_id}`,
      }),
    ).toMatchObject({ ok: true });

    // The revocation's own decision is no basis, for the campaign, the programme or (studios) a batch.
    expect(await setCampaignBasis(t.db, city, award.campaign_id, revoking.id)).toEqual({
      ok: false,
      status: 400,
      field: "documentId",
      message: `${revoking.number}是撤销决定的文件，不能作为命名或授牌的依据`,
    });
    expect(await setProgrammeBasis(t.db, city, revoking.id)).toMatchObject({ ok: false, status: 400, field: "documentId" });
    // Named on 2018-05-20: a decision of 2018-06-01 came after the titles it would be the basis of.
    const later = await makeDocument(t.db, { issued_on: "2018-06-01" });
    expect(await setCampaignBasis(t.db, city, award.campaign_id, later.id)).toEqual({
      ok: false,
      status: 400,
      field: "documentId",
      message: `本届已于 2018-05-20 命名，命名依据的发文日期不能晚于命名日期（${later.number}发于 2018-06-01）`,
    });
    expect((await campaignBasis(t.db, award.campaign_id))?.number).toBe(naming.number);
    // A wrong choice is still corrected, with a decision of its day or before, in the history.
    const corrected = await makeDocument(t.db, { issued_on: "2018-05-20" });
    expect(await setCampaignBasis(t.db, city, award.campaign_id, corrected.id)).toEqual({ ok: true });
    expect((await historyOf(t.db, "campaign", award.campaign_id)).map((h) => h.after)).toEqual([
      { basisDocument: naming.number },
      { basisDocument: corrected.number },
    ]);
  });

  it("keeps the studio programme's approving document in its one row", async () => {
    const city = await makeUser(t.db, "city_admin");
    const [first, second] = [await makeDocument(t.db, { title: "关于开展台州工匠工作室创建活动的通知" }), await makeDocument(t.db)];
    expect(await programmeBasis(t.db)).toBeNull();
    expect(await setProgrammeBasis(t.db, city, first.id)).toEqual({ ok: true });
    expect(await setProgrammeBasis(t.db, city, second.id)).toEqual({ ok: true });
    expect(await programmeBasis(t.db)).toMatchObject({ id: second.id, number: second.number });
    expect(await t.db.selectFrom("studio_programme").select("id").execute()).toHaveLength(1);
    expect((await historyOf(t.db, "studio_programme", 1)).map((h) => h.after)).toEqual(
      expect.arrayContaining([{ basisDocument: first.number }, { basisDocument: second.number }]),
    );
  });

  it("takes as the programme's approval no document issued after the first studio was accredited", async () => {
    const city = await makeUser(t.db, "city_admin");
    const { person } = await makeAwardee(t.db, "wenling", "首个工作室");
    await makeStudio(t.db, person.id, city.id, { accredited_on: "2019-01-10" });
    const late = await makeDocument(t.db, { issued_on: "2019-03-01", title: "关于开展台州工匠工作室创建活动的通知" });
    expect(await setProgrammeBasis(t.db, city, late.id)).toEqual({
      ok: false,
      status: 400,
      field: "documentId",
      message: `首个工作室已于 2019-01-10 授牌，创建活动的批准文件不能晚于该日（${late.number}发于 2019-03-01）`,
    });
    expect((await programmeBasis(t.db))?.id).not.toBe(late.id);
    const early = await makeDocument(t.db, { issued_on: "2018-03-01", title: "关于开展台州工匠工作室创建活动的通知" });
    expect(await setProgrammeBasis(t.db, city, early.id)).toEqual({ ok: true });
  });
});
