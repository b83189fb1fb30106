import type { SmsGateway, SmsRequest } from "../app/lib/sms.server";
import type { DB } from "../db";
import { luciaFor } from "../app/auth/lucia.server";
import { apprenticeUsername, sessionUserOf, type SessionUser } from "../app/auth/roles";
import type { Insertable } from "kysely";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import type { CampaignStatus, EventTable, MentorshipStatus, Role, StudioTable, SubsidyStatus, VoteRuleTable } from "../db/types";
import { NO_PASSWORD } from "../app/auth/password.server";
import { newUserId } from "../app/auth/session.server";
import { newChallenge } from "../app/modules/voting/challenge.server";
import { createPerson } from "../app/modules/people/people.server";
import { checkCharacter } from "../app/modules/people/id-number";
import type { PersonInput } from "../app/modules/people/schema.server";
import { createUser } from "../app/modules/users/users.server";
import { publishNotice, publishPreview } from "../app/modules/subsidies/notice.server";
import { fictionalIdNumber } from "../seeds/people";
import { createRandom } from "../app/lib/random";
import { encrypt } from "../app/modules/people/pii.server";
import { maskCardNumber } from "../app/modules/subsidies/payee";

/** Names take no digits: a serial number written with Han numerals keeps test names unique and valid. */
export function hanDigits(n: number): string {
  return String(n).replace(/\d/g, (d) => "〇一二三四五六七八九"[Number(d)]);
}

export const TEST_PASSWORD = "Correct-horse-42";

let serial = 0;
const random = createRandom(42);

export async function unitId(db: DB, code: string): Promise<number> {
  const row = await db.selectFrom("org_unit").select("id").where("code", "=", code).executeTakeFirstOrThrow();
  return row.id;
}

/** A valid, unused resident ID number (born 1985-06-01 unless told otherwise). */
export function idNumberFor(sex: "M" | "F" = "M", birthDate = "1985-06-01"): string {
  return fictionalIdNumber(random, "331081", birthDate, sex, serial++);
}

/** A resident ID whose check character is X (one in eleven is): the case a list may write as a lower-case x. */
export function idEndingInX(birth: string): string {
  for (let seq = 100; seq < 1000; seq++) {
    const first17 = `331081${birth}${seq}`;
    if (checkCharacter(first17) === "X") return `${first17}X`;
  }
  throw new Error("no X");
}

const SYSTEM: SessionUser = {
  id: "test-system",
  username: "system",
  displayName: "测试",
  role: "city_admin",
  orgUnitId: null,
  personId: null,
};

export async function makePerson(db: DB, overrides: Partial<Omit<PersonInput, "idNumber" | "orgUnitId">> & { unit?: string; idNumber?: string } = {}) {
  const sex = overrides.sex ?? "M";
  const birthDate = overrides.birthDate ?? "1985-06-01";
  const idNumber = overrides.idNumber ?? idNumberFor(sex, birthDate);
  const result = await createPerson(db, SYSTEM, {
    name: overrides.name ?? `测试${hanDigits(serial)}`,
    sex,
    birthDate,
    ethnicity: overrides.ethnicity ?? "汉族",
    education: overrides.education ?? "大专",
    politicalStatus: overrides.politicalStatus ?? "群众",
    employer: overrides.employer ?? "温岭恒远精密机械有限公司",
    industry: overrides.industry ?? "汽车及零部件",
    position: overrides.position ?? "",
    title: overrides.title ?? "",
    skillLevel: overrides.skillLevel ?? "高级工",
    orgUnitId: await unitId(db, overrides.unit ?? "wenling"),
    phone: overrides.phone === undefined ? "13957600000" : overrides.phone,
    idNumber: { idNumber, sex, birthDate },
  });
  if (!result.ok) throw new Error(`makePerson failed: ${JSON.stringify(result.fieldErrors)}`);
  return { id: result.id, idNumber };
}

