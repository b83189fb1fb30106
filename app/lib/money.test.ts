import { describe, expect, it } from "vitest";
import { checkEvidence } from "~/lib/files";
import { fenToWan, formatFen, parseYuan } from "~/lib/money";

describe("money", () => {
  it.each([
    ["12,345.6", 1234560],
    ["12345.60", 1234560],
    ["¥12345", 1234500],
    ["￥ 1 000", 100000],
    ["0.01", 1],
    ["８８元", 8800],
    ["1,234,567.89", 123456789],
  ])("reads %s as %i fen", (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  it.each([
    ["-5", "金额不能为负数"],
    ["1.234", "金额最多保留两位小数（到分）"],
    ["1e5", "不是有效的金额"],
    ["abc", "不是有效的金额"],
    ["", "请填写金额"],
    ["1000000000", "金额过大，请核对"],
    // Separators anywhere but between thousands are a slip, not a number to guess at.
    ["1,5", "不是有效的金额"],
    [",,,1", "不是有效的金额"],
    ["1,2,3", "不是有效的金额"],
    ["12,34.5", "不是有效的金额"],
  ])("refuses %s", (input, message) => {
    const result = parseYuan(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("shows fen as yuan", () => {
    expect(formatFen(1234560)).toBe("¥12,345.60");
    expect(formatFen(5)).toBe("¥0.05");
  });
});

describe("evidence files", () => {
  it("recognises PDF, JPEG and PNG by content whatever the name", () => {
    expect(checkEvidence("x.txt", new TextEncoder().encode("%PDF-1.7\n"))).toMatchObject({ ok: true, type: "application/pdf" });
    expect(checkEvidence("a", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]))).toMatchObject({ ok: true, type: "image/jpeg" });
    expect(checkEvidence("b", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toMatchObject({ ok: true, type: "image/png" });
  });

  it("refuses a renamed file, an empty one and an oversized one", () => {
    const fake = checkEvidence("证书.pdf", new TextEncoder().encode("<html><script>alert(1)</script>"));
    expect(fake).toMatchObject({ ok: false, message: "“证书.pdf”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）" });
    expect(checkEvidence("e.png", new Uint8Array())).toMatchObject({ ok: false });
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect(checkEvidence("big.pdf", big)).toMatchObject({ ok: false, message: expect.stringContaining("5 MB") });
  });
});

describe("fen as 万元", () => {
  it("rounds to two places", () => {
    expect(fenToWan(123_456_789)).toBe(123.46);
    expect(fenToWan("50000000")).toBe(50);
    expect(fenToWan(0)).toBe(0);
  });
});
