import { describe, expect, it } from "vitest";
import * as reviewSheet from "../../app/routes/review.$nominationId";
import { call } from "../http";
import { useTestDb } from "../db";
import { makeCampaign, makePerson, makeUser, unitId } from "../factories";
import type { SessionUser } from "../../app/auth/roles";
import { reviewBoard } from "../../app/modules/nominations/review.server";
import { todosFor } from "../../app/worker.server";
import {
  addExpert,
  assignedTo,
  assignNominations,
  createPanel,
  declareRecusal,
  expertBoard,
  proposeCandidates,
  reopenSheet,
  rubricOf,
  saveSheet,
  setRubric,
  sheetFor,
  type Marks,
} from "../../app/modules/experts/experts.server";
import { panelWarnings } from "../../app/modules/experts/policy";
import { sessionUserOf } from "~/auth/roles";

const t = useTestDb();
let serial = 0;

async function expert(city: SessionUser, field: string, employer: string, unit: string | null = null) {
  const username = `expert${++serial}`;
  const added = await addExpert(t.db, city, {
    name: `专家${serial}`,
    field,
    employer,
    orgUnitId: unit ? await unitId(t.db, unit) : null,
    contact: "",
    username,
    password: "Jiangxin-2026",
  });
  if (!added.ok) throw new Error(JSON.stringify(added));
  const u = await t.db.selectFrom("app_user").selectAll().where("username", "=", username).executeTakeFirstOrThrow();
  const user: SessionUser = sessionUserOf(u)!;
  return { id: added.id, user };
}

/** Marks that add up to `total`: every criterion full, then points taken off from the first ones. */
async function marksFor(campaignId: number, total: number): Promise<Marks> {
  let off = 100 - total;
  const marks: Marks = {};
  for (const c of await rubricOf(t.db, campaignId)) {
    const cut = Math.min(c.max_points, off);
    off -= cut;
    marks[c.key] = { points: c.max_points - cut, comment: "" };
  }
  return marks;
}

describe("panels", () => {
  it("warn below five experts and at an even number", () => {
    expect(panelWarnings(5)).toEqual([]);
    expect(panelWarnings(4)).toEqual(["评审组只有 4 人，少于5人", "评审组为 4 人（偶数），建议为奇数"]);
    expect(panelWarnings(6)).toEqual(["评审组为 6 人（偶数），建议为奇数"]);
  });
});