export async function makeUser(
  db: DB,
  role: Exclude<Role, "expert" | "apprentice">,
  options: { unit?: string; personId?: number; username?: string } = {},
): Promise<SessionUser> {
  const username = options.username ?? `${role.replace("_", "")}${++serial}`;
  const orgUnitId = role === "county_officer" ? await unitId(db, options.unit ?? "wenling") : undefined;
  const personId = role === "craftsman" ? (options.personId ?? (await makePerson(db)).id) : undefined;
  const result = await createUser(db, null, {
    username,
    displayName: `${username}的名字`,
    password: TEST_PASSWORD,
    role,
    orgUnitId,
    personId,
  });
  if (!result.ok) throw new Error(`makeUser failed: ${JSON.stringify(result.fieldErrors)}`);
  return sessionUserOf({ id: result.id, username, display_name: `${username}的名字`, role, org_unit_id: orgUnitId ?? null, person_id: personId ?? null })!;
}

export async function cookieFor(db: DB, user: SessionUser): Promise<string> {
  const lucia = luciaFor(db);
  const session = await lucia.createSession(user.id, {});
  return `${lucia.sessionCookieName}=${session.id}`;
}

/** The person fields of a valid form, as a browser posts them. */
export function personForm(orgUnitId: number | string, overrides: Record<string, string> = {}) {
  const sex = (overrides.sex as "M" | "F" | undefined) ?? "M";
  const birthDate = overrides.birthDate ?? "1979-03-15";
  return {
    name: "陈国强",
    sex,
    birthDate,
    idNumber: idNumberFor(sex, birthDate),
    ethnicity: "汉族",
    education: "大专",
    politicalStatus: "中共党员",
    employer: "温岭东海泵业有限公司",
    industry: "泵与电机",
    position: "班组长",
    title: "",
    skillLevel: "高级技师",
    orgUnitId: String(orgUnitId),
    phone: "13957612345",
    ...overrides,
  };
}

/** A valid apprentice form (the unit is ignored: apprentices are filed under the studio's). */
export function apprenticeForm(birthDate = "1998-08-08", overrides: Record<string, string> = {}) {
  return {
    name: "小徒弟",
    sex: "M",
    birthDate,
    idNumber: idNumberFor("M", birthDate),
    ethnicity: "汉族",
    education: "中专/技校",
    politicalStatus: "共青团员",
    employer: "温岭东海泵业有限公司",
    industry: "泵与电机",
    skillLevel: "中级工",
    orgUnitId: "1",
    startDate: "2020-01-01",
    plannedEnd: "2023-01-01",
    goals: "取得高级工",
    ...overrides,
  };
}

/** A studio application's form as its leader files it; `overrides` sets the name, host or anything the test turns on. */
export function studioForm(leaderPersonId: number, orgUnitId: number, overrides: Record<string, string> = {}) {
  return {
    leaderPersonId: String(leaderPersonId),
    name: "工匠工作室",
    hostEnterprise: "温岭东海泵业有限公司",
    industry: "泵与电机",
    focusSector: "advanced_manufacturing",
    orgUnitId: String(orgUnitId),
    address: "工业园",
    focusAreas: "铸造",
    foundingPlan: "带徒",
    ...overrides,
  };
}

/** A pending spending of a studio's ledger (one the seed or the test left for the county to decide). */
export function pendingSpendingOf(db: DB, studioId: number) {
  return db.selectFrom("studio_spending").select("id").where("studio_id", "=", studioId).where("status", "=", "pending").executeTakeFirstOrThrow();
}

/** A valid education-subsidy application for studies starting in `year`. */
export function subsidyForm(year: number, overrides: Record<string, string> = {}) {
  return {
    currentEducation: "大专",
    targetDegree: "本科",
    institution: "台州学院",
    programme: "机械工程",
    studyMode: "part_time",
    enrolledOn: `${year}-09-01`,
    expectedGraduation: `${year + 3}-07-01`,
    tuition: "20,000",
    requested: "10000",
    ...overrides,
  };
}

/** A fictional 19-digit card number with a valid check digit. */
export const CARD_NUMBER = "6228480402564890018";

