import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { EVIDENCE_MAX_BYTES } from "~/lib/files";
import { describe, expect, it } from "vitest";
import * as evidence from "../../app/routes/evidence.$fileId";
import * as mentorshipPage from "../../app/routes/mentorships.$mentorshipId/route";
import * as pending from "../../app/routes/milestones.pending";
import * as apprenticeNew from "../../app/routes/studios.$studioId.apprentices.new";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import * as studioEdit from "../../app/routes/studios.$studioId.edit";
import * as studios from "../../app/routes/studios._index";
import * as studioNew from "../../app/routes/studios.new";
import * as plaque from "../../app/routes/studios.$studioId.plaque";
import { useTestDb } from "../db";
import { accreditationBatch, apprenticeForm, makeAwardee, makeLedStudio, makeUser, studioForm, unitId } from "../factories";
import { call, jsonOf } from "../http";
import { type SessionUser } from "~/auth/roles";

const t = useTestDb();

async function runningStudio(unit = "wenling") {
  const { person, user: leader } = await makeAwardee(t.db, unit);
  const county = await makeUser(t.db, "county_officer", { unit });
  const city = await makeUser(t.db, "city_admin");
  const created = await call(studioNew.action, {
    db: t.db,
    path: "/studios/new",
    as: leader,
    form: studioForm(person.id, await unitId(t.db, unit), { name: `${unit}匠人工匠工作室` }),
  });
  expect(created.status).toBe(302);
  const id = Number(created.headers.get("location")!.split("/").pop());
  const params = { studioId: String(id) };
  const stepAs = async (as: typeof leader, step: string, expected: string, extra: Record<string, string> = {}) =>
    call(studioPage.action, { db: t.db, path: `/studios/${id}`, params, as, form: { intent: "step", step, expected, ...extra } });
  expect((await stepAs(leader, "submit", "draft")).status).toBe(200);
  expect((await stepAs(county, "county_approve", "submitted")).status).toBe(200);
  expect(
    (
      await stepAs(city, "accredit", "county_reviewed", {
        plaqueNumber: `P-${id}`,
        accreditedOn: "2019-01-10",
        accreditationDocumentId: String(await accreditationBatch(t.db)),
        confirmed: "1",
      })
    ).status,
  ).toBe(200);
  expect((await stepAs(leader, "activate", "accredited")).status).toBe(200);
  return { id, params, leader, county, city, stepAs };
}

async function postMilestone(as: Awaited<ReturnType<typeof makeUser>>, mentorshipId: number, file: File, fields: Record<string, string> = {}) {
  const form = {
    intent: "milestone",
    kind: "skill_upgrade",
    occurredOn: "2021-05-01",
    fromLevel: "中级工",
    toLevel: "高级工",
    certificateNumber: "ZJ-1",
    ...fields,
    evidence: file,
  };
  return call(mentorshipPage.action, { db: t.db, path: `/mentorships/${mentorshipId}`, params: { mentorshipId: String(mentorshipId) }, as, form });
}

