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
