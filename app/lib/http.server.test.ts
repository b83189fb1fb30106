import { describe, expect, it } from "vitest";
import { cookieValue, safeRedirect } from "~/lib/http.server";

describe("the address followed after sign-in", () => {
  it("keeps same-site paths, with their query and fragment", () => {
    expect(safeRedirect("/studios/3?tab=1#m")).toBe("/studios/3?tab=1#m");
    expect(safeRedirect("/showcase?q=%E7%8E%8B")).toBe("/showcase?q=%E7%8E%8B");
  });

  it("never leads off-site, however the slash is disguised", () => {
    for (const to of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/%2F/evil.example",
      "/%2f%2fevil.example",
      "/%5Cevil.example",
      "/%252F/evil.example",
      "https://evil.example",
      "evil.example",
      "/ /evil.example",
      "/%E0%A4%A",
      `/${"a".repeat(3000)}`,
      // Dot segments the URL parser collapses into a leading "//" (found by a fresh-context tester, issue 36).
      "/.//evil.example",
      "/a/..//evil.example/x",
      "/%2e//evil.example",
      "/%2E%2E//evil.example",
      "/./%2e//evil.example",
    ]) {
      expect(safeRedirect(to), JSON.stringify(to)).toBe("/home");
    }
  });
});

describe("cookieValue", () => {
  it("finds one cookie among several, and nothing for a name that is only a prefix", () => {
    const request = new Request("http://x/", { headers: { cookie: "jx_session=abc=1; jx_text=large" } });
    expect(cookieValue(request, "jx_text")).toBe("large");
    expect(cookieValue(request, "jx_session")).toBe("abc=1");
    expect(cookieValue(request, "jx")).toBeNull();
    expect(cookieValue(new Request("http://x/"), "jx_text")).toBeNull();
  });
});
