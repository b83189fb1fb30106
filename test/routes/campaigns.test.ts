import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as campaignPage from "../../app/routes/campaigns.$campaignId._index/route";
import * as exportRoute from "../../app/routes/campaigns.$campaignId.export";
import * as importPreview from "../../app/routes/campaigns.$campaignId.import.$batchId";
import * as importUpload from "../../app/routes/campaigns.$campaignId.import.upload";
import * as nominationList from "../../app/routes/campaigns.$campaignId.nominations._index";
import * as newNomination from "../../app/routes/campaigns.$campaignId.nominations.new";
import * as review from "../../app/routes/campaigns.$campaignId.review/route";
import * as campaigns from "../../app/routes/campaigns._index";
import * as newCampaign from "../../app/routes/campaigns.new";
import * as nominationPage from "../../app/routes/nominations.$nominationId._index/route";
import * as editNomination from "../../app/routes/nominations.$nominationId.edit";
import * as printPage from "../../app/routes/nominations.$nominationId.print";
import * as storyRoute from "../../app/routes/nominations.$nominationId.story";
import { OLD_WORD } from "../../app/lib/word.server";
import { runDueJobs } from "../../app/lib/jobs.server";
import { IMPORT_JOBS } from "../../app/modules/nominations/summary-table.server";
import type { SessionUser } from "../../app/auth/roles";
import { useTestDb } from "../db";
import { cookieFor, giveBasis, makeCampaign, makeUser, nominationForm } from "../factories";
import { call, jsonOf, ORIGIN } from "../http";
import { countyWorkbook, REVIEW_FORM_HEADER, reviewFormDocx, storyDocx } from "../county-files";

const t = useTestDb();
/** What the app processes' job queue does after an upload or a 确认导入. */
const runImportJobs = () => runDueJobs(t.db, IMPORT_JOBS);

/** A county officer files a nomination through the page, as the form would post it. */
async function fileNomination(campaignId: number, as: SessionUser, overrides: Parameters<typeof nominationForm>[1] = {}) {
  return call(newNomination.action, {
    db: t.db,
    path: `/campaigns/${campaignId}/nominations/new`,
    params: { campaignId: String(campaignId) },
    as,
    form: await nominationForm(t.db, overrides),
  });
}

async function setup() {
  const city = await makeUser(t.db, "city_admin");
  const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
  const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
  const campaign = await makeCampaign(t.db);
  const created = await fileNomination(campaign.id, wenling);
  expect(created.status).toBe(302);
  const nominationId = Number(created.headers.get("location")!.split("/").pop());
  const nominee = await t.db.selectFrom("nomination").select("person_id").where("id", "=", nominationId).executeTakeFirstOrThrow();
  const craftsman = await makeUser(t.db, "craftsman", { personId: nominee.person_id });
  const stranger = await makeUser(t.db, "craftsman");
  return { city, wenling, jiaojiang, craftsman, stranger, campaign, nominationId };
}

