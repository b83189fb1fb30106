import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { signIn } from "../app/auth/session.server";
import { crossCheckIdNumber, parseIdNumber } from "../app/modules/people/id-number";
import { decrypt } from "../app/modules/people/pii.server";
import { campaignSchema } from "../app/modules/campaigns/schema.server";
import { useTestDb } from "../test/db";
import { ORIGIN } from "../test/http";
import { DEMO_CRAFTSMAN_PHONE, DEMO_PASSWORD, printLogins, seedDemo } from "./demo";
import { DEMO_APPRENTICE_PHONE } from "./studios";
import { requestSignInCode, signInWithCode } from "../app/modules/apprentices/sign-in.server";
import { phoneInbox } from "../test/factories";

const t = useTestDb();
/** What the first test's seeding answered: the logins `npm start` prints. */
let demoLogins: ReturnType<typeof seedDemo>;

describe("demo data", () => {
  it("fills every county-level unit with people whose ID numbers pass every check", async () => {
    const logins = await (demoLogins = seedDemo(t.db));
    expect(logins.map((l) => l.username)).toEqual(["admin", "wenling", "jiaojiang", "craftsman", "expert", DEMO_APPRENTICE_PHONE]);

    const people = await t.db.selectFrom("person").selectAll().execute();
    // Twelve per county-level unit, plus the apprentices of the running studios.
    expect(people.length).toBeGreaterThan(120);
    expect(new Set(people.map((p) => p.org_unit_id)).size).toBe(10);
    for (const p of people) {
      const parsed = parseIdNumber(decrypt(p.id_number_cipher));
      expect(parsed.ok, p.name).toBe(true);
      if (parsed.ok) expect(crossCheckIdNumber(parsed.value, p.sex, p.birth_date)).toBeNull();
    }
    expect(new Set(people.map((p) => p.id_number_hash)).size).toBe(people.length);
  });

  it("runs the second campaign to twenty named craftsmen, the demo craftsman among them", async () => {
    const campaigns = await t.db.selectFrom("campaign").select(["number", "status"]).orderBy("number").execute();
    expect(campaigns).toEqual([
      { number: 2, status: "closed" },
      { number: 3, status: "nominating" },
    ]);
    // The open campaign is one its own form would save unchanged (its deadline within its year or the year before).
    const open = await t.db.selectFrom("campaign").selectAll().where("number", "=", 3).executeTakeFirstOrThrow();
    const asTyped = {
      number: "3",
      year: String(open.year),
      title: open.title,
      nominationDeadline: open.nomination_deadline,
      quotaPerUnit: "5",
      titleCount: "20",
    };
    expect(campaignSchema.safeParse(asTyped).error?.issues).toBeUndefined();
    const awards = await t.db.selectFrom("award").select(["person_id", "rank"]).orderBy("rank").execute();
    expect(awards).toHaveLength(20);
    const craftsman = await t.db.selectFrom("app_user").select("person_id").where("username", "=", "craftsman").executeTakeFirstOrThrow();
    expect(awards[0].person_id).toBe(craftsman.person_id);
  });

  it("gives the demo craftsman a running studio with five apprentices and two items to verify", async () => {
    const craftsman = await t.db.selectFrom("app_user").select("person_id").where("username", "=", "craftsman").executeTakeFirstOrThrow();
    const studio = await t.db.selectFrom("studio").selectAll().where("person_id", "=", craftsman.person_id!).executeTakeFirstOrThrow();
    expect(studio.status).toBe("active");
    const mentorships = await t.db.selectFrom("mentorship").select("id").where("studio_id", "=", studio.id).execute();
    expect(mentorships).toHaveLength(5);
    const pending = await t.db
      .selectFrom("milestone")
      .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
      .where("mentorship.studio_id", "=", studio.id)
      .where("milestone.status", "=", "pending")
      .select("milestone.id")
      .execute();
    expect(pending).toHaveLength(2);
    const wenling = await t.db
      .selectFrom("app_user")
      .select(["id", "username", "display_name", "role", "org_unit_id", "person_id"])
      .where("username", "=", "wenling")
      .executeTakeFirstOrThrow();
    const { eligibleLeaders } = await import("../app/modules/studios/studios.server");
    const { sessionUserOf } = await import("../app/auth/roles");
    const leaders = await eligibleLeaders(t.db, sessionUserOf(wenling)!);
    expect(leaders.length).toBeGreaterThanOrEqual(1);
    const states = await t.db.selectFrom("studio").select("status").distinct().execute();
    expect(states.map((s) => s.status).sort()).toEqual(["accredited", "active", "county_reviewed", "draft", "submitted"]);
  });

  it("has subsidy policies and applications at every stage, within budget", async () => {
    const statuses = await t.db.selectFrom("subsidy_application").select("status").distinct().execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(["approved", "closed", "county_approved", "disbursed", "returned", "submitted"]);
    const { budgetStatus } = await import("../app/modules/subsidies/subsidies.server");
    const status = await budgetStatus(t.db, new Date().getFullYear());
    expect(status.committed).toBeLessThanOrEqual(status.budget);
    // Every approved one says where it is paid (encrypted, masked); the paid one went out on a bank batch.
    const unpaid = await t.db
      .selectFrom("subsidy_application as a")
      .leftJoin("subsidy_payee as p", "p.application_id", "a.id")
      .select(["a.status", "p.number_masked"])
      .where("a.status", "in", ["approved", "disbursed", "closed"])
      .execute();
    expect(unpaid.length).toBe(3);
    expect(unpaid.every((r) => /^\d{4} \*{4} \*{4} \*{3} \d{4}$/.test(r.number_masked ?? ""))).toBe(true);
    const lines = await t.db.selectFrom("subsidy_payment_line").innerJoin("subsidy_application as a", "a.id", "application_id").select("a.status").execute();
    expect(lines).toEqual([{ status: "disbursed" }]);
  });

  it("rests each application past submission on a 学信网 code, checked as matching where a review has passed", async () => {
    const reports = await t.db
      .selectFrom("subsidy_application as a")
      .leftJoin("subsidy_chsi_report as r", "r.application_id", "a.id")
      .select(["a.status", "r.stage", "r.outcome"])
      .orderBy("a.id")
      .orderBy("r.id")
      .execute();
    const of = (status: string) => reports.filter((r) => r.status === status).map((r) => `${r.stage}:${r.outcome ?? "待核验"}`);
    expect(of("submitted")).toEqual(["enrolment:待核验"]);
    for (const status of ["returned", "county_approved", "approved", "disbursed"]) expect(of(status), status).toEqual(["enrolment:matches"]);
    expect(of("closed")).toEqual(["enrolment:matches", "graduation:matches"]);
  });

  it("leaves every main record with a history row, so the audit log shows where it came from", async () => {
    for (const [entity, table] of [
      ["person", "person"],
      ["studio", "studio"],
      ["subsidy", "subsidy_application"],
      ["subsidy_payment_batch", "subsidy_payment_batch"],
      ["event", "event"],
      ["nomination", "nomination"],
    ] as const) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} r
        where not exists (select 1 from audit_log a where a.entity_type = ${entity} and a.entity_id = r.id::text)`.execute(t.db);
      expect(rows[0].n, entity).toBe(0);
    }
  });

  it("gives each demo login its role and lets it sign in", async () => {
    for (const [username, role] of [
      ["admin", "city_admin"],
      ["wenling", "county_officer"],
      ["craftsman", "craftsman"],
    ]) {
      const result = await signIn(t.db, new Request(`${ORIGIN}/login`, { method: "POST" }), { username, password: DEMO_PASSWORD });
      expect(result).toMatchObject({ ok: true, user: { role } });
    }
  });

  it("prints the craftsman's phone, who also signs in by the code the outbox shows (issue 36)", async () => {
    const printed: string[] = [];
    printLogins(await demoLogins, (line) => printed.push(line));
    expect(printed.find((line) => line.includes(DEMO_CRAFTSMAN_PHONE))).toMatch(/craftsman.*台州工匠.*\/login\/code/);
    const inbox = phoneInbox();
    expect(await requestSignInCode(t.db, inbox, DEMO_CRAFTSMAN_PHONE, null)).toMatchObject({ ok: true });
    const signedIn = await signInWithCode(t.db, new Request(`${ORIGIN}/login/code`, { method: "POST" }), {
      phone: DEMO_CRAFTSMAN_PHONE,
      code: inbox.codeFor(DEMO_CRAFTSMAN_PHONE),
    });
    expect(signedIn).toMatchObject({ ok: true, user: { role: "craftsman", username: "craftsman" } });
  });

  it("prints the apprentice's phone among the logins, who signs in with the code the outbox shows", async () => {
    const printed: string[] = [];
    printLogins(await demoLogins, (line) => printed.push(line));
    expect(printed.find((line) => line.includes(DEMO_APPRENTICE_PHONE))).toMatch(/学徒.*\/login\/code.*验证码显示在控制台/);

    const inbox = phoneInbox();
    expect(await requestSignInCode(t.db, inbox, DEMO_APPRENTICE_PHONE, null)).toMatchObject({ ok: true });
    const signedIn = await signInWithCode(t.db, new Request(`${ORIGIN}/login/code`, { method: "POST" }), {
      phone: DEMO_APPRENTICE_PHONE,
      code: inbox.codeFor(DEMO_APPRENTICE_PHONE),
    });
    expect(signedIn).toMatchObject({ ok: true, user: { role: "apprentice" } });
    // Their pairing is the demo craftsman's studio's.
    const craftsman = await t.db.selectFrom("app_user").select("person_id").where("username", "=", "craftsman").executeTakeFirstOrThrow();
    const pairing = await t.db
      .selectFrom("mentorship")
      .innerJoin("studio", "studio.id", "mentorship.studio_id")
      .select("studio.person_id")
      .where("mentorship.apprentice_id", "=", signedIn.ok ? signedIn.user.personId : 0)
      .executeTakeFirstOrThrow();
    expect(pairing.person_id).toBe(craftsman.person_id);
  });

  it("refuses to seed a database that already has users", async () => {
    await expect(seedDemo(t.db)).rejects.toThrow(/already has users/);
  });
});
