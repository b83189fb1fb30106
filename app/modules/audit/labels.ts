import { ROLE_LABELS } from "~/auth/roles";
import { formatDateTime } from "~/lib/format";
import { formatFen } from "~/lib/money";
import { STAGE_LABELS } from "~/modules/campaigns/stages";
import { CHANNEL_LABELS as EVENT_CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import { SEX_LABELS } from "~/modules/people/id-number";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import { STUDIO_STATUS_LABELS } from "~/modules/studios/policy";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import type { AuditTrail } from "~/lib/audit";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { PLAN_AUDIT } from "~/modules/dashboard/labels";
import { EVENT_AUDIT } from "~/modules/events/labels";
import { IMPORT_AUDIT, NOMINATION_AUDIT, OUTCOME_LABELS, CHANNEL_LABELS as NOMINATION_CHANNEL_LABELS } from "~/modules/nominations/labels";
import { ORG_UNIT_AUDIT } from "~/modules/org-units/labels";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { PUBLICITY_AUDIT } from "~/modules/showcase/labels";
import {
  CHECKLIST_AUDIT,
  CRITERIA_AUDIT,
  CYCLE_POLICY_AUDIT,
  MILESTONE_AUDIT,
  STUDIO_AUDIT,
  FOCUS_SECTOR_LABELS,
  MILESTONE_KIND_LABELS,
} from "~/modules/studios/labels";
import { SUBSIDY_AUDIT, SUBSIDY_POLICY_AUDIT, STUDY_MODE_LABELS } from "~/modules/subsidies/labels";
import { USER_AUDIT } from "~/modules/users/labels";
import { SESSION_AUDIT } from "~/auth/labels";
import { VOTE_AUDIT } from "~/modules/voting/labels";
import { EXPERT_REVIEW_AUDIT } from "~/modules/experts/labels";

/** Every kind of record the history keeps, as its domain declared it. */
const TRAILS: ReadonlyArray<AuditTrail> = [
  PERSON_AUDIT,
  USER_AUDIT,
  ORG_UNIT_AUDIT,
  CAMPAIGN_AUDIT,
  NOMINATION_AUDIT,
  IMPORT_AUDIT,
  STUDIO_AUDIT,
  MILESTONE_AUDIT,
  CRITERIA_AUDIT,
  CHECKLIST_AUDIT,
  CYCLE_POLICY_AUDIT,
  SUBSIDY_AUDIT,
  SUBSIDY_POLICY_AUDIT,
  EVENT_AUDIT,
  PUBLICITY_AUDIT,
  PLAN_AUDIT,
  VOTE_AUDIT,
  EXPERT_REVIEW_AUDIT,
  SESSION_AUDIT,
];

const byEntity = new Map(TRAILS.map((t) => [t.entity, t]));

/** The Chinese name of a kind of record; an unknown key prints as it is. */
export const entityLabel = (entity: string) => byEntity.get(entity)?.label ?? entity;

/** The pages a record of each kind has; the rest (criteria, policies, sign-ins) are seen where they are used. */
const RECORD_PAGES: Record<string, string> = {
  person: "/people/",
  user: "/users/",
  campaign: "/campaigns/",
  nomination: "/nominations/",
  studio: "/studios/",
  subsidy: "/subsidies/",
  event: "/events/",
};

/** Where a history row's record is shown, if it has a page of its own. */
export const recordLink = (entity: string, id: string): string | null => (RECORD_PAGES[entity] && /^\d+$/.test(id) ? RECORD_PAGES[entity] + id : null);

/** The Chinese label of an action, read from its record's trail (or the first trail that names it). */
export function actionLabel(action: string, entity?: string): string {
  const trails = entity && byEntity.has(entity) ? [byEntity.get(entity)!] : TRAILS;
  for (const t of trails) {
    const label = (t.actions as Record<string, string>)[action];
    if (label) return label;
  }
  return action;
}

/** The history's field names as people read them. */
const FIELD_LABELS: Record<string, string> = {
  status: "状态",
  name: "名称",
  title: "标题",
  displayName: "显示名称",
  username: "用户名",
  role: "角色",
  active: "启用",
  orgUnitId: "所属单位",
  org_unit_id: "所属单位",
  shortName: "简称",
  sex: "性别",
  birthDate: "出生日期",
  ethnicity: "民族",
  education: "学历",
  politicalStatus: "政治面貌",
  employer: "工作单位",
  industry: "所属行业",
  position: "职务",
  skillLevel: "技术等级",
  idNumber: "身份证号",
  phone: "电话",
  personId: "人员",
  person_id: "人员",
  hostEnterprise: "依托企业",
  address: "地址",
  focusSector: "重点领域",
  plaqueNumber: "牌匾编号",
  accreditedOn: "授牌日期",
  mentorshipId: "结对",
  apprentice: "学徒",
  startDate: "结对日期",
  plannedEnd: "计划结束",
  endedOn: "结束日期",
  reason: "理由",
  kind: "类别",
  occurredOn: "日期",
  startsAt: "开始时间",
  endsAt: "结束时间",
  place: "地点",
  organiser: "主办方",
  channel: "形式",
  capacity: "人数上限",
  participantId: "参加人员",
  hours: "学时",
  year: "年度",
  currentEducation: "现有学历",
  targetDegree: "报读学历",
  institution: "院校",
  programme: "专业",
  studyMode: "学习形式",
  enrolledOn: "入学日期",
  expectedGraduation: "预计毕业",
  tuitionFen: "学费",
  requestedFen: "申请金额",
  approvedFen: "批准金额",
  paidFen: "已拨付",
  heldFen: "预留",
  voucher: "凭证号",
  date: "日期",
  budgetFen: "年度预算",
  sharePercent: "补助比例（%）",
  holdbackPercent: "预留比例（%）",
  result: "结论",
  score: "评分",
  expert: "专家",
  votes: "得票",
  outcome: "处理结果",
  grade: "考核等级",
  target: "目标",
  startYear: "起始年",
  endYear: "结束年",
  files: "文件",
  filename: "文件名",
  noticeStart: "公示开始",
  noticeEnd: "公示结束",
  namedOn: "命名日期",
  // A studio's money and year.
  grantId: "资助",
  source: "资金来源",
  purpose: "用途",
  documentNumber: "文件文号",
  amountFen: "金额",
  receivedOn: "到账日期",
  spendingId: "支出",
  category: "类别",
  spentOn: "支出日期",
  receipts: "票据",
  periodEnd: "周期截止年度",
  approvalThresholdFen: "需审批的支出金额",
  excellentCapPercent: "优秀比例上限（%）",
  reconfirmYears: "重新确认周期（年）",
  checklist: "验收得分",
};

const RESULT_LABELS: Record<string, string> = { pass: "通过", fail: "不通过" };

function valueLabels(entity: string, key: string): Record<string, string> | undefined {
  if (key === "status")
    return { studio: STUDIO_STATUS_LABELS, subsidy: SUBSIDY_STATUS_LABELS, campaign: STAGE_LABELS }[entity] as Record<string, string> | undefined;
  if (key === "kind") return (entity === "milestone" ? MILESTONE_KIND_LABELS : KIND_LABELS) as Record<string, string>;
  if (key === "channel") return (entity === "event" ? EVENT_CHANNEL_LABELS : NOMINATION_CHANNEL_LABELS) as Record<string, string>;
  return (
    {
      studyMode: STUDY_MODE_LABELS,
      focusSector: FOCUS_SECTOR_LABELS,
      sex: SEX_LABELS,
      grade: GRADE_LABELS,
      outcome: OUTCOME_LABELS,
      role: ROLE_LABELS,
      result: RESULT_LABELS,
    } as Record<string, Record<string, string>>
  )[key];
}

function shown(entity: string, key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (/Fen$/.test(key) && typeof value === "number") return formatFen(value);
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTime(value);
  if (Array.isArray(value)) return value.map((v) => shown(entity, key, v)).join("、");
  if (typeof value === "object") return describeChange(entity, value);
  return valueLabels(entity, key)?.[String(value)] ?? String(value);
}

/** A history row's before or after, in Chinese: field labels, ¥ amounts, Taizhou times, and labels for codes. */
export function describeChange(entity: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${FIELD_LABELS[k] ?? k}：${shown(entity, k, v)}`)
    .join("；");
}
