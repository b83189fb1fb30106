import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as eventsExport from "../../app/routes/events.export";
import * as printPage from "../../app/routes/nominations.$nominationId.print";
import * as nominationPage from "../../app/routes/nominations.$nominationId._index/route";
import * as subsidyPolicy from "../../app/routes/subsidies.policy/route";
import * as newSubsidy from "../../app/routes/subsidies.new";
import * as subsidyPage from "../../app/routes/subsidies.$applicationId._index/route";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import * as eventPage from "../../app/routes/events.$eventId/route";
import * as landingPage from "../../app/routes/_index";
import * as newEvent from "../../app/routes/events.new";
import * as newCampaign from "../../app/routes/campaigns.new";
import * as newPerson from "../../app/routes/people.new";
import * as homePage from "../../app/routes/home/route";
import * as auditPage from "../../app/routes/audit._index";
import * as login from "../../app/routes/login";
import * as newNomination from "../../app/routes/campaigns.$campaignId.nominations.new";
import { createStudio } from "../../app/modules/studios/studios.server";
import { addApprentice, endMentorship, findMentorship } from "../../app/modules/studios/mentorships.server";
import { addMilestone, reviewMilestone } from "../../app/modules/studios/milestones.server";
import { addGrant, addSpending, addTranche } from "../../app/modules/studios/funds.server";
import { spendingSchema } from "../../app/modules/studios/cycle-schema.server";
import { dateInTaizhou, todayInTaizhou } from "../../app/lib/time";
import * as campaignPage from "../../app/routes/campaigns.$campaignId._index/route";
import * as reviewPage from "../../app/routes/campaigns.$campaignId.review/route";
import * as pendingMilestonesPage from "../../app/routes/milestones.pending";
import * as todosPage from "../../app/routes/todos";
import * as peoplePage from "../../app/routes/people._index";
import { recordConsent } from "../../app/modules/showcase/showcase.server";
import { fanOut } from "../../app/worker.server";
import { apprenticeSchema, milestoneSchema, studioSchema } from "../../app/modules/studios/schema.server";
import { applicationSchema } from "../../app/modules/subsidies/schema.server";
import { useTestDb } from "../db";
import {
  apprenticeForm,
  makeAwardee,
  makeCampaign,
  makeNominations,
  makeStudio,
  makeUser,
  giveBasis,
  nominationForm,
  makePerson,
  makeVoteRules,
  personForm,
  studioForm,
  subsidyForm,
  TEST_PASSWORD,
  unitId,
} from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** What officers and craftsmen hit every day (issue 31), through the routes they use. */
describe("times and dates", () => {
  it("writes an event at 14:00 Taizhou time as 14:00 in the 交流培训 export", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = {
      title: "午后技能交流",
      kind: "skill_exchange",
      organiser: `unit:${await unitId(t.db, "wenling")}`,
      startsAt: "2026-05-06T14:00",
      endsAt: "2026-05-06T16:30",
      channel: "offline",
      place: "温岭职校",
    };
    expect((await call(newEvent.action, { db: t.db, path: "/events/new", as: wenling, form })).status).toBe(302);
    const exported = await call(eventsExport.loader, { db: t.db, path: "/events/export", as: wenling });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await exported.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === "午后技能交流")!;
    // A cell has no zone: what Excel shows is the Date's UTC clock as ExcelJS reads it back.
    const shown = (cell: ExcelJS.Cell) => (cell.value as Date).toISOString().slice(0, 16);
    expect(shown(row.getCell(4))).toBe("2026-05-06T14:00");
    expect(shown(row.getCell(5))).toBe("2026-05-06T16:30");
  });

  it("refuses a deadline, a birth date, a milestone or a study date in a year nobody means, with a Chinese message", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = { number: "31", year: "2027", title: "第三十一届“台州工匠”选树", quotaPerUnit: "5", titleCount: "20" };
    const deadline = async (nominationDeadline: string) =>
      (await jsonOf(await call(newCampaign.action, { db: t.db, path: "/campaigns/new", as: city, form: { ...campaign, nominationDeadline } }))).form?.error
        ?.nominationDeadline;
    expect(await deadline("0230-03-31")).toEqual(["推荐截止日期不能早于 2018-01-01"]);
    // A campaign of 2027 does not take nominations until 2030.
    expect(await deadline("2030-03-31")).toEqual(["推荐截止日期应在2026年或2027年内（本届年度为2027年）"]);

    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const person = await call(newPerson.action, {
      db: t.db,
      path: "/people/new",
      as: officer,
      form: personForm(await unitId(t.db, "wenling"), { idNumber: "", birthDate: "0230-02-02" }),
    });
    expect(person.status).toBe(400);
    expect((await jsonOf(person)).form.error.birthDate).toEqual(["出生日期不能早于 1930-01-01"]);

    const milestone = milestoneSchema.safeParse({ kind: "backbone", occurredOn: "0230-02-02", confirmedBy: "厂长" });
    expect(milestone.error?.issues.map((i) => i.message)).toContain("日期不能早于 1980-01-01");
    const study = applicationSchema.safeParse({ enrolledOn: "0230-09-01", expectedGraduation: "9999-07-01" });
    const messages = study.error?.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toContain("enrolledOn:入学日期不能早于 1990-01-01");
    expect(messages?.find((m) => m.startsWith("expectedGraduation:"))).toMatch(/^expectedGraduation:预计毕业日期不能晚于 \d{4}-12-31$/);
  });
});