describe("studios through the pages", () => {
  it("walks the application to a running studio, and refuses the wrong role at each step", async () => {
    const { id, params, leader, county, stepAs } = await runningStudio();
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect((await stepAs(leader, "suspend", "active", { reason: "x" })).status).toBe(403);
    expect((await stepAs(county, "revoke", "active", { reason: "x" })).status).toBe(403);
    expect((await stepAs(otherCounty, "suspend", "active", { reason: "x" })).status).toBe(403);
    expect(
      (await call(studioPage.action, { db: t.db, path: `/studios/${id}`, params, as: leader, form: { intent: "step", step: "destroy", expected: "active" } }))
        .status,
    ).toBe(400);
    expect((await call(studioEdit.loader, { db: t.db, path: `/studios/${id}/edit`, params, as: leader })).status).toBe(403);
    const page = await jsonOf(await call(studioPage.loader, { db: t.db, path: `/studios/${id}`, params, as: leader }));
    expect(page.studio.status).toBe("active");
    expect(page.history.map((h: { action: string }) => h.action)).toEqual(["create", "step_submit", "step_county_approve", "step_accredit", "step_activate"]);
  });

  it("keeps studios, apprentices and evidence within the studio's people", async () => {
    const { id, params, leader, county, city } = await runningStudio();
    const added = await call(apprenticeNew.action, { db: t.db, path: `/studios/${id}/apprentices/new`, params, as: leader, form: apprenticeForm() });
    expect(added.status).toBe(302);
    const mentorshipId = Number(added.headers.get("location")!.split("/").pop());
    const filed = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4 test")], "证书.pdf"));
    expect(filed.status).toBe(200);
    const file = await t.db.selectFrom("evidence_file").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();

    const other = await runningStudio("jiaojiang");
    const strangerCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    for (const outsider of [other.leader, strangerCounty]) {
      expect((await call(studioPage.loader, { db: t.db, path: `/studios/${id}`, params, as: outsider })).status).toBe(403);
      expect(
        (await call(mentorshipPage.loader, { db: t.db, path: `/mentorships/${mentorshipId}`, params: { mentorshipId: String(mentorshipId) }, as: outsider }))
          .status,
      ).toBe(403);
      expect((await call(evidence.loader, { db: t.db, path: `/evidence/${file.id}`, params: { fileId: String(file.id) }, as: outsider })).status).toBe(403);
      expect(
        (await call(apprenticeNew.action, { db: t.db, path: `/studios/${id}/apprentices/new`, params, as: outsider, form: apprenticeForm("1999-09-09") }))
          .status,
      ).toBe(403);
    }
    const listed = await jsonOf(await call(studios.loader, { db: t.db, path: "/studios", as: other.leader }));
    expect(listed.rows.map((r: { id: number }) => r.id)).toEqual([other.id]);
    // The city filters by focus sector (the dashboard's sector chart leads here).
    const ids = async (query: string) =>
      (await jsonOf(await call(studios.loader, { db: t.db, path: `/studios${query}`, as: city }))).rows.map((r: { id: number }) => r.id);
    const inSector = async (sector: "advanced_manufacturing" | "modern_services") =>
      (await t.db.selectFrom("studio").select("id").where("focus_sector", "=", sector).execute()).map((r) => r.id).sort();
    expect((await ids("?focusSector=advanced_manufacturing")).sort()).toEqual(await inSector("advanced_manufacturing"));
    expect(await ids("?focusSector=advanced_manufacturing")).toEqual(expect.arrayContaining([id, other.id]));
    await t.db.updateTable("studio").set({ focus_sector: "modern_services" }).where("id", "=", other.id).execute();
    expect(await ids("?focusSector=modern_services")).toEqual([other.id]);
    expect(await ids("?focusSector=advanced_manufacturing")).not.toContain(other.id);

    const served = await call(evidence.loader, { db: t.db, path: `/evidence/${file.id}`, params: { fileId: String(file.id) }, as: county });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");

    // The officer of the studio's unit sees it waiting, and verifies it; the leader cannot.
    const queue = await jsonOf(await call(pending.loader, { db: t.db, path: "/milestones/pending", as: county }));
    expect(queue.pending.map((p: { mentorship_id: number }) => p.mentorship_id)).toContain(mentorshipId);
    expect((await call(pending.loader, { db: t.db, path: "/milestones/pending", as: leader })).status).toBe(403);
    const milestone = await t.db.selectFrom("milestone").select("id").where("mentorship_id", "=", mentorshipId).executeTakeFirstOrThrow();
    const mParams = { mentorshipId: String(mentorshipId) };
    const onMentorship = (as: SessionUser, form: Record<string, string>) =>
      call(mentorshipPage.action, { db: t.db, path: `/mentorships/${mentorshipId}`, params: mParams, as, form });
    expect((await onMentorship(leader, { intent: "review", milestoneId: String(milestone.id), decision: "verified" })).status).toBe(403);
    expect((await onMentorship(county, { intent: "review", milestoneId: String(milestone.id), decision: "rejected" })).status).toBe(400);
    expect((await onMentorship(county, { intent: "review", milestoneId: String(milestone.id), decision: "verified" })).status).toBe(200);
    expect((await onMentorship(other.leader, { intent: "end", outcome: "completed", endedOn: "2022-01-01" })).status).toBe(403);

    // Ending cannot be undone: a post without the confirming press is refused and changes nothing.
    const end = (form: Record<string, string>) => onMentorship(leader, { intent: "end", ...form });
    const statusNow = async () => (await t.db.selectFrom("mentorship").select("status").where("id", "=", mentorshipId).executeTakeFirstOrThrow()).status;
    const unconfirmed = await end({ outcome: "completed", endedOn: "2022-01-01" });
    expect(unconfirmed.status).toBe(400);
    expect((await jsonOf(unconfirmed)).message).toMatch("请确认");
    expect(await statusNow()).toBe("active");
    expect((await end({ outcome: "completed", endedOn: "2022-01-01", confirmed: "1" })).status).toBe(200);
    expect(await statusNow()).toBe("completed");
  });

  it("keeps an iPhone's HEIC photo as a JPEG without its EXIF, and lists it as a thumbnail", async () => {
    const { id, params, leader, county } = await runningStudio();
    const added = await call(apprenticeNew.action, { db: t.db, path: `/studios/${id}/apprentices/new`, params, as: leader, form: apprenticeForm() });
    const mentorshipId = Number(added.headers.get("location")!.split("/").pop());
    // A real HEIC (64×48, made by libheif's heif-enc from a JPEG whose EXIF names an artist).
    const heic = readFileSync(new URL("../fixtures/phone.heic", import.meta.url));
    expect(heic.includes("EXIFSECRET")).toBe(true);
    const filed = await postMilestone(leader, mentorshipId, new File([heic], "IMG_0042.HEIC", { type: "image/heic" }));
    expect(filed.status).toBe(200);
    const stored = await t.db.selectFrom("evidence_file").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(stored.filename).toBe("IMG_0042.jpg");
    expect(stored.content_type).toBe("image/jpeg");
    const bytes = Buffer.from(stored.data);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(bytes.includes("EXIFSECRET")).toBe(false);
    expect(bytes.includes("Exif")).toBe(false);
    const seen = await sharp(bytes).metadata();
    expect([seen.format, seen.width, seen.height, seen.exif]).toEqual(["jpeg", 64, 48, undefined]);

    const fileParams = { fileId: String(stored.id) };
    const thumb = await call(evidence.loader, { db: t.db, path: `/evidence/${stored.id}?size=thumb`, params: fileParams, as: county });
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).format).toBe("jpeg");
  });

  it("shrinks a camera photo too big to keep instead of refusing it", async () => {
    const { id, params, leader } = await runningStudio();
    const added = await call(apprenticeNew.action, { db: t.db, path: `/studios/${id}/apprentices/new`, params, as: leader, form: apprenticeForm() });
    const mentorshipId = Number(added.headers.get("location")!.split("/").pop());
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: "#888", noise: { type: "gaussian", mean: 128, sigma: 80 } } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(EVIDENCE_MAX_BYTES);
    const filed = await postMilestone(leader, mentorshipId, new File([big], "DSC_0001.JPG", { type: "image/jpeg" }));
    expect(filed.status).toBe(200);
    const stored = await t.db.selectFrom("evidence_file").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(stored.size).toBeLessThanOrEqual(EVIDENCE_MAX_BYTES);
    const seen = await sharp(Buffer.from(stored.data)).metadata();
    expect([seen.format, seen.width, seen.height]).toEqual(["jpeg", 2560, 1920]);
  });

  it("refuses evidence with a fake extension, a missing file, and bad milestone fields, writing nothing", async () => {
    const { id, params, leader } = await runningStudio();
    const added = await call(apprenticeNew.action, {
      db: t.db,
      path: `/studios/${id}/apprentices/new`,
      params,
      as: leader,
      form: apprenticeForm("1997-07-07"),
    });
    const mentorshipId = Number(added.headers.get("location")!.split("/").pop());
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom("milestone")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("mentorship_id", "=", mentorshipId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    const html = await postMilestone(
      leader,
      mentorshipId,
      new File([new TextEncoder().encode("<html><script>alert(1)</script></html>")], "证书.pdf", { type: "application/pdf" }),
    );
    expect(html.status).toBe(400);
    expect((await jsonOf(html)).form.error.evidence[0]).toContain("不是 PDF、JPEG 或 PNG 文件");
    const exe = await postMilestone(leader, mentorshipId, new File([new Uint8Array([0x4d, 0x5a, 0x90, 0])], "photo.jpg", { type: "image/jpeg" }));
    expect(exe.status).toBe(400);
    const down = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), { toLevel: "初级工" });
    expect(down.status).toBe(400);
    expect((await jsonOf(down)).form.error.toLevel).toEqual(["新等级应高于原等级"]);
    const future = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), { occurredOn: "2999-01-01" });
    expect((await jsonOf(future)).form.error.occurredOn).toEqual(["日期不能晚于今天"]);
    const money = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), {
      kind: "innovation",
      innovationType: "process",
      innovationTitle: "改进",
      benefit: "-100",
    });
    expect((await jsonOf(money)).form.error.benefit).toEqual(["金额不能为负数"]);
    expect(await count()).toBe(0);
    const files = await t.db
      .selectFrom("evidence_file")
      .innerJoin("milestone", "milestone.id", "evidence_file.milestone_id")
      .where("milestone.mentorship_id", "=", mentorshipId)
      .select("evidence_file.id")
      .execute();
    expect(files).toEqual([]);
  });

  it("does not let a studio be applied for by someone who is not a named craftsman", async () => {
    const plain = await makeUser(t.db, "craftsman");
    expect((await call(studioNew.loader, { db: t.db, path: "/studios/new", as: plain })).status).toBe(403);
    expect((await call(studios.loader, { db: t.db, path: "/studios" })).status).toBe(302);
    expect((await call(studioPage.loader, { db: t.db, path: "/studios/999999", params: { studioId: "999999" }, as: plain })).status).toBe(404);
  });
});

