import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type * as RemixReact from "@remix-run/react";
import * as signinSheet from "../../app/routes/events.$eventId_.signin";
import * as studioApplication from "../../app/routes/studios.$studioId.application";
import * as evaluationSheet from "../../app/routes/studios.$studioId.years.$year_.print";
import * as subsidyForm from "../../app/routes/subsidies.$applicationId.print";
import * as subsidyPolicy from "../../app/routes/subsidies.policy/route";
import { useTestDb } from "../db";
import { makeAwardee, makeEvent, makeLedStudio, makePerson, makeUser, unitId } from "../factories";
import { call, jsonOf, type CallOptions } from "../http";

// The page is rendered as the server renders it, with the loader's answer as its data.
const rendering = vi.hoisted(() => ({ data: null as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...(await original<typeof RemixReact>()),
  useLoaderData: () => rendering.data,
  Link: ({ to, children }: { to: string; children: ReactNode }) => createElement("a", { href: to }, children),
}));

const t = useTestDb();

type Route = { loader: (args: never) => unknown; default: ComponentType };

/** The printed page's text as a user reads it, or the refusal's status. */
async function printed(route: Route, options: Omit<CallOptions, "db">): Promise<string | number> {
  const response = await call(route.loader as never, { db: t.db, ...options });
  if (response.status !== 200) return response.status;
  rendering.data = await jsonOf(response);
  const html = renderToString(createElement(route.default));
  expect(html).toContain('class="print-sheet"');
  expect(html).toContain("打印");
  return html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** The printed page's text as `as` reads it, with every one of `fields` on it. */
async function printedWith(route: Route, options: Omit<CallOptions, "db">, fields: string[]): Promise<string> {
  const text = await printed(route, options);
  if (typeof text !== "string") throw new Error(`refused with ${text}`);
  for (const field of fields) expect(text).toContain(field);
  return text;
}

describe("the printed 补助申请表", () => {
  it("prints the application's fields, ID masked, money in ¥, with boxes to sign and stamp, for those who may see it", async () => {
    const { person, user: applicant } = await makeAwardee(t.db, "wenling", "补助打印人");
    const city = await makeUser(t.db, "city_admin");
    const policy = { budget: "500,000", sharePercent: "50", holdbackPercent: "20", yearsAfterAward: "10", open: "on", "cap-本科": "15000" };
    expect((await call(subsidyPolicy.action, { db: t.db, path: "/subsidies/policy?year=2026", as: city, form: policy })).status).toBe(200);
    const app = await t.db
      .insertInto("subsidy_application")
      .values({
        year: 2026,
        person_id: person.id,
        org_unit_id: await unitId(t.db, "wenling"),
        current_education: "大专",
        target_degree: "本科",
        institution: "台州学院",
        programme: "机械工程",
        study_mode: "part_time",
        enrolled_on: "2026-09-01",
        expected_graduation: "2028-07-01",
        tuition_fen: 1_200_000,
        requested_fen: 600_000,
        status: "submitted",
        created_by: city.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const params = { applicationId: String(app.id) };
    const path = `/subsidies/${app.id}/print`;
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const { id_number_masked } = await t.db.selectFrom("person").select("id_number_masked").where("id", "=", person.id).executeTakeFirstOrThrow();
    const text = await printedWith(subsidyForm, { path, params, as: county }, [
      "2026年“台州工匠”学历提升补助申请表",
      "补助打印人",
      id_number_masked,
      "台州学院",
      "机械工程",
      "非全日制（业余）",
      "¥12,000.00",
      "¥6,000.00",
    ]);
    expect(text).toContain("第二届“台州工匠”");
    expect(text).toMatch(/申请人（签字）/);
    expect(text).toContain("县级总工会审核意见");
    expect(text).not.toContain(person.idNumber);
    expect(typeof (await printed(subsidyForm, { path, params, as: applicant }))).toBe("string");
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect(await printed(subsidyForm, { path, params, as: other })).toBe(403);
    const { user: stranger } = await makeAwardee(t.db, "wenling", "补助旁人");
    expect(await printed(subsidyForm, { path, params, as: stranger })).toBe(403);
    expect(await printed(subsidyForm, { path: "/subsidies/999999/print", params: { applicationId: "999999" }, as: city })).toBe(404);
  });
});

describe("the printed 工作室申请表", () => {
  it("prints the studio application's fields and the opinions' boxes, for those who may see the studio", async () => {
    const { leader, studio } = await makeLedStudio(t.db, "申请表工匠", { status: "submitted", accredited_on: null, plaque_number: null });
    const params = { studioId: String(studio.id) };
    const path = `/studios/${studio.id}/application`;
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    await printedWith(studioApplication, { path, params, as: county }, [
      "“台州工匠”工作室创建申请表",
      "申请表工匠工作室",
      "申请表工匠",
      "温岭某厂",
      "泵与电机（先进制造业）",
      "铸造",
      "带徒",
      "第二届“台州工匠”",
      "依托企业意见",
      "县级总工会审核意见",
      "市总工会意见",
    ]);
    expect(typeof (await printed(studioApplication, { path, params, as: leader }))).toBe("string");
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect(await printed(studioApplication, { path, params, as: other })).toBe(403);
  });
});

describe("the printed 考核表", () => {
  it("prints a studio's year: plan against actual, the scorecard, the money, the self-evaluation and the 验收 with its grade", async () => {
    const { leader, city, studio } = await makeLedStudio(t.db, "考核表工匠");
    const year = 2026;
    await t.db.deleteFrom("evaluation_criterion").where("year", "=", year).execute();
    await t.db.insertInto("evaluation_criterion").values({ year, key: "apprentices", label: "带徒人数", weight: 100, target: 2 }).execute();
    await t.db.deleteFrom("acceptance_item").where("year", "=", year).execute();
    await t.db.insertInto("acceptance_item").values({ year, key: "site", label: "场地设施齐备", points: 40, sort_order: 0 }).execute();
    await t.db
      .insertInto("studio_year")
      .values({ studio_id: studio.id, year, status: "accepted", plan: JSON.stringify({ apprentices: 3 }), self_assessment: "全年带徒两名，成效明显" })
      .execute();
    await t.db
      .insertInto("studio_evaluation")
      .values({
        studio_id: studio.id,
        year,
        figures: "{}",
        score: 85.5,
        grade: "excellent",
        comment: "示范作用突出",
        graded_by: city.id,
        checklist: JSON.stringify({ site: 38 }),
      })
      .execute();
    const params = { studioId: String(studio.id), year: String(year) };
    const path = `/studios/${studio.id}/years/${year}/print`;
    const text = await printedWith(evaluationSheet, { path, params, as: leader }, [
      "2026年度“台州工匠”工作室考核表",
      "考核表工匠工作室",
      "带徒人数",
      "全年带徒两名，成效明显",
      "场地设施齐备",
      "38",
      "85.5",
      "优秀",
      "示范作用突出",
      "期末余额",
    ]);
    expect(text).toMatch(/自评得分（满分100）/);
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect(await printed(evaluationSheet, { path, params, as: other })).toBe(403);
    expect(await printed(evaluationSheet, { path: `/studios/${studio.id}/years/1999/print`, params: { ...params, year: "1999" }, as: leader })).toBe(404);
  });
});

describe("the printed 签到表", () => {
  it("lists everyone registered with a blank column to sign, times in Taizhou time, for the organisers only", async () => {
    const organiser = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const event = await makeEvent(t.db, organiser.id, {
      title: "签到表培训",
      starts_at: new Date("2026-12-20T06:00:00Z"),
      ends_at: new Date("2026-12-20T08:30:00Z"),
      place: "温岭市职工服务中心",
      checkin_code: "SIGNIN",
    });
    const person = await makePerson(t.db, { unit: "wenling", name: "签到表学员", employer: "温岭恒远精密机械有限公司" });
    const craftsman = await makeUser(t.db, "craftsman", { personId: person.id });
    await t.db
      .insertInto("event_participant")
      .values([
        { event_id: event.id, person_id: person.id, registered_by: organiser.id },
        { event_id: event.id, outside_name: "外单位来宾", outside_employer: "玉环某阀门厂", outside_industry: "阀门", registered_by: organiser.id },
      ])
      .execute();
    const params = { eventId: String(event.id) };
    const path = `/events/${event.id}/signin`;
    const text = await printedWith(signinSheet, { path, params, as: organiser }, [
      "签到表培训 签到表",
      "温岭市职工服务中心",
      "14:00",
      "16:30",
      "签名",
      "签到表学员",
      "温岭恒远精密机械有限公司",
      "外单位来宾",
      "玉环某阀门厂",
      "共报名 2 人",
    ]);
    expect(text).not.toContain("06:00");
    // The signature cells are empty: a line per person and five spare.
    const html = renderToString(createElement(signinSheet.default));
    expect(html.match(/<tr>/g)).toHaveLength(1 + 2 + 5);
    expect(html).toContain('aria-label="签到表学员签名"></td>');
    // A participant sees the event but not everyone's sheet; another county neither.
    expect(await printed(signinSheet, { path, params, as: craftsman })).toBe(403);
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    expect(await printed(signinSheet, { path, params, as: other })).toBe(403);
  });
});
