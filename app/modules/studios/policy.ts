import type { MilestoneStatus, StudioStatus } from "~db/types";
import type { SessionUser } from "~/auth/roles";

/** Pure rules of the studio lifecycle: which role may take which step from which state. */

export type { StudioStatus };

export const STUDIO_STATUS_LABELS: Record<StudioStatus, string> = {
  draft: "草稿",
  submitted: "已提交，待县级总工会审核",
  returned: "退回修改",
  county_reviewed: "县级已审核，待市总工会授牌",
  rejected: "未通过",
  accredited: "已授牌",
  active: "运行中",
  suspended: "已暂停",
  revoked: "已摘牌",
};

export interface StudioRef {
  status: StudioStatus;
  org_unit_id: number;
  person_id: number;
}

type Who = "leader" | "county" | "city";

interface Step {
  label: string;
  from: StudioStatus[];
  to: StudioStatus;
  by: Who[];
  /** The step must say why (returns, rejections, suspensions, revocations). */
  needsReason?: boolean;
}

export const STUDIO_STEPS = {
  submit: { label: "提交申请", from: ["draft", "returned"], to: "submitted", by: ["leader", "county"] },
  return: { label: "退回修改", from: ["submitted"], to: "returned", by: ["county"], needsReason: true },
  county_approve: { label: "县级审核通过", from: ["submitted"], to: "county_reviewed", by: ["county"] },
  county_reject: { label: "不予通过", from: ["submitted"], to: "rejected", by: ["county"], needsReason: true },
  city_return: { label: "退回修改", from: ["county_reviewed"], to: "returned", by: ["city"], needsReason: true },
  city_reject: { label: "不予授牌", from: ["county_reviewed"], to: "rejected", by: ["city"], needsReason: true },
  accredit: { label: "授牌", from: ["county_reviewed"], to: "accredited", by: ["city"] },
  activate: { label: "开始运行", from: ["accredited"], to: "active", by: ["leader", "city"] },
  suspend: { label: "暂停", from: ["accredited", "active"], to: "suspended", by: ["city"], needsReason: true },
  resume: { label: "恢复运行", from: ["suspended"], to: "active", by: ["city"] },
  revoke: { label: "摘牌", from: ["accredited", "active", "suspended"], to: "revoked", by: ["city"], needsReason: true },
} as const satisfies Record<string, Step>;

export type StudioStep = keyof typeof STUDIO_STEPS;

/** How the user stands to this studio: its leader, the officer of its unit, the city — or not at all. */
export function relation(user: SessionUser, studio: StudioRef): Who | null {
  if (user.role === "city_admin") return "city";
  if (user.role === "county_officer") return user.orgUnitId === studio.org_unit_id ? "county" : null;
  return user.personId === studio.person_id ? "leader" : null;
}

export function canViewStudio(user: SessionUser, studio: StudioRef): boolean {
  return relation(user, studio) !== null;
}

export function canTakeStep(user: SessionUser, studio: StudioRef, step: StudioStep): boolean {
  const who = relation(user, studio);
  const rule: Step = STUDIO_STEPS[step];
  return who !== null && rule.by.includes(who) && rule.from.includes(studio.status);
}

export function availableSteps(user: SessionUser, studio: StudioRef): StudioStep[] {
  return (Object.keys(STUDIO_STEPS) as StudioStep[]).filter((step) => canTakeStep(user, studio, step));
}

/** The application can be changed while it is with the applicant. */
export function canEditStudio(user: SessionUser, studio: StudioRef): boolean {
  const who = relation(user, studio);
  return (who === "leader" || who === "county" || who === "city") && (studio.status === "draft" || studio.status === "returned");
}

/** Apprentices are taken on, and milestones filed, while the studio is accredited or running. */
export function studioWorking(studio: StudioRef): boolean {
  return studio.status === "accredited" || studio.status === "active";
}

export function canManageApprentices(user: SessionUser, studio: StudioRef): boolean {
  return relation(user, studio) !== null && studioWorking(studio);
}

/** The leader files milestones; the officers verify them. Nobody verifies their own studio's work. */
export function canVerifyMilestone(user: SessionUser, studio: StudioRef, milestone: { status: MilestoneStatus }): boolean {
  const who = relation(user, studio);
  return (who === "county" || who === "city") && milestone.status === "pending";
}

/** Officers' own entries are verified as they are made; the leader's wait for an officer. */
export function initialMilestoneStatus(user: SessionUser): MilestoneStatus {
  return user.role === "craftsman" ? "pending" : "verified";
}
