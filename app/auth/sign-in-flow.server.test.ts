import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/db";
import { ORIGIN } from "../../test/http";
import { clearFlowCookie, finishFlow, startFlow } from "~/auth/sign-in-flow.server";

const t = useTestDb();

const returning = (cookie: string | null) => new Request(`${ORIGIN}/callback`, { headers: cookie ? { cookie } : {} });
const cookieOf = (setCookie: string) => setCookie.split(";")[0];

describe("a sign-in's round trip through another site", () => {
  it("comes back once, to this browser only, with what it carried and a safe place to go", async () => {
    const flow = await startFlow(t.db, "oidc", { verifier: "v-1", nonce: "n-1" }, "//evil.example/steal");
    expect(flow.cookie).toMatch(/^jx_flow_oidc=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax/);

    // Another browser (no cookie, or its own), or the wrong kind: nothing, and the flow is not spent.
    expect(await finishFlow(t.db, returning(null), "oidc", flow.state)).toMatchObject({ ok: false });
    const other = await startFlow(t.db, "oidc", {}, "/home");
    expect(await finishFlow(t.db, returning(cookieOf(other.cookie)), "oidc", flow.state)).toMatchObject({ ok: false });
    expect(await finishFlow(t.db, returning(`jx_flow_wechat=${flow.state}`), "wechat", flow.state)).toMatchObject({ ok: false });

    const back = await finishFlow(t.db, returning(cookieOf(flow.cookie)), "oidc", flow.state);
    expect(back).toEqual({ ok: true, data: { verifier: "v-1", nonce: "n-1" }, redirectTo: "/home" });
    // Spent: the same callback again (a reload, a replay) opens nothing.
    expect(await finishFlow(t.db, returning(cookieOf(flow.cookie)), "oidc", flow.state)).toMatchObject({
      ok: false,
      message: "登录请求已过期或已使用，请重新登录",
    });
    expect(clearFlowCookie("oidc")).toMatch(/^jx_flow_oidc=; Path=\/; Max-Age=0/);
  });

  it("expires after ten minutes", async () => {
    const start = new Date("2026-12-01T02:00:00Z");
    const flow = await startFlow(t.db, "wechat", { purpose: "bind" }, "/account", start);
    const late = new Date(start.getTime() + 11 * 60_000);
    expect(await finishFlow(t.db, returning(cookieOf(flow.cookie)), "wechat", flow.state, late)).toMatchObject({ ok: false });
  });
});
