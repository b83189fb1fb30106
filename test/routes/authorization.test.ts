/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { seedDemo } from "../../seeds/demo";
import type { SessionUser } from "../../app/auth/roles";
import { createImportBatch } from "../../app/modules/nominations/summary-table.server";
import { addExpert } from "../../app/modules/experts/experts.server";
import { createEvent } from "../../app/modules/events/events.server";
import { eventSchema } from "../../app/modules/events/schema.server";
import { useTestDb } from "../db";
import { PNG } from "../files";
import { cookieFor, makeApprenticeAccount, makeAwardee } from "../factories";
import { call } from "../http";
import { RollbackDialect } from "../rollback";
import { sessionUserOf } from "~/auth/roles";
import { addDays, addMonths, todayInTaizhou, yearInTaizhou } from "~/lib/time";
import { encrypt, lookupHash } from "~/modules/people/pii.server";
import { startFlow } from "~/auth/sign-in-flow.server";
import { wechatStandIn, type WechatStandIn } from "../wechat-stand-in";

/**
 * The authorisation matrix: every route's page and every action intent, requested by each of
 * eight visitors, against one fixed set of records (every request is rolled back afterwards).
 *
 * Visitors, in this order: the anonymous; craftsman A (吴松浩 of 温岭, who leads studio 1 and
 * whose records these mostly are); craftsman B (a named craftsman of 椒江 with nothing here);
 * the officer of 温岭 (X, the records' unit); the officer of 椒江 (Y); the city officer; an expert of
 * the pool with nothing assigned (what an expert sees of assigned work is in test/routes/experts.test.ts);
 * an apprentice of A's studio (its first pairing's, signed in by code — issue 33), who reads their own
 * pairing and the events they are on, and nothing else that is not public.
 *
 * Expected answers, one letter per visitor:
 *   L  sent to sign in (302 to /login)
 *   +  let through: the page, a redirect elsewhere, or a 400/409 about the form or the state
 *   -  refused: 403 or 404
 */
type Expect = string;
interface Case {
  /** The route's parameters; its URL is made from its id and these (pathOf). */
  params?: Record<string, string | number>;
  /** A query string the page is asked with. */
  query?: string;
  loader?: Expect;
  /** intent (or step) → the form posted and what each visitor gets */
  actions?: Record<string, { form: Record<string, string>; expect: Expect }>;
}