describe("campaign pages by role", () => {
  it("lets officers see campaigns, and only the city create and advance them", async () => {
    const { city, wenling, craftsman, campaign } = await setup();
    const params = { campaignId: String(campaign.id) };
    expect((await call(campaigns.loader, { db: t.db, path: "/campaigns", as: wenling })).status).toBe(200);
    expect((await call(campaigns.loader, { db: t.db, path: "/campaigns", as: craftsman })).status).toBe(403);
    expect((await call(newCampaign.loader, { db: t.db, path: "/campaigns/new", as: wenling })).status).toBe(403);
    const advanceForm = { intent: "advance", expected: "nominating", confirmed: "1" };
    expect((await call(campaignPage.action, { db: t.db, path: `/campaigns/${campaign.id}`, params, as: wenling, form: advanceForm })).status).toBe(403);
    const moved = await call(campaignPage.action, { db: t.db, path: `/campaigns/${campaign.id}`, params, as: city, form: advanceForm });
    expect(moved.status).toBe(200);
    const again = await call(campaignPage.action, { db: t.db, path: `/campaigns/${campaign.id}`, params, as: city, form: advanceForm });
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).reasons[0]).toContain("资格初审");
    expect((await call(review.loader, { db: t.db, path: `/campaigns/${campaign.id}/review`, params, as: wenling })).status).toBe(403);
    expect((await call(campaignPage.loader, { db: t.db, path: "/campaigns/999999", params: { campaignId: "999999" }, as: city })).status).toBe(404);
    const forged = await call(campaignPage.action, { db: t.db, path: `/campaigns/${campaign.id}`, params, as: city, form: { intent: "delete" } });
    expect(forged.status).toBe(400);
  });

  it("validates a new campaign field by field", async () => {
    const city = await makeUser(t.db, "city_admin");
    const bad = await call(newCampaign.action, {
      db: t.db,
      path: "/campaigns/new",
      as: city,
      form: { number: "0", year: "1800", title: "", nominationDeadline: "2018-02-30", quotaPerUnit: "-1", titleCount: "abc" },
    });
    expect(bad.status).toBe(400);
    const errors = (await jsonOf(bad)).form.error;
    expect(Object.keys(errors).sort()).toEqual(["nominationDeadline", "number", "quotaPerUnit", "title", "titleCount", "year"]);
    expect(errors.nominationDeadline).toEqual(["推荐截止日期不存在"]);
  });

  it("refuses a 届次 another campaign has, on creating and on editing, but lets an edit keep its own", async () => {
    const city = await makeUser(t.db, "city_admin");
    const [first, second] = [await makeCampaign(t.db, { number: 61 }), await makeCampaign(t.db, { number: 62 })];
    const form = (number: number) => ({
      number: String(number),
      year: "2018",
      title: "第二届“台州工匠”选树活动",
      nominationDeadline: "2018-03-31",
      quotaPerUnit: "5",
      titleCount: "20",
    });
    const created = await call(newCampaign.action, { db: t.db, path: "/campaigns/new", as: city, form: form(first.number) });
    expect(created.status).toBe(400);
    expect(JSON.stringify(await jsonOf(created))).toContain("该届次已存在");
    const edit = (number: number) =>
      call(campaignPage.action, {
        db: t.db,
        path: `/campaigns/${second.id}`,
        params: { campaignId: String(second.id) },
        as: city,
        form: { intent: "update", ...form(number) },
      });
    const taken = await edit(first.number);
    expect(taken.status).toBe(400);
    expect(JSON.stringify(await jsonOf(taken))).toContain("该届次已存在");
    expect((await edit(second.number)).status).toBe(200);
  });
});

