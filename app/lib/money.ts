/** Money is kept in integer fen (分). Input accepts 12,345.6 / 12345.60 / ¥12345 and nothing fancier. */

import { refuse, type Result } from "~/lib/result";

export const MAX_YUAN = 100_000_000; // a hundred million yuan: anything above is a typing mistake here

export function parseYuan(input: string): Result<{ fen: number }> {
  const written = input
    .normalize("NFKC")
    .trim()
    .replace(/^[¥￥]\s*/, "")
    .replace(/\s*元$/, "");
  // A comma or a space only ever separates thousands: "1,5" is a slip for 1.5, not fifteen yuan.
  if (/[\s,]/.test(written) && !/^-?\d{1,3}([,\s]\d{3})*(\.\d+)?$/.test(written)) return refuse(`“${input}”不是有效的金额（千位分隔符应每三位一个）`);
  const text = written.replace(/[\s,]/g, "");
  if (text === "") return refuse("请填写金额");
  if (text.startsWith("-")) return refuse("金额不能为负数");
  if (!/^\d+(\.\d+)?$/.test(text)) return refuse(`“${input}”不是有效的金额`);
  const [whole, fraction = ""] = text.split(".");
  if (fraction.length > 2) return refuse("金额最多保留两位小数（到分）");
  if (Number(whole) > MAX_YUAN) return refuse("金额过大，请核对");
  return { ok: true, fen: Number(whole) * 100 + Number(fraction.padEnd(2, "0")) };
}

export function formatFen(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100).toLocaleString("en-US")}.${String(abs % 100).padStart(2, "0")}`;
}

/** Fen as 万元 to two places (a chart's axis, a budget line): 123,456,789 fen → 123.46. */
export function fenToWan(fen: number | string | bigint): number {
  return Math.round(Number(fen) / 10_000) / 100;
}
