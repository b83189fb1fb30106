import type { MentorshipStatus, MilestoneStatus, StudioStatus } from "~db/types";
import { partyTo, type MentorshipRef, type Relation } from "~/auth/relation";
import { isCraftsman, type SessionUser } from "~/auth/roles";
import { applicationReview, defineWorkflow, type WorkflowRecord } from "~/auth/workflow";
import type { Notice } from "~/lib/notices";

/** A studio that runs (named, working or paused): it has a ledger, years, reports and 重新确认 periods. */
export const RUNNING_STATUSES = ["accredited", "active", "suspended"] as const satisfies readonly StudioStatus[];

export const isRunning = (status: string) => (RUNNING_STATUSES as readonly string[]).includes(status);

/**
 * A pairing in force: learning, or paused for a break (a paused pairing is still the studio's
 * apprentice — counted, endable, one per studio and person — it only takes no new log entries).
 */
export const ONGOING_MENTORSHIP = ["active", "paused"] as const satisfies readonly MentorshipStatus[];

export const isOngoing = (status: string) => (ONGOING_MENTORSHIP as readonly string[]).includes(status);

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

/** The lifecycle; "owner" is the studio's leading craftsman. */
export const studioWorkflow = defineWorkflow<StudioStatus>("工作室")({
  ...applicationReview("county_reviewed", "return", {
    // An officer may file for a leader, and submit it.
    submit: {
      by: ["owner", "county"],
      notices: [{ to: ["unit"], category: "todo", text: "{owner}提交了工作室申请“{subject}”，请审核" }],
      todo: { for: "county", text: "审核工作室申请：{subject}" },
    },
    withdraw: { notices: [{ to: ["unit"], category: "todo", text: "{owner}撤回了工作室申请“{subject}”，修改后会重新提交，暂不需审核" }] },
    return: {
      notices: [{ to: ["owner"], category: "returned", text: "您的工作室申请“{subject}”被退回修改：{reason}" }],
      todo: { for: "owner", text: "修改工作室申请：{subject}" },
    },
    county_approve: {
      notices: [
        { to: ["owner"], category: "approved", text: "您的工作室申请“{subject}”已通过{unit}审核，等待市总工会授牌" },
        { to: ["city"], category: "todo", text: "{unit}审核通过了工作室申请“{subject}”，请授牌" },
      ],
      todo: { for: "city", text: "授牌：{subject}" },
    },
    county_reject: {
      confirm: "申请将被驳回，不能再修改或重新提交；领衔工匠需要时只能重新申请。",
      notices: [{ to: ["owner"], category: "rejected", text: "您的工作室申请“{subject}”未获通过：{reason}" }],
    },
    city_return: {
      notices: [
        { to: ["owner"], category: "returned", text: "您的工作室申请“{subject}”被市总工会退回修改：{reason}" },
        { to: ["unit"], category: "todo", text: "市总工会退回了工作室申请“{subject}”：{reason}" },
      ],
      todo: { for: "owner", text: "修改工作室申请：{subject}" },
    },
  }),
  city_reject: {
    label: "不予授牌",
    from: ["county_reviewed"],
    to: "rejected",
    by: ["city"],
    needsReason: true,
    confirm: "申请将被驳回，不能再修改或重新提交。",
    notices: [{ to: ["owner", "unit"], category: "rejected", text: "工作室申请“{subject}”未获授牌：{reason}" }],
  },
  accredit: {
    label: "授牌",
    from: ["county_reviewed"],
    to: "accredited",
    by: ["city"],
    confirm: "工作室将以该牌匾编号授牌，并在公开展示中列出；授牌不能撤回，只能摘牌。",
    notices: [{ to: ["owner", "unit"], category: "accredited", text: "“{subject}”已由市总工会授牌" }],
  },
  activate: { label: "开始运行", from: ["accredited"], to: "active", by: ["owner", "city"] },
  suspend: {
    label: "暂停",
    from: ["accredited", "active"],
    to: "suspended",
    by: ["city"],
    needsReason: true,
    confirm: "工作室将暂停运行：暂停期间不能登记学徒和成果，直到市总工会恢复运行。",
    notices: [{ to: ["owner", "unit"], category: "suspended", text: "“{subject}”已暂停运行：{reason}" }],
  },
  resume: {
    label: "恢复运行",
    from: ["suspended"],
    to: "active",
    by: ["city"],
    notices: [{ to: ["owner", "unit"], category: "approved", text: "“{subject}”已恢复运行" }],
  },
  revoke: {
    label: "摘牌",
    from: [...RUNNING_STATUSES],
    to: "revoked",
    by: ["city"],
    needsReason: true,
    confirm: "工作室将被摘牌：不再运行，不再公开展示，且不能恢复。",
    notices: [{ to: ["owner", "unit"], category: "suspended", text: "“{subject}”已被摘牌：{reason}" }],
  },
});

