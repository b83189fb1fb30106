import { describe, expect, it } from "vitest";
import { assertCleanForm } from "~/lib/form-guard.server";

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request("http://jiangxin.test/x", { method: "POST", body, headers });

describe("the form guard", () => {
  it("refuses control characters in a field, a field name or a file name, with a 400 in Chinese", async () => {
    for (const form of [new URLSearchParams({ name: "陈\u0000" }), new URLSearchParams({ "na\u0001me": "陈" })]) {
      const thrown = await assertCleanForm(post(form)).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(400);
      expect(await (thrown as Response).text()).toContain("控制字符");
    }
    const files = new FormData();
    files.append("file", new File(["x"], "证书\u0007.pdf"));
    await expect(assertCleanForm(post(files))).rejects.toBeInstanceOf(Response);
  });

  it("lets ordinary text through, tabs and line breaks included, and leaves the body for the route", async () => {
    const request = post(new URLSearchParams({ deeds: "第一行\r\n第二行\t完" }));
    await expect(assertCleanForm(request)).resolves.toBeUndefined();
    expect((await request.formData()).get("deeds")).toBe("第一行\r\n第二行\t完");
  });

  it("does not read a body announced as larger than any form, nor a GET", async () => {
    await expect(assertCleanForm(post(new URLSearchParams({ name: "\u0000" }), { "content-length": String(50 * 1024 * 1024) }))).resolves.toBeUndefined();
    await expect(assertCleanForm(new Request("http://jiangxin.test/x?name=%00"))).resolves.toBeUndefined();
  });
});
