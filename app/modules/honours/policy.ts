import { isOfficerOf } from "~/auth/relation";
import type { SessionUser } from "~/auth/roles";
import type { PersonRef } from "~/modules/people/policy";
import { todayInTaizhou } from "~/lib/time";
import type { HonourKind, HonourLevel, HonourStatus } from "~db/types";

/** Pure rules of the honour register. */

/** What an honour is, wherever it comes from: the register, a county's list, the platform's own title. */
export interface HonourFacts {
  level: HonourLevel;
  kind: HonourKind;
  title: string;
  conferredBy: string;
  year: number;
  conferredOn: string | null;
  status: HonourStatus;
  revokedOn: string | null;
  revokedNote: string | null;
}

/** One line of a person's honours, as their record page shows it. */
export interface HonourLine extends HonourFacts {
  /** A register entry's id; null for the platform's own title (it is changed where it was given). */
  id: number | null;
  /** Who entered it, or the file and line it came from, or the platform's certificate. */
  source: string;
}

/** Who enters, revokes and withdraws a person's honours: the city for everyone, a county officer for its own people. */
export const canManageHonours = (user: SessionUser, person: PersonRef): boolean => isOfficerOf(user, person.org_unit_id);

/** The first year an honour may carry (the first 全国劳动模范 were named in 1950). */
export const FIRST_HONOUR_YEAR = 1950;

/**
 * A level as county lists write it: 全国 / 国家级, 省级 / 省部级 / 浙江省, 市级 / 台州市, 县级 / 区级 /
 * 县（市、区）级. Brackets and spaces are folded away by the caller.
 */
export function honourLevelOf(text: string): HonourLevel | null {
  const t = text.replace(/[（(].*?[)）]/g, "");
  if (/^(全国|国家|中华全国)/.test(t)) return "national";
  if (/^(省|省部|浙江)/.test(t)) return "provincial";
  if (/^(市|地市|设区市|台州)/.test(t)) return "city";
  if (/^(县|区|县市区|县区)/.test(t) || /^[\u4e00-\u9fa5]{1,4}(县|区)(级)?$/.test(t)) return "county";
  return null;
}

/** The kind an honour's name says it is, for a list without a 类别 column; anything else is 其他 under its own name. */
export function honourKindOf(title: string): HonourKind {
  if (/五一劳动奖章/.test(title)) return "may_day_medal";
  if (/劳动模范|劳模|先进工作者/.test(title)) return "model_worker";
  if (/技术能手/.test(title)) return "technical_expert";
  if (/工匠/.test(title)) return "craftsman";
  return "other";
}

/** A list's 状态: empty reads as 保持 (the lists name what a person holds). */
export function honourStatusOf(text: string): HonourStatus | null {
  if (!text || /^(保持|保留|有效|正常|在册)$/.test(text)) return "kept";
  if (/^(已?撤销|已?取消|已?撤回称号)$/.test(text)) return "revoked";
  return null;
}

/**
 * What is wrong with a revocation date, if anything: an honour is revoked after it was conferred (its day, or else
 * its year) and not later than today. One rule for the officer's 撤销 step and an imported list's 撤销 rows.
 */
export function revocationDateProblem(revokedOn: string, honour: { year: number; conferredOn: string | null }, now = new Date()): string | null {
  const today = todayInTaizhou(now);
  if (revokedOn > today) return `撤销日期不能晚于今天（${today}）`;
  if (honour.conferredOn && revokedOn < honour.conferredOn) return `撤销日期不能早于授予日期（${honour.conferredOn}）`;
  if (revokedOn < `${honour.year}-01-01`) return `撤销日期不能早于荣誉的年份（${honour.year}年）`;
  return null;
}

/**
 * What makes two entries the same honour: the person, its level, kind, name and year. The body's
 * spelling (浙江省人民政府 or 省政府) does not make a second honour; the database holds the same rule.
 */
export const honourKey = (h: { person_id: number; level: string; kind: string; title: string; year: number }) =>
  `${h.person_id}|${h.level}|${h.kind}|${h.title}|${h.year}`;
