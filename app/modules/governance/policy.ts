/**
 * Pure rules of decision documents. A 文号 is typed by hand, often with the year in whatever
 * brackets the keyboard gives ([2018], (2018), （2018）, 【2018】, ［2018］); the register keeps the one
 * form documents print, 〔2018〕, so the same document typed twice is found as one.
 */

const YEAR_BRACKETS = /[[(（【［﹝〔]\s*((?:19|20)\d{2})\s*[\])）】］﹞〕]/;

/** The number as documents print it: spaces gone, the year in 〔〕, a trailing 号 when the serial ends it. */
export function normaliseDocumentNumber(typed: string): string {
  const plain = typed.replace(/\s+/g, "").replace(YEAR_BRACKETS, "〔$1〕");
  return /\d$/.test(plain) ? `${plain}号` : plain;
}

/** 机关代字〔年份〕序号号 (台总工〔2018〕10号, 浙工发〔2022〕3号): loosely, as unions write them. */
const DOCUMENT_NUMBER = /^[\u4e00-\u9fffA-Za-z]{1,20}〔((?:19|20)\d{2})〕第?\d{1,5}号$/;

export const isDocumentNumber = (normalised: string) => DOCUMENT_NUMBER.test(normalised);

/** The year a number carries (〔2018〕), if it is a number at all. */
export function documentNumberYear(normalised: string): number | null {
  const match = DOCUMENT_NUMBER.exec(normalised);
  return match ? Number(match[1]) : null;
}
