import { PassThrough, type Readable } from "node:stream";
import { createElement, Suspense } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutStrayNuls } from "~/lib/stray-nuls.server";

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Renders as the server does: streamed through React 18's 2 KB buffer, optionally through the fix. */
function stream(element: ReturnType<typeof createElement>, fix: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        const out = fix ? withoutStrayNuls() : new PassThrough();
        bytesOf(out).then(resolve, reject);
        pipe(out);
      },
      onShellError: reject,
    });
  });
}

/** A page like ours: many short Chinese texts (an attribute and a text each), shifted by `pad` ASCII bytes. */
const page = (pad: number) =>
  createElement(
    Suspense,
    null,
    createElement(
      "main",
      null,
      "x".repeat(pad),
      Array.from({ length: 300 }, (_, i) => createElement("p", { key: i, title: `编号${i}缝制设备` }, `第${i}项：缝制设备`)),
    ),
  );

describe("pages streamed by React 18", () => {
  it("carry NUL bytes at 2 KB boundaries without the fix, and none, byte for byte the intended page, with it", async () => {
    let brokenSeen = 0;
    for (let pad = 0; pad < 3; pad++) {
      const expected = Buffer.from(renderToString(page(pad)));
      const raw = await stream(page(pad), false);
      const fixed = await stream(page(pad), true);
      if (raw.includes(0)) brokenSeen++;
      expect(fixed.includes(0), `pad ${pad}`).toBe(false);
      expect(fixed.toString("utf8")).not.toContain("\uFFFD");
      expect(fixed.equals(expected), `pad ${pad}`).toBe(true);
    }
    // The test only proves something if React really broke one of these pages.
    expect(brokenSeen).toBeGreaterThan(0);
  });

  it("go on in one piece per turn: a page rendered at once as one chunk, a part rendered later as another", async () => {
    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    let ready = false;
    const Later = () => {
      if (!ready) throw later.then(() => (ready = true));
      return createElement("p", null, "后来的部分".repeat(500));
    };
    const element = createElement("main", null, page(0), createElement(Suspense, { fallback: "…" }, createElement(Later)));
    const chunks: Buffer[] = [];
    const rawChunks = await new Promise<number>((resolve, reject) => {
      const { pipe } = renderToPipeableStream(element, {
        onShellReady() {
          const out = withoutStrayNuls();
          let raw = 0;
          const counter = new PassThrough();
          counter.on("data", () => raw++);
          counter.pipe(out);
          out.on("data", (chunk: Buffer) => chunks.push(chunk));
          out.on("end", () => resolve(raw));
          out.on("error", reject);
          pipe(counter);
          setTimeout(release, 20);
        },
        onShellError: reject,
      });
    });
    // React wrote the page in dozens of 2 KB pieces; they left as the shell and the late part: two writes.
    expect(rawChunks).toBeGreaterThan(10);
    expect(chunks.length).toBe(2);
    expect(Buffer.concat(chunks).toString("utf8")).toContain("后来的部分");
    expect(Buffer.concat(chunks).includes(0)).toBe(false);
  });
});