describe("expert review online", () => {
  it("runs two panels of five, one blind, with a proposed and a declared 回避, and ranks by mean, trimmed mean and standard score exactly", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = await makeCampaign(t.db, { year: 2026, status: "expert_review" });
    const unit = await unitId(t.db, "wenling");
    const nominee = async (seq: number, name: string, employer: string) => {
      const person = await makePerson(t.db, { unit: "wenling", name, employer });
      const n = await t.db
        .insertInto("nomination")
        .values({
          campaign_id: campaign.id,
          person_id: person.id,
          seq,
          channel: "union",
          nominating_unit_id: unit,
          qualification_result: "pass",
          deeds_summary: "事迹",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return n.id;
    };
    const A = await nominee(1, "甲", "台州精工机械有限公司");
    const B = await nominee(2, "乙", "黄岩模塑厂");
    const C = await nominee(3, "丙", "路桥物流公司");
    const D = await nominee(4, "丁", "天台酒店");
    const notAssigned = await nominee(5, "戊", "仙居工艺厂");

    // e1 works where 甲 works: 回避 proposed. The service experts are drawn, the makers chosen.
    const makers = [await expert(city, "advanced_manufacturing", "台州精工机械有限公司")];
    for (let i = 0; i < 4; i++) makers.push(await expert(city, "advanced_manufacturing", `台州职业技术学院${i}`));
    const servers: Array<Awaited<ReturnType<typeof expert>>> = [];
    for (let i = 0; i < 5; i++) servers.push(await expert(city, "modern_services", `台州学院${i}`, "jiaojiang"));
    expect(await setRubric(t.db, city, campaign.id)).toEqual({ ok: true });

    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect(await createPanel(t.db, county, campaign.id, { name: "x", field: "advanced_manufacturing", blind: false, expertIds: [makers[0].id] })).toMatchObject(
      { status: 403 },
    );
    const p1 = await createPanel(t.db, city, campaign.id, {
      name: "先进制造业组",
      field: "advanced_manufacturing",
      blind: false,
      expertIds: makers.map((m) => m.id),
    });
    const p2 = await createPanel(t.db, city, campaign.id, { name: "现代服务业组", field: "modern_services", blind: true, draw: 5, seed: 20260601 });
    if (!p1.ok || !p2.ok) throw new Error(JSON.stringify([p1, p2]));
    expect(p1.warnings).toEqual([]);
    expect([...p2.members].sort()).toEqual(servers.map((s) => s.id).sort());
    // The same seed draws the same order.
    const again = await createPanel(t.db, city, campaign.id, { name: "复核", field: "modern_services", blind: true, draw: 3, seed: 20260601 });
    expect(again.ok && again.members).toEqual(p2.members.slice(0, 3));
    expect(await assignNominations(t.db, city, p1.id, [A, B])).toEqual({ ok: true, recused: 1 });
    expect(await assignNominations(t.db, city, p2.id, [C, D])).toEqual({ ok: true, recused: 0 });
    expect(await assignNominations(t.db, city, p1.id, [C])).toMatchObject({ ok: false, status: 409 });

    // What an expert sees: their panel's nominations; a blind panel's without name, employer or county.
    expect((await assignedTo(t.db, makers[0].user)).map((a) => [a.who, a.recused])).toEqual([
      ["甲（台州精工机械有限公司）", "与被推荐人同一工作单位"],
      ["乙（黄岩模塑厂）", null],
    ]);
    const blind = await assignedTo(t.db, servers[0].user);
    expect(blind.map((a) => a.who)).toEqual([`编号 ${campaign.number}-003`, `编号 ${campaign.number}-004`]);
    const blindSheet = (await sheetFor(t.db, servers[0].user, C))!;
    expect(blindSheet).toMatchObject({ name: `编号 ${campaign.number}-003`, employer: null, unit: null });
    expect(JSON.stringify(blindSheet)).not.toContain("丙");
    expect(await sheetFor(t.db, makers[1].user, C)).toBeNull();
    expect(await sheetFor(t.db, makers[1].user, notAssigned)).toBeNull();
    expect(await saveSheet(t.db, makers[0].user, A, await marksFor(campaign.id, 90), true)).toMatchObject({ ok: false, status: 409 });

    // Bad marks are refused; a draft is kept; submitted is locked until the city reopens it.
    const m2 = makers[1].user;
    expect(await saveSheet(t.db, m2, A, { forged: { points: 5, comment: "" } }, false)).toMatchObject({ ok: false, status: 400 });
    expect(await saveSheet(t.db, m2, A, { innovation: { points: 26, comment: "" } }, false)).toMatchObject({
      message: "“技术创新与革新”的得分应在0到25之间，最小单位0.5分",
    });
    expect(await saveSheet(t.db, m2, A, { innovation: { points: 20.3, comment: "" } }, false)).toMatchObject({ ok: false, status: 400 });
    expect(await saveSheet(t.db, m2, A, { innovation: { points: 20.5, comment: "工艺改进突出" } }, false)).toEqual({ ok: true, total: 20.5 });
    expect((await sheetFor(t.db, m2, A))!.marks.innovation).toEqual({ points: 20.5, comment: "工艺改进突出" });
    expect(await saveSheet(t.db, m2, A, { innovation: { points: 20.5, comment: "" } }, true)).toMatchObject({
      ok: false,
      message: "请为“绝技绝活”打分后再提交",
    });

    // f5 stands aside from 丁 (a tie of the last three years) before scoring.
    expect(await declareRecusal(t.db, servers[4].user, D, "近三年与被推荐人有合作项目")).toEqual({ ok: true });
    const scores: Array<[SessionUser, number, number]> = [
      [makers[1].user, A, 90],
      [makers[2].user, A, 85],
      [makers[3].user, A, 80],
      [makers[4].user, A, 95],
      [makers[0].user, B, 70],
      [makers[1].user, B, 75],
      [makers[2].user, B, 80],
      [makers[3].user, B, 85],
      [makers[4].user, B, 60],
      [servers[0].user, C, 88],
      [servers[1].user, C, 92],
      [servers[2].user, C, 84],
      [servers[3].user, C, 90],
      [servers[4].user, C, 86],
      [servers[0].user, D, 60],
      [servers[1].user, D, 95],
      [servers[2].user, D, 70],
      [servers[3].user, D, 72],
    ];
    // Each submitted as the expert's page posts it: every criterion's points, then the confirming press.
    for (const [user, nomination, total] of scores) {
      const marks = await marksFor(campaign.id, total);
      const form = Object.fromEntries(Object.entries(marks).map(([key, m]) => [`points-${key}`, String(m.points)]));
      const posted = await call(reviewSheet.action, {
        db: t.db,
        path: `/review/${nomination}`,
        params: { nominationId: String(nomination) },
        as: user,
        form: { intent: "submit", confirmed: "1", ...form },
      });
      expect(posted.status).toBe(302);
    }
    expect(await saveSheet(t.db, servers[4].user, D, await marksFor(campaign.id, 99), true)).toMatchObject({ ok: false, status: 409 });
    expect(await saveSheet(t.db, m2, A, await marksFor(campaign.id, 10), true)).toMatchObject({
      ok: false,
      message: "评分已提交，不能再修改；如需修改请联系市总工会退回",
    });

    // Hand-computed: 甲 87.5 / 87.5 / 0.5; 乙 74 / 75 / −0.4; 丙 88 / 88 / 0.4; 丁 74.25 / 74.25 / −0.5.
    const board = await expertBoard(t.db, campaign.id);
    expect(board.nominations.map((n) => [n.name, n.count, n.expected, n.mean, n.trimmed, n.z, n.disagree])).toEqual([
      ["甲", 4, 4, 87.5, 87.5, 0.5, false],
      ["乙", 5, 5, 74, 75, -0.4, true],
      ["丙", 5, 5, 88, 88, 0.4, false],
      ["丁", 4, 4, 74.25, 74.25, -0.5, true],
    ]);
    expect(board.experts.find((e) => e.id === servers[4].id)).toMatchObject({ assigned: 2, submitted: 1, recused: 1 });
    // The review's own board ranks by the same submitted totals.
    expect((await reviewBoard(t.db, campaign.id)).find((r) => r.id === A)?.mean).toBe(87.5);

    // The city reopens one sheet: it stops counting until it is submitted again.
    expect(await reopenSheet(t.db, city, makers[4].id, A, "请核对“传帮带”一项")).toEqual({ ok: true });
    expect((await expertBoard(t.db, campaign.id)).nominations[0]).toMatchObject({ count: 3, mean: 85 });
    expect((await todosFor(t.db, makers[4].user)).map((i) => i.label)).toEqual(["评审：甲（台州精工机械有限公司）"]);
    expect(await saveSheet(t.db, makers[4].user, A, await marksFor(campaign.id, 95), true)).toEqual({ ok: true, total: 95 });

    // Proposed by the standard score, 甲 leads; by the trimmed mean, 丙 then 甲 then 乙.
    expect(await proposeCandidates(t.db, city, campaign.id, "z", 2)).toEqual({ ok: true });
    const chosen = async () =>
      (await t.db.selectFrom("nomination").select("id").where("campaign_id", "=", campaign.id).where("candidate", "=", true).orderBy("seq").execute()).map(
        (n) => n.id,
      );
    expect(await chosen()).toEqual([A, C]);
    expect(await proposeCandidates(t.db, city, campaign.id, "trimmed", 3)).toEqual({ ok: true });
    expect(await chosen()).toEqual([A, B, C]);

    // After the stage, an expert sees nothing and can do nothing.
    await t.db.updateTable("campaign").set({ status: "online_vote" }).where("id", "=", campaign.id).execute();
    expect(await assignedTo(t.db, makers[1].user)).toEqual([]);
    expect(await sheetFor(t.db, makers[1].user, A)).toBeNull();
    expect(await saveSheet(t.db, makers[1].user, B, await marksFor(campaign.id, 50), false)).toMatchObject({ ok: false, status: 404 });
  });
});