describe("the home page", () => {
  it("leads with the campaign counties are filing for, not a newer one set up for next year, and still shows the rest", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const year = Number(todayInTaizhou().slice(0, 4));
    const running = await makeCampaign(t.db, { number: 3, year, deadline: `${year + 1}-03-31`, status: "nominating" });
    const next = await makeCampaign(t.db, { number: 4, year: year + 1, deadline: `${year + 2}-03-31`, status: "nominating" });
    const reviewing = await makeCampaign(t.db, { number: 2, year: year - 1, deadline: `${year - 1}-03-31`, status: "expert_review" });
    const home = await jsonOf(await call(homePage.loader, { db: t.db, path: "/home", as: officer }));
    expect(home.campaigns.map((c: { id: number }) => c.id)).toEqual([running.id, next.id, reviewing.id]);
  });
});

describe("the audit log speaks to an inspector", () => {
  it("shows every field by its label, ids as names, money in ¥ and states in Chinese, whatever the workflow wrote", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling", username: "audit-county" });
    // A sign-in (the history once showed the account's id), a campaign and a nomination through their forms.
    expect(
      (await call(login.action, { db: t.db, path: "/login", form: { username: "audit-county", password: TEST_PASSWORD, redirectTo: "/home" } })).status,
    ).toBe(302);
    const year = Number(todayInTaizhou().slice(0, 4));
    const created = await call(newCampaign.action, {
      db: t.db,
      path: "/campaigns/new",
      as: city,
      form: { number: "41", year: String(year), title: "第四十一届“台州工匠”选树", nominationDeadline: `${year}-12-31`, quotaPerUnit: "5", titleCount: "20" },
    });
    const campaignId = created.headers.get("location")!.split("/").pop()!;
    const nominated = await call(newNomination.action, {
      db: t.db,
      path: `/campaigns/${campaignId}/nominations/new`,
      params: { campaignId },
      as: county,
      form: await nominationForm(t.db),
    });
    expect(nominated.status).toBe(302);

    // A studio applied for, and a running one whose apprentice's innovation is logged, verified and the mentorship ended.
    const { person: applicant } = await makeAwardee(t.db, "wenling", "王建国");
    const applied = await createStudio(t.db, county, studioSchema.parse(studioForm(applicant.id, await unitId(t.db, "wenling"), { name: "王建国工匠工作室" })));
    expect(applied.ok).toBe(true);
    const { person: mentor, user: mentorUser } = await makeAwardee(t.db, "wenling", "李师傅");
    const studio = await makeStudio(t.db, mentor.id, city.id);
    const apprenticed = await addApprentice(t.db, county, studio.id, apprenticeSchema.parse(apprenticeForm()));
    expect(apprenticed.ok).toBe(true);
    const m = (await findMentorship(t.db, (apprenticed as { id: number }).id))!;
    const pdf = { name: "证书.pdf", bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF") };
    const milestone = milestoneSchema.parse({
      kind: "innovation",
      occurredOn: "2024-05-01",
      innovationType: "process",
      innovationTitle: "铸件工艺改进",
      benefit: "12,000",
    });
    const logged = await addMilestone(t.db, mentorUser, m, milestone, [pdf]);
    expect(logged.ok).toBe(true);
    const milestoneId = (await t.db.selectFrom("milestone").select("id").where("mentorship_id", "=", m.id).executeTakeFirstOrThrow()).id;
    expect((await reviewMilestone(t.db, county, milestoneId, { decision: "verified", comment: null })).ok).toBe(true);
    expect((await endMentorship(t.db, county, m, { outcome: "completed", endedOn: todayInTaizhou(), reason: null, confirmed: true })).ok).toBe(true);

    // The running studio's money: a grant, its tranche and a spending, each naming the others by what they are.
    const running = await t.db.selectFrom("studio").selectAll().where("id", "=", studio.id).executeTakeFirstOrThrow();
    const grant = await addGrant(t.db, city, running, { source: "city", documentNumber: "台总工〔2026〕8号", amount: 5_000_000, decidedOn: "2026-03-02" });
    if (!grant.ok) throw new Error(grant.message);
    expect(await addTranche(t.db, county, running, { grantId: grant.id, amount: 5_000_000, receivedOn: "2026-03-05", voucher: "记-001" })).toEqual({
      ok: true,
    });
    const spent = await addSpending(
      t.db,
      mentorUser,
      running,
      spendingSchema.parse({ category: "equipment", description: "数控夹具", amount: "800", spentOn: todayInTaizhou() }),
      [pdf],
    );
    expect(spent.ok).toBe(true);

    // The whole log, page by page, as the city reads it.
    const shown: string[] = [];
    for (let page = 1; ; page++) {
      const data = await jsonOf(await call(auditPage.loader, { db: t.db, path: `/audit?page=${page}`, as: city }));
      for (const r of data.rows) shown.push([r.what, r.action, r.before, r.after].join(" | "));
      if (page * data.pageSize >= data.total) break;
    }
    // Usernames are the Latin a user typed (and the test's display names are made from them).
    const usernames = (await t.db.selectFrom("app_user").select("username").execute()).map((u) => u.username);
    const text = usernames.reduce((all, name) => all.replaceAll(name, "某某"), shown.join("\n"));
    // No raw key (inSkillPost：, nominatingUnitId：), no code or state name (pending, verified, advanced_manufacturing),
    // no bare id (#6) and no account id: nothing Latin is left but the file name the user gave.
    const latin = text.replace(/[\p{L}\d_-]+\.(pdf|png|jpe?g)/gu, "").match(/[A-Za-z_]{2,}[A-Za-z_\d]*/g);
    expect(latin, text).toBeNull();
    expect(text).not.toMatch(/#\d/);
    expect(text).toContain("推荐单位：温岭市总工会");
    expect(text).toContain("仍在技能岗位：是");
    expect(text).toContain("领衔工匠：王建国");
    expect(text).toContain("经济效益：¥12,000.00");
    expect(text).toMatch(/原：状态：待核实 \| 新：状态：已认定|状态：待核实.*\n?.*状态：已认定/);
    expect(shown.join("\n")).toContain(`登录 · ${county.displayName}`);
    expect(text).toContain("师徒结对");
    expect(text).toContain("资助：台总工〔2026〕8号 资助");
    expect(text).not.toContain("记录已不存在");
  });
});

describe("guards at the end of the selection", () => {
  const day = (offset: number) => dateInTaizhou(Date.now() + offset * 86_400_000);

  it("keeps a running 公示期 from being moved into the past or cut below seven days", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { status: "public_notice" });
    await t.db
      .updateTable("campaign")
      .set({ notice_start: day(-2), notice_end: day(5) })
      .where("id", "=", campaign.id)
      .execute();
    const params = { campaignId: String(campaign.id) };
    const post = (noticeStart: string, noticeEnd: string) =>
      call(campaignPage.action, { db: t.db, path: `/campaigns/${campaign.id}`, params, as: city, form: { intent: "notice-period", noticeStart, noticeEnd } });
    const errorsOf = async (response: Response) => (await jsonOf(response)).form.error;

    const intoThePast = await post(day(-9), day(-1));
    expect(intoThePast.status).toBe(400);
    expect((await errorsOf(intoThePast)).noticeStart).toEqual([`公示已于 ${day(-2)} 开始，开始日期不能更改`]);
    const shortened = await post(day(-2), day(4));
    expect(shortened.status).toBe(400);
    expect((await errorsOf(shortened)).noticeEnd).toEqual([`公示已开始，只能延长，不能早于原定的 ${day(5)} 结束`]);
    const tooShort = await post(day(-2), day(2));
    expect((await errorsOf(tooShort)).noticeEnd).toEqual(["公示期不少于7天（含首尾两天），所填为5天"]);
    expect((await post(day(-2), day(8))).status).toBe(200);
    const stored = await t.db.selectFrom("campaign").select(["notice_start", "notice_end"]).where("id", "=", campaign.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ notice_start: day(-2), notice_end: day(8) });
    // The names cannot follow at once: the notice still runs.
    const advanced = await call(campaignPage.action, {
      db: t.db,
      path: `/campaigns/${campaign.id}`,
      params,
      as: city,
      form: { intent: "advance", expected: "public_notice", confirmed: "1" },
    });
    expect(advanced.status).toBe(409);
  });

  it("names only after showing the titles and certificate numbers it will issue, and a second press", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { number: 7, status: "final_approval", titles: 2 });
    await giveBasis(t.db, campaign.id);
    const ids = await makeNominations(t.db, campaign.id, ["甲工匠", "乙工匠", "丙工匠"], { candidate: true });
    const params = { campaignId: String(campaign.id) };
    const ranks = Object.fromEntries(ids.map((id, i) => [`rank-${id}`, String(i + 1)]));
    const name = (extra: Record<string, string>) =>
      call(reviewPage.action, {
        db: t.db,
        path: `/campaigns/${campaign.id}/review`,
        params,
        as: city,
        form: { intent: "name", namedOn: day(0), ...ranks, ...extra },
      });

    const first = await jsonOf(await name({}));
    expect(first.data.preview.awards).toEqual([
      { rank: 1, name: "甲工匠", title: "第七届“台州工匠”", certificateNumber: "TZGJ-7-001" },
      { rank: 2, name: "乙工匠", title: "第七届“台州工匠”", certificateNumber: "TZGJ-7-002" },
    ]);
    expect(await t.db.selectFrom("award").select("id").where("campaign_id", "=", campaign.id).execute()).toEqual([]);
    expect((await jsonOf(await name({ confirmed: "1" }))).ok).toBe(true);
    const awards = await t.db.selectFrom("award").select("certificate_number").where("campaign_id", "=", campaign.id).orderBy("rank").execute();
    expect(awards.map((a) => a.certificate_number)).toEqual(["TZGJ-7-001", "TZGJ-7-002"]);
  });
});

