import { describe, expect, it } from "vitest";
import { docxOf, w } from "../county-files";
import { zipOf } from "../files";
import { baseUrl } from "./browser";
import { signInOverHttp } from "./server";

/**
 * Hostile files against the live production server: while several zip bombs are being refused,
 * the server goes on answering everyone else at once.
 */
describe("bounded work under hostile uploads", () => {
  it("refuses zip bombs and Word bombs while /healthz keeps answering within a second", async () => {
    // A campaign of its own, open for nominations whatever the other journeys did to the demo's;
    // the city imports into it for a unit it picks.
    const { cookie } = await signInOverHttp(baseUrl(), "admin");
    const created = await fetch(`${baseUrl()}/campaigns/new`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, origin: baseUrl() },
      body: new URLSearchParams({ number: "98", year: "2099", title: "上传限制测试", nominationDeadline: "2099-03-31", quotaPerUnit: "5", titleCount: "20" }),
    });
    const campaignId = Number(/\/campaigns\/(\d+)/.exec(created.headers.get("location") ?? "")?.[1]);
    expect(campaignId, `creating the campaign answered ${created.status}`).toBeGreaterThan(0);
    const page = await fetch(`${baseUrl()}/campaigns/${campaignId}/import`, { headers: { cookie } });
    const unitId = /<option value="(\d+)"/.exec(await page.text())?.[1] ?? "";
    expect(unitId).not.toBe("");
    const bomb = zipOf("xl/worksheets/sheet1.xml", Buffer.alloc(40 * 1024 * 1024, 0x20));
    // A Word form holding a table of 20,000 rows: tens of kilobytes that a converter turns into gigabytes.
    const wordBomb = docxOf(w.table(Array.from({ length: 20_000 }, (_, i) => w.row(w.cell(`第${i}行`), w.cell("x"))).join("")));
    let sent = 0;
    const upload = async () => {
      const form = new FormData();
      form.append("unitId", unitId);
      const word = sent++ % 2 === 1;
      form.append("file", new File([Buffer.from(word ? wordBomb : bomb)], word ? "推荐审批表.docx" : "汇总表.xlsx"));
      const response = await fetch(`${baseUrl()}/campaigns/${campaignId}/import/upload`, {
        method: "POST",
        body: form,
        headers: { cookie, origin: baseUrl(), accept: "application/json" },
      });
      return { status: response.status, body: await response.text() };
    };
    let uploading = true;
    const uploads = Promise.all(Array.from({ length: 4 }, async () => [await upload(), await upload(), await upload()])).finally(() => {
      uploading = false;
    });
    const waits: number[] = [];
    while (uploading) {
      const started = performance.now();
      const health = await fetch(`${baseUrl()}/healthz`);
      waits.push(performance.now() - started);
      expect(health.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }
    const answers = (await uploads).flat();
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(400));
    expect(answers.every((a) => a.body.includes("表格过大") || a.body.includes("Word 文件过大"))).toBe(true);
    expect(answers.filter((a) => a.body.includes("Word 文件过大"))).toHaveLength(6);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(1000);
  });
});