describe("annual evaluation", () => {
  it("scores the year from verified figures with the city's criteria, grades it by the city's 验收 on the county-passed report, and flags two failing years", async () => {
    const evaluations = await import("../../app/routes/evaluations/route");
    const yearPage = await import("../../app/routes/studios.$studioId.years.$year/route");
    const { id, county, city, leader } = await runningStudio();
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const year = new Date().getFullYear() - 1;
    const path = `/evaluations?year=${year}`;
    const onYear = (as: typeof county, form: Record<string, string | File>, y = year) =>
      call(yearPage.action, { db: t.db, path: `/studios/${id}/years/${y}`, params: { studioId: String(id), year: String(y) }, as, form });
    const file = () => new File([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])], "现场.png", { type: "image/png" });

    // The city sets the year's criteria and its 验收 checklist; the county can set neither.
    const criteria = {
      intent: "criteria",
      "use-apprenticesMentored": "on",
      "weight-apprenticesMentored": "40",
      "target-apprenticesMentored": "2",
      "use-skillUpgrades": "on",
      "weight-skillUpgrades": "60",
      "target-skillUpgrades": "1",
    };
    expect((await call(evaluations.action, { db: t.db, path, as: county, form: criteria })).status).toBe(403);
    expect((await call(evaluations.action, { db: t.db, path, as: city, form: { ...criteria, "weight-skillUpgrades": "abc" } })).status).toBe(400);
    expect((await call(evaluations.action, { db: t.db, path, as: city, form: criteria })).status).toBe(200);
    const checklist = { intent: "checklist", "label-0": "场地设施", "points-0": "40", "photo-0": "on", "label-1": "师带徒成效", "points-1": "60" };
    expect((await call(evaluations.action, { db: t.db, path, as: county, form: checklist })).status).toBe(403);
    expect((await call(evaluations.action, { db: t.db, path, as: city, form: { ...checklist, "points-1": "600" } })).status).toBe(400);
    expect((await call(evaluations.action, { db: t.db, path, as: city, form: checklist })).status).toBe(200);
    // Grading is no longer a button on the board.
    expect((await call(evaluations.action, { db: t.db, path, as: county, form: { intent: "grade", studioId: String(id), grade: "pass" } })).status).toBe(400);

    // One apprentice, one verified upgrade in the year.
    const added = await call(apprenticeNew.action, {
      db: t.db,
      path: `/studios/${id}/apprentices/new`,
      params: { studioId: String(id) },
      as: leader,
      form: { ...apprenticeForm("1995-05-05"), startDate: `${year}-01-02`, plannedEnd: `${year + 2}-12-31` },
    });
    const mentorshipId = Number(added.headers.get("location")!.split("/").pop());
    await postMilestone(county, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), { occurredOn: `${year}-01-03` });

    const board = await jsonOf(await call(evaluations.loader, { db: t.db, path, as: county }));
    const row = board.rows.find((r: { id: number }) => r.id === id);
    expect(row.scorecard).toMatchObject({ total: 80, max: 100 });
    expect(row.scorecard.parts.map((p: { figure: number; points: number }) => [p.figure, p.points])).toEqual([
      [1, 20],
      [1, 60],
    ]);

    // The leader's report opens pre-filled with what the records count, and goes in.
    const page = await jsonOf(
      await call(yearPage.loader, { db: t.db, path: `/studios/${id}/years/${year}`, params: { studioId: String(id), year: String(year) }, as: leader }),
    );
    expect(page).toMatchObject({ canReport: true, figures: { actual: { apprentices: 1 }, scorecard: { total: 80 } } });
    expect(page.draft).toContain("带徒（人）：计划 0，完成 1");
    expect((await onYear(leader, { intent: "report", expected: "planned", summary: "", selfAssessment: "x", outreach: "2" })).status).toBe(400);
    expect((await onYear(leader, { intent: "report", expected: "planned", summary: "带徒一名", selfAssessment: page.draft, outreach: "2" })).status).toBe(200);
    expect((await onYear(otherCounty, { intent: "step", step: "county_pass", expected: "submitted" })).status).toBe(403);
    expect((await onYear(county, { intent: "step", step: "county_pass", expected: "submitted" })).status).toBe(200);

    // 验收 by the city, with the site photo; the county cannot.
    const accept = { intent: "accept", expected: "county_passed", grade: "fail", comment: "带徒不足", "points-item1": "30", "points-item2": "20" };
    expect((await onYear(county, { ...accept, "photo-item1": file() })).status).toBe(403);
    expect((await onYear(city, accept)).status).toBe(400); // the site item needs its photo
    expect((await onYear(city, { ...accept, comment: "" })).status).toBe(400); // a fail needs a comment
    expect((await onYear(city, { ...accept, "photo-item1": file() })).status).toBe(200);
    // Criteria are frozen once the year has grades.
    expect((await call(evaluations.action, { db: t.db, path, as: city, form: criteria })).status).toBe(400);

    // The year's figures for the superior union: one row per studio in the officer's scope, plan beside actual.
    const exported = await import("../../app/routes/evaluations.export");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await call(exported.loader, { db: t.db, path: `/evaluations/export?year=${year}`, as: county })).arrayBuffer());
    const sheet = workbook.worksheets[0];
    const header = sheet.getRow(2).values as unknown[];
    // (Other tests here run studios of the same name: this one is the year's only graded one.)
    const mine = sheet.getSheetValues().find((r) => Array.isArray(r) && r[header.indexOf("考核等次")] === "不合格") as unknown[];
    expect(mine[header.indexOf("工作室")]).toBe("wenling匠人工匠工作室");
    expect(mine[header.indexOf("带徒（人）完成")]).toBe(1);
    expect(mine[header.indexOf("验收得分")]).toBe(50);
    const theirs = new ExcelJS.Workbook();
    await theirs.xlsx.load(await (await call(exported.loader, { db: t.db, path: `/evaluations/export?year=${year}`, as: otherCounty })).arrayBuffer());
    expect(theirs.worksheets[0].getSheetValues().some((r) => Array.isArray(r) && r.includes("wenling匠人工匠工作室"))).toBe(false);

    await t.db
      .insertInto("studio_evaluation")
      .values({ studio_id: id, year: year - 1, figures: "{}", score: 10, grade: "fail", comment: "无成效", graded_by: city.id })
      .execute();
    const studio = await jsonOf(await call(studioPage.loader, { db: t.db, path: `/studios/${id}`, params: { studioId: String(id) }, as: city }));
    expect(studio.evaluations.revocationReview).toBe(true);
    expect(studio.evaluations.rows.map((r: { year: number; grade: string; score: number }) => [r.year, r.grade, r.score])).toEqual([
      [year, "fail", 50],
      [year - 1, "fail", 10],
    ]);
  });
});

