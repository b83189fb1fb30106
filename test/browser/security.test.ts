import { describe, expect, it } from "vitest";
import { baseUrl, phonePage, signIn, useChromium } from "./browser";
import { signInOverHttp } from "./server";

/** Headers and cookies of the production server, as a browser receives them. */
const browser = useChromium();

const sessionCookie = (username = "wenling") => signInOverHttp(baseUrl(), username);

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

describe("security headers and cookies", () => {
  it("sends a nonce-based script policy that every script tag of the page carries", async () => {
    for (const path of ["/showcase", "/login"]) {
      const response = await fetch(baseUrl() + path);
      const csp = directives(response.headers.get("content-security-policy") ?? "");
      const scripts = csp.get("script-src") ?? [];
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'unsafe-eval'");
      const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce, path).toBeTruthy();
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(csp.get("object-src")).toEqual(["'none'"]);
      expect(csp.get("form-action")).toEqual(["'self'"]);
      const html = await response.text();
      const tags = html.match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag.includes(`nonce="${nonce}"`) || /\bsrc="\/build\//.test(tag), tag).toBe(true);
      // A fresh nonce for every response.
      const again = (await fetch(baseUrl() + path)).headers.get("content-security-policy");
      expect(again).not.toContain(nonce);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
    }
  });

  it("answers a path no page or file has with the Chinese 404 page, not a 500, whatever the file system says of it", async () => {
    for (const path of ["/favicon.svg/", "/favicon.svg/x", `/${"a".repeat(256)}`, `/${"a/".repeat(2100)}`, "/no-such-page"]) {
      const response = await fetch(baseUrl() + path);
      expect(response.status, path.slice(0, 40)).toBe(404);
      expect(await response.text(), path.slice(0, 40)).toContain("页面不存在");
    }
  });

  it("keeps private pages and their data out of every cache", async () => {
    const { cookie } = await sessionCookie();
    for (const path of ["/home", "/people", "/studios", "/people?_data=routes%2Fpeople._index"]) {
      const response = await fetch(baseUrl() + path, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toContain("no-store");
    }
  });

  it("lets the public pages be kept a minute for visitors, never the signed-in copy, and no cookie set on them", async () => {
    const { cookie } = await sessionCookie();
    for (const path of ["/showcase", "/showcase/studios", "/showcase?_data=routes%2Fshowcase._index"]) {
      const visitor = await fetch(baseUrl() + path);
      expect(visitor.status, path).toBe(200);
      expect(visitor.headers.get("cache-control"), path).toBe("public, max-age=60");
      expect(visitor.headers.get("vary"), path).toContain("Cookie");
      expect(visitor.headers.get("set-cookie"), path).toBeNull();
      const member = await fetch(baseUrl() + path, { headers: { cookie } });
      expect(member.headers.get("cache-control"), path).toContain("no-store");
    }
  });

  it("sets the session cookie HttpOnly, SameSite=Lax and Secure, and ends it on sign-out", async () => {
    const { cookie, setCookie } = await sessionCookie();
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect((await fetch(`${baseUrl()}/home`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    const out = await fetch(`${baseUrl()}/logout`, { method: "POST", headers: { cookie, origin: baseUrl() }, redirect: "manual" });
    expect(out.status).toBe(302);
    const after = await fetch(`${baseUrl()}/home`, { headers: { cookie }, redirect: "manual" });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/login");
  });

  it("refuses a form posted from another site, even with a valid session, and writes nothing", async () => {
    const { cookie } = await sessionCookie();
    const form = new URLSearchParams({ name: "跨站写入", sex: "M", birthDate: "1979-03-15", idNumber: "331081197903151232" });
    // Remix would refuse a cross-site document POST itself with a 500 of its own; our server answers it, as the
    // actions answer a script's data request, with a 403 that says why (found by a tester: it was a 500).
    for (const origin of ["https://evil.example", "null", "not an address"]) {
      for (const path of ["/people/new", "/people/new?_data=routes%2Fpeople.new", "/login"]) {
        const response = await fetch(baseUrl() + path, {
          method: "POST",
          headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
          body: form,
          redirect: "manual",
        });
        expect(response.status, `${origin} ${path}`).toBe(403);
        expect(await response.text()).toContain("请求来源不符");
      }
    }
    const list = await fetch(`${baseUrl()}/people?q=${encodeURIComponent("跨站写入")}`, { headers: { cookie } });
    expect(await list.text()).not.toContain("跨站写入</a>");
  });

  it("runs the pages with the policy in force: no violation reported, charts drawn", async () => {
    const page = await phonePage(browser(), "security-csp");
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, "admin");
    await page.waitForURL(`${baseUrl()}/home`);
    await page.goto(`${baseUrl()}/dashboard`);
    await expect.poll(() => page.locator(".recharts-surface").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.goto(`${baseUrl()}/showcase`);
    await page.goto(`${baseUrl()}/studios`);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