describe("smaller things seen", () => {
  it("does not invite a studio's leader to 报名 for their own studio's event", async () => {
    const { person, user: leader } = await makeAwardee(t.db, "wenling", "组织者");
    const studio = await makeStudio(t.db, person.id, leader.id);
    const start = new Date(Date.now() + 3 * 86_400_000);
    const local = (d: Date) => dateInTaizhou(d) + "T" + new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
    const created = await call(newEvent.action, {
      db: t.db,
      path: "/events/new",
      as: leader,
      form: {
        title: "工作室开放日",
        kind: "skill_exchange",
        organiser: `studio:${studio.id}`,
        startsAt: local(start),
        endsAt: local(new Date(start.getTime() + 2 * 3_600_000)),
        channel: "offline",
        place: "工作室",
      },
    });
    expect(created.status).toBe(302);
    const eventId = created.headers.get("location")!.split("/").pop()!;
    const page = await jsonOf(await call(eventPage.loader, { db: t.db, path: `/events/${eventId}`, params: { eventId }, as: leader }));
    expect(page.manage).toBe(true);
    expect(page.canJoin).toBe(false);
    // Another craftsman of the county is still welcome.
    const other = await makeUser(t.db, "craftsman", { personId: (await makePerson(t.db, { unit: "wenling" })).id });
    expect((await jsonOf(await call(eventPage.loader, { db: t.db, path: `/events/${eventId}`, params: { eventId }, as: other }))).canJoin).toBe(true);
  });

  it("links a running vote and a running 社会公示 from the public home page", async () => {
    const voting = await makeCampaign(t.db, { status: "online_vote" });
    const city = await makeUser(t.db, "city_admin");
    await makeVoteRules(t.db, voting.id, city.id);
    const notice = await makeCampaign(t.db, { status: "public_notice" });
    await t.db
      .updateTable("campaign")
      .set({ notice_start: dateInTaizhou(Date.now() - 86_400_000), notice_end: dateInTaizhou(Date.now() + 6 * 86_400_000) })
      .where("id", "=", notice.id)
      .execute();
    const landing = await jsonOf(await call(landingPage.loader, { db: t.db, path: "/" }));
    // (other tests of this file leave a notice running too)
    expect(landing.happenings.map((h: { link: string }) => h.link)).toEqual(expect.arrayContaining([`/vote/${voting.id}`, `/notice/${notice.id}`]));
  });
});