export const { steps: STUDIO_STEPS, canTake: canTakeStep, available: availableSteps, relation, canView: canViewStudio } = studioWorkflow;
export type StudioStep = keyof typeof STUDIO_STEPS;

/**
 * Who reads a pairing (its page, its milestones and their evidence): whoever may see its studio,
 * and its own apprentice — who sees nothing else of the studio.
 */
export function canViewMentorship(user: SessionUser, m: MentorshipRef & StudioRef): boolean {
  return partyTo(user, m) === "apprentice" || canViewStudio(user, m);
}

/** The application can be changed while it is with the applicant. */
export function canEditStudio(user: SessionUser, studio: StudioRef): boolean {
  return relation(user, studio) !== null && (studio.status === "draft" || studio.status === "returned");
}

/** Apprentices are taken on, and milestones filed, while the studio is accredited or running. */
export function studioWorking(studio: StudioRef): boolean {
  return studio.status === "accredited" || studio.status === "active";
}

export function canManageApprentices(user: SessionUser, studio: StudioRef): boolean {
  return relation(user, studio) !== null && studioWorking(studio);
}

/**
 * A milestone's verification, as a workflow on the studio's unit and leader: the leader files
 * (`MILESTONE_FILING`), the officers verify or reject. Nobody verifies their own studio's work. The
 * step names are the history's actions (`MILESTONE_AUDIT`).
 */
export const milestoneWorkflow = defineWorkflow<MilestoneStatus>("成果")({
  verify: {
    label: "核实认定",
    from: ["pending"],
    to: "verified",
    by: ["county", "city"],
    notices: [{ to: ["owner"], category: "verified", text: "学徒{subject}的成果已核实认定" }],
  },
  reject: {
    label: "不予认定",
    from: ["pending"],
    to: "rejected",
    by: ["county", "city"],
    needsReason: true,
    notices: [{ to: ["owner"], category: "rejected", text: "学徒{subject}的成果不予认定：{reason}" }],
    // The leader files it again, corrected: the rejected one stays in the history as it was.
    todo: { for: "owner", text: "学徒{subject}的成果不予认定，请重新登记" },
  },
});

export type MilestoneStep = (typeof milestoneWorkflow.names)[number];

/**
 * Filing a milestone is no step between states (the record begins with it) but is declared the
 * same way: its history action, who hears of it, and the to-do it leaves for the unit's officers.
 */
export const MILESTONE_FILING = {
  action: "create",
  notices: [{ to: ["unit"], category: "todo", text: "{owner}登记了学徒{subject}的成果，请核实" }],
  todo: { for: "county", text: "核实学徒成果：{subject}" },
} as const satisfies { action: string; notices: readonly Notice[]; todo: { for: Relation; text: string } };

/** A milestone as its workflow sees it: its own status, its studio's unit and leader. */
export function milestoneRecord(studio: StudioRef, milestone: { status: MilestoneStatus }): WorkflowRecord<MilestoneStatus> {
  return { status: milestone.status, org_unit_id: studio.org_unit_id, person_id: studio.person_id };
}

export function canVerifyMilestone(user: SessionUser, studio: StudioRef, milestone: { status: MilestoneStatus }): boolean {
  return milestoneWorkflow.canTake(user, milestoneRecord(studio, milestone), "verify");
}

/** Officers' own entries are verified as they are made; the leader's wait for an officer. */
export function initialMilestoneStatus(user: SessionUser): MilestoneStatus {
  return isCraftsman(user) ? "pending" : "verified";
}

/** At most this many milestones are verified in one batch (the pending list shows as many). */
export const MILESTONE_BATCH_MAX = 200;