describe("nominations by role", () => {
  it("keeps each county to its own nominations, and a craftsman to their own", async () => {
    const { city, wenling, jiaojiang, craftsman, stranger, campaign, nominationId } = await setup();
    const params = { nominationId: String(nominationId) };
    const path = `/nominations/${nominationId}`;
    expect((await call(nominationPage.loader, { db: t.db, path, params, as: wenling })).status).toBe(200);
    expect((await call(nominationPage.loader, { db: t.db, path, params, as: city })).status).toBe(200);
    expect((await call(nominationPage.loader, { db: t.db, path, params, as: craftsman })).status).toBe(200);
    for (const outsider of [jiaojiang, stranger]) {
      expect((await call(nominationPage.loader, { db: t.db, path, params, as: outsider })).status).toBe(403);
      expect((await call(printPage.loader, { db: t.db, path: `${path}/print`, params, as: outsider })).status).toBe(403);
    }
    expect((await call(editNomination.loader, { db: t.db, path: `${path}/edit`, params, as: jiaojiang })).status).toBe(403);
    expect((await call(editNomination.loader, { db: t.db, path: `${path}/edit`, params, as: craftsman })).status).toBe(403);

    const listParams = { campaignId: String(campaign.id) };
    const theirs = await jsonOf(
      await call(nominationList.loader, { db: t.db, path: `/campaigns/${campaign.id}/nominations`, params: listParams, as: jiaojiang }),
    );
    expect(theirs.rows).toEqual([]);
    const ours = await jsonOf(await call(nominationList.loader, { db: t.db, path: `/campaigns/${campaign.id}/nominations`, params: listParams, as: wenling }));
    expect(ours.rows.map((r: { id: number }) => r.id)).toEqual([nominationId]);
    // A craftsman's page hides the experts' individual scores and any objections.
    const own = await jsonOf(await call(nominationPage.loader, { db: t.db, path, params, as: craftsman }));
    expect(own.scores).toEqual([]);
    expect(own.objections).toEqual([]);
    expect(own.history).toEqual([]);
  });

  it("lets only the city do review work, and the county only its own unit's opinions", async () => {
    const { wenling, jiaojiang, nominationId } = await setup();
    const params = { nominationId: String(nominationId) };
    const path = `/nominations/${nominationId}`;
    const opinion = { intent: "opinion", kind: "employer", text: "同意推荐", signer: "温岭东海泵业工会", signedOn: "2018-03-10" };
    expect((await call(nominationPage.action, { db: t.db, path, params, as: wenling, form: opinion })).status).toBe(200);
    expect((await call(nominationPage.action, { db: t.db, path, params, as: wenling, form: { ...opinion, kind: "city" } })).status).toBe(403);
    expect((await call(nominationPage.action, { db: t.db, path, params, as: jiaojiang, form: opinion })).status).toBe(403);
    expect((await call(nominationPage.action, { db: t.db, path, params, as: wenling, form: { intent: "qualification", result: "pass" } })).status).toBe(403);
    const badOpinion = await call(nominationPage.action, { db: t.db, path, params, as: wenling, form: { ...opinion, text: "", signedOn: "x" } });
    expect(badOpinion.status).toBe(400);
    expect(Object.keys((await jsonOf(badOpinion)).form.error).sort()).toEqual(["signedOn", "text"]);
  });

  it("refuses a county nomination after the deadline", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = await makeCampaign(t.db, { number: 98, deadline: "2018-03-31" });
    const response = await fileNomination(campaign.id, wenling);
    expect(response.status).toBe(403);
  });
});