describe("撤回: an applicant takes back what they submitted until the county acts", () => {
  it("withdraws a submitted subsidy application and a submitted studio application, and not once the county has acted", async () => {
    const year = Number(todayInTaizhou().slice(0, 4));
    const city = await makeUser(t.db, "city_admin");
    const policy = { budget: "500,000", sharePercent: "50", holdbackPercent: "20", yearsAfterAward: "10", open: "on", "cap-本科": "15000" };
    expect((await call(subsidyPolicy.action, { db: t.db, path: `/subsidies/policy?year=${year}`, as: city, form: policy })).status).toBe(200);
    const { person, user: craftsman } = await makeAwardee(t.db, "wenling", "撤回人");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const created = await call(newSubsidy.action, { db: t.db, path: "/subsidies/new", as: craftsman, form: subsidyForm(year) });
    expect(created.status).toBe(302);
    const applicationId = created.headers.get("location")!.split("/").pop()!;
    // Submitted (its proofs are another test's business).
    await t.db.updateTable("subsidy_application").set({ status: "submitted" }).where("id", "=", Number(applicationId)).execute();
    const subsidyStep = (as: typeof craftsman, step: string, expected: string) =>
      call(subsidyPage.action, { db: t.db, path: `/subsidies/${applicationId}`, params: { applicationId }, as, form: { intent: "step", step, expected } });
    expect((await subsidyStep(county, "withdraw", "submitted")).status).toBe(403);
    expect((await subsidyStep(craftsman, "withdraw", "submitted")).status).toBe(200);
    const withdrawn = await t.db.selectFrom("subsidy_application").select("status").where("id", "=", Number(applicationId)).executeTakeFirstOrThrow();
    expect(withdrawn.status).toBe("draft");
    await t.db.updateTable("subsidy_application").set({ status: "county_approved" }).where("id", "=", Number(applicationId)).execute();
    expect((await subsidyStep(craftsman, "withdraw", "county_approved")).status).toBe(403);

    const studio = await createStudio(
      t.db,
      craftsman,
      studioSchema.parse(studioForm(person.id, await unitId(t.db, "wenling"), { name: "撤回人工匠工作室", hostEnterprise: "温岭某厂" })),
    );
    const studioId = String((studio as { id: number }).id);
    const studioStep = (as: typeof craftsman, step: string, expected: string) =>
      call(studioPage.action, { db: t.db, path: `/studios/${studioId}`, params: { studioId }, as, form: { intent: "step", step, expected } });
    expect((await studioStep(craftsman, "submit", "draft")).status).toBe(200);
    expect((await studioStep(craftsman, "withdraw", "submitted")).status).toBe(200);
    expect((await t.db.selectFrom("studio").select("status").where("id", "=", Number(studioId)).executeTakeFirstOrThrow()).status).toBe("draft");
    expect((await studioStep(craftsman, "submit", "draft")).status).toBe(200);
    expect((await studioStep(county, "county_approve", "submitted")).status).toBe(200);
    expect((await studioStep(craftsman, "withdraw", "county_reviewed")).status).toBe(403);
  });
});

