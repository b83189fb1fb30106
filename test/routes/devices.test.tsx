import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type * as RemixReact from "@remix-run/react";
import * as account from "../../app/routes/account";
import type { SessionUser } from "../../app/auth/roles";
import { getUser, openSession, signIn } from "../../app/auth/session.server";
import { useTestDb } from "../db";
import { makeUser, TEST_PASSWORD } from "../factories";
import { call, jsonOf, ORIGIN } from "../http";

// The page is rendered as the server renders it, with the loader's answer as its data (as apprentice-account.test.tsx).
const rendering = vi.hoisted(() => ({ data: null as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...(await original<typeof RemixReact>()),
  useLoaderData: () => rendering.data,
  useActionData: () => undefined,
  useNavigation: () => ({ state: "idle" }),
  Form: ({ children }: { children: ReactNode }) => createElement("form", { method: "post" }, children),
}));

const t = useTestDb();

const ANDROID_WECHAT = "Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47";
const WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
const cookieOf = (setCookie: string) => setCookie.split(";")[0];
const browserOf = (cookies: Array<string | null>) => cookies.flatMap((c) => (c ? [cookieOf(c)] : [])).join("; ");

async function pageText(response: Response, page: ComponentType): Promise<string> {
  expect(response.status).toBe(200);
  rendering.data = await jsonOf(response);
  return renderToString(createElement(page))
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

/** A craftsman signed in on their phone by code (as the code sign-in opens it) and on the office computer by password. */
async function signedInTwice(user: SessionUser) {
  const request = (agent: string) => new Request(`${ORIGIN}/login`, { method: "POST", headers: { "user-agent": agent } });
  const phone = await openSession(t.db, request(ANDROID_WECHAT), { id: user.id, display_name: user.displayName, org_unit_id: null, role: user.role }, null, {
    onDevice: true,
  });
  const desktop = await signIn(t.db, request(WINDOWS), { username: user.username, password: TEST_PASSWORD });
  if (desktop.ok !== true) throw new Error("sign-in failed");
  return { phone: browserOf([phone.cookie, phone.deviceCookie]), desktop: browserOf([desktop.cookie, desktop.deviceCookie]) };
}

const signedIn = (cookie: string) => getUser(new Request(`${ORIGIN}/home`, { headers: { cookie } }), t.db);
const post = (cookie: string, form: Record<string, string>) => call(account.action, { db: t.db, path: "/account", cookie, form });

describe("the devices a user is signed in on, on their account page (issue 36)", () => {
  it("lists each device, this one marked, with 退出此设备 for each and 退出所有设备", async () => {
    const user = await makeUser(t.db, "craftsman");
    const { phone } = await signedInTwice(user);
    const response = await call(account.loader, { db: t.db, path: "/account", cookie: phone });
    const { devices } = await jsonOf(response);
    expect(devices).toMatchObject([
      { label: "Windows 电脑", bound: false, current: false },
      { label: "安卓手机 · 微信", bound: true, current: true },
    ]);
    // A session's id is its secret: the page names devices by a handle.
    expect(JSON.stringify(devices)).not.toContain(phone.split(";")[0].split("=")[1]);
    const text = await pageText(response, account.default);
    expect(text).toContain("登录的设备");
    expect(text).toMatch(/安卓手机 · 微信 ?（本机）/);
    expect(text).toContain("手机验证码登录、仅限该设备，30天内未使用自动退出");
    expect(text).toContain("Windows 电脑 ");
    expect(text.match(/退出此设备/g)).toHaveLength(2);
    expect(text).toContain("退出所有设备（包括本机）");
  });

  it("signs out another device from this one, and records it; never another user's", async () => {
    const user = await makeUser(t.db, "craftsman");
    const { phone, desktop } = await signedInTwice(user);
    const { devices } = await jsonOf(await call(account.loader, { db: t.db, path: "/account", cookie: phone }));
    const computer = devices.find((d: { current: boolean }) => !d.current).handle;

    // Someone else cannot end it by its handle.
    const stranger = await makeUser(t.db, "craftsman");
    const { phone: strangersPhone } = await signedInTwice(stranger);
    expect(await post(strangersPhone, { intent: "end-device", device: computer }).then(async (r) => ({ status: r.status, ...(await r.json()) }))).toMatchObject(
      {
        status: 409,
        field: "device",
        message: "该设备已退出登录",
      },
    );
    expect(await signedIn(desktop)).toMatchObject({ id: user.id });

    const ended = await post(phone, { intent: "end-device", device: computer });
    expect([ended.status, (await jsonOf(ended)).message]).toEqual([200, "已退出该设备的登录"]);
    expect(await signedIn(desktop)).toBeNull();
    expect(await signedIn(phone)).toMatchObject({ id: user.id });
    const history = await t.db
      .selectFrom("audit_log")
      .select(["action", "comment"])
      .where("entity_id", "=", user.id)
      .where("action", "like", "sign_out%")
      .execute();
    expect(history).toEqual([{ action: "sign_out_device", comment: "Windows 电脑" }]);
  });

  it("signs this browser out when its own device is ended, and every device with 退出所有设备", async () => {
    const user = await makeUser(t.db, "craftsman");
    const first = await signedInTwice(user);
    const { devices } = await jsonOf(await call(account.loader, { db: t.db, path: "/account", cookie: first.phone }));
    const here = devices.find((d: { current: boolean }) => d.current).handle;
    const ended = await post(first.phone, { intent: "end-device", device: here });
    expect([ended.status, ended.headers.get("location")]).toEqual([302, "/login"]);
    expect(ended.headers.get("set-cookie")).toMatch(/^jx_session=; .*Max-Age=0/);
    expect(await signedIn(first.phone)).toBeNull();
    expect(await signedIn(first.desktop)).toMatchObject({ id: user.id });

    const second = await signedInTwice(user);
    const all = await post(second.desktop, { intent: "end-all" });
    expect([all.status, all.headers.get("location")]).toEqual([302, "/login"]);
    for (const browser of [first.desktop, second.phone, second.desktop]) expect(await signedIn(browser)).toBeNull();
    expect(await t.db.selectFrom("user_session").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
  });
});
