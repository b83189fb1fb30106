import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as eventsExport from "../../app/routes/events.export";
import * as newEvent from "../../app/routes/events.new";
import * as newCampaign from "../../app/routes/campaigns.new";
import * as newPerson from "../../app/routes/people.new";
import * as homePage from "../../app/routes/home";
import { todayInTaizhou } from "../../app/lib/time";
import { milestoneSchema } from "../../app/modules/studios/schema.server";
import { applicationSchema } from "../../app/modules/subsidies/schema.server";
import { useTestDb } from "../db";
import { makeCampaign, makeUser, personForm, unitId } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** What officers and craftsmen hit every day (issue 31), through the routes they use. */
describe("times and dates", () => {
  it("writes an event at 14:00 Taizhou time as 14:00 in the 交流培训 export", async () => {
    const wenling = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const form = {
      title: "午后技能交流",
      kind: "skill_exchange",
      organiser: `unit:${await unitId(t.db, "wenling")}`,
      startsAt: "2026-05-06T14:00",
      endsAt: "2026-05-06T16:30",
      channel: "offline",
      place: "温岭职校",
    };
    expect((await call(newEvent.action, { db: t.db, path: "/events/new", as: wenling, form })).status).toBe(302);
    const exported = await call(eventsExport.loader, { db: t.db, path: "/events/export", as: wenling });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await exported.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === "午后技能交流")!;
    // A cell has no zone: what Excel shows is the Date's UTC clock as ExcelJS reads it back.
    const shown = (cell: ExcelJS.Cell) => (cell.value as Date).toISOString().slice(0, 16);
    expect(shown(row.getCell(4))).toBe("2026-05-06T14:00");
    expect(shown(row.getCell(5))).toBe("2026-05-06T16:30");
  });

  it("refuses a deadline, a birth date, a milestone or a study date in a year nobody means, with a Chinese message", async () => {
    const city = await makeUser(t.db, "city_admin");
    const campaign = { number: "31", year: "2027", title: "第三十一届“台州工匠”选树", quotaPerUnit: "5", titleCount: "20" };
    const deadline = async (nominationDeadline: string) =>
      (await jsonOf(await call(newCampaign.action, { db: t.db, path: "/campaigns/new", as: city, form: { ...campaign, nominationDeadline } }))).error
        ?.nominationDeadline;
    expect(await deadline("0230-03-31")).toEqual(["推荐截止日期不能早于 2018-01-01"]);
    // A campaign of 2027 does not take nominations until 2030.
    expect(await deadline("2030-03-31")).toEqual(["推荐截止日期应在2026年或2027年内（本届年度为2027年）"]);

    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const person = await call(newPerson.action, {
      db: t.db,
      path: "/people/new",
      as: officer,
      form: personForm(await unitId(t.db, "wenling"), { idNumber: "", birthDate: "0230-02-02" }),
    });
    expect(person.status).toBe(400);
    expect((await jsonOf(person)).error.birthDate).toEqual(["出生日期不能早于 1930-01-01"]);

    const milestone = milestoneSchema.safeParse({ kind: "backbone", occurredOn: "0230-02-02", confirmedBy: "厂长" });
    expect(milestone.error?.issues.map((i) => i.message)).toContain("日期不能早于 1980-01-01");
    const study = applicationSchema.safeParse({ enrolledOn: "0230-09-01", expectedGraduation: "9999-07-01" });
    const messages = study.error?.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toContain("enrolledOn:入学日期不能早于 1990-01-01");
    expect(messages?.find((m) => m.startsWith("expectedGraduation:"))).toMatch(/^expectedGraduation:预计毕业日期不能晚于 \d{4}-12-31$/);
  });
});

describe("the home page", () => {
  it("leads with the campaign counties are filing for, not a newer one set up for next year, and still shows the rest", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const year = Number(todayInTaizhou().slice(0, 4));
    const running = await makeCampaign(t.db, { number: 3, year, deadline: `${year + 1}-03-31`, status: "nominating" });
    const next = await makeCampaign(t.db, { number: 4, year: year + 1, deadline: `${year + 2}-03-31`, status: "nominating" });
    const reviewing = await makeCampaign(t.db, { number: 2, year: year - 1, deadline: `${year - 1}-03-31`, status: "expert_review" });
    const home = await jsonOf(await call(homePage.loader, { db: t.db, path: "/home", as: officer }));
    expect(home.campaigns.map((c: { id: number }) => c.id)).toEqual([running.id, next.id, reviewing.id]);
  });
});
