import { relationTo } from "~/auth/relation";
import type { SessionUser } from "~/auth/roles";
import { canViewStudio, type StudioRef } from "~/modules/studios/policy";

/**
 * How a user stands to a pairing (师徒结对): its apprentice, its mentor (the studio's leader — the
 * "1" of "1+N"), the officers of the studio's unit, or the city. The one rule every apprentice
 * page, action and list asks; an apprentice stands to nothing else on the platform but the events
 * they are on and their own messages.
 */
export type MentorshipParty = "apprentice" | "mentor" | "county" | "city";

export interface MentorshipRef {
  /** The apprentice's person record. */
  apprentice_id: number;
  /** The studio's unit. */
  org_unit_id: number;
  /** The studio's leader's person record (the mentor). */
  person_id: number | null;
}

export function partyTo(user: SessionUser, m: MentorshipRef): MentorshipParty | null {
  if (user.role === "apprentice") return user.personId === m.apprentice_id ? "apprentice" : null;
  const relation = relationTo(user, m.org_unit_id, m.person_id);
  return relation === "owner" ? "mentor" : relation;
}

/**
 * An apprentice's account name: made up from their person record, never typed (they sign in with a
 * phone code). The prefix is kept from the names officers give accounts, so none can take it.
 */
export const APPRENTICE_USERNAME_PREFIX = "apprentice-";
export const apprenticeUsername = (personId: number) => `${APPRENTICE_USERNAME_PREFIX}${personId}`;

/**
 * Who reads a pairing (its page, its milestones and their evidence): whoever may see its studio,
 * and its own apprentice — who sees nothing else of the studio.
 */
export function canViewMentorship(user: SessionUser, m: MentorshipRef & StudioRef): boolean {
  return partyTo(user, m) === "apprentice" || canViewStudio(user, m);
}

export const isOfficerParty = (party: MentorshipParty | null): party is "county" | "city" => party === "county" || party === "city";

/** Policy as data: what holds for a year the city has not set (mentoring_policy). */
export const DEFAULT_MENTORING_POLICY = {
  /** Three-party reviews every quarter. */
  reviewEveryMonths: 3,
  /** 带徒津贴 per apprentice per year of mentoring: 1,200 元. */
  allowancePerYearFen: 120_000,
  /** The allowance scaled by the 出师考核's result. */
  passedPercent: 100,
  extendedPercent: 50,
  terminatedPercent: 0,
  /** A reward for each apprentice who reaches 技师 or above: 2,000 元. */
  technicianRewardFen: 200_000,
  /** A reward for each competition placing: 1,000 元. */
  placingRewardFen: 100_000,
} as const;

export type MentoringPolicy = { -readonly [K in keyof typeof DEFAULT_MENTORING_POLICY]: number };
