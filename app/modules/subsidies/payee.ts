/**
 * A payee's card number as people type it and as officers see it. Pure: the form's schema reads it
 * on the server, and the masks it makes are what every page shows.
 */

/** The digits of a card number as typed: spaces dropped (the card prints it in groups), full-width digits read as digits. */
export function normaliseCardNumber(typed: string): string {
  return typed.normalize("NFKC").replace(/\s/g, "");
}

/** ISO/IEC 7812's check digit (Luhn, mod 10), which catches one wrong digit and most swapped pairs. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card numbers of 16–19 digits carry a check digit; 12–15 digits are passbook or account numbers, which need not. */
export const carriesCheckDigit = (digits: string) => digits.length >= 16;

/** What is wrong with a normalised number, or null: digits only, 12 to 19 of them. */
export function cardNumberProblem(digits: string): string | null {
  if (!digits) return "请填写卡号";
  if (!/^\d+$/.test(digits)) return "卡号只能是数字（空格可以保留，会自动去掉）";
  if (digits.length < 12 || digits.length > 19) return `卡号应为12到19位数字，您填写的是${digits.length}位`;
  return null;
}

/** The first four and last four digits, the rest starred in groups of four: 6222 **** **** 1234. */
export function maskCardNumber(digits: string): string {
  const middle = "*".repeat(digits.length - 8).replace(/(.{4})(?=.)/g, "$1 ");
  return `${digits.slice(0, 4)} ${middle} ${digits.slice(-4)}`;
}

/** Names compare without the spaces people put between surname and given name. */
export const sameName = (a: string, b: string) => a.replace(/\s/g, "") === b.replace(/\s/g, "");
