import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type * as RemixReact from "@remix-run/react";
import * as detail from "../../app/routes/subsidies.$applicationId._index/route";
import * as list from "../../app/routes/subsidies._index";
import * as create from "../../app/routes/subsidies.new";
import * as policyRoute from "../../app/routes/subsidies.policy/route";
import type { SessionUser } from "../../app/auth/roles";
import { useTestDb } from "../db";
import { PDF } from "../files";
import { enterChsi } from "../chsi";
import { makeAwardee, makeUser, subsidyForm } from "../factories";
import { call, jsonOf } from "../http";

// The pages are rendered as the server renders them, with the loader's answer as their data (as prints.test.tsx).
const rendering = vi.hoisted(() => ({ data: null as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...(await original<typeof RemixReact>()),
  useLoaderData: () => rendering.data,
  useActionData: () => undefined,
  useNavigation: () => ({ state: "idle" }),
  useSearchParams: () => [new URLSearchParams()],
  useLocation: () => ({ pathname: "/subsidies", search: "", hash: "" }),
  Form: ({ children }: { children: ReactNode }) => createElement("form", { method: "post" }, children),
  Link: ({ to, children }: { to: string; children: ReactNode }) => createElement("a", { href: to }, children),
}));

const t = useTestDb();
const YEAR = new Date().getFullYear();
const POLICY = { budget: "500,000", sharePercent: "50", holdbackPercent: "0", yearsAfterAward: "30", open: "on", "cap-本科": "15000" };

/** The page's text as a user reads it, from its loader's answer. */
async function pageText(response: Response, page: ComponentType): Promise<string> {
  expect(response.status).toBe(200);
  rendering.data = await jsonOf(response);
  return renderToString(createElement(page))
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

const savePolicy = (city: SessionUser, places: string) =>
  call(policyRoute.action, { db: t.db, path: `/subsidies/policy?year=${YEAR}`, as: city, form: { ...POLICY, places } });

/** A named craftsman's application, with its proof and 学信网 code, submitted through the page. */
async function submitted(name: string) {
  const { user } = await makeAwardee(t.db, "wenling", name);
  const created = await call(create.action, { db: t.db, path: "/subsidies/new", as: user, form: subsidyForm(YEAR) });
  const id = Number(created.headers.get("location")!.split("/").pop());
  const at = { db: t.db, path: `/subsidies/${id}`, params: { applicationId: String(id) }, as: user };
  for (const kind of ["admission", "receipt"]) {
    expect(
      (await call(detail.action, { ...at, form: { intent: "attach", kind, files: new File([PDF], `${kind}.pdf`, { type: "application/pdf" }) } })).status,
    ).toBe(200);
  }
  await enterChsi(t.db, user, id);
  expect((await call(detail.action, { ...at, form: { intent: "step", step: "submit", expected: "draft", noOtherSchemes: "1" } })).status).toBe(200);
  return { id, user };
}

describe("places on the subsidy pages", () => {
  it("takes 名额 as a whole number above 0 (empty: no limit), and will not lower it below the places given", async () => {
    const city = await makeUser(t.db, "city_admin");
    const stored = async () => (await t.db.selectFrom("subsidy_policy").select("places").where("year", "=", YEAR).executeTakeFirst())?.places;
    for (const [places, message] of [
      ["0", "名额不能小于1"],
      ["-1", "名额不能小于1"],
      ["1.5", "名额应为整数"],
      ["汉字", "名额应为整数"],
    ]) {
      const response = await savePolicy(city, places);
      expect(response.status, places).toBe(400);
      expect((await jsonOf(response)).form.error.places, places).toEqual([message]);
    }
    expect(await stored()).toBeUndefined();
    expect((await savePolicy(city, "")).status).toBe(200);
    expect(await stored()).toBeNull();
    expect((await savePolicy(city, " 2 ")).status).toBe(200);
    expect(await stored()).toBe(2);

    await submitted("名额甲");
    await submitted("名额乙");
    const lowered = await savePolicy(city, "1");
    expect(lowered.status).toBe(400);
    expect((await jsonOf(lowered)).form.error.places).toEqual(["名额不能少于已给出的2个（已给出的名额不收回）"]);
    expect(await stored()).toBe(2);
    const page = await pageText(await call(policyRoute.loader, { db: t.db, path: `/subsidies/policy?year=${YEAR}`, as: city }), policyRoute.default);
    expect(page).toContain("已给出 2 个，候补 0 人");
  });

  it("shows each application's rank on its page and in the lists, and refuses the waiting one's approval", async () => {
    const city = await makeUser(t.db, "city_admin");
    // The year's places given so far (by the test above, when it ran), and one more.
    const given = (await t.db.selectFrom("subsidy_application").select("id").where("year", "=", YEAR).where("place", "=", "placed").execute()).length;
    expect((await savePolicy(city, String(given + 1))).status).toBe(200);
    const placed = await submitted("名额丙");
    const waiting = await submitted("名额丁");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const pageOf = (id: number, as: SessionUser) =>
      call(detail.loader, { db: t.db, path: `/subsidies/${id}`, params: { applicationId: String(id) }, as }).then((r) => pageText(r, detail.default));

    expect(await pageOf(placed.id, placed.user)).toContain(`名额内第${given + 1}位`);
    const waitingPage = await pageOf(waiting.id, county);
    expect(waitingPage).toContain("候补第1位");
    expect(waitingPage).toContain("本年度名额已满，申请在候补名单上");
    const listed = await pageText(await call(list.loader, { db: t.db, path: "/subsidies", as: county }), list.default);
    expect(listed).toContain("名额丙");
    expect(listed).toContain(`名额内第${given + 1}位`);
    expect(listed).toContain("候补第1位");

    const approve = await call(detail.action, {
      db: t.db,
      path: `/subsidies/${waiting.id}`,
      params: { applicationId: String(waiting.id) },
      as: county,
      form: { intent: "step", step: "county_approve", expected: "submitted" },
    });
    expect(approve.status).toBe(409);
    expect((await jsonOf(approve)).message).toBe("名额已满，申请在候补名单第1位");

    // Raised by one: the waiting one moves up, and its page says so.
    expect((await savePolicy(city, String(given + 2))).status).toBe(200);
    expect(await pageOf(waiting.id, waiting.user)).toContain(`名额内第${given + 2}位`);
  });
});
