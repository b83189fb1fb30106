import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UPLOAD_MAX_BYTES } from "~/lib/files";
import { assertCleanForm, bodyLimitFor } from "~/lib/form-guard.server";

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

  it("refuses field names no form of ours uses (huge sparse arrays, deep paths) and too many fields, without echoing them", async () => {
    for (const name of ["junk[10000000]", "a.b.c.d.e.f", "x".repeat(100), "a[0][1][2]", "__proto__[x]"]) {
      const thrown = await assertCleanForm(post(new URLSearchParams({ [name]: "1", username: "admin" }))).catch((e: unknown) => e);
      expect(thrown, name).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(400);
      const body = await (thrown as Response).text();
      expect(body).toContain("字段名无法识别");
      expect(body.length).toBeLessThan(200);
    }
    const many = new URLSearchParams();
    for (let i = 0; i < 1001; i++) many.append(`f${i}`, "1");
    expect(((await assertCleanForm(post(many)).catch((e: unknown) => e)) as Response).status).toBe(400);
    // Names our forms do use pass.
    await expect(assertCleanForm(post(new URLSearchParams({ "cap-本科": "1", "score-12": "90", redirectTo: "/home" })))).resolves.toBeUndefined();
  });

  it("lets ordinary text through, tabs and line breaks included, and leaves the body for the route", async () => {
    const request = post(new URLSearchParams({ deeds: "第一行\r\n第二行\t完" }));
    await expect(assertCleanForm(request)).resolves.toBeUndefined();
    expect((await request.formData()).get("deeds")).toBe("第一行\r\n第二行\t完");
  });

  it("refuses a body announced as larger than its path takes with a 413, unread, and does not read a GET", async () => {
    const large = post(new URLSearchParams({ name: "\u0000" }), { "content-length": String(50 * 1024 * 1024) });
    const thrown = (await assertCleanForm(large).catch((e: unknown) => e)) as Response;
    expect(thrown.status).toBe(413);
    expect(large.bodyUsed).toBe(false);
    await expect(assertCleanForm(new Request("http://jiangxin.test/x?name=%00"))).resolves.toBeUndefined();
  });
});

describe("body limits", () => {
  // The address a flat route file answers at, with 1 for each parameter: `studios.$studioId.years.$year.tsx` → /studios/1/years/1.
  const pathOf = (file: string) =>
    "/" +
    file
      .replace(/\.tsx?$/, "")
      .split(".")
      .filter((part) => part !== "_index" && !part.startsWith("_"))
      .map((part) => (part.startsWith("$") ? "1" : part.replace(/_$/, "")))
      .join("/");

  it("let every page that takes photos or scans send one phone photo of the largest size it takes", () => {
    const routes = path.join(__dirname, "../routes");
    // A route is a file, or a folder whose route.tsx is the route (named by the folder).
    const source = (entry: string) => {
      const full = path.join(routes, entry);
      return fs.statSync(full).isDirectory() ? path.join(full, "route.tsx") : full;
    };
    const uploading = fs
      .readdirSync(routes)
      // Photos and scans go through filesOf (a phone's HEIC made a JPEG); pages reading one document of their own size
      // (the 得票 file, the 事迹材料) pass readForm their own smaller limit.
      .filter((entry) => fs.existsSync(source(entry)) && fs.readFileSync(source(entry), "utf8").includes("filesOf("));
    expect(uploading.length).toBeGreaterThanOrEqual(7);
    for (const file of uploading) expect([file, bodyLimitFor(pathOf(file))]).toEqual([file, expect.toSatisfy((n: number) => n > UPLOAD_MAX_BYTES)]);
  });
});
