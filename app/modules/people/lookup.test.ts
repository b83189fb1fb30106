import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { makeCampaign, makePerson, makeUser, nominationForm, personForm, unitId } from "../../../test/factories";
import { createPersonSchema } from "~/modules/people/schema.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { createNomination } from "~/modules/nominations/nominations.server";
import { updateNominationSchema } from "~/modules/nominations/schema.server";
import { maskIdNumber, parseIdNumber } from "~/modules/people/id-number";
import { EXACT_LOOKUPS_PER_DAY, REGISTERED_ELSEWHERE } from "~/modules/people/lookup.server";
import { createPerson, DUPLICATE_ID, listPeople, personForViewer } from "~/modules/people/people.server";

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

describe("registering a number that is already on file", () => {
  const personInput = async (idNumber: string) =>
    createPersonSchema.parse(personForm(await unitId(t.db, "wenling"), { name: "重号测试", idNumber, sex: "M", birthDate: "1985-06-01" }));
  const lookupsOf = async (userId: string) =>
    (await t.db.selectFrom("audit_log").select("comment").where("actor_user_id", "=", userId).where("action", "=", "exact_lookup").execute()).length;

  it("in the officer's own county: says so, and costs no lookup", async () => {
    const own = await makePerson(t.db, { unit: "wenling" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await createPerson(t.db, officer, await personInput(own.idNumber))).toMatchObject({ ok: false, fieldErrors: { idNumber: [DUPLICATE_ID] } });
    expect(await lookupsOf(officer.id)).toBe(0);
  });

  it("in another county: names nobody, counts as an exact lookup, and stops at the day's limit", async () => {
    const elsewhere = await makePerson(t.db, { unit: "jiaojiang", name: "椒江某人" });
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const input = await personInput(elsewhere.idNumber);
    const limit = EXACT_LOOKUPS_PER_DAY.county_officer;
    for (let i = 0; i < limit; i++) {
      const refused = await createPerson(t.db, officer, input);
      expect(refused).toMatchObject({ ok: false, fieldErrors: { idNumber: [REGISTERED_ELSEWHERE] } });
    }
    expect(await lookupsOf(officer.id)).toBe(limit);
    const spent = await createPerson(t.db, officer, input);
    expect(JSON.stringify(spent)).toMatch(`每天最多${limit}次`);
    expect(await lookupsOf(officer.id)).toBe(limit);
    expect(await t.db.selectFrom("person").select("id").where("name", "=", "重号测试").execute()).toEqual([]);
  });

  it("through a nomination: refused before any other unit's nomination of that person is mentioned", async () => {
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { number: 41, deadline: "2018-03-31" })).id))!;
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const form = await nominationForm(t.db, { unit: "jiaojiang" });
    expect(await createNomination(t.db, jiaojiang, campaign, updateNominationSchema.parse(form), "2018-03-20")).toMatchObject({ ok: true });

    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const probe = updateNominationSchema.parse(await nominationForm(t.db, { idNumber: form.idNumber, name: form.name }));
    const refused = await createNomination(t.db, wenling, campaign, probe, "2018-03-20");
    expect(refused).toMatchObject({ ok: false, fieldErrors: { idNumber: [REGISTERED_ELSEWHERE] } });
    expect(JSON.stringify(refused)).not.toMatch(/椒江|推荐单位/);
    expect(await lookupsOf(wenling.id)).toBe(1);
  });
});
