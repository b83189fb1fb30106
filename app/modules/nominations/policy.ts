import type { CampaignStatus } from "~db/types";
import { isCountyOfficer, isCityAdmin, type SessionUser } from "~/auth/roles";
import { isOfficerOf, relationTo, type Relation } from "~/auth/relation";
import type { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import type { NOMINATION_AUDIT } from "~/modules/nominations/labels";

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
  return isOfficerOf(user, nomination.nominating_unit_id);
}

/**
 * County officers file and edit their own unit's nominations until the deadline; after it, and
 * for social-group nominations, only city officers can, and nobody once the campaign is closed.
 */
export function canEditNomination(user: SessionUser, campaign: CampaignRef, unitId: number, today: string): boolean {
  if (campaign.status === "closed") return false;
  const who = relationTo(user, unitId, null);
  return who === "city" || (who === "county" && nominationWindowOpen(campaign, today));
}

export function canCreateNomination(user: SessionUser, campaign: CampaignRef, today: string): boolean {
  if (isCityAdmin(user)) return campaign.status !== "closed";
  return isCountyOfficer(user) && nominationWindowOpen(campaign, today);
}

/** Stage work (decisions, scores, votes, objections, naming) belongs to the city union. */
export function canReview(user: SessionUser): boolean {
  return isCityAdmin(user);
}

type ReviewAction = keyof typeof NOMINATION_AUDIT.actions | keyof typeof CAMPAIGN_AUDIT.actions;

interface ReviewStepRule {
  /** The campaign stage the step is taken in, and only then. */
  stage: CampaignStatus;
  /** The history actions it writes (on the nomination, or on the campaign for the whole list). */
  actions: readonly ReviewAction[];
  /** The to-dos it leaves, for whom (the pending objection is the county's to check and the city's to decide). */
  todos?: ReadonlyArray<{ for: Relation; text: string }>;
}

/**
 * The city's review steps on a campaign's nominations (all of them the city's: `canReview`), each
 * declared once: the stage it belongs to, the history actions it writes and the to-dos it leaves ({subject} is the nominee).
 * Not a `defineWorkflow`: what opens a step is the campaign's stage, not the nomination's state (a
 * 初审 may be revised, pass to fail or back, for as long as the stage lasts, and both outcomes are one
 * history action, `qualification`); the stages themselves are the campaign's workflow. Nobody is
 * told of these steps today: the campaign's stage changes are what the counties hear of.
 */
export const REVIEW_STEPS = {
  qualification: { stage: "qualification", actions: ["qualification", "acknowledge_quota"] },
  expertScore: { stage: "expert_review", actions: ["expert_score"] },
  candidates: { stage: "expert_review", actions: ["select_candidates"] },
  votes: { stage: "online_vote", actions: ["votes"] },
  objections: {
    stage: "public_notice",
    actions: ["objection_received", "objection_resolved", "reveal_objector"],
    todos: [
      { for: "county", text: "核查公示异议：{subject}" },
      { for: "city", text: "处理公示异议：{subject}" },
    ],
  },
  naming: { stage: "final_approval", actions: ["name_awardees"] },
} as const satisfies Record<string, ReviewStepRule>;

export type ReviewStep = keyof typeof REVIEW_STEPS;

export function stepOpen(campaign: { status: CampaignStatus }, step: ReviewStep): boolean {
  return campaign.status === REVIEW_STEPS[step].stage;
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