describe("the printed 推荐审批表", () => {
  it("prints with the full ID number for the nominating unit's officer, recorded like a reveal, and for nobody else of the counties", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const campaign = await makeCampaign(t.db, { status: "nominating" });
    const [nominationId] = await makeNominations(t.db, campaign.id, ["打印人"], {}, { unit: "wenling" });
    const params = { nominationId: String(nominationId) };
    const path = `/nominations/${nominationId}/print`;
    const { person_id } = await t.db.selectFrom("nomination").select("person_id").where("id", "=", nominationId).executeTakeFirstOrThrow();

    expect((await jsonOf(await call(printPage.loader, { db: t.db, path, params, as: wenling }))).canReveal).toBe(true);
    const printed = await call(printPage.action, { db: t.db, path, params, as: wenling, form: { intent: "reveal" } });
    expect(printed.status).toBe(200);
    expect((await jsonOf(printed)).data.idNumber).toMatch(/^\d{17}[\dX]$/);
    const logged = await t.db
      .selectFrom("audit_log")
      .select(["action", "comment", "actor_name"])
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(person_id))
      .where("action", "=", "reveal_personal_data")
      .execute();
    expect(logged).toEqual([{ action: "reveal_personal_data", comment: "打印推荐审批表", actor_name: wenling.displayName }]);
    expect((await call(printPage.action, { db: t.db, path, params, as: jiaojiang, form: { intent: "reveal" } })).status).toBe(403);
  });
});

