import { dateInTaizhou, isRealDate } from "~/lib/time";
import { asciiDigits } from "~/lib/format";
import { refuse, type Result } from "~/lib/result";

/**
 * Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
 * sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

export type Sex = "M" | "F";

export interface IdNumberFacts {
  idNumber: string;
  birthDate: string;
  sex: Sex;
}

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** As people type it on a phone: full-width digits and ｘ (a Chinese keyboard's), spaces, a lower-case x. */
export function normaliseIdNumber(input: string): string {
  return input.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

export function parseIdNumber(input: string, today: Date = new Date()): Result<{ value: IdNumberFacts }> {
  const id = normaliseIdNumber(input);
  if (id.length === 0) return refuse("请输入身份证号码");
  if (id.length !== 18) return refuse(`身份证号码应为18位，当前为${id.length}位`);
  if (!/^\d{17}[\dX]$/.test(id)) return refuse("身份证号码前17位应为数字，最后一位为数字或X");
  if (!PROVINCE_CODES.has(Number(id.slice(0, 2)))) {
    return refuse(`身份证号码前两位“${id.slice(0, 2)}”不是有效的省级地区代码`);
  }
  const y = Number(id.slice(6, 10));
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birth)) return refuse(`身份证号码中的出生日期 ${birth} 不存在`);
  if (y < 1900 || birth > dateInTaizhou(today)) {
    return refuse(`身份证号码中的出生日期 ${birth} 不合理`);
  }
  if (checkCharacter(id.slice(0, 17)) !== id[17]) {
    return refuse("身份证号码校验位不正确，请核对是否有数字抄错");
  }
  return { ok: true, value: { idNumber: id, birthDate: birth, sex: Number(id[16]) % 2 === 1 ? "M" : "F" } };
}

export const SEX_LABELS: Record<Sex, string> = { M: "男", F: "女" };

/** Cross-checks the number against the sex and birth date typed into the same form. */
export function crossCheckIdNumber(facts: IdNumberFacts, sex: Sex, birthDate: string): string | null {
  if (facts.sex !== sex) {
    return `身份证号码显示性别为“${SEX_LABELS[facts.sex]}”，与所填性别“${SEX_LABELS[sex]}”不一致`;
  }
  if (facts.birthDate !== birthDate) {
    return `身份证号码中的出生日期为 ${facts.birthDate}，与所填出生日期 ${birthDate} 不一致`;
  }
  return null;
}

/**
 * Only the first four digits (province and city) stay: the birth date and sex are shown beside the
 * mask and the county is known from the unit, so showing any of the last four would leave too few
 * unknown digits for the exact-number search to confirm.
 */
export function maskIdNumber(id: string): string {
  return id.slice(0, 4) + "*".repeat(14);
}

/** A name as lists show it when the person is not theirs to know: the surname, the rest starred. */
export function maskName(name: string): string {
  const chars = [...name];
  return (chars[0] ?? "") + "*".repeat(Math.max(1, chars.length - 1));
}

export function normalisePhone(input: string): string {
  return asciiDigits(input).replace(/[\s-]/g, "");
}

/**
 * A phone number as written: a mobile as its eleven digits; a landline keeps the dash after its
 * area code (0576-87231234), which is how it is read out and dialled. Lookups and the SMS limits
 * go by the digits alone (normalisePhone), so either spelling finds the same person.
 */
export function parsePhone(input: string): Result<{ value: string }> {
  const phone = normalisePhone(input);
  if (/^1[3-9]\d{9}$/.test(phone)) return { ok: true, value: phone };
  const landline = asciiDigits(input)
    .replace(/\s+/g, "")
    .match(/^(0\d{2,3})-(\d{7,8})$/);
  if (landline) return { ok: true, value: `${landline[1]}-${landline[2]}` };
  if (/^0\d{9,11}$/.test(phone)) return { ok: true, value: phone };
  return refuse("请填写11位手机号码，或带区号的固定电话（如 0576-88881234）");
}

export function maskPhone(written: string): string {
  const phone = normalisePhone(written);
  return phone.slice(0, 3) + "*".repeat(Math.max(phone.length - 7, 0)) + phone.slice(-4);
}
