import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF } from "../../../test/files";
import { accreditationBatch, apprenticeForm, makeAwardee, makePerson, makeUser, unitId } from "../../../test/factories";
import type { DB } from "~db";
import { personForViewer } from "~/modules/people/people.server";
import { apprenticeSchema, milestoneSchema, studioSchema } from "~/modules/studios/schema.server";
import { addApprentice, findMentorship } from "~/modules/studios/mentorships.server";
import { addMilestone, milestonesOf, reviewMilestone } from "~/modules/studios/milestones.server";
import { createStudio, eligibleLeaders, takeStudioStep } from "~/modules/studios/studios.server";
import { revokeStudio } from "~/modules/governance/revocation.server";
import { makeRevocationDocument } from "../../../test/factories";
import { figuresByStudioAndYear, noFigures, studioYearFigures } from "~/modules/studios/figures.server";
import { historyOf } from "~/modules/audit/audit.server";

const t = useTestDb();

async function awardee(db: DB, unit = "wenling") {
  const { person, user } = await makeAwardee(db, unit, "王建国");
  return { person, craftsman: user };
}

const studioForm = async (db: DB, leaderPersonId: number, unit = "wenling") =>
  studioSchema.parse({
    leaderPersonId: String(leaderPersonId),
    name: "王建国工匠工作室",
    hostEnterprise: "温岭东海泵业有限公司",
    industry: "泵与电机",
    focusSector: "advanced_manufacturing",
    orgUnitId: String(await unitId(db, unit)),
    address: "温岭市东部产业集聚区",
    focusAreas: "水泵叶轮精密铸造",
    foundingPlan: "三年带徒十名……",
  });

const step = async (
  actor: Parameters<typeof takeStudioStep>[1],
  id: number,
  name: Parameters<typeof takeStudioStep>[3],
  expected: string,
  extra: Partial<{ reason: string; plaqueNumber: string; accreditedOn: string; confirmed: boolean; accreditationDocumentId: number | null }> = {},
) =>
  takeStudioStep(t.db, actor, id, name, {
    // The 授牌决定: the test's batch unless the test says otherwise.
    accreditationDocumentId: "accreditationDocumentId" in extra ? extra.accreditationDocumentId : await accreditationBatch(t.db),
    expected,
    reason: extra.reason ?? null,
    // The page's confirming button; the refusal without it is tested on its own.
    confirmed: extra.confirmed ?? true,
    plaqueNumber: extra.plaqueNumber ?? null,
    accreditedOn: extra.accreditedOn ?? null,
  });

