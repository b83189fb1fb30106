import { describe, expect, it } from "vitest";
import { baseUrl, signedIn, useChromium } from "./browser";

const browser = useChromium();

/** Pages in the PDF Chromium prints: one page object per sheet. */
const pageCount = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe("on paper and on a desktop", () => {
  it("fits one A4 sheet for the shortest entry and for a typical one, and reads on a phone", async () => {
    const page = await signedIn(browser(), "print", "admin");
    await page.goto(`${baseUrl()}/nominations/1/print`);
    expect(pageCount(await page.pdf({ preferCSSPageSize: true }))).toBe(1);

    // A typical entry: honours and results of a paragraph each, 主要事迹 at its 500 characters, four opinions.
    await page.evaluate(() => {
      const text = (n: number) => "该同志扎根生产一线二十余年，从学徒做起，刻苦钻研技术，练就了一手过硬本领。".repeat(20).slice(0, n);
      const [honors, achievements, deeds] = document.querySelectorAll(".paper-form td.pre");
      honors.textContent = text(150);
      achievements.textContent = text(200);
      deeds.textContent = text(520);
      for (const opinion of document.querySelectorAll(".opinion-row p.pre")) opinion.textContent = text(60);
      // Each block says who entered it (and the city's, who decided the 资格初审).
      const lists = [...document.querySelectorAll(".opinion-row .signed-by-list")];
      lists.forEach((list, i) => {
        const lines = [
          "经办：经办人（温岭市总工会）　2026年03月02日",
          ...(i === lists.length - 1 ? ["资格初审通过：经办人（台州市总工会）　2026年04月01日"] : []),
        ];
        for (const line of lines) {
          const span = document.createElement("span");
          span.className = "signed-by";
          span.textContent = line;
          list.append(span);
        }
      });
    });
    expect(pageCount(await page.pdf({ preferCSSPageSize: true }))).toBe(1);

    // The phone preview: the sheet fits the screen and its text stays at least 12 px.
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const smallest = await page.evaluate(() =>
      Math.min(...[...document.querySelectorAll(".paper-form th, .paper-form td")].map((c) => parseFloat(getComputedStyle(c).fontSize))),
    );
    expect(smallest).toBeGreaterThanOrEqual(12);
    await page.context().close();
  });

  it("keeps the 推荐审批表's right border inside an A4 page's printable width, in both text sizes", async () => {
    const page = await signedIn(browser(), "print-border", "admin");
    // A4 less the sheet's 12 mm side margins: 186 mm at 96 px to the inch.
    const printable = Math.floor((186 / 25.4) * 96);
    await page.setViewportSize({ width: printable, height: 1100 });
    await page.emulateMedia({ media: "print" });
    for (const large of [false, true]) {
      await page.context().addCookies([{ name: "jx_text", value: large ? "large" : "", url: baseUrl() }]);
      await page.goto(`${baseUrl()}/nominations/1/print`);
      const edge = await page.evaluate(() => {
        const table = document.querySelector(".paper-form")!;
        const cells = [...table.querySelectorAll("th, td")];
        // A collapsed border is drawn half outside the box it belongs to.
        const right = Math.max(...cells.map((c) => c.getBoundingClientRect().right + parseFloat(getComputedStyle(c).borderRightWidth) / 2));
        return { right, page: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth };
      });
      expect(edge.scroll).toBeLessThanOrEqual(edge.page);
      // At least a millimetre (3.8 px) to spare, so neither rounding nor a printer's scaling cuts it.
      expect(edge.page - edge.right).toBeGreaterThanOrEqual(3.5);
    }
    await page.emulateMedia({ media: null });
    expect(pageCount(await page.pdf({ preferCSSPageSize: true }))).toBe(1);
    await page.context().close();
  });

  it("keeps the city's grouped menu to one row at 1280 px, and the evaluation's checklist controls in view", async () => {
    const city = await signedIn(browser(), "desktop-menu", "admin");
    await city.setViewportSize({ width: 1280, height: 900 });
    await city.goto(`${baseUrl()}/home`);
    const entries = city.locator("#main-nav > a, #main-nav > .nav-group > .nav-group-toggle");
    const boxes = await entries.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((b) => ({ top: Math.round(b.top), height: b.height })));
    expect(new Set(boxes.map((b) => b.top)).size).toBe(1);
    // No entry wraps onto a second line.
    expect(boxes.filter((b) => b.height > 48)).toEqual([]);
    await city.getByRole("button", { name: "管理" }).click();
    await city.getByRole("group", { name: "管理" }).getByRole("link", { name: "操作日志" }).click();
    await city.waitForURL(`${baseUrl()}/audit`);
    // The choice made, the drop-down closes and leaves the page in view (the focus stays on the link).
    await expect.poll(() => city.getByRole("group", { name: "管理" }).isVisible()).toBe(false);
    await city.getByRole("button", { name: "工作室" }).click();
    await expect.poll(() => city.getByRole("group", { name: "工作室" }).isVisible()).toBe(true);
    await city.getByRole("group", { name: "工作室" }).getByRole("link", { name: "待核实成果" }).click();
    await city.waitForURL(`${baseUrl()}/milestones/pending`);
    await expect.poll(() => city.getByRole("group", { name: "工作室" }).isVisible()).toBe(false);
    await city.context().close();

    const county = await signedIn(browser(), "desktop-evaluation", "admin");
    await county.setViewportSize({ width: 1280, height: 900 });
    await county.goto(`${baseUrl()}/evaluations`);
    const grade = county.getByRole("button", { name: /^保存\d{4}年验收清单$/ });
    const box = (await grade.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    expect(await county.evaluate(() => [...document.querySelectorAll(".table-wrap")].every((w) => w.scrollWidth <= w.clientWidth + 1))).toBe(true);
    await county.context().close();
  });
});
