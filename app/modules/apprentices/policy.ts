import type { MentorshipParty } from "~/auth/relation";

// The pairing's one relation rule lives beside relationTo (auth), so the studios module's pages
// ask it too without importing this module (which builds on studios).
export { partyTo, type MentorshipParty, type MentorshipRef } from "~/auth/relation";

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
