import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/lib/http.server";

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
    ]) {
      expect(safeRedirect(to), JSON.stringify(to)).toBe("/home");
    }
  });
});