describe("the plaque sheet", () => {
  it("prints an accredited studio's name, plaque number and a QR to its public page, for those who may see the studio", async () => {
    const { leader, studio } = await makeLedStudio(t.db, "牌匾工匠", { status: "draft", accredited_on: null, plaque_number: null });
    const params = { studioId: String(studio.id) };
    const path = `/studios/${studio.id}/plaque`;
    expect((await call(plaque.loader, { db: t.db, path, params, as: leader })).status).toBe(409);
    await t.db.updateTable("studio").set({ status: "active", plaque_number: "TZGJGZS-777", accredited_on: "2026-05-01" }).where("id", "=", studio.id).execute();
    const sheet = await jsonOf(await call(plaque.loader, { db: t.db, path, params, as: leader }));
    expect(sheet).toMatchObject({
      name: "牌匾工匠工作室",
      plaque: "TZGJGZS-777",
      address: `http://localhost:${process.env.PORT || "3000"}/showcase/studios/${studio.id}`,
    });
    expect(sheet.qr).toMatch(/^<svg/);
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect((await call(plaque.loader, { db: t.db, path, params, as: otherCounty })).status).toBe(403);
  });
});

describe("a studio's fund statement", () => {
  it("prints and exports the year's money to the fen for those who may see the studio", async () => {
    const statement = await import("../../app/routes/studios.$studioId.funds.statement");
    const exported = await import("../../app/routes/studios.$studioId.funds.export");
    const funds = await import("../../app/routes/studios.$studioId.funds._index/route");
    const { id, params, leader, county, city } = await runningStudio("linhai");
    const year = new Date().getFullYear() - 1;
    const post = (as: SessionUser, form: Record<string, string | File>) => call(funds.action, { db: t.db, path: `/studios/${id}/funds`, params, as, form });
    expect(
      (await post(city, { intent: "grant", source: "provincial", documentNumber: "浙工〔2025〕7号", amount: "60,000", decidedOn: `${year}-02-01` })).status,
    ).toBe(200);
    const grant = await t.db.selectFrom("studio_grant").select("id").where("studio_id", "=", id).executeTakeFirstOrThrow();
    expect((await post(county, { intent: "tranche", grantId: String(grant.id), amount: "60000", receivedOn: `${year}-02-10`, voucher: "记-7" })).status).toBe(
      200,
    );
    const pdf = new File([new TextEncoder().encode("%PDF-1.4\n")], "发票.pdf", { type: "application/pdf" });
    expect(
      (await post(leader, { intent: "spend", category: "materials", description: "铸件毛坯", amount: "1234.56", spentOn: `${year}-03-01`, receipts: pdf }))
        .status,
    ).toBe(200);
    const page = await jsonOf(await call(statement.loader, { db: t.db, path: `/studios/${id}/funds/statement?year=${year}`, params, as: leader }));
    expect(page.statement).toMatchObject({ openingFen: 0, receivedFen: 6_000_000, spentFen: 123_456, closingFen: 5_876_544 });
    // The closing statement exists only for a revoked studio.
    expect((await call(statement.loader, { db: t.db, path: `/studios/${id}/funds/statement?closing=1`, params, as: city })).status).toBe(409);
    const response = await call(exported.loader, { db: t.db, path: `/studios/${id}/funds/export?year=${year}`, params, as: county });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const rows = workbook.worksheets[0].getSheetValues().filter(Array.isArray) as unknown[][];
    const value = (label: string) => rows.find((r) => r[1] === label)?.[2];
    expect(value("收入：省总工会（元）")).toBe(60000);
    expect(value("支出：材料耗材（元）")).toBe(1234.56);
    expect(value("期末余额（元）")).toBe(58765.44);
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect((await call(exported.loader, { db: t.db, path: `/studios/${id}/funds/export?year=${year}`, params, as: other })).status).toBe(403);
  });
});
