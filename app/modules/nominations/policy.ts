import type { CampaignStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { relationTo } from "~/auth/relation";

/** Pure rules about who may do what to nominations, in which campaign stage. */

export interface CampaignRef {
  status: CampaignStatus;
  nomination_deadline: string;
}

export interface NominationRef {
  nominating_unit_id: number;
  person_id: number;
}

export function nominationWindowOpen(campaign: CampaignRef, today: string): boolean {
  return campaign.status === "nominating" && today <= campaign.nomination_deadline;
}

export function canViewNomination(user: SessionUser, nomination: NominationRef): boolean {
  return relationTo(user, nomination.nominating_unit_id, nomination.person_id) !== null;
}

/**
 * The 推荐审批表 is the paper that is signed and stamped: the city, and the officer of the unit that
 * put the person forward, print it with the full ID number (recorded like any reveal).
 */
export function canPrintFullIdNumber(user: SessionUser, nomination: NominationRef): boolean {
  return user.role === "city_admin" || (user.role === "county_officer" && user.orgUnitId === nomination.nominating_unit_id);
}

/**
 * County officers file and edit their own unit's nominations until the deadline; after it, and
 * for social-group nominations, only city officers can, and nobody once the campaign is closed.
 */
export function canEditNomination(user: SessionUser, campaign: CampaignRef, unitId: number, today: string): boolean {
  if (campaign.status === "closed") return false;
  if (user.role === "city_admin") return true;
  return user.role === "county_officer" && unitId === user.orgUnitId && nominationWindowOpen(campaign, today);
}

export function canCreateNomination(user: SessionUser, campaign: CampaignRef, today: string): boolean {
  if (user.role === "city_admin") return campaign.status !== "closed";
  return user.role === "county_officer" && nominationWindowOpen(campaign, today);
}

/** Stage work (decisions, scores, votes, objections, naming) belongs to the city union. */
export function canReview(user: SessionUser): boolean {
  return user.role === "city_admin";
}

/** Which review step may be recorded in which stage. */
export const STEP_STAGE = {
  qualification: "qualification",
  expertScore: "expert_review",
  candidates: "expert_review",
  votes: "online_vote",
  objections: "public_notice",
  naming: "final_approval",
} as const satisfies Record<string, CampaignStatus>;

export type ReviewStep = keyof typeof STEP_STAGE;

export function stepOpen(campaign: { status: CampaignStatus }, step: ReviewStep): boolean {
  return campaign.status === STEP_STAGE[step];
}

/**
 * The final score: the expert mean (out of 100) and the public vote (the votes as a share of the
 * most any candidate got, times 100), weighed as the rules say. Two decimals, as the board shows.
 */
export function weightedScore(expertMean: number | null, votes: number | null, mostVotes: number, voteWeight: number): number | null {
  if (expertMean === null) return null;
  const votePoints = mostVotes > 0 ? ((votes ?? 0) / mostVotes) * 100 : 0;
  return Math.round(expertMean * (100 - voteWeight) + votePoints * voteWeight) / 100;
}

export const formulaText = (voteWeight: number) =>
  `综合得分 = 专家评审均分 × ${100 - voteWeight}% + 网络投票折算分 × ${voteWeight}%（网络投票折算分 = 得票数 ÷ 最高得票数 × 100）`;
