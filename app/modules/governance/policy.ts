/**
 * Pure rules of decision documents. A 文号 is typed by hand, often with the year in whatever
 * brackets the keyboard gives ([2018], (2018), （2018）, 【2018】, ［2018］), full-width digits from a
 * Chinese input method, a 第 or leading zeros before the serial (第10号, 010号); the register keeps the
 * one form documents print, 台总工〔2018〕10号, so the same document typed twice is found as one.
 */

const YEAR_BRACKETS = /[[(（【［﹝〔]\s*((?:19|20)\d{2})\s*[\])）】］﹞〕]/;
const FULL_WIDTH_DIGITS = /[０-９]/g;
// The serial after the year: 第 and leading zeros are ways of typing it, not part of it (〕0号 stays 0).
const SERIAL = /〕第?0*(\d)/;

const asciiDigits = (text: string) => text.replace(FULL_WIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** The number as documents print it: ASCII digits, spaces gone, the year in 〔〕, the bare serial, a trailing 号. */
export function normaliseDocumentNumber(typed: string): string {
  const plain = asciiDigits(typed).replace(/\s+/g, "").replace(YEAR_BRACKETS, "〔$1〕").replace(SERIAL, "〕$1");
  return /\d$/.test(plain) ? `${plain}号` : plain;
}

/** The issuing body as one name: 台州市 总工会 (a space typed inside) is 台州市总工会. */
export const normaliseIssuer = (typed: string) => typed.replace(/\s+/g, "");

/** 机关代字〔年份〕序号号 (台总工〔2018〕10号, 浙工发〔2022〕3号): loosely, as unions write them. */
const DOCUMENT_NUMBER = /^[\u4e00-\u9fffA-Za-z]{1,20}〔((?:19|20)\d{2})〕\d{1,5}号$/;

export const isDocumentNumber = (normalised: string) => DOCUMENT_NUMBER.test(normalised);

/** The year a number carries (〔2018〕), if it is a number at all. */
export function documentNumberYear(normalised: string): number | null {
  const match = DOCUMENT_NUMBER.exec(normalised);
  return match ? Number(match[1]) : null;
}
