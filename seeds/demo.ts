import type { DB } from "../db";
import type { PersonTable } from "../db/types";
import { piiColumns } from "../app/modules/people/people.server";
import { lookupHash } from "../app/modules/people/pii.server";
import { hashPassword } from "../app/auth/password.server";
import { newUserId } from "../app/auth/session.server";
import { type Sex } from "../app/modules/people/id-number";
import { EDUCATION_LEVELS, ETHNICITIES, POLITICAL_STATUSES, SKILL_LEVELS } from "../app/modules/people/options";
import { birthDate, DISTRICT_CODES, employer, fictionalIdNumber, mobilePhone, personName, POSITIONS, TITLES } from "./people";
import { seedCampaigns } from "./campaigns";
import { DEMO_APPRENTICE_PHONE, seedStudios } from "./studios";
import { seedCycle } from "./cycle";
import { seedGovernance } from "./governance";
import { seedEvents } from "./events";
import { seedShowcase } from "./showcase";
import { seedHonours } from "./honours";
import { sessionUserOf } from "../app/auth/roles";
import { seedSubsidies } from "./subsidies";
import { createRandom } from "../app/lib/random";
import { sql } from "kysely";

export const DEMO_PASSWORD = "Jiangxin-2026";

/** The demo craftsman's phone: they sign in with a code too (printed on the console by the SMS outbox). */
export const DEMO_CRAFTSMAN_PHONE = "13957688000";

export interface DemoLogin {
  username: string;
  role: string;
  who: string;
}

export interface SeedOptions {
  /** N× a city's worth of records, for benchmarks. 1 is the demo. */
  scale?: number;
  log?: (line: string) => void;
}

const PEOPLE_PER_UNIT = 12;

/** Fills an empty, migrated database with believable, clearly fictional data. */
export async function seedDemo(db: DB, options: SeedOptions = {}): Promise<DemoLogin[]> {
  const scale = options.scale ?? 1;
  const log = options.log ?? (() => {});
  const existing = await db.selectFrom("app_user").select("id").limit(1).executeTakeFirst();
  if (existing) throw new Error("The database already has users; demo data is only added to an empty database.");

  const random = createRandom(20180310);
  const units = await db.selectFrom("org_unit").selectAll().where("kind", "=", "county").orderBy("sort_order").execute();

  const usedIds = new Set<string>();
  let serial = 0;
  const people: SeedPerson[] = [];
  for (const unit of units) {
    const place = unit.short_name.replace(/(区|市|县)$/, "");
    for (let i = 0; i < PEOPLE_PER_UNIT * scale; i++) {
      const sex: Sex = random.chance(0.78) ? "M" : "F";
      const born = birthDate(random, 1968, 2002);
      let idNumber: string;
      do {
        idNumber = fictionalIdNumber(random, DISTRICT_CODES[unit.code] ?? "331002", born, sex, serial++);
      } while (usedIds.has(idNumber));
      usedIds.add(idNumber);
      const work = employer(random, place === "经济开发" ? "台州" : place);
      const senior = i % 4 === 0;
      people.push({
        org_unit_id: unit.id,
        name: personName(random, sex),
        sex,
        birth_date: born,
        ethnicity: random.chance(0.96) ? "汉族" : random.pick(ETHNICITIES),
        education: random.pick(EDUCATION_LEVELS.slice(1, 5)),
        political_status: random.pick(POLITICAL_STATUSES),
        employer: work.employer,
        industry: work.industry,
        position: senior ? random.pick(POSITIONS.slice(0, 4)) : random.pick(POSITIONS),
        title: random.pick(TITLES),
        skill_level: senior ? random.pick(SKILL_LEVELS.slice(3)) : random.pick(SKILL_LEVELS.slice(0, 5)),
        idNumber,
        phone: random.chance(0.9) ? mobilePhone(random) : null,
      });
    }
  }
  const wenling = units.find((u) => u.code === "wenling")!;
  const jiaojiang = units.find((u) => u.code === "jiaojiang")!;
  const craftsmanIndex = people.findIndex((p) => p.org_unit_id === wenling.id && SKILL_LEVELS.indexOf(p.skill_level as never) >= 4);
  const craftsman = people[craftsmanIndex];
  // A number the demo prints, so the craftsman's sign-in by phone code (issue 36) can be tried too.
  for (const p of people) if (p.phone === DEMO_CRAFTSMAN_PHONE) p.phone = null;
  craftsman.phone = DEMO_CRAFTSMAN_PHONE;
  const ids = await insertPeople(db, people);
  log(`${ids.length} people across ${units.length} county-level units`);

  // The demo craftsman's story: a 大专 graduate whose 本科 study the subsidy supports.
  await db.updateTable("person").set({ education: "大专" }).where("id", "=", ids[craftsmanIndex]).execute();
  const password = await hashPassword(DEMO_PASSWORD);
  const logins = [
    { username: "admin", display_name: "市总工会管理员", role: "city_admin" as const, org_unit_id: null, person_id: null },
    { username: "wenling", display_name: "温岭市总工会 陈晓燕", role: "county_officer" as const, org_unit_id: wenling.id, person_id: null },
    { username: "jiaojiang", display_name: "椒江区总工会 王立新", role: "county_officer" as const, org_unit_id: jiaojiang.id, person_id: null },
    { username: "craftsman", display_name: craftsman.name, role: "craftsman" as const, org_unit_id: null, person_id: ids[craftsmanIndex] },
    { username: "expert", display_name: "周建国", role: "expert" as const, org_unit_id: null, person_id: null },
  ];
  const users = logins.map((l) => ({ id: newUserId(), password_hash: password, ...l }));
  await db.insertInto("app_user").values(users).execute();
  log(`${logins.length} demo logins`);
  // The expert login's place in the pool: they see work once the city puts them on a panel.
  await db
    .insertInto("expert")
    .values({ user_id: users[4].id, name: "周建国", field: "advanced_manufacturing", employer: "台州职业技术学院", org_unit_id: null, created_by: users[0].id })
    .execute();
  await seedCampaigns(db, random, ids[craftsmanIndex], users[0].id);
  log("campaigns: the second (2018) named, the third open for nominations");
  await seedStudios(db, random, ids[craftsmanIndex], users[0].id, serial, scale);
  log("studios in every state, apprentices and their milestones");
  await seedGovernance(db, { id: users[0].id, username: "admin", displayName: users[0].display_name, role: "city_admin", orgUnitId: null, personId: null });
  log("decision documents: the basis of the campaigns, the studio programme and the accredited studios");
  await seedCycle(db, ids[craftsmanIndex], users[0].id);
  log("studio ledgers, last year's 验收 and re-confirmations");
  await seedSubsidies(db, ids[craftsmanIndex], users[0].id);
  log("subsidy policies and applications at every stage");
  await seedEvents(db, ids[craftsmanIndex], users[0].id);
  log("exchange events, with attendance and a certificate");
  await seedShowcase(db, ids[craftsmanIndex], users[0].id);
  log("publication consent and coverage");
  const admin = sessionUserOf(await db.selectFrom("app_user").selectAll().where("id", "=", users[0].id).executeTakeFirstOrThrow())!;
  await seedHonours(db, ids[craftsmanIndex], admin);
  log("honours in the register, one since revoked");
  await recordSeededHistory(db);
  log("a history row for every record the demo filled in directly");
  const apprentice = await db
    .selectFrom("person")
    .innerJoin("mentorship", "mentorship.apprentice_id", "person.id")
    .innerJoin("studio", "studio.id", "mentorship.studio_id")
    .select(["person.name", "studio.name as studio_name"])
    .where("person.phone_hash", "=", lookupHash(DEMO_APPRENTICE_PHONE))
    .executeTakeFirstOrThrow();
  return [
    { username: "admin", role: "市总工会", who: "市总工会管理员" },
    { username: "wenling", role: "县级总工会", who: "温岭市总工会" },
    { username: "jiaojiang", role: "县级总工会", who: "椒江区总工会" },
    {
      username: "craftsman",
      role: "台州工匠",
      who: `${craftsman.name}（${craftsman.employer}）；也可在 /login/code 输入手机号 ${DEMO_CRAFTSMAN_PHONE}，验证码显示在控制台`,
    },
    { username: "expert", role: "评审专家", who: "周建国（台州职业技术学院，专家库）" },
    // No password: the phone number at /login/code, and the code the SMS outbox prints on the console.
    {
      username: DEMO_APPRENTICE_PHONE,
      role: "学徒",
      who: `${apprentice.name}（${apprentice.studio_name}的学徒）：无密码，在 /login/code 输入此手机号，验证码显示在控制台（短信发件箱）`,
    },
  ];
}