describe("import and export by role", () => {
  it("imports for the officer's own unit, previews only to the uploader, and exports only the unit's rows", async () => {
    const { city, wenling, jiaojiang, campaign } = await setup();
    const form = await nominationForm(t.db, { unit: "jiaojiang" });
    const bytes = await countyWorkbook({
      header: REVIEW_FORM_HEADER.filter((h) => !["序号", "出生日期", "职务", "职称", "已获荣誉", "联系电话"].includes(h)),
      above: [],
      rows: [
        {
          姓名: form.name,
          性别: "男",
          身份证号码: form.idNumber,
          民族: "汉族",
          学历: "大专",
          政治面貌: "群众",
          工作单位: "椒江船舶修造有限公司",
          所属行业: "船舶修造",
          技术等级: "技师",
          一线技能工作年限: 9,
          是否仍在技能岗位: "是",
          符合条件: "二",
          主要技术成果: "船体焊接工艺改进",
          主要事迹: "事迹",
        },
      ],
    });
    const file = new File([bytes], "椒江.xlsx");
    const body = new FormData();
    body.set("file", file);
    body.set("unitId", "1"); // ignored for a county officer: they import for their own unit
    const request = new Request(`${ORIGIN}/campaigns/${campaign.id}/import/upload`, {
      method: "POST",
      body,
      headers: { cookie: await cookieFor(t.db, jiaojiang), accept: "application/json", origin: ORIGIN },
    });
    const uploaded = await importUpload.action({ request, params: { campaignId: String(campaign.id) }, context: {} });
    expect(uploaded.status).toBe(200);
    const { url } = ((await uploaded.json()) as { data: { url: string } }).data;
    const batchId = url.split("/").pop()!;
    const params = { campaignId: String(campaign.id), batchId };

    // A county's list is checked in the upload's own request: the preview is ready when the page opens
    // (a long sheet's check is the job queue's: summary-table.test.ts); the queued job finds nothing left to do.
    await runImportJobs();
    const preview = await jsonOf(await call(importPreview.loader, { db: t.db, path: url, params, as: jiaojiang }));
    expect(preview.batch).toMatchObject({ status: "previewed", progress: null });
    expect(preview.rows.rows).toMatchObject([{ valid: true, note: "将新增推荐", errors: [] }]);
    expect(JSON.stringify(preview)).not.toContain(form.idNumber);
    expect((await call(importPreview.loader, { db: t.db, path: url, params, as: wenling })).status).toBe(404);
    expect((await call(importPreview.loader, { db: t.db, path: url, params, as: city })).status).toBe(200);

    const committed = await call(importPreview.action, { db: t.db, path: url, params, as: jiaojiang, form: { intent: "commit" } });
    expect(committed.status).toBe(302);
    // A second press (another tab, a double tap) while it is being written is refused, not queued twice.
    expect((await call(importPreview.action, { db: t.db, path: url, params, as: jiaojiang, form: { intent: "commit" } })).status).toBe(409);
    expect((await jsonOf(await call(importPreview.loader, { db: t.db, path: url, params, as: jiaojiang }))).batch.status).toBe("committing");
    await runImportJobs();
    const done = await jsonOf(await call(importPreview.loader, { db: t.db, path: url, params, as: jiaojiang }));
    expect(done.batch).toMatchObject({ status: "committed", summary: { created: 1, updated: 0, unchanged: 0 } });
    const nominations = await t.db
      .selectFrom("nomination")
      .innerJoin("org_unit", "org_unit.id", "nomination.nominating_unit_id")
      .select(["org_unit.code"])
      .where("campaign_id", "=", campaign.id)
      .orderBy("nomination.id")
      .execute();
    expect(nominations.map((n) => n.code)).toEqual(["wenling", "jiaojiang"]);

    const exported = await call(exportRoute.loader, {
      db: t.db,
      path: `/campaigns/${campaign.id}/export?unitId=0&full=1`,
      params: { campaignId: String(campaign.id) },
      as: jiaojiang,
    });
    expect(exported.headers.get("content-type")).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await exported.arrayBuffer());
    const rows = book.worksheets[0].getSheetValues().slice(3).filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(1);
    expect(String(rows[0][4])).toMatch(/^\d{4}\*{14}$/); // a county officer never gets full numbers

    // Nor does the city by a link: full numbers come only from a posted reason, kept in the history.
    const sheetOf = async (response: Response) => {
      const b = new ExcelJS.Workbook();
      await b.xlsx.load(await response.arrayBuffer());
      return (b.worksheets[0].getSheetValues().slice(3).filter(Boolean) as unknown[][]).map((r) => String(r[4]));
    };
    const exportParams = { campaignId: String(campaign.id) };
    const byLink = await call(exportRoute.loader, { db: t.db, path: `/campaigns/${campaign.id}/export?full=1`, params: exportParams, as: city });
    expect((await sheetOf(byLink)).every((n) => /^\d{4}\*{14}$/.test(n))).toBe(true);
    const postFull = (as: SessionUser, form: Record<string, string>) =>
      call(exportRoute.action, { db: t.db, path: `/campaigns/${campaign.id}/export`, params: exportParams, as, form });
    expect((await postFull(city, {})).status).toBe(400);
    const byPost = await postFull(city, { reason: "核对重复推荐" });
    expect((await sheetOf(byPost)).every((n) => /^\d{17}[\dX]$/.test(n))).toBe(true);
    const logged = await t.db
      .selectFrom("audit_log")
      .select("comment")
      .where("action", "=", "reveal_personal_data")
      .where("entity_type", "=", "campaign")
      .execute();
    expect(logged.map((l) => l.comment)).toEqual([expect.stringContaining("核对重复推荐")]);
    expect((await postFull(jiaojiang, { reason: "想看" })).status).toBe(403);
  });

  it("refuses uploads that are too big, empty, or not spreadsheets, with a message", async () => {
    const { wenling, campaign } = await setup();
    const send = async (file: File) => {
      const body = new FormData();
      body.set("file", file);
      const request = new Request(`${ORIGIN}/campaigns/${campaign.id}/import/upload`, {
        method: "POST",
        body,
        headers: { cookie: await cookieFor(t.db, wenling), accept: "application/json", origin: ORIGIN },
      });
      const response = await importUpload.action({ request, params: { campaignId: String(campaign.id) }, context: {} });
      return { status: response.status, body: (await response.json()) as { message: string | null } };
    };
    expect(await send(new File([new Uint8Array(6 * 1024 * 1024)], "big.xlsx"))).toEqual({
      status: 413,
      body: expect.objectContaining({ message: "文件超过 5 MB（一次上传合计不超过 20 MB），请拆分后分批导入" }),
    });
    expect((await send(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0])], "photo.xlsx"))).body.message).toContain("不是表格");
    expect((await send(new File([], "empty.csv"))).body.message).toBe("请选择要导入的汇总表或推荐审批表文件");
    const batches = await t.db.selectFrom("import_batch").select("id").where("campaign_id", "=", campaign.id).execute();
    expect(batches).toEqual([]);
  });
});

