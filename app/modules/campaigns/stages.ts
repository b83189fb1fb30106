import type { CampaignStatus } from "~db/types";

export type { CampaignStatus };

/** The notice's five review stages, between nominating and closing, in their fixed order. */
export const CAMPAIGN_STAGES: readonly CampaignStatus[] = [
  "nominating",
  "qualification",
  "expert_review",
  "online_vote",
  "public_notice",
  "final_approval",
  "closed",
];

export const STAGE_LABELS: Record<CampaignStatus, string> = {
  nominating: "推荐申报",
  qualification: "资格初审",
  expert_review: "专家评审",
  online_vote: "网络投票",
  public_notice: "社会公示",
  final_approval: "审定命名",
  closed: "已结束",
};

export function nextStage(status: CampaignStatus): CampaignStatus | null {
  const i = CAMPAIGN_STAGES.indexOf(status);
  return i >= 0 && i < CAMPAIGN_STAGES.length - 1 ? CAMPAIGN_STAGES[i + 1] : null;
}

export function stageIndex(status: CampaignStatus): number {
  return CAMPAIGN_STAGES.indexOf(status);
}

/** Has the campaign reached (or passed) this stage? */
export function reached(status: CampaignStatus, stage: CampaignStatus): boolean {
  return stageIndex(status) >= stageIndex(stage);
}

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (campaign numbers stay well below 100). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ""}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ""}`;
  return String(n);
}

export function campaignLabel(number: number): string {
  return `第${chineseNumber(number)}届`;
}

export function awardTitle(number: number): string {
  return `${campaignLabel(number)}“台州工匠”`;
}

/** The nomination's number as printed on forms and used by the voting platform, e.g. 2-007. */
export function nominationCode(campaignNumber: number, seq: number): string {
  return `${campaignNumber}-${String(seq).padStart(3, "0")}`;
}
