import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readBounded } from "~/lib/body-gate.server";

const upload = (bytes: number) =>
  new Request("http://localhost/upload", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(bytes) } });

/** A read that finishes when told to. */
function pending() {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => (finish = () => resolve("read")));
  return { read: () => done, finish };
}

describe("large bodies in flight", () => {
  beforeEach(() => {
    vi.stubEnv("UPLOAD_CONCURRENCY", "2");
    vi.stubEnv("LARGE_BODY_BYTES", "1048576");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it("reads a few at a time, queues the rest in order, never queues a small body, and refuses with a 503 when the queue is full", async () => {
    const first = pending();
    const second = pending();
    const started: string[] = [];
    const a = readBounded(upload(5_000_000), () => (started.push("a"), first.read()), null);
    const b = readBounded(upload(5_000_000), () => (started.push("b"), second.read()), null);
    const third = pending();
    const c = readBounded(upload(5_000_000), () => (started.push("c"), third.read()), null);
    // A page's small form is read at once, whatever the uploads are doing.
    expect(await readBounded(upload(2_000), async () => "small", null)).toBe("small");
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(["a", "b"]);
    first.finish();
    expect(await a).toBe("read");
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(["a", "b", "c"]);

    // Two reading, sixteen waiting: the next is told to come back.
    const waiting = Array.from({ length: 16 }, () => readBounded(upload(5_000_000), async () => "later", null));
    const refused = await readBounded(upload(5_000_000), async () => "never", null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(503);
    expect((refused as Response).headers.get("retry-after")).toBe("10");
    expect(await (refused as Response).json()).toEqual({ error: "服务器正在接收较多的大文件，请稍等片刻后重新上传" });
    second.finish();
    third.finish();
    expect(await Promise.all([b, c, ...waiting])).toEqual(["read", "read", ...Array(16).fill("later")]);
  });

  it("tells an upload that waited too long to try again, and lets the next one in", async () => {
    vi.useFakeTimers();
    const held = [pending(), pending()];
    const reads = held.map((h) => readBounded(upload(5_000_000), h.read, null));
    const late = readBounded(upload(5_000_000), async () => "never", null).catch((e: Response) => e.status);
    await vi.advanceTimersByTimeAsync(20_001);
    expect(await late).toBe(503);
    held[0].finish();
    await reads[0];
    expect(await readBounded(upload(5_000_000), async () => "in", null)).toBe("in");
    held[1].finish();
    await reads[1];
  });

  it("lets one address hold at most half the slots, reading and waiting together, so others' uploads still get in", async () => {
    const held = pending();
    const mine = readBounded(upload(5_000_000), held.read, "198.51.100.9");
    // Its second large body at once is told to try again; no slot, no place in the queue.
    const second = await readBounded(upload(5_000_000), async () => "never", "198.51.100.9").catch((e: unknown) => e);
    expect((second as Response).status).toBe(503);
    // Another address takes the other slot, and a small form from the first is never held.
    expect(await readBounded(upload(5_000_000), async () => "theirs", "203.0.113.4")).toBe("theirs");
    expect(await readBounded(upload(2_000), async () => "small", "198.51.100.9")).toBe("small");
    held.finish();
    expect(await mine).toBe("read");
    // Its share back once the first is read.
    expect(await readBounded(upload(5_000_000), async () => "again", "198.51.100.9")).toBe("again");
  });
});
