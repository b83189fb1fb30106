import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makePerson, makeUser } from "../../../test/factories";
import { maskIdNumber, parseIdNumber } from "~/modules/people/id-number";
import { EXACT_LOOKUPS_PER_DAY } from "~/modules/people/lookup.server";
import { listPeople, personForViewer } from "~/modules/people/people.server";

const t = useTestDb();

describe("what a page shows of a personal number", () => {
  it("leaves the sequence and check digits unknown beside the birth date, sex and county", async () => {
    const person = await makePerson(t.db, { unit: "wenling", birthDate: "1985-06-01", sex: "F" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const view = await personForViewer(t.db, officer, person.id);
    if (view.status !== 200) throw new Error("not visible");
    const shown = view.value;
    const real = parseIdNumber(person.idNumber);
    if (!real.ok) throw new Error("fixture");
    // Everything the page shows together: mask, birth date, sex and county…
    expect(shown.id_number_masked).toBe(maskIdNumber(person.idNumber));
    expect(shown.birth_date).toBe("1985-06-01");
    // …still hides all of digits 15–18 (sequence and check digit): 500 numbers fit with a woman born that day.
    expect(shown.id_number_masked.slice(14)).toBe("****");
    expect(JSON.stringify(shown)).not.toContain(person.idNumber.slice(14));
  });
});

describe("searching by a whole ID number", () => {
  it("is counted per user, recorded in the history, and refused past the day's limit", async () => {
    const person = await makePerson(t.db, { unit: "wenling", name: "查号测试" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const limit = EXACT_LOOKUPS_PER_DAY.county_officer;
    for (let i = 0; i < limit; i++) {
      const found = await listPeople(t.db, officer, { q: person.idNumber });
      expect(found.rows.map((r) => r.id)).toEqual([person.id]);
      expect(found.notice).toBeUndefined();
    }
    const refused = await listPeople(t.db, officer, { q: person.idNumber });
    expect(refused.rows).toEqual([]);
    expect(refused.notice).toMatch(`每天最多${limit}次`);
    // A name search is not an exact lookup and goes on working.
    expect((await listPeople(t.db, officer, { q: "查号测试" })).rows.map((r) => r.id)).toEqual([person.id]);
    const history = await t.db
      .selectFrom("audit_log")
      .select(["comment"])
      .where("actor_user_id", "=", officer.id)
      .where("action", "=", "exact_lookup")
      .execute();
    expect(history).toHaveLength(limit);
    // The history keeps the number masked, never whole.
    expect(history.every((h) => h.comment?.includes(maskIdNumber(person.idNumber)) && !h.comment.includes(person.idNumber))).toBe(true);
    // Another officer's day is their own.
    const other = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect((await listPeople(t.db, other, { q: person.idNumber })).rows.length).toBe(1);
  });

  it("finds nobody outside the user's scope", async () => {
    const elsewhere = await makePerson(t.db, { unit: "jiaojiang" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect((await listPeople(t.db, officer, { q: elsewhere.idNumber })).rows).toEqual([]);
  });
});