describe("the printed 推荐审批表, signed", () => {
  it("prints beside each opinion and the 资格初审 the officer who entered or decided it, their unit and the date, whoever prints", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const city = await makeUser(t.db, "city_admin");
    const printer = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { status: "qualification", quota: 5 });
    const [nominationId] = await makeNominations(t.db, campaign.id, ["签署人"], {}, { unit: "wenling" });
    await t.db
      .updateTable("nomination")
      .set({ frontline_years: 20, in_skill_post: true, conditions: [1], achievements: "工艺改进", deeds_summary: "扎根一线" })
      .where("id", "=", nominationId)
      .execute();
    await t.db.updateTable("person").set({ skill_level: "高级技师" }).where("name", "=", "签署人").execute();
    const params = { nominationId: String(nominationId) };
    const opinion = (as: typeof city, kind: string, signer: string) =>
      call(nominationPage.action, {
        db: t.db,
        path: `/nominations/${nominationId}`,
        params,
        as,
        form: { intent: "opinion", kind, text: "同意推荐。", signer, signedOn: "2026-03-02" },
      });
    expect((await opinion(wenling, "employer", "张厂长")).status).toBe(200);
    expect((await opinion(wenling, "county", "温岭市总工会")).status).toBe(200);
    expect((await opinion(city, "city", "台州市总工会")).status).toBe(200);
    const decided = await call(nominationPage.action, {
      db: t.db,
      path: `/nominations/${nominationId}`,
      params,
      as: city,
      form: { intent: "qualification", result: "pass", reason: "" },
    });
    expect(decided.status).toBe(200);

    const today = todayInTaizhou();
    const printed = await jsonOf(await call(printPage.loader, { db: t.db, path: `/nominations/${nominationId}/print`, params, as: printer }));
    const wenlingUnit = (
      await t.db
        .selectFrom("org_unit")
        .select("name")
        .where("id", "=", await unitId(t.db, "wenling"))
        .executeTakeFirstOrThrow()
    ).name;
    const cityUnit = (await t.db.selectFrom("org_unit").select("name").where("kind", "=", "city").executeTakeFirstOrThrow()).name;
    expect(printed.signers).toEqual({
      employer: { name: wenling.displayName, unit: wenlingUnit, on: today },
      county: { name: wenling.displayName, unit: wenlingUnit, on: today },
      city: { name: city.displayName, unit: cityUnit, on: today },
      qualification: { name: city.displayName, unit: cityUnit, on: today },
    });
    expect(JSON.stringify(printed.signers)).not.toContain(printer.displayName);
  });
});