/** The account an application is paid to, recorded as its applicant would: a card in the applicant's own name. */
export async function makePayee(db: DB, applicationId: number, number = CARD_NUMBER) {
  const { name, created_by } = await db
    .selectFrom("subsidy_application")
    .innerJoin("person", "person.id", "subsidy_application.person_id")
    .select(["person.name", "subsidy_application.created_by"])
    .where("subsidy_application.id", "=", applicationId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("subsidy_payee")
    .values({
      application_id: applicationId,
      kind: "bank_card",
      account_name: name,
      bank_name: "中国农业银行温岭支行",
      number_cipher: encrypt(number),
      number_masked: maskCardNumber(number),
      entered_by: created_by,
    })
    .execute();
}

/** The form fields of a valid nomination (strings, as a browser posts them). */
export async function nominationForm(db: DB, overrides: Record<string, string | string[]> = {}) {
  const sex = (overrides.sex as "M" | "F" | undefined) ?? "M";
  const birthDate = (overrides.birthDate as string | undefined) ?? "1980-05-12";
  return {
    ...personForm(await unitId(db, (overrides.unit as string | undefined) ?? "wenling"), {
      name: `候选人${hanDigits(serial)}`,
      sex,
      birthDate,
      phone: "13957600001",
    }),
    channel: "union",
    nominatingUnitId: String(await unitId(db, (overrides.unit as string | undefined) ?? "wenling")),
    honors: "浙江省技术能手",
    achievements: "主持水泵叶轮工艺改进，良品率提高12%",
    deedsSummary: "扎根一线二十年……",
    story: "",
    frontlineYears: "18",
    inSkillPost: "yes",
    conditions: ["1", "5"],
    ...overrides,
  };
}

let campaignNumber = 100;

export async function makeCampaign(
  db: DB,
  overrides: Partial<{ number: number; year: number; title: string; deadline: string; quota: number; titles: number; status: CampaignStatus }> = {},
) {
  const row = await db
    .insertInto("campaign")
    .values({
      number: overrides.number ?? campaignNumber++,
      year: overrides.year ?? 2018,
      title: overrides.title ?? `第二届“台州工匠”选树活动`,
      nomination_deadline: overrides.deadline ?? "2099-03-31",
      quota_per_unit: overrides.quota ?? 5,
      title_count: overrides.titles ?? 20,
      status: overrides.status,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return row;
}

/** A named craftsman: a person with an award of their own campaign, and their login. */
export async function makeAwardee(db: DB, unit = "wenling", name = `${unit}匠人`, identity: { idNumber?: string; sex?: "M" | "F"; birthDate?: string } = {}) {
  const person = await makePerson(db, { unit, name, ...identity });
  // Named at the close of its campaign.
  const campaign = await makeCampaign(db, { status: "closed" });
  const nomination = await db
    .insertInto("nomination")
    .values({
      campaign_id: campaign.id,
      person_id: person.id,
      seq: 1,
      channel: "union",
      nominating_unit_id: await unitId(db, unit),
      frontline_years: 20,
      in_skill_post: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("award")
    .values({
      campaign_id: campaign.id,
      nomination_id: nomination.id,
      person_id: person.id,
      rank: 1,
      title: "第二届“台州工匠”",
      certificate_number: `C-${campaign.id}`,
      may_day_medal: true,
      named_on: "2018-05-20",
    })
    .execute();
  return { person, user: await makeUser(db, "craftsman", { personId: person.id }) };
}

/** What a county officer of `unit` imports for: their own unit, with the county list for social groups. */
export async function importTargetFor(db: DB, unit = "wenling", as: "county" | "city" = "county") {
  const all = await db.selectFrom("org_unit").select(["id", "short_name", "name", "kind"]).where("kind", "in", ["county", "social_group"]).execute();
  const units = all.map((u) => ({ ...u, kind: u.kind === "social_group" ? ("social_group" as const) : ("county" as const) }));
  const counties = units.filter((u) => u.kind === "county").map(({ id, short_name, name }) => ({ id, short_name, name }));
  return { nominatingUnitId: await unitId(db, unit), kind: "county" as const, counties, units, fixed: as === "county" };
}

/**
 * Nominations of `campaign`, one per name, people of `unit` (employer `employers[i]` when given),
 * numbered in order; `columns` are the nominations' own (candidate, qualification…).
 */
export async function makeNominations(
  db: DB,
  campaignId: number,
  names: string[],
  columns: Partial<{ candidate: boolean; qualification_result: "pass" | "fail"; deeds_summary: string }> = {},
  options: { unit?: string; employers?: string[] } = {},
): Promise<number[]> {
  const unit = options.unit ?? "wenling";
  const ids: number[] = [];
  for (const [i, name] of names.entries()) {
    const person = await makePerson(db, { unit, name, ...(options.employers ? { employer: options.employers[i] } : {}) });
    const n = await db
      .insertInto("nomination")
      .values({ campaign_id: campaignId, person_id: person.id, seq: i + 1, channel: "union", nominating_unit_id: await unitId(db, unit), ...columns })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(n.id);
  }
  return ids;
}

/** A vote's rules, as the city would have set them: by default open since yesterday for a week, three choices, live counts. */
/** A 温岭 training held on site, filed by its organiser; the test gives what it turns on (title, times, check-in code). */
export async function makeEvent(
  db: DB,
  createdBy: string,
  values: Pick<Insertable<EventTable>, "title" | "starts_at" | "ends_at" | "checkin_code"> & Partial<Insertable<EventTable>>,
) {
  return db
    .insertInto("event")
    .values({ kind: "training", org_unit_id: await unitId(db, "wenling"), channel: "offline", place: "会议室", created_by: createdBy, ...values })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function makeVoteRules(db: DB, campaignId: number, setBy: string, overrides: Partial<Insertable<VoteRuleTable>> = {}) {
  await db
    .insertInto("vote_rule")
    .values({
      campaign_id: campaignId,
      opens_at: new Date(Date.now() - 86_400_000),
      closes_at: new Date(Date.now() + 6 * 86_400_000),
      max_choices: 3,
      per_candidate: "once",
      tally_shown: "live",
      vote_weight: 30,
      set_by: setBy,
      ...overrides,
    })
    .execute();
}

/** What ALTCHA's widget posts: a fresh challenge of ours, solved as a phone would. */
export async function solvedChallenge(campaignOrChallenge: number | Challenge): Promise<string> {
  const asked = typeof campaignOrChallenge === "number" ? await newChallenge(campaignOrChallenge) : campaignOrChallenge;
  return Buffer.from(JSON.stringify({ challenge: asked, solution: await solveChallenge({ challenge: asked, deriveKey }) })).toString("base64");
}

/**
 * A studio of a named craftsman (their award found), written straight in the state a test needs:
 * by default running since 1 March 2026 in 温岭, the plaque numbered.
 */
export async function makeStudio(
  db: DB,
  personId: number,
  createdBy: string,
  columns: Partial<Pick<Insertable<StudioTable>, "name" | "status" | "accredited_on" | "plaque_number">> & { unit?: string } = {},
) {
  const { unit = "wenling", ...rest } = columns;
  const award = await db.selectFrom("award").select("id").where("person_id", "=", personId).executeTakeFirstOrThrow();
  return db
    .insertInto("studio")
    .values({
      person_id: personId,
      org_unit_id: await unitId(db, unit),
      name: "测试工匠工作室",
      host_enterprise: "温岭某厂",
      industry: "泵与电机",
      focus_sector: "advanced_manufacturing",
      address: "温岭",
      focus_areas: "铸造",
      founding_plan: "带徒",
      status: "active",
      accredited_on: "2026-03-01",
      plaque_number: `TZGJGZS-${personId}`,
      award_id: award.id,
      created_by: createdBy,
      ...rest,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** A named craftsman (of 温岭 unless `columns.unit` says) and their studio `<name>工作室`, written by a city officer. */
export async function makeLedStudio(db: DB, leaderName: string, columns: Parameters<typeof makeStudio>[3] = {}) {
  const { person, user: leader } = await makeAwardee(db, columns.unit ?? "wenling", leaderName);
  const city = await makeUser(db, "city_admin");
  const studio = await makeStudio(db, person.id, city.id, { name: `${leaderName}工作室`, ...columns });
  return { person, leader, city, studio };
}

/**
 * An apprentice of the studio with their own account, as after their first code sign-in: a person
 * (of the studio's unit) with a phone of their own, a pairing running since 1 March 2026, and the
 * apprentice account bound to the person (unless `account: false`).
 */
export async function makeApprentice<Phone extends string | null = string>(
  db: DB,
  studioId: number,
  options: { name?: string; phone?: Phone; status?: MentorshipStatus; account?: boolean; start?: string; end?: string } = {},
): Promise<{ user: SessionUser; mentorshipId: number; personId: number; phone: Phone }> {
  const studio = await db
    .selectFrom("studio")
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .select(["org_unit.code", "studio.created_by"])
    .where("studio.id", "=", studioId)
    .executeTakeFirstOrThrow();
  const phone = (options.phone === undefined ? `1365760${String(++serial).padStart(4, "0")}` : options.phone) as Phone;
  const person = await makePerson(db, { unit: studio.code, name: options.name, phone, birthDate: "2001-05-01", skillLevel: "中级工" });
  const mentorship = await db
    .insertInto("mentorship")
    .values({
      studio_id: studioId,
      apprentice_id: person.id,
      start_date: options.start ?? "2026-03-01",
      planned_end: options.end ?? "2028-02-29",
      goals: "两年内考取高级工",
      status: options.status ?? "active",
      created_by: studio.created_by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // Without an account: the person has never signed in (their first code sign-in makes it).
  const user = await makeApprenticeAccount(db, person.id, options.account === false);
  return { user, mentorshipId: mentorship.id, personId: person.id, phone };
}

/** The apprentice account of a person who is an apprentice, as their first code sign-in makes it (or, `unsaved`, only its session shape). */
export async function makeApprenticeAccount(db: DB, personId: number, unsaved = false): Promise<SessionUser> {
  const { name } = await db.selectFrom("person").select("name").where("id", "=", personId).executeTakeFirstOrThrow();
  const row = {
    id: newUserId(),
    username: apprenticeUsername(personId),
    display_name: name,
    password_hash: NO_PASSWORD,
    role: "apprentice" as const,
    org_unit_id: null,
    person_id: personId,
  };
  if (!unsaved) await db.insertInto("app_user").values(row).execute();
  return sessionUserOf(row)!;
}

/**
 * The phone's side of the SMS: a gateway that delivers into a list, as the real one would to the
 * handset. The outbox (短信记录) keeps one-time codes masked, so tests read codes here.
 */
export function phoneInbox(): SmsGateway & { sent: SmsRequest[]; codeFor: (phone: string) => string } {
  const sent: SmsRequest[] = [];
  return {
    driver: "outbox",
    sent,
    async send(request) {
      sent.push(request);
      return { ok: true, providerId: null };
    },
    // What reached the handset is what the provider would report as sent.
    confirm: async ({ outId }) => (sent.some((r) => r.outId === outId) ? "sent" : "absent"),
    codeFor: (phone) => [...sent].reverse().find((r) => r.phone === phone)!.params.code,
  };
}

/**
 * A pairing (师徒结对) of a named craftsman's new studio, written straight in (makeApprentice): the
 * apprentice with a phone of their own (`phone: null` for none) and an apprentice account, and an
 * officer of the studio's unit — the three parties of a review.
 */
export async function makePairing(
  db: DB,
  leaderName: string,
  options: { phone?: string | null; unit?: string; name?: string; start?: string; end?: string } = {},
) {
  const led = await makeLedStudio(db, leaderName, options.unit ? { unit: options.unit } : {});
  const made = await makeApprentice(db, led.studio.id, { name: options.name, phone: options.phone, start: options.start, end: options.end });
  const county = await makeUser(db, "county_officer", { unit: options.unit ?? "wenling" });
  return { ...led, apprentice: { id: made.personId }, apprenticeUser: made.user, mentorshipId: made.mentorshipId, phone: made.phone, county };
}

/**
 * An application written straight in at a status (approved ones with their amount and, unless
 * `payee: false`, the account to pay), for a year whose policy exists: the scene of the 公示's and
 * the payment's tests.
 */
export async function makeSubsidy(
  db: DB,
  year: number,
  createdBy: string,
  options: { unit?: string; name?: string; status?: SubsidyStatus; approvedFen?: number; payee?: boolean; personId?: number } = {},
) {
  // A given person (one with other records, as the data copy's test needs) or a new one of the unit.
  const person = options.personId ? { id: options.personId } : await makePerson(db, { unit: options.unit ?? "wenling", name: options.name });
  const status = options.status ?? "approved";
  const approved = ["approved", "disbursed", "closed", "rejected"].includes(status) ? (options.approvedFen ?? 1_000_000) : null;
  const row = await db
    .insertInto("subsidy_application")
    .values({
      year,
      person_id: person.id,
      org_unit_id: await unitId(db, options.unit ?? "wenling"),
      current_education: "大专",
      target_degree: "本科",
      institution: "台州学院",
      programme: "机械工程",
      study_mode: "part_time",
      enrolled_on: `${year - 1}-09-01`,
      expected_graduation: `${year + 2}-07-01`,
      tuition_fen: 2_000_000,
      requested_fen: 1_000_000,
      max_fen: 1_000_000,
      approved_fen: approved,
      status,
      created_by: createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (options.payee ?? ["approved", "disbursed", "closed"].includes(status)) await makePayee(db, row.id);
  return { id: row.id, personId: person.id };
}

/**
 * Publishes the year's approved subsidies in a 公示 that began `daysAgo` days ago — over by now
 * with the policy's 7 days, so payment may follow (the tests of steps after the 公示).
 */
export async function publishSubsidies(db: DB, city: SessionUser, year: number, daysAgo = 30) {
  const then = new Date(Date.now() - daysAgo * 86_400_000);
  const { rows } = await publishPreview(db, year, then);
  const published = await publishNotice(db, city, year, { expected: rows.length, confirmed: true }, then);
  if (!published.ok) throw new Error(`publishSubsidies failed: ${published.message}`);
  return published;
}

let documentSerial = 100;

/**
 * A decision document of the city's, written straight (recording one through the module is its own
 * test): by default the next 台总工〔2018〕N号, a naming decision, without a file.
 */
export async function makeDocument(db: DB, columns: Partial<{ issuer: string; number: string; issued_on: string; title: string }> = {}) {
  const city = await makeUser(db, "city_admin");
  const row = await db
    .insertInto("decision_document")
    .values({
      issuer: "台州市总工会",
      number: `台总工〔${(columns.issued_on ?? "2018").slice(0, 4)}〕${documentSerial++}号`,
      issued_on: "2018-05-18",
      title: "关于命名第二届“台州工匠”的决定",
      recorded_by: city.id,
      ...columns,
    })
    .returning(["id", "issuer", "number", "issued_on", "title"])
    .executeTakeFirstOrThrow();
  return row;
}

/** A revocation's own decision document (revoking a title cites one). */
export function makeRevocationDocument(db: DB, columns: Partial<{ issuer: string; number: string; issued_on: string; title: string }> = {}) {
  return makeDocument(db, { issued_on: "2026-03-01", title: "关于撤销有关荣誉的决定", ...columns });
}

/** A campaign about to be named, with its naming decision recorded (naming refuses without one). */
export async function giveBasis(db: DB, campaignId: number) {
  const document = await makeDocument(db);
  await db.updateTable("campaign").set({ basis_document_id: document.id }).where("id", "=", campaignId).execute();
  return document;
}

const batches = new WeakMap<DB, Promise<number>>();

/** The 授牌决定 a test's studios are accredited under: one per database. */
export function accreditationBatch(db: DB): Promise<number> {
  if (!batches.has(db)) {
    batches.set(
      db,
      makeDocument(db, { number: "台总工〔2019〕2号", issued_on: "2019-01-08", title: "关于命名首批台州工匠工作室的决定" }).then((d) => d.id),
    );
  }
  return batches.get(db)!;
}