describe("Word files through the pages", () => {
  const post = async (path: string, as: Awaited<ReturnType<typeof makeUser>>, files: File[], field = "file") => {
    const body = new FormData();
    for (const f of files) body.append(field, f);
    return new Request(`${ORIGIN}${path}`, {
      method: "POST",
      body,
      headers: { cookie: await cookieFor(t.db, as), accept: "application/json", origin: ORIGIN },
    });
  };

  it("takes several 审批表 at once (and a .doc with its reason), and a nomination's 事迹材料 from its own page", async () => {
    const { wenling, jiaojiang, campaign, nominationId } = await setup();
    const form = await nominationForm(t.db);
    const docx = await reviewFormDocx(
      {
        姓名: String(form.name),
        性别: "男",
        出生年月: "1980.05",
        民族: "汉族",
        学历: "大专",
        政治面貌: "群众",
        身份证号码: String(form.idNumber),
        工作单位: "温岭某厂",
        所属行业: "泵与电机",
        技术等级: "技师",
      },
      "beside",
    );
    const params = { campaignId: String(campaign.id) };
    const request = await post(`/campaigns/${campaign.id}/import/upload`, wenling, [
      new File([docx], "审批表一.docx"),
      new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])], "审批表二.doc"),
    ]);
    const uploaded = await importUpload.action({ request, params, context: {} });
    expect(uploaded.status).toBe(200);
    const { url } = ((await uploaded.json()) as { data: { url: string } }).data;
    await runImportJobs();
    const preview = await jsonOf(await call(importPreview.loader, { db: t.db, path: url, params: { ...params, batchId: url.split("/").pop()! }, as: wenling }));
    expect(preview.rows.rows.map((r: { source: string; valid: boolean; errors: string[] }) => [r.source, r.valid, r.errors])).toEqual([
      ["审批表一.docx", true, []],
      ["审批表二.doc", false, [OLD_WORD]],
    ]);

    const story = await storyDocx(["第一段：扎根一线。", "第二段：带徒传艺。"]);
    const storyParams = { nominationId: String(nominationId) };
    const refused = await storyRoute
      .action({
        request: await post(`/nominations/${nominationId}/story`, jiaojiang, [new File([story], "事迹.docx")], "story"),
        params: storyParams,
        context: {},
      })
      .catch((r: Response) => r);
    expect(refused.status).toBe(403);
    const saved = (await storyRoute.action({
      request: await post(`/nominations/${nominationId}/story`, wenling, [new File([story], "事迹.docx")], "story"),
      params: storyParams,
      context: {},
    })) as Response;
    const text = "事迹材料\n第一段：扎根一线。\n第二段：带徒传艺。";
    expect(saved.headers.get("location")).toBe(`/nominations/${nominationId}?story=${text.length}`);
    expect((await t.db.selectFrom("nomination").select("story").where("id", "=", nominationId).executeTakeFirstOrThrow()).story).toBe(text);
    const old = (await storyRoute.action({
      request: await post(`/nominations/${nominationId}/story`, wenling, [new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])], "事迹.doc")], "story"),
      params: storyParams,
      context: {},
    })) as Response;
    expect(decodeURIComponent(old.headers.get("location")!)).toContain("另存为” .docx");
  });
});

