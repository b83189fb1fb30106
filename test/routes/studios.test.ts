import { describe, expect, it } from "vitest";
import * as evidence from "../../app/routes/evidence.$fileId";
import * as mentorshipPage from "../../app/routes/mentorships.$mentorshipId";
import * as pending from "../../app/routes/milestones.pending";
import * as apprenticeNew from "../../app/routes/studios.$studioId.apprentices.new";
import * as studioPage from "../../app/routes/studios.$studioId._index";
import * as studioEdit from "../../app/routes/studios.$studioId.edit";
import * as studios from "../../app/routes/studios._index";
import * as studioNew from "../../app/routes/studios.new";
import * as plaque from "../../app/routes/studios.$studioId.plaque";
import { useTestDb } from "../db";
import { apprenticeForm, cookieFor, makeAwardee, makeStudio, makeUser, unitId } from "../factories";
import { call, jsonOf, ORIGIN } from "../http";
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
    form: {
      leaderPersonId: String(person.id),
      name: `${unit}匠人工匠工作室`,
      hostEnterprise: "温岭东海泵业有限公司",
      industry: "泵与电机",
      focusSector: "advanced_manufacturing",
      orgUnitId: String(await unitId(t.db, unit)),
      address: "工业园",
      focusAreas: "铸造",
      foundingPlan: "带徒",
    },
  });
  expect(created.status).toBe(302);
  const id = Number(created.headers.get("location")!.split("/").pop());
  const params = { studioId: String(id) };
  const stepAs = async (as: typeof leader, step: string, expected: string, extra: Record<string, string> = {}) =>
    call(studioPage.action, { db: t.db, path: `/studios/${id}`, params, as, form: { step, expected, ...extra } });
  expect((await stepAs(leader, "submit", "draft")).status).toBe(200);
  expect((await stepAs(county, "county_approve", "submitted")).status).toBe(200);
  expect((await stepAs(city, "accredit", "county_reviewed", { plaqueNumber: `P-${id}`, accreditedOn: "2019-01-10", confirmed: "1" })).status).toBe(200);
  expect((await stepAs(leader, "activate", "accredited")).status).toBe(200);
  return { id, params, leader, county, city, stepAs };
}

async function postMilestone(as: Awaited<ReturnType<typeof makeUser>>, mentorshipId: number, file: File, fields: Record<string, string> = {}) {
  const body = new FormData();
  const all = {
    intent: "milestone",
    kind: "skill_upgrade",
    occurredOn: "2021-05-01",
    fromLevel: "中级工",
    toLevel: "高级工",
    certificateNumber: "ZJ-1",
    ...fields,
  };
  for (const [k, v] of Object.entries(all)) body.set(k, v);
  body.append("evidence", file);
  const request = new Request(`${ORIGIN}/mentorships/${mentorshipId}`, {
    method: "POST",
    body,
    headers: { cookie: await cookieFor(t.db, as), origin: ORIGIN },
  });
  try {
    return (await mentorshipPage.action({ request, params: { mentorshipId: String(mentorshipId) }, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("studios through the pages", () => {
  it("walks the application to a running studio, and refuses the wrong role at each step", async () => {
    const { id, params, leader, county, stepAs } = await runningStudio();
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect((await stepAs(leader, "suspend", "active", { reason: "x" })).status).toBe(403);
    expect((await stepAs(county, "revoke", "active", { reason: "x" })).status).toBe(403);
    expect((await stepAs(otherCounty, "suspend", "active", { reason: "x" })).status).toBe(403);
    expect(
      (await call(studioPage.action, { db: t.db, path: `/studios/${id}`, params, as: leader, form: { step: "destroy", expected: "active" } })).status,
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
    expect((await jsonOf(html)).fieldErrors.evidence[0]).toContain("不是 PDF、JPEG 或 PNG 文件");
    const exe = await postMilestone(leader, mentorshipId, new File([new Uint8Array([0x4d, 0x5a, 0x90, 0])], "photo.jpg", { type: "image/jpeg" }));
    expect(exe.status).toBe(400);
    const down = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), { toLevel: "初级工" });
    expect(down.status).toBe(400);
    expect((await jsonOf(down)).fieldErrors.toLevel).toEqual(["新等级应高于原等级"]);
    const future = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), { occurredOn: "2999-01-01" });
    expect((await jsonOf(future)).fieldErrors.occurredOn).toEqual(["日期不能晚于今天"]);
    const money = await postMilestone(leader, mentorshipId, new File([new TextEncoder().encode("%PDF-1.4")], "a.pdf"), {
      kind: "innovation",
      innovationType: "process",
      innovationTitle: "改进",
      benefit: "-100",
    });
    expect((await jsonOf(money)).fieldErrors.benefit).toEqual(["金额不能为负数"]);
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
  it("scores the year from verified figures with the city's criteria, grades by the unit, and flags two failing years", async () => {
    const evaluations = await import("../../app/routes/evaluations");
    const { id, county, city, leader } = await runningStudio();
    const otherCounty = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const year = new Date().getFullYear();
    const path = `/evaluations?year=${year}`;
    const grade = (as: typeof county, g: string, comment = "", y = year) =>
      call(evaluations.action, { db: t.db, path: `/evaluations?year=${y}`, as, form: { intent: "grade", studioId: String(id), grade: g, comment } });

    // No criteria yet: nobody can grade. The county cannot set them; the city can.
    expect((await grade(county, "pass")).status).toBe(400);
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

    // One apprentice, one verified upgrade this year.
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

    expect((await grade(leader, "excellent")).status).toBe(403);
    expect((await grade(otherCounty, "excellent")).status).toBe(403);
    expect((await grade(county, "fail")).status).toBe(400); // a fail needs a comment
    expect((await grade(county, "fail", "带徒不足")).status).toBe(200);
    // Criteria are frozen once the year has grades.
    expect((await call(evaluations.action, { db: t.db, path, as: city, form: criteria })).status).toBe(400);

    await t.db
      .insertInto("evaluation_criterion")
      .values({ year: year - 1, key: "apprenticesMentored", label: "带徒", weight: 100, target: 1 })
      .execute();
    await t.db
      .updateTable("studio")
      .set({ accredited_on: `${year - 1}-01-01` })
      .where("id", "=", id)
      .execute();
    expect((await grade(county, "fail", "无成效", year - 1)).status).toBe(200);
    const page = await jsonOf(await call(studioPage.loader, { db: t.db, path: `/studios/${id}`, params: { studioId: String(id) }, as: city }));
    expect(page.evaluations.revocationReview).toBe(true);
    expect(page.evaluations.rows.map((r: { year: number; grade: string }) => [r.year, r.grade])).toEqual([
      [year, "fail"],
      [year - 1, "fail"],
    ]);
  });
});

describe("the plaque sheet", () => {
  it("prints an accredited studio's name, plaque number and a QR to its public page, for those who may see the studio", async () => {
    const { person, user: leader } = await makeAwardee(t.db, "wenling", "牌匾工匠");
    const city = await makeUser(t.db, "city_admin");
    const studio = await makeStudio(t.db, person.id, city.id, { name: "牌匾工匠工作室", status: "draft", accredited_on: null, plaque_number: null });
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
