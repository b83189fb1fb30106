import { unstable_createMemoryUploadHandler } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { parseInTurns, stringifyInTurns } from "~/lib/turns.server";
import { parseMultipartInTurns } from "~/lib/upload.server";

/** Rows as an import stores them: text with line breaks, quotes and Chinese, nested values. */
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ line: i + 2, name: `林${i}`, story: `第一行\n第二行 "引号" \\ ${i}`, form: { honors: ["市技术能手", null, i] } }));

describe("a stored list read and written in turns (issue 37, item 1)", () => {
  it("writes JSON any reader parses whole, the list's items a line each, and reads back what was written", async () => {
    for (const value of [{ skipped: [3, 4], missingColumns: ["职称"], rows: rows(5) }, { quota: null, rows: [] }, { rows: rows(1) }]) {
      const text = await stringifyInTurns(value, "rows");
      expect(JSON.parse(text)).toEqual(value);
      expect(text.split("\n")).toHaveLength(value.rows.length + 2);
      expect(await parseInTurns(text)).toEqual(value);
    }
  });

  it("reads JSON stored before on one line as it was", async () => {
    const stored = { skipped: [], rows: rows(3) };
    expect(await parseInTurns(JSON.stringify(stored))).toEqual(stored);
    expect(await parseInTurns(JSON.stringify(rows(2)))).toEqual(rows(2));
  });

  it("lets others' timers run while it reads and writes a long list, where one JSON.parse would hold the event loop to its end", async () => {
    const value = { rows: rows(100_000) };
    let turns = 0;
    let working = true;
    const others = setInterval(() => void (working && turns++), 1);
    try {
      const text = await stringifyInTurns(value, "rows");
      const written = turns;
      expect(written).toBeGreaterThan(0);
      expect(await parseInTurns(text)).toEqual(value);
      expect(turns).toBeGreaterThan(written);
    } finally {
      working = false;
      clearInterval(others);
    }
  }, 60_000);
});

describe("an upload's body read in turns (issue 37, item 1)", () => {
  it("lets others' timers run while a large form that arrived whole is parsed, and gives every part as sent", async () => {
    const boundary = "----jiangxin-test-7d1c";
    const file = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
    const encoder = new TextEncoder();
    const head = encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="unitId"\r\n\r\n12\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="汇总表.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
    const body = new Uint8Array(head.length + file.length + tail.length);
    body.set(head);
    body.set(file, head.length);
    body.set(tail, head.length + file.length);
    const request = new Request("http://localhost/campaigns/1/import/upload", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    let turns = 0;
    let working = true;
    const others = setInterval(() => void (working && turns++), 1);
    try {
      const form = await parseMultipartInTurns(request, unstable_createMemoryUploadHandler({ maxPartSize: 10 * 1024 * 1024 }));
      expect(turns).toBeGreaterThan(0);
      expect(form.get("unitId")).toBe("12");
      const got = form.get("file") as File;
      expect(got.name).toBe("汇总表.xlsx");
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(file))).toBe(true);
    } finally {
      working = false;
      clearInterval(others);
    }
  }, 60_000);
});

describe("an upload's body in pieces", () => {
  const boundary = "----repro";
  const encoder = new TextEncoder();
  const head = encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  /** A one-file form of exactly `length` bytes, sent in chunks cut at `cuts`. */
  const form = (length: number, cuts: number[] = []) => {
    const file = new Uint8Array(length - head.length - tail.length).fill(0x61);
    const bytes = new Uint8Array(length);
    bytes.set(head);
    bytes.set(file, head.length);
    bytes.set(tail, length - tail.length);
    const edges = [0, ...cuts, length];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 1; i < edges.length; i++) controller.enqueue(bytes.slice(edges[i - 1], edges[i]));
        controller.close();
      },
    });
    const request = new Request("http://localhost/subsidies/7", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    return { request, file };
  };
  const parsed = async (length: number, cuts?: number[]) => {
    const { request, file } = form(length, cuts);
    const got = (await parseMultipartInTurns(request, unstable_createMemoryUploadHandler({ maxPartSize: 1024 * 1024 }))).get("file") as File;
    return Buffer.from(await got.arrayBuffer()).equals(Buffer.from(file));
  };

  it("is a valid form whichever byte a piece of ours or a chunk of the network's ends on, the closing dashes included", async () => {
    // Our 64 kB pieces: a body of 64 kB × k + 3 bytes was cut between the two dashes of its closing boundary.
    for (const length of [65536 + 3, 131072 + 3, 65536 + 2, 65536 + 4, 65536 - 1, 65536]) expect(await parsed(length), `${length} bytes`).toBe(true);
    // The network's chunks, ending at every byte of the closing boundary.
    const length = 5000;
    for (let back = 1; back <= tail.length; back++) expect(await parsed(length, [length - back]), `cut ${back} bytes before the end`).toBe(true);
  });
});