const routeModules: Record<string, { loader?: Fn; action?: Fn }> = import.meta.glob(
  // A route is a file, or a folder whose route.tsx is the route (its other files are the page's parts).
  ["../../app/routes/*.{ts,tsx}", "../../app/routes/*/route.{ts,tsx}"],
  { eager: true },
);
type Fn = (args: LoaderFunctionArgs) => unknown;
const routeId = (file: string) => file.replace(/^.*\/routes\//, "").replace(/(\/route)?\.tsx?$/, "");

let rollback!: RollbackDialect;
const t = useTestDb({ wrapDialect: (d) => (rollback = new RollbackDialect(d)) });
const VISITORS = ["anonymous", "craftsman A", "craftsman B", "officer X (温岭)", "officer Y (椒江)", "city", "expert", "apprentice"] as const;
let cookies: Array<string | null>;
let cases: Record<string, Case>;
/** Issue 36: a ninth visitor, holding an openid WeChat vouched for that is bound to nobody (a first sign-in's flow). */
let unboundOpenid: string;
let wechat: WechatStandIn;

afterAll(async () => {
  vi.unstubAllEnvs();
  await wechat?.close();
});

beforeAll(async () => {
  const db = t.db;
  await seedDemo(db);
  // WeChat configured, against its stand-in, so its routes answer as they would in production.
  wechat = await wechatStandIn();
  for (const [name, value] of Object.entries(wechat.env)) vi.stubEnv(name, value);
  const users = await db.selectFrom("app_user").selectAll().execute();
  const asSession = (username: string): SessionUser => {
    const u = users.find((x) => x.username === username)!;
    return sessionUserOf(u)!;
  };
  const craftsmanB = (await makeAwardee(db, "jiaojiang", "椒江乙工匠")).user;
  const officerX = asSession("wenling");
  const added = await addExpert(db, asSession("admin"), {
    name: "矩阵专家",
    field: "advanced_manufacturing",
    employer: "台州学院",
    orgUnitId: null,
    contact: "",
    username: "matrix-expert",
    password: "Jiangxin-2026",
  });
  if (!added.ok) throw new Error(added.message);
  const expertRow = await db.selectFrom("app_user").selectAll().where("username", "=", "matrix-expert").executeTakeFirstOrThrow();
  const expert: SessionUser = { id: expertRow.id, username: "matrix-expert", displayName: "矩阵专家", role: "expert", orgUnitId: null, personId: null };
  cookies = [
    null,
    ...(await Promise.all([asSession("craftsman"), craftsmanB, officerX, asSession("jiaojiang"), asSession("admin"), expert].map((u) => cookieFor(db, u)))),
  ];

  const personA = asSession("craftsman").personId!;
  const studio = await db.selectFrom("studio").select("id").where("person_id", "=", personA).executeTakeFirstOrThrow();
  const mentorship = await db
    .selectFrom("mentorship")
    .select(["id", "apprentice_id"])
    .where("studio_id", "=", studio.id)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  // The eighth visitor: that pairing's apprentice, with the account their first code sign-in made.
  const apprentice = await makeApprenticeAccount(db, mentorship.apprentice_id);
  cookies.push(await cookieFor(db, apprentice));
  const evidence = await db
    .selectFrom("evidence_file")
    .innerJoin("milestone", "milestone.id", "evidence_file.milestone_id")
    .select("evidence_file.id")
    .where("milestone.mentorship_id", "=", mentorship.id)
    .executeTakeFirstOrThrow();
  const nomination = await db.selectFrom("nomination").select("id").where("person_id", "=", personA).executeTakeFirstOrThrow();
  const openCampaign = await db.selectFrom("campaign").selectAll().where("status", "=", "nominating").executeTakeFirstOrThrow();
  const openNomination = await db
    .selectFrom("nomination")
    .select("id")
    .where("campaign_id", "=", openCampaign.id)
    .where("nominating_unit_id", "=", officerX.orgUnitId!)
    .executeTakeFirstOrThrow();
  const batch = await createImportBatch(db, officerX, openCampaign, officerX.orgUnitId!, "汇总表.csv", {
    rows: [],
    skipped: [],
    missingColumns: [],
    otherSheets: [],
  });
  const attended = await db
    .selectFrom("event_participant")
    .select(["id", "event_id", "certificate_code"])
    .where("person_id", "=", personA)
    .where("certificate_code", "is not", null)
    .executeTakeFirstOrThrow();
  const series = await db.selectFrom("event_series").select("id").where("org_unit_id", "=", officerX.orgUnitId!).executeTakeFirstOrThrow();
  const application = await db
    .selectFrom("subsidy_application")
    .select("id")
    .where("org_unit_id", "=", officerX.orgUnitId!)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const attachment = await db.selectFrom("subsidy_attachment").select("id").where("application_id", "=", application.id).executeTakeFirstOrThrow();
  // The demo's bank batch (its paid application's first payment).
  const paymentBatch = await db.selectFrom("subsidy_payment_batch").select("id").orderBy("id").executeTakeFirstOrThrow();
  const clipping = await db.selectFrom("publicity_item").select("id").where("person_id", "=", personA).executeTakeFirstOrThrow();
  await db.updateTable("publicity_item").set({ clipping: PNG, clipping_type: "image/png" }).where("id", "=", clipping.id).execute();
  await db.updateTable("publication_consent").set({ photo: PNG, photo_type: "image/png" }).where("person_id", "=", personA).execute();
  const studioEvent = await db.selectFrom("event").select(["id", "checkin_code"]).where("studio_id", "=", studio.id).executeTakeFirstOrThrow();
  // The apprentice is on the list of their studio's coming event.
  await db
    .insertInto("event_participant")
    .values({ event_id: studioEvent.id, person_id: apprentice.personId, registered_by: asSession("craftsman").id })
    .execute();
  // A 温岭 training next month, open for 温岭's craftsmen to join.
  const nextMonth = new Date(Date.now() + 30 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
  const coming = await createEvent(
    db,
    officerX,
    eventSchema.parse({
      title: "温岭下月培训",
      kind: "training",
      organiser: `unit:${officerX.orgUnitId}`,
      startsAt: `${nextMonth}T09:00`,
      endsAt: `${nextMonth}T12:00`,
      channel: "offline",
      place: "温岭市职工服务中心",
    }),
  );
  if (!coming.ok) throw new Error("the coming event was not created");
  // A 温岭 exchange under way now: 温岭's craftsman may walk in (现场报名), 椒江's is not its audience.
  const taizhouNow = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
  const underWay = await createEvent(
    db,
    officerX,
    eventSchema.parse({
      title: "温岭正在进行的交流",
      kind: "skill_exchange",
      organiser: `unit:${officerX.orgUnitId}`,
      startsAt: taizhouNow(-10),
      endsAt: taizhouNow(120),
      channel: "offline",
      place: "温岭市职工服务中心",
    }),
  );
  if (!underWay.ok) throw new Error("the event under way was not created");
  const underWayCode = (await db.selectFrom("event").select("checkin_code").where("id", "=", underWay.id).executeTakeFirstOrThrow()).checkin_code;
  const pendingMilestone = await db
    .selectFrom("milestone")
    .select("id")
    .where("mentorship_id", "in", db.selectFrom("mentorship").select("id").where("studio_id", "=", studio.id))
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  // An apprentice's log entry with a photo, waiting for craftsman A (the mentor).
  const logEntry = await db
    .insertInto("apprentice_log")
    .values({
      mentorship_id: mentorship.id,
      on_date: "2026-04-01",
      minutes: 120,
      kind: "practice",
      content: "车削练习",
      photo: Buffer.from(PNG),
      photo_type: "image/png",
      created_by: asSession("craftsman").id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const award = await db.selectFrom("award").select("certificate_number").where("person_id", "=", personA).executeTakeFirstOrThrow();
  // Single sign-on (issue 36): officer X's account has a bound identity, and another identity waits to be bound.
  await db
    .insertInto("external_identity")
    .values({ issuer: "https://sso.example.gov.cn", subject: "matrix-bound", display_name: "温岭科长", user_id: officerX.id, bound_at: new Date() })
    .execute();
  const waitingIdentity = await db
    .insertInto("external_identity")
    .values({ issuer: "https://sso.example.gov.cn", subject: "matrix-waiting", display_name: "待绑定" })
    .returning("id")
    .executeTakeFirstOrThrow();
  // Craftsman B's award: their consent to be shown was never recorded, so it is not published.
  const unpublished = await db.selectFrom("award").select("certificate_number").where("person_id", "=", craftsmanB.personId!).executeTakeFirstOrThrow();
  // The studio's money and year (seeds/cycle): a receipt of its ledger, last year's report waiting for the leader.
  const receipt = await db.selectFrom("studio_file").select("id").where("studio_id", "=", studio.id).where("kind", "=", "receipt").executeTakeFirstOrThrow();
  // A decision document of the demo's (seeds/governance.ts), with its file.
  const decision = await db.selectFrom("decision_document").select("id").where("file", "is not", null).orderBy("id").executeTakeFirstOrThrow();
  const reviewedStudio = await db.selectFrom("studio").select("id").where("status", "=", "county_reviewed").orderBy("id").executeTakeFirstOrThrow();
  const pendingSpending = await db
    .selectFrom("studio_spending")
    .select("id")
    .where("studio_id", "=", studio.id)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  const lastYear = String(new Date().getFullYear() - 1);

  // An objection filed online against A's nomination (温岭's), with its objector and an attachment.
  const objection = await db
    .insertInto("objection")
    .values({ nomination_id: nomination.id, received_on: "2024-06-10", source: "网上实名异议（同事）", content: "反映其工作年限不符。", recorded_by: "public" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("objection_filing")
    .values({ objection_id: objection.id, lookup_code: "YYMATRIX01", objector_name: "欧***", relation: "同事", phone_hash: "h", phone_masked: "138****2399" })
    .execute();
  // What an objector attached, as stored (the campaign notice's and the subsidy 公示's alike).
  const proof = { filename: "证明.png", content_type: "image/png", size: PNG.length, sha256: "0".repeat(64), data: Buffer.from(PNG), uploaded_by: "public" };
  const objectionAttachment = await db
    .insertInto("objection_attachment")
    .values({ objection_id: objection.id, ...proof })
    .returning("id")
    .executeTakeFirstOrThrow();

  // A named campaign that voted on the platform: its vote's public pages stay up with the final counts.
  const voted = await db.selectFrom("campaign").select("id").where("status", "=", "closed").where("number", "=", 2).executeTakeFirstOrThrow();
  const votedCandidate = await db
    .selectFrom("nomination")
    .select("id")
    .where("campaign_id", "=", voted.id)
    .where("candidate", "=", true)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("vote_rule")
    .values({
      campaign_id: voted.id,
      opens_at: new Date("2025-04-01T00:00:00Z"),
      closes_at: new Date("2025-04-08T12:00:00Z"),
      max_choices: 10,
      per_candidate: "once",
      tally_shown: "after_close",
      vote_weight: 30,
      set_by: asSession("admin").id,
    })
    .execute();
  const castAt = new Date("2025-04-02T00:30:00Z");
  await db.insertInto("ballot").values({ campaign_id: voted.id, address: "192.0.2.1", receipt: "ABCDEFGHJK", cast_at: castAt }).execute();
  const cluster = `192.0.2.1@${Math.floor(castAt.getTime() / 3_600_000)}`;
  // An owed item of studio 1 for the payable list's payment: a verified placing of its first pairing.
  const placing = await db
    .insertInto("milestone")
    .values({
      mentorship_id: mentorship.id,
      kind: "competition",
      occurred_on: "2025-06-01",
      details: JSON.stringify({ competitionName: "矩阵技能大赛", competitionLevel: "city", placing: "一等奖" }),
      status: "verified",
      created_by: officerX.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const assessment = {
    intent: "assess",
    assessedOn: "2026-01-05",
    method: "实操考核",
    examiners: "王工、李工",
    score: "90",
    result: "extended",
    extendedTo: "2034-12-31",
    confirmed: "1",
  };
  // Other schemes' subsidies (issue 34, item 4): a list the city imported.
  const schemeList = await db
    .insertInto("subsidy_scheme_list")
    .values({
      scheme: "provincial",
      title: "矩阵双提升名单",
      year: 2025,
      filename: "名单.xlsx",
      sha256: "0".repeat(64),
      rows: 0,
      imported_by: asSession("admin").id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // 学信网 verification (issue 34): craftsman A's application under 温岭's review, its code lapsing — so A may
  // replace it and 温岭's officer may record what they saw on the official page; nobody else may do either.
  const chsiApplication = await db
    .insertInto("subsidy_application")
    .values({
      year: yearInTaizhou(),
      person_id: personA,
      org_unit_id: officerX.orgUnitId!,
      current_education: "大专",
      target_degree: "本科",
      institution: "台州学院",
      programme: "机械工程",
      study_mode: "part_time",
      enrolled_on: "2026-09-01",
      expected_graduation: "2029-07-01",
      tuition_fen: 2_000_000,
      requested_fen: 1_000_000,
      max_fen: 1_000_000,
      status: "submitted",
      created_by: asSession("craftsman").id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const chsiReport = await db
    .insertInto("subsidy_chsi_report")
    .values({
      application_id: chsiApplication.id,
      stage: "enrolment",
      kind: "enrolment",
      code: "MATRIXCHSI000001",
      valid_until: addDays(todayInTaizhou(), 10),
      entered_by: asSession("craftsman").id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // The honour register (issue 35, item 3): an honour of craftsman A (温岭's) and a list 温岭 uploaded, not yet confirmed.
  const honour = await db
    .insertInto("honour")
    .values({
      person_id: personA,
      level: "national",
      kind: "technical_expert",
      title: "全国技术能手",
      conferred_by: "人力资源社会保障部",
      year: 2016,
      created_by: officerX.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const honourUpload = await db
    .insertInto("honour_import")
    .values({
      org_unit_id: officerX.orgUnitId,
      filename: "荣誉名单.xlsx",
      sha256: "1".repeat(64),
      preview: JSON.stringify({ rows: [], problems: [], skipped: [] }),
      uploaded_by: officerX.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const chsiCases: Record<string, Case> = {
    "subsidies.$applicationId._index (学信网)": {
      params: { applicationId: chsiApplication.id },
      loader: "L+-+-+--",
      actions: {
        "chsi-report": {
          form: { intent: "chsi-report", code: "MATRIXCHSI000002", kind: "enrolment", validUntil: addMonths(todayInTaizhou(), 6) },
          expect: "L+------",
        },
        "chsi-check": {
          form: {
            intent: "chsi-check",
            reportId: String(chsiReport.id),
            outcome: "matches",
            nameMatches: "on",
            idDigitsMatch: "on",
            school: "台州学院",
            level: "本科",
            recordStatus: "在籍（注册学籍）",
          },
          expect: "L--+----",
        },
      },
    },
  };
  const v = String(voted.id);
  const c = String(openCampaign.id);
  // Issue 34's 公示 of approved subsidies: the demo's open one, and an objection to the matrix's application.
  const objector = { name: "张三", phone: "13957600000", code: "123456", relation: "同事" };
  const openNotice = await db.selectFrom("subsidy_notice").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
  const subsidyObjection = await db
    .insertInto("subsidy_objection")
    .values({
      application_id: application.id,
      notice_id: openNotice.id,
      content: "反映其报读的是非学历培训。",
      relation: "同事",
      objector_masked: "欧***",
      name_cipher: encrypt("欧阳明远"),
      id_number_cipher: encrypt("331081197911230011"),
      id_number_hash: "h",
      phone_cipher: encrypt("13857612399"),
      phone_hash: "h",
      phone_masked: "138****2399",
      lookup_code: "YYMATRIX02",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const subsidyObjectionFile = await db
    .insertInto("subsidy_objection_file")
    .values({ objection_id: subsidyObjection.id, ...proof })
    .returning("id")
    .executeTakeFirstOrThrow();

  // The rights desk: a pending request of A's (issue 35, item 4).
  const personAUnit = await db.selectFrom("person").select("org_unit_id").where("id", "=", personA).executeTakeFirstOrThrow();
  const rightsRequest = await db
    .insertInto("rights_request")
    .values({ kind: "copy", person_id: personA, org_unit_id: personAUnit.org_unit_id, details: "请提供我的全部信息", due_on: addDays(todayInTaizhou(), 21) })
    .returning("id")
    .executeTakeFirstOrThrow();

  // Craftsman A has bound their WeChat; the ninth visitor's openid is nobody's.
  await db
    .insertInto("wechat_identity")
    .values({ openid_hash: lookupHash("wechat:o-matrix-a"), person_id: personA, nickname: "吴师傅" })
    .execute();
  unboundOpenid = (await startFlow(db, "wechat", { step: "first", openid: encrypt("o-matrix-unbound") }, "/home")).cookie.split(";")[0];

  cases = {
    ...chsiCases,
    // WeChat (issue 36): the one tap is anyone's to start (the signed-in are sent home); binding is a craftsman's or an
    // apprentice's; the callback without this browser's flow is refused (400) to everyone; the share card's signature
    // is public for our own pages.
    "wechat.authorize": { query: "purpose=sign-in", loader: "++++++++" },
    "wechat.authorize (bind)": { query: "purpose=bind", loader: "L++----+" },
    "wechat.callback": { query: "code=abc&state=" + "a".repeat(43), loader: "++++++++" },
    "wechat.share": { query: "url=" + encodeURIComponent("http://localhost:3000/showcase"), loader: "++++++++" },
    // The first WeChat sign-in's phone check: without a held openid every step is refused for its state (409).
    "login_.wechat": {
      loader: "++++++++",
      actions: {
        code: { form: { intent: "code", phone: "13957600000" }, expect: "++++++++" },
        bind: { form: { intent: "bind", phone: "13957600000", code: "123456" }, expect: "++++++++" },
      },
    },
    // One's own binding: the page for every account (officers read that theirs binds none); unbinding A's binding
    // is A's, B's and the apprentice's have none (409), officers' and experts' accounts cannot have one (403).
    "account_.wechat": {
      loader: "L+++++++",
      actions: {
        code: { form: { intent: "code", phone: "13957600000" }, expect: "L+++++++" },
        bind: { form: { intent: "bind", phone: "13957600000", code: "123456" }, expect: "L+++++++" },
        unbind: { form: { intent: "unbind", confirmed: "1" }, expect: "L++----+" },
      },
    },
    _index: { loader: "++++++++" },
    // An apprentice has no password: their change is refused by its field (the current one never matches).
    // Issue 36: one's own signed-in devices — a handle not among one's own is refused by its field (409);
    // 退出所有设备 signs this browser out too, so everyone lands on the sign-in page.
    // The one-time code (issue 36) is the city officers' to set up; turning one off answers anyone who has one (409 here: nobody has).
    account: {
      loader: "L+++++++",
      actions: {
        "change-password": { form: {}, expect: "L+++++++" },
        "end-device": { form: { intent: "end-device", device: "0123456789abcdef" }, expect: "L+++++++" },
        "end-all": { form: { intent: "end-all" }, expect: "LLLLLLLL" },
        "code-start": { form: { intent: "code-start" }, expect: "L----+--" },
        "code-enable": { form: { intent: "code-enable", code: "123456", currentPassword: "Correct-horse-42" }, expect: "L----+--" },
        "code-disable": { form: { intent: "code-disable", code: "123456" }, expect: "L+++++++" },
      },
    },
    // The log's export is the city's, as the log is.
    "audit.export": { loader: "L----+--" },
    "audit._index": { loader: "L----+--" },
    "campaigns.$campaignId._index": {
      params: { campaignId: c },
      loader: "L--+++--",
      actions: {
        advance: { form: { intent: "advance", expected: openCampaign.status }, expect: "L----+--" },
        revert: { form: { intent: "revert", expected: openCampaign.status }, expect: "L----+--" },
        update: { form: { intent: "update" }, expect: "L----+--" },
        "notice-period": { form: { intent: "notice-period" }, expect: "L----+--" },
        basis: { form: { intent: "basis", documentId: String(decision.id) }, expect: "L----+--" },
      },
    },
    // The 命名名单: a county gets its own unit's (another unit's is refused, test/routes/exports.test.ts).
    "campaigns.$campaignId.awards.export": { params: { campaignId: c }, loader: "L--+++--" },
    "campaigns.$campaignId.export": {
      params: { campaignId: c },
      loader: "L--+++--",
      // Full numbers only by a posted reason, and only for the city.
      actions: { full: { form: { reason: "核对身份信息" }, expect: "L----+--" } },
    },
    "campaigns.$campaignId.forms.$form": {
      params: { campaignId: c, form: "review-form.docx" },
      loader: "L--+++--",
    },
    "campaigns.$campaignId.import.$batchId": {
      params: { campaignId: c, batchId: batch },
      loader: "L--+-+--",
      actions: { commit: { form: { intent: "commit" }, expect: "L--+-+--" } },
    },
    "campaigns.$campaignId.import._index": { params: { campaignId: c }, loader: "L--+++--" },
    // The upload endpoint's page only points to the import page.
    "campaigns.$campaignId.import.upload": {
      params: { campaignId: c },
      loader: "++++++++",
      actions: { upload: { form: {}, expect: "L--+++--" } },
    },
    "campaigns.$campaignId.nominations._index": { params: { campaignId: c }, loader: "L--+++--" },
    "campaigns.$campaignId.nominations.new": {
      params: { campaignId: c },
      loader: "L--+++--",
      actions: { create: { form: {}, expect: "L--+++--" } },
    },
    "campaigns.$campaignId.review": {
      params: { campaignId: c },
      loader: "L----+--",
      actions: Object.fromEntries(
        ["candidates", "name", "scores", "votes", "acknowledge-unit-quota"].map((intent) => [intent, { form: { intent }, expect: "L----+--" }]),
      ),
    },
    "campaigns.$campaignId.votes": {
      params: { campaignId: c },
      loader: "L----+--",
      actions: { import: { form: {}, expect: "L----+--" } },
    },
    "campaigns._index": { loader: "L--+++--" },
    "campaigns.new": { loader: "L----+--", actions: { create: { form: {}, expect: "L----+--" } } },
    "certificates.$code": { params: { code: attended.certificate_code! }, loader: "++++++++" },
    "certificates.$code_.pdf": { params: { code: attended.certificate_code! }, loader: "++++++++" },
    "certificates.$code_.image": { params: { code: attended.certificate_code! }, loader: "++++++++" },
    // A's award is published (A agreed to be shown): anyone. B's is not: B, 椒江 and the city only.
    "awards.$number": { params: { number: award.certificate_number }, loader: "++++++++" },
    "awards.$number (unpublished)": {
      params: { number: unpublished.certificate_number },
      loader: "--+-++--",
    },
    "awards.$number_.pdf": { params: { number: unpublished.certificate_number }, loader: "--+-++--" },
    "awards.$number_.image": { params: { number: unpublished.certificate_number }, loader: "--+-++--" },
    // The viewer shows only a file route's photo; the file route decides who sees it.
    photo: { query: `src=/evidence/${evidence.id}`, loader: "++++++++" },
    // The studio's coming event: its code is right, but check-in has not opened yet. Officers have
    // no person record to check in with.
    checkin: {
      loader: "L+++++--",
      actions: {
        checkin: { form: { code: studioEvent.checkin_code }, expect: "L++-----" },
        // An event under way: its own county's craftsman walks in; another county's, not on its list, is refused.
        "under way, other county": { form: { code: underWayCode }, expect: "L+------" },
        // A stale token: every craftsman is told to scan again (409), the others have no person to check in.
        scan: { form: { intent: "scan", e: String(attended.event_id), t: "1.0123456789abcdef" }, expect: "L++-----" },
      },
    },
    "dashboard.export": { loader: "L--+++--" },
    "dashboard_.mentoring": { loader: "L--+++--" },
    dashboard: { loader: "L--+++--", actions: { plan: { form: {}, expect: "L----+--" } } },
    evaluations: {
      loader: "L--+++--",
      actions: {
        criteria: { form: { intent: "criteria" }, expect: "L----+--" },
        checklist: { form: { intent: "checklist", "label-0": "场地", "points-0": "100" }, expect: "L----+--" },
        policy: { form: { intent: "policy", approvalThreshold: "5000", excellentCapPercent: "20", reconfirmYears: "3" }, expect: "L----+--" },
      },
    },
    "evaluations.export": { loader: "L--+++--" },
    "events.$eventId": {
      params: { eventId: attended.event_id },
      loader: "L+-+-+--",
      actions: {
        checkin: { form: { intent: "checkin", participantId: String(attended.id) }, expect: "L--+-+--" },
        hours: { form: { intent: "hours", participantId: String(attended.id), hours: "2.5" }, expect: "L--+-+--" },
        // An attendee may take out their own certificate.
        certificate: { form: { intent: "certificate", participantId: String(attended.id) }, expect: "L+-+-+--" },
      },
    },
    todos: { loader: "L+++++++" },
    // 大字版 is for everyone, signed in or not: it only sets a cookie and goes back.
    "text-size": { loader: "++++++++", actions: { size: { form: { size: "large", back: "/showcase" }, expect: "++++++++" } } },
    // A coming event of 温岭: its craftsman may see it and join; 椒江's may not.
    "events.$eventId (coming)": {
      params: { eventId: coming.id },
      loader: "L+-+-+--",
      actions: { join: { form: { intent: "join" }, expect: "L+------" } },
    },
    // The studio's coming event, with the apprentice on its list: they read it, and take no step on it.
    "events.$eventId (the apprentice's)": {
      params: { eventId: studioEvent.id },
      loader: "L+-+-+-+",
      actions: { join: { form: { intent: "join" }, expect: "L-------" } },
    },
    "events.$eventId_.qr": { params: { eventId: attended.event_id }, loader: "L--+-+--" },
    "events.$eventId_.edit": {
      params: { eventId: attended.event_id },
      loader: "L--+-+--",
      actions: { save: { form: {}, expect: "L--+-+--" } },
    },
    "events._index": { loader: "L+++++--" },
    // The 签到表 lists everyone registered: the organisers' (a participant sees only their own line on the event page).
    "events.$eventId_.signin": { params: { eventId: attended.event_id }, loader: "L--+-+--" },
    "events.export": { loader: "L+++++--" },
    "events.new": { loader: "L+-+++--", actions: { create: { form: {}, expect: "L+-+++--" } } },
    // The pairing's milestone evidence: the studio's side, and the pairing's own apprentice.
    "evidence.$fileId": { params: { fileId: evidence.id }, loader: "L+-+-+-+" },
    healthz: { loader: "++++++++" },
    home: { loader: "L+++++++" },
    login: { loader: "++++++++", actions: { "sign-in": { form: {}, expect: "++++++++" } } },
    // Signing in by code: the same answer to every number (the limits spent, then 429); a made-up code is refused by its field.
    "login_.code": {
      loader: "++++++++",
      actions: {
        code: { form: { intent: "code", phone: "13957600000" }, expect: "++++++++" },
        "sign-in": { form: { intent: "sign-in", phone: "13957600000", code: "123456" }, expect: "++++++++" },
      },
    },
    // Single sign-on is off in this suite (no OIDC_ISSUER): its pages are not found; a signed-in visitor goes home.
    "login_.sso": { loader: "-+++++++" },
    "login_.sso_.callback": { loader: "--------" },
    // The code step of a password sign-in: only a browser whose password step just succeeded (nobody here) has one.
    "login_.verify": { loader: "L+++++++", actions: { code: { form: { code: "123456" }, expect: "LLLLLLLL" } } },
    logout: { loader: "++++++++", actions: { "sign-out": { form: {}, expect: "LLLLLLLL" } } },
    // The pairing's own apprentice reads it; an empty form is answered about the form (400) before
    // anything is decided, and a complete one is refused them: the steps are the studio's.
    "mentorships.$mentorshipId": {
      params: { mentorshipId: mentorship.id },
      loader: "L+-+-+-+",
      actions: {
        milestone: { form: { intent: "milestone" }, expect: "L+-+-+-+" },
        review: { form: { intent: "review", milestoneId: String(pendingMilestone.id), decision: "verified" }, expect: "L--+-+--" },
        end: { form: { intent: "end" }, expect: "L+-+-+-+" },
        "end, confirmed": {
          form: { intent: "end", outcome: "completed", endedOn: "2026-01-10", confirmed: "1" },
          expect: "L+-+-+--",
        },
        // The agreement: the code is the apprentice's own; the mentor's press is the leader's; pausing the mentor's or the unit's.
        "agreement-code": { form: { intent: "agreement-code" }, expect: "L------+" },
        "agreement-apprentice": { form: { intent: "agreement-apprentice", code: "123456" }, expect: "L------+" },
        "agreement-mentor": { form: { intent: "agreement-mentor" }, expect: "L+------" },
        pause: { form: { intent: "pause" }, expect: "L+-+-+-+" },
        resume: { form: { intent: "resume" }, expect: "L+-+-+-+" },
        // The log is the apprentice's to write and the mentor's to confirm.
        log: { form: { intent: "log", onDate: "2026-04-02", hours: "1", kind: "training", content: "识图" }, expect: "L------+" },
        "log-review": { form: { intent: "log-review", entryId: String(logEntry.id), decision: "confirmed" }, expect: "L+------" },
        // 出师考核 is the union's: the mentor is refused as firmly as another county.
        assess: { form: assessment, expect: "L--+-+--" },
      },
    },
    // A log photo: the pairing's parties (its mentor, the unit's officers, the city).
    "apprentice-log.$entryId.photo": { params: { entryId: logEntry.id }, loader: "L+-+-+-+" },
    // The policy prices what mentors are owed: the officers read it, the city sets it.
    "mentoring.policy": { loader: "L--+++--", actions: { policy: { form: { intent: "policy" }, expect: "L----+--" } } },
    // A craftsman reads what they are owed (B: an empty list); a payment is recorded by the item's county or the city.
    "mentoring.payable": {
      loader: "L+++++--",
      actions: {
        pay: { form: { intent: "pay", key: `placing:${placing.id}`, paidOn: "2026-01-10", payer: "温岭某厂", reference: "PZ-1" }, expect: "L--+-+--" },
      },
    },
    "mentoring.payable.export": { loader: "L+++++--" },
    // 椒江's officer is let through to an answer that verifies nothing and says why (another county's).
    "milestones.pending": {
      loader: "L--+++--",
      actions: { "verify-batch": { form: { intent: "verify-batch", milestoneId: String(pendingMilestone.id) }, expect: "L--+++--" } },
    },
    "nominations.$nominationId._index": {
      params: { nominationId: nomination.id },
      loader: "L+-+-+--",
      actions: {
        objection: { form: { intent: "objection" }, expect: "L----+--" },
        // Who filed an online objection: the city only (audited); the nominee's county 温岭 reads the content, not the objector.
        "reveal-objector": { form: { intent: "reveal-objector", objectionId: String(objection.id), reason: "联系异议人核实" }, expect: "L----+--" },
        qualification: { form: { intent: "qualification" }, expect: "L----+--" },
        // The campaign is closed: nobody records an opinion any more.
        opinion: { form: { intent: "opinion", kind: "county", text: "同意推荐", signer: "张三", signedOn: "2018-03-01" }, expect: "L-------" },
      },
    },
    // An online objection's attachment may say who the objector is: the city's, not the nominee's county's.
    "objection-files.$fileId": {
      params: { fileId: objectionAttachment.id },
      loader: "L----+--",
    },
    "nominations.$nominationId.edit": {
      params: { nominationId: openNomination.id },
      loader: "L--+-+--",
      actions: { save: { form: {}, expect: "L--+-+--" } },
    },
    "nominations.$nominationId.print": {
      params: { nominationId: nomination.id },
      // The craftsman prints their own 推荐审批表 (with the ID number masked); the nominating unit and the city with the full one.
      loader: "L+-+-+--",
      actions: { reveal: { form: { intent: "reveal" }, expect: "L--+-+--" } },
    },
    // Receives a 事迹材料; its page only points back to the nomination.
    "nominations.$nominationId.story": {
      params: { nominationId: openNomination.id },
      loader: "++++++++",
      actions: { upload: { form: {}, expect: "L--+-+--" } },
    },
    // Everyone signed in has their messages, the apprentice too.
    inbox: {
      loader: "L+++++++",
      actions: {
        "read-all": { form: { intent: "read-all" }, expect: "L+++++++" },
        preferences: { form: { intent: "preferences", sms_returned: "off" }, expect: "L+++++++" },
      },
    },
    // Nobody opens anyone else's message: the ids here are no one's.
    "inbox.$messageId": { params: { messageId: "999999" }, loader: "L-------" },
    sms: { loader: "L----+--" },
    // The retention schedule and its purge runs span every county: the city's alone, the form too.
    retention: {
      loader: "L----+--",
      actions: { rule: { form: { intent: "rule", kind: "sms_messages", keepDays: "200" }, expect: "L----+--" } },
    },
    "vote.$campaignId._index": {
      params: { campaignId: v },
      loader: "++++++++",
      // Anyone may try; the vote is over, so everyone is told so (409), signed in or not.
      actions: {
        code: { form: { intent: "code", phone: "13957600000", altcha: "e30=" }, expect: "++++++++" },
        vote: { form: { intent: "vote", phone: "13957600000", code: "123456", choices: String(votedCandidate.id) }, expect: "++++++++" },
      },
    },
    // The named campaign's notice is over: the page says so to everyone, and takes nothing.
    // The expert's own pages: their list of sheets, and a sheet — here one of the open campaign's, never theirs.
    "review._index": { loader: "L-----+-" },
    "review.$nominationId": {
      params: { nominationId: openNomination.id },
      loader: "L-------",
      actions: {
        save: { form: { intent: "save" }, expect: "L-------" },
        recuse: { form: { intent: "recuse", reason: "近三年有合作" }, expect: "L-------" },
      },
    },
    "campaigns.$campaignId.experts.export": { params: { campaignId: v }, loader: "L----+--" },
    experts: { loader: "L----+--", actions: { add: { form: { intent: "add" }, expect: "L----+--" } } },
    "campaigns.$campaignId.experts": {
      params: { campaignId: v },
      loader: "L----+--",
      actions: {
        rubric: { form: { intent: "rubric" }, expect: "L----+--" },
        panel: { form: { intent: "panel", mode: "draw", name: "矩阵组", field: "advanced_manufacturing", draw: "1", seed: "1" }, expect: "L----+--" },
        propose: { form: { intent: "propose", by: "mean", count: "1", confirmed: "1" }, expect: "L----+--" },
      },
    },
    "notice.$campaignId": {
      query: "lookup=YYAAAAAAAA",
      params: { campaignId: v },
      loader: "++++++++",
      actions: {
        code: { form: { intent: "code", phone: "13957600000", altcha: "e30=" }, expect: "++++++++" },
        object: {
          form: {
            intent: "object",
            name: "张三",
            phone: "13957600000",
            code: "123456",
            relation: "同事",
            nominationId: String(votedCandidate.id),
            content: "反映其工作年限不实，请核查。",
          },
          expect: "++++++++",
        },
      },
    },
    "vote.$campaignId.challenge": { params: { campaignId: v }, loader: "++++++++" },
    "vote.$campaignId.results": { query: "receipt=ABCDEFGHJK", params: { campaignId: v }, loader: "++++++++" },
    "vote.$campaignId.qr.$nominationId": {
      params: { campaignId: v, nominationId: votedCandidate.id },
      loader: "++++++++",
    },
    "campaigns.$campaignId.vote": {
      params: { campaignId: v },
      loader: "L----+--",
      actions: {
        rules: { form: { intent: "rules" }, expect: "L----+--" },
        invalidate: { form: { intent: "invalidate", pattern: "address", key: cluster, reason: "同一地址集中刷票", confirmed: "1" }, expect: "L----+--" },
        transfer: { form: { intent: "transfer", confirmed: "1" }, expect: "L----+--" },
      },
    },
    "org-units._index": { loader: "L--+++--", actions: { create: { form: {}, expect: "L----+--" } } },
    "people.$personId._index": {
      params: { personId: personA },
      loader: "L+-+-+--",
      actions: {
        consent: { form: { intent: "consent", howObtained: "本人书面同意", story: "三十年如一日钻研缝纫机装配工艺。" }, expect: "L--+-+--" },
        reveal: { form: { intent: "reveal" }, expect: "L----+--" },
      },
    },
    "people.$personId.edit": {
      params: { personId: personA },
      loader: "L--+-+--",
      actions: { save: { form: {}, expect: "L--+-+--" } },
    },
    "people.$personId.honours": {
      params: { personId: personA },
      loader: "L--+-+--",
      actions: {
        add: {
          form: { intent: "add", level: "national", kind: "model_worker", title: "全国劳动模范", conferredBy: "国务院", year: "2020" },
          expect: "L--+-+--",
        },
        revoke: { form: { intent: "revoke", honourId: String(honour.id), revokedOn: "2024-01-02", note: "省总工会撤销" }, expect: "L--+-+--" },
        withdraw: { form: { intent: "withdraw", honourId: String(honour.id), reason: "录入有误" }, expect: "L--+-+--" },
      },
    },
    "honours.import._index": { loader: "L--+++--", actions: { upload: { form: { intent: "upload" }, expect: "L--+++--" } } },
    "honours.import.$importId": {
      params: { importId: honourUpload.id },
      loader: "L--+-+--",
      actions: {
        commit: { form: { intent: "commit", confirmed: "1" }, expect: "L--+-+--" },
        discard: { form: { intent: "discard", confirmed: "1" }, expect: "L--+-+--" },
      },
    },
    "people._index": { loader: "L+++++--" },
    "people.export": { loader: "L+++++--" },
    "people.new": { loader: "L--+++--", actions: { create: { form: {}, expect: "L--+++--" } } },
    publicity: { loader: "L--+++--", actions: { add: { form: {}, expect: "L--+++--" } } },
    // The rights desk (issue 35, item 4). In public, by a phone code: the same answers to everyone (a made-up code
    // is refused by its field, 400).
    "privacy._index": {
      loader: "++++++++",
      actions: {
        code: { form: { intent: "code", phone: "13957600000" }, expect: "++++++++" },
        file: { form: { intent: "file", phone: "13957600000", code: "123456", kind: "copy", details: "我投过票" }, expect: "++++++++" },
        copy: { form: { intent: "copy", phone: "13957600000", code: "123456", requestId: String(rightsRequest.id) }, expect: "++++++++" },
      },
    },
    // A person with a record asks about their own: craftsmen and apprentices.
    "privacy.requests": {
      loader: "L++----+",
      actions: { file: { form: { intent: "file", kind: "copy", details: "请提供我的全部信息" }, expect: "L++----+" } },
    },
    // A's own request, not yet granted (409, about its state); nobody else's (404) or no requester's at all (403).
    "privacy.requests.$requestId.copy": { params: { requestId: rightsRequest.id }, loader: "L+------" },
    // The desk: the city answers and sets the policy; a county reads its own county's requests.
    "privacy.desk": {
      loader: "L--+++--",
      actions: {
        answer: {
          form: { intent: "answer", requestId: String(rightsRequest.id), outcome: "granted", answer: "已提供副本", confirmed: "1" },
          expect: "L----+--",
        },
        policy: { form: { intent: "policy", answerWorkingDays: "15" }, expect: "L----+--" },
        calendar: { form: { intent: "calendar", day: "2026-10-01", working: "holiday", name: "国庆节" }, expect: "L----+--" },
      },
    },
    // The register of decision documents and their files: the officers read, the city records.
    documents: {
      loader: "L--+++--",
      actions: {
        save: { form: { intent: "save" }, expect: "L----+--" },
        programme: { form: { intent: "programme", documentId: String(decision.id) }, expect: "L----+--" },
      },
    },
    "document-files.$documentId": { params: { documentId: decision.id }, loader: "L--+++--" },
    // 授牌, with its decision document, on the demo's studio that 县级 has passed: the city's only.
    "studios.$studioId._index (授牌)": {
      params: { studioId: reviewedStudio.id },
      actions: {
        accredit: {
          form: {
            intent: "step",
            step: "accredit",
            expected: "county_reviewed",
            plaqueNumber: "TZGJGZS-999",
            accreditedOn: "2019-01-10",
            accreditationDocumentId: String(decision.id),
            confirmed: "1",
          },
          expect: "L----+--",
        },
      },
    },
    "series.$seriesId": { params: { seriesId: series.id }, loader: "L--+-+--" },
    // Revocations: the officers read them and record their units' recalls; revoking is the city's.
    revocations: {
      loader: "L--+++--",
      actions: {
        award: { form: { intent: "award" }, expect: "L----+--" },
        campaign: { form: { intent: "campaign" }, expect: "L----+--" },
        accreditation: { form: { intent: "accreditation" }, expect: "L----+--" },
        recall: { form: { intent: "recall" }, expect: "L--+++--" },
      },
    },
    "showcase._index": { loader: "++++++++" },
    "showcase.clippings.$itemId": { params: { itemId: clipping.id }, loader: "++++++++" },
    "showcase.craftsmen.$personId": { params: { personId: personA }, loader: "++++++++" },
    "showcase.photos.$personId": { params: { personId: personA }, loader: "++++++++" },
    "showcase.studios.$studioId": { params: { studioId: studio.id }, loader: "++++++++" },
    "showcase.studios._index": { loader: "++++++++" },
    // A public page's share card: the same for every visitor, there while the page is public — never for
    // a craftsman who has not agreed to be shown, not even for themselves or their county (issue 36).
    "og.$kind.$file": { params: { kind: "craftsman", file: `${personA}.png` }, loader: "++++++++" },
    "og.$kind.$file (studio)": { params: { kind: "studio", file: `${studio.id}.png` }, loader: "++++++++" },
    "og.$kind.$file (page)": { params: { kind: "page", file: "showcase.png" }, loader: "++++++++" },
    "og.$kind.$file (vote results)": { params: { kind: "vote-results", file: `${v}.png` }, loader: "++++++++" },
    "og.$kind.$file (unpublished)": { params: { kind: "craftsman", file: `${craftsmanB.personId}.png` }, loader: "--------" },
    "studios.$studioId._index": {
      params: { studioId: studio.id },
      loader: "L+-+-+--",
      actions: {
        suspend: { form: { intent: "step", step: "suspend", expected: "active", reason: "年度考核不合格", confirmed: "1" }, expect: "L----+--" },
        revoke: { form: { intent: "step", step: "revoke", expected: "active", reason: "连续两年考核不合格", confirmed: "1" }, expect: "L----+--" },
        // 撤回 is the applicant's, and only before the county acts: a running studio is nobody's to withdraw.
        withdraw: { form: { intent: "step", step: "withdraw", expected: "active" }, expect: "L-------" },
        reconfirm: { form: { intent: "reconfirm", periodEnd: "2021", outcome: "reconfirmed" }, expect: "L----+--" },
      },
    },
    // The ledger: officers record grants and tranches, the leader spends, 温岭 approves above the threshold.
    "studios.$studioId.funds._index": {
      params: { studioId: studio.id },
      loader: "L+-+-+--",
      actions: {
        grant: { form: { intent: "grant" }, expect: "L--+-+--" },
        tranche: { form: { intent: "tranche" }, expect: "L--+-+--" },
        spend: { form: { intent: "spend" }, expect: "L+------" },
        review: { form: { intent: "review", spendingId: String(pendingSpending.id), decision: "approved" }, expect: "L--+----" },
      },
    },
    "studios.$studioId.funds.statement": {
      query: `year=${lastYear}`,
      params: { studioId: studio.id },
      loader: "L+-+-+--",
    },
    "studios.$studioId.funds.export": {
      query: `year=${lastYear}`,
      params: { studioId: studio.id },
      loader: "L+-+-+--",
    },
    "studio-files.$fileId": { params: { fileId: receipt.id }, loader: "L+-+-+--" },
    // Last year: the leader plans and reports, 温岭 reviews, the city accepts (each refused to the others).
    "studios.$studioId.years.$year": {
      params: { studioId: studio.id, year: lastYear },
      loader: "L+-+-+--",
      actions: {
        plan: { form: { intent: "plan" }, expect: "L+------" },
        report: { form: { intent: "report", expected: "planned" }, expect: "L+------" },
        step: { form: { intent: "step", step: "county_pass", expected: "submitted" }, expect: "L--+----" },
        accept: { form: { intent: "accept", expected: "county_passed", grade: "pass" }, expect: "L----+--" },
      },
    },
    // The plaque sheet: who may see the studio may print its plaque.
    "studios.$studioId.application": { params: { studioId: studio.id }, loader: "L+-+-+--" },
    "studios.$studioId.years.$year_.print": {
      params: { studioId: studio.id, year: lastYear },
      loader: "L+-+-+--",
    },
    "studios.$studioId.plaque": { params: { studioId: studio.id }, loader: "L+-+-+--" },
    "studios.$studioId.apprentices.export": {
      params: { studioId: studio.id },
      loader: "L+-+-+--",
    },
    "studios.$studioId.apprentices.new": {
      params: { studioId: studio.id },
      loader: "L+-+-+--",
      actions: { create: { form: {}, expect: "L+-+-+--" } },
    },
    // An accredited studio's details are no longer edited by anyone (only the application was).
    "studios.$studioId.edit": {
      params: { studioId: studio.id },
      loader: "L-------",
      actions: { save: { form: {}, expect: "L-------" } },
    },
    "studios._index": { loader: "L+++++--" },
    "studios.export": { loader: "L+++++--" },
    "studios.new": { loader: "L-++++--", actions: { create: { form: {}, expect: "L-++++--" } } },
    "subsidies.$applicationId.print": {
      params: { applicationId: application.id },
      loader: "L--+-+--",
    },
    "subsidies.$applicationId._index": {
      params: { applicationId: application.id },
      loader: "L--+-+--",
      actions: {
        attach: { form: { intent: "attach" }, expect: "L--+-+--" },
        step: { form: { intent: "step", step: "close" }, expect: "L--+-+--" },
        withdraw: { form: { intent: "step", step: "withdraw", expected: "submitted" }, expect: "L--+-+--" },
        // Taking a file back is the applicant's alone, and only while they may edit: nobody here.
        detach: { form: { intent: "detach", attachmentId: String(attachment.id), confirmed: "1" }, expect: "L-------" },
      },
    },
    // The payee (issue 34, item 5): the account is the applicant's alone to record (nobody here is 温岭's
    // applicant); its full number and the payment batches are the city's.
    "subsidies.$applicationId._index (payee)": {
      params: { applicationId: application.id },
      actions: {
        payee: {
          form: { intent: "payee", kind: "bank_card", accountName: "某某", bankName: "中国农业银行", number: "6228480402564890018" },
          expect: "L-------",
        },
        "reveal-payee": { form: { intent: "reveal-payee", reason: "核对银行退票" }, expect: "L----+--" },
      },
    },
    "subsidies.payments": {
      loader: "L----+--",
      actions: {
        create: { form: { intent: "create" }, expect: "L----+--" },
        paid: { form: { intent: "paid", batchId: String(paymentBatch.id), date: "2026-05-20", voucher: "YH-1", confirmed: "1" }, expect: "L----+--" },
        cancel: { form: { intent: "cancel", batchId: String(paymentBatch.id), confirmed: "1" }, expect: "L----+--" },
      },
    },
    // The bank's file, a resource route of its own so the browser gets the file: the city's, like the batches.
    "subsidies.payments.file": { actions: { download: { form: { batchId: String(paymentBatch.id) }, expect: "L----+--" } } },
    "subsidies.$applicationId.edit": {
      params: { applicationId: application.id },
      loader: "L-------",
      actions: { save: { form: {}, expect: "L-------" } },
    },
    "subsidies._index": { loader: "L+++++--" },
    "subsidies.export": { loader: "L----+--" },
    "subsidies.new": { loader: "L++-----", actions: { create: { form: {}, expect: "L++-----" } } },
    "subsidies.policy": { loader: "L----+--", actions: { save: { form: {}, expect: "L----+--" } } },
    "subsidy-files.$fileId": { params: { fileId: attachment.id }, loader: "L--+-+--" },
    // Other schemes' subsidies (issue 34, item 4): declaring is the applicant's alone while they may edit (nobody
    // here); the lists are the city's.
    "subsidies.$applicationId._index (other schemes)": {
      params: { applicationId: application.id },
      actions: {
        claim: { form: { intent: "claim", scheme: "acftu", schemeName: "求学圆梦行动", amount: "1000" }, expect: "L-------" },
        unclaim: { form: { intent: "unclaim", claimId: "1", confirmed: "1" }, expect: "L-------" },
      },
    },
    "subsidies.schemes": {
      loader: "L----+--",
      actions: {
        import: { form: { intent: "import", scheme: "provincial", year: "2025", title: "名单" }, expect: "L----+--" },
        delete: { form: { intent: "delete", listId: String(schemeList.id), confirmed: "1" }, expect: "L----+--" },
      },
    },
    "users.$userId": {
      params: { userId: officerX.id },
      loader: "L----+--",
      actions: {
        update: { form: { intent: "update" }, expect: "L----+--" },
        "reset-password": { form: { intent: "reset-password" }, expect: "L----+--" },
        // Officer X's bound identity (issue 36): binding another is refused (409), unbinding is the city's; no code to reset (409).
        "bind-identity": { form: { intent: "bind-identity", identityId: String(waitingIdentity.id) }, expect: "L----+--" },
        "unbind-identity": { form: { intent: "unbind-identity", confirmed: "1" }, expect: "L----+--" },
        "reset-code": { form: { intent: "reset-code", confirmed: "1" }, expect: "L----+--" },
      },
    },
    "users._index": { loader: "L----+--" },
    "users.new": { loader: "L----+--", actions: { create: { form: {}, expect: "L----+--" } } },
    verify: { query: `code=${encodeURIComponent(award.certificate_number)}`, loader: "++++++++" },
    // Issue 34: the 公示 of approved subsidies — published by the city, open to all, objections found and revealed by the city.
    "subsidies.notices": { loader: "L----+--", actions: { publish: { form: { intent: "publish" }, expect: "L----+--" } } },
    "subsidy-notice._index": { loader: "++++++++" },
    "subsidy-notice.$noticeId": {
      query: "lookup=YYAAAAAAAA",
      params: { noticeId: openNotice.id },
      loader: "++++++++",
      actions: {
        code: { form: { intent: "code", phone: "13957600000" }, expect: "++++++++" },
        object: {
          // Anyone may post it; the code is wrong for everyone.
          form: { intent: "object", ...objector, applicationId: String(application.id), content: "反映其报读的是非学历培训。" },
          expect: "++++++++",
        },
      },
    },
    "subsidy-objection-files.$fileId": { params: { fileId: subsidyObjectionFile.id }, loader: "L----+--" },
    "subsidies.$applicationId._index (objection)": {
      params: { applicationId: application.id },
      loader: "L--+-+--",
      actions: {
        "reveal-objector": { form: { intent: "reveal-objector", objectionId: String(subsidyObjection.id), reason: "联系异议人核实" }, expect: "L----+--" },
        "resolve-objection": { form: { intent: "resolve-objection", objectionId: String(subsidyObjection.id) }, expect: "L----+--" },
      },
    },
  };
});

function classify(response: Response): string {
  const location = response.headers.get("location") ?? "";
  if ((response.status === 302 && location.startsWith("/login")) || response.status === 401) return "L";
  if (response.status === 403 || response.status === 404) return "-";
  if (response.status < 500) return "+";
  return "!";
}

/** A route may have more than one entry, for records in another state: "events.$eventId (coming)". */
const baseId = (id: string) => id.replace(/ \(.+\)$/, "");

/** A route's URL from its id, as Remix's flat routes read the file name: "." a slash, "$x" a parameter, "_index" the index, a trailing "_" out of the parent's layout. */
function urlOf(id: string, c: Case): string {
  const segments = baseId(id)
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s.startsWith("$") ? String(c.params![s.slice(1)]) : s));
  return `/${segments.join("/")}${c.query ? `?${c.query}` : ""}`;
}

function request(fn: Fn, id: string, c: Case, visitor: number, form?: Record<string, string>, cookie = cookies[visitor]): Promise<Response> {
  const params = Object.fromEntries(Object.entries(c.params ?? {}).map(([name, value]) => [name, String(value)]));
  return rollback.rolledBack(() => call(fn, { db: t.db, path: urlOf(id, c), params, cookie, form }));
}

describe("the authorisation matrix", () => {
  it("has an entry for every route, its page and its action", () => {
    const missing: string[] = [];
    for (const [file, mod] of Object.entries(routeModules)) {
      const id = routeId(file);
      const c = cases[id];
      if (!c) missing.push(`${id}: no entry`);
      else {
        if (mod.loader && !c.loader) missing.push(`${id}: page not in the table`);
        if (mod.action && !c.actions) missing.push(`${id}: action not in the table`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(cases).filter((id) => !Object.keys(routeModules).some((f) => routeId(f) === baseId(id)))).toEqual([]);
  });

  it("answers every visitor as the table says", async () => {
    const wrong: string[] = [];
    let requests = 0;
    for (const [id, c] of Object.entries(cases)) {
      const mod = Object.entries(routeModules).find(([file]) => routeId(file) === baseId(id))?.[1];
      if (!mod) continue;
      const checks: Array<[label: string, fn: Fn | undefined, expect: string | undefined, form?: Record<string, string>]> = [
        ["GET", mod.loader, c.loader],
        ...Object.entries(c.actions ?? {}).map(
          ([intent, a]) => [`POST ${intent}`, mod.action, a.expect, a.form] as [string, Fn | undefined, string, Record<string, string>],
        ),
      ];
      for (const [label, fn, expected, form] of checks) {
        if (!fn || !expected) continue;
        let got = "";
        for (let visitor = 0; visitor < VISITORS.length; visitor++) {
          got += classify(await request(fn, id, c, visitor, form));
          requests++;
        }
        if (got !== expected) wrong.push(`${id} ${label}: expected ${expected}, got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(requests).toBeGreaterThan(500);
  }, 300_000);
});

describe("a visitor holding an unbound WeChat openid (issue 36)", () => {
  it("reaches exactly what the anonymous reach, on every page and every action", async () => {
    const wrong: string[] = [];
    for (const [id, c] of Object.entries(cases)) {
      const mod = Object.entries(routeModules).find(([file]) => routeId(file) === baseId(id))?.[1];
      if (!mod) continue;
      const checks: Array<[string, Fn | undefined, string | undefined, Record<string, string>?]> = [
        ["GET", mod.loader, c.loader],
        ...Object.entries(c.actions ?? {}).map(
          ([intent, a]) => [`POST ${intent}`, mod.action, a.expect, a.form] as [string, Fn | undefined, string, Record<string, string>],
        ),
      ];
      for (const [label, fn, expected, form] of checks) {
        if (!fn || !expected) continue;
        const got = classify(await request(fn, id, c, 0, form, unboundOpenid));
        if (got !== expected[0]) wrong.push(`${id} ${label}: expected ${expected[0]} (as the anonymous), got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