describe("a studio from application to verified apprentices' progress", () => {
  it("goes through review and accreditation, takes five apprentices, and counts only verified milestones", async () => {
    const { person, craftsman } = await awardee(t.db);
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const city = await makeUser(t.db, "city_admin");

    expect((await eligibleLeaders(t.db, craftsman)).map((l) => l.id)).toEqual([person.id]);
    const created = await createStudio(t.db, craftsman, await studioForm(t.db, person.id));
    if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
    const id = created.id;
    // One open studio per craftsman, however it is asked for.
    expect(await createStudio(t.db, craftsman, await studioForm(t.db, person.id))).toMatchObject({
      ok: false,
      fieldErrors: { leaderPersonId: [expect.stringContaining("最多领衔一个")] },
    });
    expect(await createStudio(t.db, county, await studioForm(t.db, person.id))).toMatchObject({ ok: false });

    expect(await step(craftsman, id, "county_approve", "draft")).toMatchObject({ ok: false, status: 403 });
    expect(await step(craftsman, id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    expect(await step(otherCounty, id, "county_approve", "submitted")).toMatchObject({ ok: false, status: 403 });
    expect(await step(county, id, "return", "submitted")).toMatchObject({ ok: false, status: 400, field: "reason" });
    expect(await step(county, id, "return", "submitted", { reason: "请补充建设方案" })).toEqual({ ok: true, to: "returned" });
    expect(await step(craftsman, id, "submit", "returned")).toEqual({ ok: true, to: "submitted" });
    expect(await step(county, id, "county_approve", "submitted")).toEqual({ ok: true, to: "county_reviewed" });
    expect(await step(county, id, "accredit", "county_reviewed", { plaqueNumber: "TZGJGZS-001", accreditedOn: "2019-01-10" })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await step(city, id, "accredit", "county_reviewed")).toMatchObject({ ok: false, field: "plaqueNumber" });
    // 授牌 cannot be undone: one press only shows what will happen.
    expect(await step(city, id, "accredit", "county_reviewed", { plaqueNumber: "TZGJGZS-001", accreditedOn: "2019-01-10", confirmed: false })).toMatchObject({
      ok: false,
      status: 400,
      field: "confirmed",
      message: expect.stringContaining("授牌不能撤回"),
    });
    for (const accreditedOn of ["9999-12-31", "2019-02-30", "1999-01-01"]) {
      expect(await step(city, id, "accredit", "county_reviewed", { plaqueNumber: "TZGJGZS-001", accreditedOn }), accreditedOn).toMatchObject({
        ok: false,
        status: 400,
        field: "accreditedOn",
      });
    }
    expect(await step(city, id, "accredit", "county_reviewed", { plaqueNumber: "TZGJGZS-001", accreditedOn: "2019-01-10" })).toEqual({
      ok: true,
      to: "accredited",
    });
    // A stale page: the studio has moved on.
    expect(await step(city, id, "accredit", "county_reviewed", { plaqueNumber: "X", accreditedOn: "2019-01-10" })).toMatchObject({ ok: false, status: 409 });
    expect(await step(craftsman, id, "activate", "accredited")).toEqual({ ok: true, to: "active" });

    // Five apprentices, one of them already on file elsewhere.
    const existing = await makePerson(t.db, { unit: "wenling", name: "已登记学徒", birthDate: "1996-04-04" });
    const mentorships: number[] = [];
    for (let i = 0; i < 5; i++) {
      const birth = i === 0 ? "1996-04-04" : `199${i}-0${i}-1${i}`;
      const input = apprenticeSchema.parse(
        apprenticeForm(birth, {
          name: i === 0 ? "已登记学徒" : `学徒${"甲乙丙丁"[i - 1]}`,
          ...(i === 0 ? { idNumber: existing.idNumber } : {}),
          orgUnitId: "999", // ignored: apprentices are filed under the studio's unit
          startDate: "2019-02-01",
          plannedEnd: "2022-01-31",
          goals: "三年内取得高级工证书",
        }),
      );
      const r = await addApprentice(t.db, craftsman, id, input);
      if (!r.ok || !("id" in r)) throw new Error(JSON.stringify(r));
      mentorships.push(r.id);
      if (i === 0)
        expect(await addApprentice(t.db, craftsman, id, input)).toMatchObject({ ok: false, fieldErrors: { idNumber: ["该学徒已在本工作室结对中"] } });
    }
    // Someone filed in another county is neither named nor linked through the form, and a wrong
    // name for a number on file does not tell what the right one is.
    const elsewhere = await makePerson(t.db, { unit: "jiaojiang", name: "外县人员", birthDate: "1997-07-07" });
    const across = apprenticeSchema.parse(
      apprenticeForm("1997-07-07", { name: "外县人员", idNumber: elsewhere.idNumber, startDate: "2019-02-01", plannedEnd: "2022-01-31", goals: "学技术" }),
    );
    const refusedAcross = await addApprentice(t.db, craftsman, id, across);
    expect(refusedAcross).toMatchObject({ ok: false, fieldErrors: { idNumber: [expect.stringContaining("已在其他县（市、区）登记")] } });
    expect(JSON.stringify(refusedAcross)).not.toContain("外县人员");
    const wrongName = apprenticeSchema.parse(
      apprenticeForm("1996-04-04", { name: "冒名", idNumber: existing.idNumber, startDate: "2019-02-01", plannedEnd: "2022-01-31", goals: "学技术" }),
    );
    const refusedName = await addApprentice(t.db, county, id, wrongName);
    expect(refusedName).toMatchObject({ ok: false, fieldErrors: { name: [expect.any(String)] } });
    expect(JSON.stringify(refusedName)).not.toContain("已登记学徒");

    // The craftsman now sees their apprentices' records, and nobody else's.
    const first = (await findMentorship(t.db, mentorships[1]))!;
    expect((await personForViewer(t.db, craftsman, first.apprentice_id)).status).toBe(200);
    expect((await personForViewer(t.db, craftsman, (await makePerson(t.db)).id)).status).toBe(403);

    // Milestones: the craftsman's wait; a fake PDF is refused; only verified ones count.
    const upgrade = milestoneSchema.parse({
      kind: "skill_upgrade",
      occurredOn: "2020-06-01",
      fromLevel: "中级工",
      toLevel: "高级工",
      certificateNumber: "ZJ2020-001",
    });
    const fake = await addMilestone(t.db, craftsman, first, upgrade, [{ name: "证书.pdf", bytes: new TextEncoder().encode("<svg onload=alert(1)>") }]);
    expect(fake).toMatchObject({ ok: false, status: 400, field: "evidence" });
    const noEvidence = await addMilestone(t.db, craftsman, first, upgrade, []);
    expect(noEvidence).toMatchObject({ ok: false, field: "evidence" });
    const filed = await addMilestone(t.db, craftsman, first, upgrade, [{ name: "证书.pdf", bytes: PDF }]);
    if (!filed.ok) throw new Error(JSON.stringify(filed));
    const competition = milestoneSchema.parse({
      kind: "competition",
      occurredOn: "2020-09-01",
      competitionName: "台州市职业技能大赛",
      competitionLevel: "city",
      placing: "二等奖",
    });
    const second = await addMilestone(t.db, craftsman, first, competition, [{ name: "photo.jpg", bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]) }]);
    if (!second.ok) throw new Error("failed");
    const innovation = milestoneSchema.parse({
      kind: "innovation",
      occurredOn: "2020-10-01",
      innovationType: "process",
      innovationTitle: "叶轮去毛刺工装",
      benefit: "12,345.6",
    });
    const third = await addMilestone(t.db, craftsman, first, innovation, [
      { name: "a.png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
    ]);
    if (!third.ok) throw new Error("failed");

    // Only the five apprentices count yet: nothing filed is verified.
    expect(await studioYearFigures(t.db, id, 2020)).toEqual({ ...noFigures(), apprenticesMentored: 5 });
    expect(await reviewMilestone(t.db, craftsman, filed.id, { decision: "verified", comment: null })).toMatchObject({ ok: false, status: 403 });
    expect(await reviewMilestone(t.db, otherCounty, filed.id, { decision: "verified", comment: null })).toMatchObject({ ok: false, status: 403 });
    expect(await reviewMilestone(t.db, county, filed.id, { decision: "verified", comment: "证书核对无误" })).toEqual({ ok: true });
    expect(await reviewMilestone(t.db, county, filed.id, { decision: "verified", comment: null })).toMatchObject({ ok: false, status: 409 });
    expect(await reviewMilestone(t.db, county, second.id, { decision: "rejected", comment: "证书照片看不清" })).toEqual({ ok: true });
    expect(await reviewMilestone(t.db, county, third.id, { decision: "verified", comment: null })).toEqual({ ok: true });

    expect(await studioYearFigures(t.db, id, 2020)).toEqual({
      apprenticesMentored: 5,
      skillUpgrades: 1,
      competitionPlacings: 0,
      backbones: 0,
      innovations: 1,
      eventsHeld: 0,
      eventsAttended: 0,
      benefitFen: 1234560,
    });
    // Several years at once come out the same as each year on its own (apprentices paired in 2019
    // count in 2019, 2020 and 2021; the milestones only in 2020).
    const years = (await figuresByStudioAndYear(t.db, [id], [2018, 2019, 2020, 2021])).get(id)!;
    for (const year of [2018, 2019, 2020, 2021]) expect(years.get(year)).toEqual(await studioYearFigures(t.db, id, year));
    expect([2018, 2019, 2020, 2021].map((y) => years.get(y)!.apprenticesMentored)).toEqual([0, 5, 5, 5]);
    expect(years.get(2021)!.skillUpgrades).toBe(0);
    // The verified upgrade raised the apprentice's skill level.
    expect((await findMentorship(t.db, first.id))!.skill_level).toBe("高级工");
    const listed = await milestonesOf(t.db, first.id);
    expect(listed.map((m) => [m.kind, m.status, m.files.length])).toEqual([
      ["innovation", "verified", 1],
      ["competition", "rejected", 1],
      ["skill_upgrade", "verified", 1],
    ]);

    // The city suspends, then revokes; nothing leads out of a revoked studio, and a new one may then be opened.
    expect(await step(city, id, "suspend", "active", { reason: "年度考核不合格" })).toEqual({ ok: true, to: "suspended" });
    // 摘牌 cites its document (governance/revocation.server.ts).
    const document = await makeRevocationDocument(t.db);
    expect(
      await revokeStudio(t.db, city, id, {
        expected: "suspended",
        reason: "连续两年考核不合格",
        documentId: document.id,
        revokedOn: "2026-03-02",
        confirmed: true,
      }),
    ).toMatchObject({ ok: true, revoked: 1 });
    expect(await step(city, id, "resume", "revoked")).toMatchObject({ ok: false, status: 403 });
    expect(await createStudio(t.db, craftsman, await studioForm(t.db, person.id))).toMatchObject({ ok: true });

    const history = await historyOf(t.db, "studio", id);
    expect(
      history.filter((h) => h.action.startsWith("step_")).map((h) => `${(h.before as { status: string }).status}→${(h.after as { status: string }).status}`),
    ).toEqual([
      "draft→submitted",
      "submitted→returned",
      "returned→submitted",
      "submitted→county_reviewed",
      "county_reviewed→accredited",
      "accredited→active",
      "active→suspended",
      "suspended→revoked",
    ]);
  });

  it("only lets a named craftsman lead a studio, and keeps county officers to their unit", async () => {
    const plain = await makePerson(t.db, { unit: "wenling" });
    const plainUser = await makeUser(t.db, "craftsman", { personId: plain.id });
    expect(await createStudio(t.db, plainUser, await studioForm(t.db, plain.id))).toMatchObject({ ok: false });
    const { person } = await awardee(t.db, "jiaojiang");
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await createStudio(t.db, wenling, await studioForm(t.db, person.id, "jiaojiang"))).toMatchObject({
      ok: false,
      fieldErrors: { leaderPersonId: [expect.any(String)] },
    });
    const jiaojiang = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect(await createStudio(t.db, jiaojiang, await studioForm(t.db, person.id, "wenling"))).toMatchObject({
      ok: false,
      fieldErrors: { orgUnitId: ["只能为本单位申请工作室"] },
    });
    expect(await createStudio(t.db, jiaojiang, await studioForm(t.db, person.id, "jiaojiang"))).toMatchObject({ ok: true });
  });

  it("accredits a studio once when the city's clicks arrive together, with one plaque and one history entry", async () => {
    const { person, craftsman } = await awardee(t.db);
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const city = await makeUser(t.db, "city_admin");
    const created = await createStudio(t.db, craftsman, await studioForm(t.db, person.id));
    if (!created.ok || !("id" in created)) throw new Error(JSON.stringify(created));
    expect(await step(craftsman, created.id, "submit", "draft")).toEqual({ ok: true, to: "submitted" });
    expect(await step(county, created.id, "county_approve", "submitted")).toEqual({ ok: true, to: "county_reviewed" });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        step(city, created.id, "accredit", "county_reviewed", { plaqueNumber: `TZGJ-RACE-${i}`, accreditedOn: "2020-05-01" }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.status === 409)).toBe(true);
    const plaques = await t.db.selectFrom("studio").select("plaque_number").where("plaque_number", "like", "TZGJ-RACE-%").execute();
    expect(plaques).toHaveLength(1);
    const history = await historyOf(t.db, "studio", created.id);
    expect(history.filter((h) => h.action.includes("accredit"))).toHaveLength(1);
  });
});