describe("batches where the volume is", () => {
  it("says per person why the batch 资格初审 held them back (over the unit's quota, or missing parts)", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { status: "qualification", quota: 1 });
    const full = {
      frontline_years: 20,
      in_skill_post: true,
      conditions: [1],
      achievements: "工艺改进",
      deeds_summary: "扎根一线",
    };
    const [clear, over1, over2, incomplete] = await makeNominations(t.db, campaign.id, ["路桥甲", "玉环甲", "玉环乙", "黄岩甲"]);
    // Put forward by three units: 玉环 over its quota of one, 黄岩's nominee still 待补全.
    for (const [ids, unit] of [
      [[clear], "luqiao"],
      [[over1, over2], "yuhuan"],
      [[incomplete], "huangyan"],
    ] as const) {
      await t.db
        .updateTable("nomination")
        .set({ nominating_unit_id: await unitId(t.db, unit) })
        .where("id", "in", [...ids])
        .execute();
    }
    await t.db.updateTable("nomination").set(full).where("id", "in", [clear, over1, over2]).execute();
    await t.db.updateTable("person").set({ skill_level: "高级技师" }).where("name", "in", ["路桥甲", "玉环甲", "玉环乙", "黄岩甲"]).execute();
    const params = { campaignId: String(campaign.id) };
    const answer = await jsonOf(
      await call(reviewPage.action, { db: t.db, path: `/campaigns/${campaign.id}/review`, params, as: city, form: { intent: "pass-clear" } }),
    );
    expect(answer.data.passed).toBe(1);
    const held = Object.fromEntries(answer.data.held.map((h: { name: string; reasons: string[] }) => [h.name, h.reasons.join("；")]));
    expect(Object.keys(held).sort()).toEqual(["玉环乙", "玉环甲", "黄岩甲"].sort());
    expect(held["玉环甲"]).toContain("所在单位推荐 2 人，超过名额 1 人");
    expect(held["黄岩甲"]).toMatch(/^待补全：/);
    expect(answer.data.held.find((h: { id: number }) => h.id === incomplete)).toBeTruthy();
  });

  it("acknowledges a unit over its quota once, for all its nominees, and the batch pass then takes them", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { status: "qualification", quota: 1 });
    const ids = await makeNominations(t.db, campaign.id, ["三门甲", "三门乙", "三门丙", "天台甲"]);
    const [a, b, c, other] = ids;
    await t.db
      .updateTable("nomination")
      .set({ nominating_unit_id: await unitId(t.db, "sanmen") })
      .where("id", "in", [a, b, c])
      .execute();
    await t.db
      .updateTable("nomination")
      .set({ nominating_unit_id: await unitId(t.db, "tiantai") })
      .where("id", "=", other)
      .execute();
    await t.db
      .updateTable("nomination")
      .set({ frontline_years: 20, in_skill_post: true, conditions: [1], achievements: "工艺改进", deeds_summary: "扎根一线" })
      .where("id", "in", ids)
      .execute();
    await t.db.updateTable("person").set({ skill_level: "高级技师" }).where("name", "in", ["三门甲", "三门乙", "三门丙", "天台甲"]).execute();
    const params = { campaignId: String(campaign.id) };
    const path = `/campaigns/${campaign.id}/review`;
    const post = (form: Record<string, string>, as = city) => call(reviewPage.action, { db: t.db, path, params, as, form });
    const sanmen = await unitId(t.db, "sanmen");

    const page = await jsonOf(await call(reviewPage.loader, { db: t.db, path, params, as: city }));
    expect(page.overQuota).toEqual([{ unitId: sanmen, name: expect.stringContaining("三门"), count: 3, unacknowledged: 3 }]);
    const before = await jsonOf(await post({ intent: "pass-clear" }));
    expect(before.data.passed).toBe(1);
    expect(before.data.held.map((h: { reasons: string[] }) => h.reasons.join("；"))).toEqual(Array(3).fill(expect.stringContaining("须先确认该单位超出名额")));

    // A county cannot acknowledge, a unit within its quota needs none, and the city does it in one step.
    const county = await makeUser(t.db, "county_officer", { unit: "sanmen" });
    expect((await post({ intent: "acknowledge-unit-quota", unitId: String(sanmen) }, county)).status).toBe(403);
    const within = await post({ intent: "acknowledge-unit-quota", unitId: String(await unitId(t.db, "tiantai")) });
    expect(within.status).toBe(400);
    expect((await jsonOf(within)).message).toContain("未超过名额");
    const acknowledged = await post({ intent: "acknowledge-unit-quota", unitId: String(sanmen) });
    expect(acknowledged.status).toBe(200);
    expect((await jsonOf(acknowledged)).data.acknowledged).toBe(3);
    const history = await t.db
      .selectFrom("audit_log")
      .select(["entity_id", "comment"])
      .where("entity_type", "=", "nomination")
      .where("action", "=", "acknowledge_quota")
      .where("entity_id", "in", [a, b, c].map(String))
      .execute();
    expect(history).toHaveLength(3);
    expect(history[0].comment).toContain("按单位确认");
    expect((await jsonOf(await call(reviewPage.loader, { db: t.db, path, params, as: city }))).overQuota[0].unacknowledged).toBe(0);

    const after = await jsonOf(await post({ intent: "pass-clear" }));
    expect(after.data.passed).toBe(3);
    expect(after.data.held).toEqual([]);
  });

  it("verifies the chosen 1+N milestones in one action, each in its history and its leader told, and says per item why not", async () => {
    const pdf = { name: "证书.pdf", bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF") };
    const pendingOf = async (unit: "wenling" | "jiaojiang", mentorName: string, births: string[]) => {
      const county = await makeUser(t.db, "county_officer", { unit });
      const { person: mentor, user: leader } = await makeAwardee(t.db, unit, mentorName);
      const studio = await makeStudio(t.db, mentor.id, county.id, { unit, plaque_number: `TZGJGZS-B${mentor.id}` });
      const ids: number[] = [];
      for (const birth of births) {
        const added = await addApprentice(
          t.db,
          county,
          studio.id,
          apprenticeSchema.parse(apprenticeForm(birth, { orgUnitId: String(await unitId(t.db, unit)) })),
        );
        if (!added.ok) throw new Error(JSON.stringify(added));
        const m = (await findMentorship(t.db, (added as { id: number }).id))!;
        const filed = await addMilestone(t.db, leader, m, milestoneSchema.parse({ kind: "backbone", occurredOn: "2025-05-01", confirmedBy: "厂长" }), [pdf]);
        if (!filed.ok) throw new Error(filed.message);
        ids.push(filed.id);
      }
      return { county, leader, ids };
    };
    const wenling = await pendingOf("wenling", "批量师傅", ["1997-01-02", "1997-01-03", "1997-01-04"]);
    const other = await pendingOf("jiaojiang", "椒江师傅", ["1997-02-02"]);
    const [first, second, third] = wenling.ids;
    // The third was rejected on its own page meanwhile.
    expect((await reviewMilestone(t.db, wenling.county, third, { decision: "rejected", comment: "证书不清" })).ok).toBe(true);

    const page = await jsonOf(await call(pendingMilestonesPage.loader, { db: t.db, path: "/milestones/pending", as: wenling.county }));
    expect(page.pending.map((p: { id: number }) => p.id).sort()).toEqual([first, second].sort());
    const answer = await call(pendingMilestonesPage.action, {
      db: t.db,
      path: "/milestones/pending",
      as: wenling.county,
      form: { intent: "verify-batch", milestoneId: [first, second, third, other.ids[0], 987654].map(String) },
    });
    expect(answer.status).toBe(200);
    const result = await jsonOf(answer);
    expect(result.data.verified).toBe(2);
    expect(result.data.refused).toEqual([
      { id: third, name: expect.stringContaining("骨干"), reason: "该成果已被不予认定" },
      { id: other.ids[0], name: `#${other.ids[0]}`, reason: "成果记录不存在或不在您的范围内" },
      { id: 987654, name: "#987654", reason: "成果记录不存在或不在您的范围内" },
    ]);
    const statuses = await t.db
      .selectFrom("milestone")
      .select(["id", "status"])
      .where("id", "in", [first, second, third, other.ids[0]])
      .orderBy("id")
      .execute();
    expect(statuses.map((m) => m.status)).toEqual(["verified", "verified", "rejected", "pending"]);
    const history = await t.db
      .selectFrom("audit_log")
      .select("entity_id")
      .where("entity_type", "=", "milestone")
      .where("action", "=", "verify")
      .where("entity_id", "in", [first, second].map(String))
      .execute();
    expect(history).toHaveLength(2);
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select("text").where("user_id", "=", wenling.leader.id).where("text", "like", "%已核实认定%").execute();
    expect(told).toHaveLength(2);
    // Nothing chosen, or a forged id, is a 400; a craftsman may not verify at all.
    expect(
      (await call(pendingMilestonesPage.action, { db: t.db, path: "/milestones/pending", as: wenling.county, form: { intent: "verify-batch" } })).status,
    ).toBe(400);
    expect(
      (
        await call(pendingMilestonesPage.action, {
          db: t.db,
          path: "/milestones/pending",
          as: wenling.county,
          form: { intent: "verify-batch", milestoneId: "x" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(pendingMilestonesPage.action, {
          db: t.db,
          path: "/milestones/pending",
          as: wenling.leader,
          form: { intent: "verify-batch", milestoneId: String(first) },
        })
      ).status,
    ).toBe(403);
  });

  it("asks for the consents still to record as one to-do with their number, leading to the list of exactly those people", async () => {
    const county = await makeUser(t.db, "county_officer", { unit: "xianju" });
    const named = [];
    for (const name of ["仙居甲", "仙居乙", "仙居丙", "仙居丁"]) named.push((await makeAwardee(t.db, "xianju", name)).person);
    await makePerson(t.db, { unit: "xianju", name: "仙居未命名" });
    await makeAwardee(t.db, "linhai", "临海工匠");
    expect(await recordConsent(t.db, county, named[3].id, { howObtained: "本人书面同意", story: "", photo: null })).toMatchObject({ ok: true });

    const todos = await jsonOf(await call(todosPage.loader, { db: t.db, path: "/todos", as: county }));
    const consent = todos.todos.rows.filter((r: { label: string }) => r.label.includes("公开展示意愿"));
    expect(consent).toEqual([expect.objectContaining({ label: "登记公开展示意愿：3 名工匠", link: "/people?consent=missing" })]);
    const listed = await jsonOf(await call(peoplePage.loader, { db: t.db, path: "/people?consent=missing", as: county }));
    expect(listed.rows.map((p: { name: string }) => p.name).sort()).toEqual(["仙居丙", "仙居乙", "仙居甲"].sort());
  });
});