/** A person as the demo makes them up: the record's own columns, and the numbers before they are encrypted. */
type SeedPerson = Omit<PersonTable, "id" | `${"id_number" | "phone"}_${"cipher" | "hash" | "masked"}` | "created_by" | "created_at" | "updated_at"> & {
  idNumber: string;
  phone: string | null;
};

async function insertPeople(db: DB, people: SeedPerson[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < people.length; i += 500) {
    const rows = await db
      .insertInto("person")
      .values(people.slice(i, i + 500).map(({ idNumber, phone, ...p }) => ({ ...p, ...piiColumns(idNumber, phone) })))
      .returning("id")
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export function printLogins(logins: DemoLogin[], print: (line: string) => void = console.log): void {
  print("");
  print("演示账号 / Demo logins (password for all but the apprentice: " + DEMO_PASSWORD + ")");
  for (const l of logins) print(`  ${l.username.padEnd(10)} ${l.role.padEnd(6)} ${l.who}`);
  print("");
}

/**
 * Much of the demo is inserted in bulk, past the modules that write history. So that the audit log
 * shows where those records came from, each main record without any history gets one "create"
 * row by 演示数据 — one statement per kind, whatever the scale.
 */
async function recordSeededHistory(db: DB): Promise<void> {
  const kinds: Array<[entity: string, table: string, unit: string]> = [
    ["person", "person", "org_unit_id"],
    ["campaign", "campaign", "null"],
    ["nomination", "nomination", "nominating_unit_id"],
    ["studio", "studio", "org_unit_id"],
    ["subsidy", "subsidy_application", "org_unit_id"],
    ["subsidy_payment_batch", "subsidy_payment_batch", "null"],
    ["event", "event", "org_unit_id"],
  ];
  for (const [entity, table, unit] of kinds) {
    await sql`
      insert into audit_log (actor_user_id, actor_name, entity_type, entity_id, org_unit_id, action, comment)
      select null, '演示数据', ${entity}, r.id::text, ${sql.raw(unit === "null" ? "null" : `r.${unit}`)}, 'create', '演示数据'
      from ${sql.table(table)} r
      where not exists (select 1 from audit_log a where a.entity_type = ${entity} and a.entity_id = r.id::text)`.execute(db);
  }
}