describe("running a whole campaign through the pages", () => {
  it("takes the city from nominations to twenty named craftsmen", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { number: 77, titles: 20 });
    const campaignParams = { campaignId: String(campaign.id) };
    const units = ["wenling", "jiaojiang", "huangyan", "luqiao", "linhai"];
    for (let i = 0; i < 22; i++) {
      const unit = units[i % units.length];
      const officer = await makeUser(t.db, "county_officer", { unit });
      const response = await fileNomination(campaign.id, officer, { unit });
      expect(response.status).toBe(302);
    }
    const page = `/campaigns/${campaign.id}`;
    const advance = async (expected: string) => {
      const response = await call(campaignPage.action, {
        db: t.db,
        path: page,
        params: campaignParams,
        as: city,
        form: { intent: "advance", expected, confirmed: "1" },
      });
      expect(response.status, JSON.stringify(await jsonOf(response))).toBe(200);
    };
    const reviewPost = (form: Record<string, string>) => call(review.action, { db: t.db, path: `${page}/review`, params: campaignParams, as: city, form });

    await advance("nominating");
    const passed = await reviewPost({ intent: "pass-clear" });
    expect((await jsonOf(passed)).data.passed).toBe(22);
    await advance("qualification");

    const board = (await jsonOf(await call(review.loader, { db: t.db, path: `${page}/review`, params: campaignParams, as: city }))).board as Array<{
      id: number;
    }>;
    expect(board).toHaveLength(22);
    const badScores = await reviewPost({ intent: "scores", expertName: "专家甲", [`score-${board[0].id}`]: "101" });
    expect(badScores.status).toBe(400);
    expect((await jsonOf(badScores)).reasons).toEqual(["评分“101”应为0到100之间、最多两位小数的数"]);
    for (const [e, expert] of ["专家甲", "专家乙", "专家丙"].entries()) {
      const scores = Object.fromEntries(board.map((b, i) => [`score-${b.id}`, String(60 + i + e * 0.5)]));
      expect((await reviewPost({ intent: "scores", expertName: expert, ...scores })).status).toBe(200);
    }
    expect((await reviewPost({ intent: "candidates", count: "21" })).status).toBe(200);
    await advance("expert_review");

    const after = (await jsonOf(await call(review.loader, { db: t.db, path: `${page}/review`, params: campaignParams, as: city }))).board as Array<{
      id: number;
      candidate: boolean;
    }>;
    const candidates = after.filter((b) => b.candidate);
    expect(candidates).toHaveLength(21);
    const badVotes = await reviewPost({ intent: "votes", [`votes-${candidates[0].id}`]: "-5" });
    expect(badVotes.status).toBe(400);
    const votes = Object.fromEntries(candidates.map((c, i) => [`votes-${c.id}`, String(5000 - i * 10)]));
    expect((await reviewPost({ intent: "votes", source: "网络平台", ...votes })).status).toBe(200);
    const notice = await call(campaignPage.action, {
      db: t.db,
      path: page,
      params: campaignParams,
      as: city,
      form: { intent: "notice-period", noticeStart: "2020-05-01", noticeEnd: "2020-05-07" },
    });
    expect(notice.status).toBe(200);
    await advance("online_vote");
    await advance("public_notice");

    const duplicateRanks = Object.fromEntries(candidates.map((c) => [`rank-${c.id}`, "1"]));
    expect((await reviewPost({ intent: "name", namedOn: "2020-05-20", ...duplicateRanks })).status).toBe(400);
    const ranks = Object.fromEntries(candidates.map((c, i) => [`rank-${c.id}`, String(i + 1)]));
    await giveBasis(t.db, campaign.id);
    expect((await reviewPost({ intent: "name", namedOn: "2020-05-20", confirmed: "1", ...ranks })).status).toBe(200);
    await advance("final_approval");

    const awards = await t.db.selectFrom("award").select(["rank", "nomination_id"]).where("campaign_id", "=", campaign.id).orderBy("rank").execute();
    expect(awards).toHaveLength(20);
    expect(awards.map((a) => a.nomination_id)).toEqual(candidates.slice(0, 20).map((c) => c.id));
    const final = await t.db.selectFrom("campaign").select("status").where("id", "=", campaign.id).executeTakeFirstOrThrow();
    expect(final.status).toBe("closed");
  });
});
