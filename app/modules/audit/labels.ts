import { ROLE_LABELS } from "~/auth/roles";
import { formatDateTime } from "~/lib/format";
import { formatFen } from "~/lib/money";
import { STAGE_LABELS } from "~/modules/campaigns/stages";
import { CHANNEL_LABELS as EVENT_CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import { SEX_LABELS } from "~/modules/people/id-number";
import { FIGURE_LABELS, GRADE_LABELS } from "~/modules/studios/evaluation";
import type { MilestoneStatus } from "~db/types";
import { STUDIO_STATUS_LABELS } from "~/modules/studios/policy";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import type { AuditTrail } from "~/lib/audit";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { PLAN_AUDIT } from "~/modules/dashboard/labels";
import { EVENT_AUDIT } from "~/modules/events/labels";
import { IMPORT_AUDIT, NOMINATION_AUDIT, OUTCOME_LABELS, CHANNEL_LABELS as NOMINATION_CHANNEL_LABELS } from "~/modules/nominations/labels";
import { ORG_UNIT_AUDIT } from "~/modules/org-units/labels";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { HONOUR_AUDIT, HONOUR_IMPORT_AUDIT } from "~/modules/honours/labels";
import { RIGHTS_AUDIT } from "~/modules/privacy/labels";
import { OUTLET_LABELS, PUBLICITY_AUDIT } from "~/modules/showcase/labels";
import {
  CHECKLIST_AUDIT,
  COMPETITION_LEVELS,
  CRITERIA_AUDIT,
  CYCLE_POLICY_AUDIT,
  INNOVATION_TYPES,
  MILESTONE_AUDIT,
  STUDIO_AUDIT,
  FOCUS_SECTOR_LABELS,
  MENTORSHIP_STATUS_LABELS,
  MILESTONE_KIND_LABELS,
} from "~/modules/studios/labels";
import {
  ATTACHMENT_LABELS,
  OTHER_SCHEME_LABELS,
  SCHEME_LIST_AUDIT,
  SUBSIDY_AUDIT,
  SUBSIDY_PAYMENT_AUDIT,
  SUBSIDY_POLICY_AUDIT,
  STUDY_MODE_LABELS,
} from "~/modules/subsidies/labels";
import { CHSI_KIND_LABELS, CHSI_OUTCOME_LABELS, CHSI_STAGE_LABELS } from "~/modules/subsidies/chsi";
import { GRANT_PURPOSE_LABELS, SPENDING_CATEGORY_LABELS } from "~/modules/studios/cycle";
import { USER_AUDIT } from "~/modules/users/labels";
import { AWARD_AUDIT, REVOCATION_AUDIT } from "~/modules/governance/revocation-labels";
import { RETENTION_AUDIT } from "~/modules/retention/labels";
import { IDENTITY_AUDIT, SECOND_FACTOR_AUDIT, SESSION_AUDIT } from "~/auth/labels";
import { WECHAT_AUDIT } from "~/modules/wechat/labels";
import { PER_CANDIDATE_LABELS, TALLY_SHOWN_LABELS, VOTE_AUDIT } from "~/modules/voting/labels";
import { EXPERT_REVIEW_AUDIT } from "~/modules/experts/labels";
import { DOCUMENT_AUDIT, STUDIO_PROGRAMME_AUDIT } from "~/modules/governance/labels";
import { AGREEMENT_AUDIT, APPRENTICE_LOG_AUDIT } from "~/modules/apprentices/labels";
import { MENTORSHIP_REVIEW_AUDIT, REVIEW_PARTY_LABELS } from "~/modules/apprentices/reviews";
import {
  ASSESSMENT_AUDIT,
  ASSESSMENT_RESULT_LABELS,
  MENTOR_PAYMENT_AUDIT,
  MENTORING_POLICY_AUDIT,
  PAYMENT_KIND_LABELS,
} from "~/modules/apprentices/assessment-labels";

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
  SCHEME_LIST_AUDIT,
  SUBSIDY_PAYMENT_AUDIT,
  EVENT_AUDIT,
  PUBLICITY_AUDIT,
  PLAN_AUDIT,
  VOTE_AUDIT,
  EXPERT_REVIEW_AUDIT,
  SESSION_AUDIT,
  IDENTITY_AUDIT,
  SECOND_FACTOR_AUDIT,
  WECHAT_AUDIT,
  AGREEMENT_AUDIT,
  APPRENTICE_LOG_AUDIT,
  MENTORSHIP_REVIEW_AUDIT,
  ASSESSMENT_AUDIT,
  MENTORING_POLICY_AUDIT,
  MENTOR_PAYMENT_AUDIT,
  REVOCATION_AUDIT,
  AWARD_AUDIT,
  RETENTION_AUDIT,
  HONOUR_AUDIT,
  HONOUR_IMPORT_AUDIT,
  RIGHTS_AUDIT,
  DOCUMENT_AUDIT,
  STUDIO_PROGRAMME_AUDIT,
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
  accreditationDocument: "授牌决定",
  basisDocument: "批准文件",
  issuer: "发文机关",
  issuedOn: "发文日期",
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
  // Nominations and the review
  nominatingUnitId: "推荐单位",
  frontlineYears: "一线技能工作年限",
  inSkillPost: "仍在技能岗位",
  teacherOrResearcher: "教师或专业研究人员",
  conditions: "符合条件",
  honors: "已获荣誉",
  remarks: "备注",
  achievements: "主要技术成果",
  deedsSummary: "主要事迹",
  storyLength: "事迹材料字数",
  text: "意见",
  signer: "签署人",
  signed_on: "签署日期",
  objectionId: "异议",
  receivedOn: "收到日期",
  source: "来源",
  nominationIds: "候选人",
  nominationId: "推荐人选",
  nomination: "推荐人选",
  named: "命名人数",
  ranking: "排名方式",
  number: "届次",
  nominationDeadline: "推荐截止日期",
  quotaPerUnit: "每单位推荐名额",
  titleCount: "命名人数",
  created: "新增",
  updated: "更新",
  unchanged: "无变化",
  skippedWithErrors: "有误未导入",
  chosenFromFile: "采用表格中的值",
  // Studios, apprentices and their results
  leaderPersonId: "领衔工匠",
  focusAreas: "主攻方向",
  foundingPlan: "建设方案",
  fromLevel: "原等级",
  toLevel: "新等级",
  certificateNumber: "证书编号",
  competitionName: "竞赛名称",
  competitionLevel: "竞赛级别",
  placing: "名次",
  confirmedBy: "认定单位",
  innovationType: "创新类别",
  innovationTitle: "成果名称",
  patentNumber: "专利号",
  benefitFen: "经济效益",
  ...FIGURE_LABELS,
  // Events
  outside_name: "姓名",
  outside_employer: "工作单位",
  outside_industry: "所属行业",
  outside_unit_id: "所在县（市、区）",
  via: "签到方式",
  // Subsidies, experts, the vote, publicity, the plan
  caps: "各学历补助上限",
  scheme: "补助项目类别",
  schemeName: "项目名称",
  otherSchemes: "其他项目补助",
  combinedCapPercent: "各项目合计上限（占学费 %）",
  rows: "行数",
  skippedRows: "有误未导入的行",
  file: "文件",
  field: "专业领域",
  panel: "评审组",
  blind: "匿名评审",
  members: "成员",
  seed: "抽取种子",
  nominations: "分配人数",
  total: "总分",
  experts: "专家人数",
  opensAt: "投票开始",
  closesAt: "投票结束",
  maxChoices: "每张选票可选人数",
  perCandidate: "投票次数",
  tallyShown: "票数公布",
  tallyHour: "每日公布时刻",
  voteWeight: "网络投票权重（%）",
  pattern: "异常类型",
  ballots: "选票数",
  // The retention schedule: a period changed, a purge run.
  keepDays: "保存期限（天）",
  purged: "清除条数",
  run: "清除批次",
  candidates: "候选人数",
  attachments: "附件数",
  outlet: "媒体类别",
  outletName: "媒体名称",
  publishedOn: "发布日期",
  url: "链接",
  unitTargets: "各单位目标",
  // A studio's money and year.
  grantId: "资助",
  purpose: "用途",
  documentNumber: "文件文号",
  amountFen: "金额",
  spendingId: "支出",
  category: "类别",
  spentOn: "支出日期",
  receipts: "票据",
  periodEnd: "周期截止年度",
  approvalThresholdFen: "需审批的支出金额",
  excellentCapPercent: "优秀比例上限（%）",
  reconfirmYears: "重新确认周期（年）",
  checklist: "验收得分",
  // 出师考核 and the mentor's allowance.
  assessedOn: "考核日期",
  method: "考核方式",
  examiners: "考核人员",
  certificate: "出师证书编号",
  extendedTo: "延期至",
  evidence: "考核依据（项）",
  key: "应付项目",
  basis: "计算依据",
  paidOn: "支付日期",
  payer: "支付单位",
  reference: "凭证号",
  reviewEveryMonths: "三方评议间隔（月）",
  allowancePerYearFen: "每年带徒津贴",
  passedPercent: "出师发放比例（%）",
  extendedPercent: "延期发放比例（%）",
  terminatedPercent: "终止发放比例（%）",
  technicianRewardFen: "培养技师奖励",
  placingRewardFen: "竞赛名次奖励",
  // A subsidy's payee and payment batches.
  accountKind: "账户类别",
  accountName: "户名",
  bankName: "开户银行",
  accountNumber: "卡号",
  checkDigit: "卡号校验",
  batchId: "拨付批次",
  stage: "拨付阶段",
  count: "笔数",
  applications: "申请编号",
  // Revocations and recalls.
  revokedOn: "撤销日期",
  revokedCount: "撤销数量",
  alreadyRevoked: "此前已撤销",
  recalledOn: "收回日期",
};

/** Labels a field has on one kind of record only (a nomination's channel is how it was put forward). */
const ENTITY_FIELD_LABELS: Record<string, Record<string, string>> = {
  nomination: { channel: "推荐方式" },
  milestone: { kind: "成果类型" },
  person: { name: "姓名", title: "职称" },
  campaign: { title: "活动名称" },
  // A studio's grants: where the money came from and when it arrived.
  studio: { source: "资金来源", receivedOn: "到账日期" },
  mentorship_review: { period: "期次", party: "签署方" },
  mentorship_assessment: { result: "考核结论", score: "考核成绩", grade: "考核等级", status: "结对状态" },
  mentor_payment: { kind: "项目" },
  // 学信网 verification (subsidies/chsi.server.ts): the code entered, and what the officer saw.
  subsidy: {
    stage: "阶段",
    reportKind: "报告类型",
    code: "在线验证码",
    validUntil: "有效期至",
    outcome: "核验结论",
    nameMatches: "姓名一致",
    idDigitsMatch: "身份证号后几位一致",
    seen: "报告所示",
  },
};

/** Fields that hold a record's id, and the kind of record: shown by the name it stands for. */
export const REFERENCE_FIELDS: Record<string, ReferenceKind> = {
  orgUnitId: "unit",
  org_unit_id: "unit",
  nominatingUnitId: "unit",
  outside_unit_id: "unit",
  personId: "person",
  person_id: "person",
  leaderPersonId: "person",
  mentorshipId: "mentorship",
  participantId: "participant",
  objectionId: "objection",
  nominationIds: "nomination",
  nominationId: "nomination",
  nomination: "nomination",
  grantId: "grant",
  spendingId: "spending",
};

export type ReferenceKind = "unit" | "person" | "mentorship" | "participant" | "objection" | "nomination" | "grant" | "spending";

/** The names the ids of a page of history stand for, keyed `kind:id` (fields) or `entity:id` (the record itself). */
export type AuditNames = Record<string, string>;

const RESULT_LABELS: Record<string, string> = { pass: "通过", fail: "不通过" };
const MILESTONE_STATUS_LABELS: Record<MilestoneStatus, string> = { pending: "待核实", verified: "已认定", rejected: "不予认定" };
const CHECKIN_VIA_LABELS: Record<string, string> = { organiser: "主办方登记", code: "签到码", qr: "扫码" };
const CONDITION_NAMES = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"];

function valueLabels(entity: string, key: string, record: Record<string, unknown>): Record<string, string> | undefined {
  if (entity === "mentorship_assessment" && key === "result") return ASSESSMENT_RESULT_LABELS;
  if (entity === "mentorship_assessment" && key === "status") return MENTORSHIP_STATUS_LABELS;
  if (entity === "mentor_payment" && key === "kind") return PAYMENT_KIND_LABELS;
  if (key === "status") {
    // A mentorship's end is kept on its studio's history, with the mentorship named beside it.
    if (entity === "studio" && "mentorshipId" in record) return MENTORSHIP_STATUS_LABELS;
    return (
      { studio: STUDIO_STATUS_LABELS, subsidy: SUBSIDY_STATUS_LABELS, campaign: STAGE_LABELS, milestone: MILESTONE_STATUS_LABELS } as Record<
        string,
        Record<string, string>
      >
    )[entity];
  }
  if (key === "kind") {
    if (entity === "subsidy") return ATTACHMENT_LABELS;
    return (entity === "milestone" ? MILESTONE_KIND_LABELS : KIND_LABELS) as Record<string, string>;
  }
  if (key === "party" && entity === MENTORSHIP_REVIEW_AUDIT.entity) return REVIEW_PARTY_LABELS;
  if (entity === "subsidy" && (key === "reportKind" || key === "stage" || key === "outcome"))
    return { reportKind: CHSI_KIND_LABELS, stage: CHSI_STAGE_LABELS, outcome: CHSI_OUTCOME_LABELS }[key];
  if (key === "channel") return (entity === "event" ? EVENT_CHANNEL_LABELS : NOMINATION_CHANNEL_LABELS) as Record<string, string>;
  if (key === "outcome" && "mentorshipId" in record) return MENTORSHIP_STATUS_LABELS;
  return (
    {
      studyMode: STUDY_MODE_LABELS,
      focusSector: FOCUS_SECTOR_LABELS,
      sex: SEX_LABELS,
      grade: GRADE_LABELS,
      outcome: OUTCOME_LABELS,
      role: ROLE_LABELS,
      result: RESULT_LABELS,
      via: CHECKIN_VIA_LABELS,
      perCandidate: PER_CANDIDATE_LABELS,
      tallyShown: TALLY_SHOWN_LABELS,
      outlet: OUTLET_LABELS,
      competitionLevel: COMPETITION_LEVELS,
      innovationType: INNOVATION_TYPES,
      category: SPENDING_CATEGORY_LABELS,
      purpose: GRANT_PURPOSE_LABELS,
      scheme: OTHER_SCHEME_LABELS,
    } as Record<string, Record<string, string>>
  )[key];
}

function shown(entity: string, key: string, value: unknown, record: Record<string, unknown>, names: AuditNames): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (Array.isArray(value)) return value.map((v) => shown(entity, key, v, record, names)).join("、");
  const reference = REFERENCE_FIELDS[key];
  if (reference && (typeof value === "number" || /^\d+$/.test(String(value)))) return names[`${reference}:${value}`] ?? "（记录已不存在）";
  if (/Fen$/.test(key) && typeof value === "number") return formatFen(value);
  if (key === "conditions" && typeof value === "number") return CONDITION_NAMES[value - 1] ?? String(value);
  if (value instanceof Date || (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value))) return formatDateTime(value);
  if (typeof value === "object") return describeChange(entity, value, names);
  return valueLabels(entity, key, record)?.[String(value)] ?? String(value);
}

/**
 * A history row's before or after, in Chinese, as an inspector reads it: field labels, the names
 * ids stand for (from `names`), ¥ amounts, Taizhou times, and labels for codes and states.
 */
export function describeChange(entity: string, value: unknown, names: AuditNames = {}): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const record = value as Record<string, unknown>;
  return Object.entries(record)
    .map(([k, v]) => `${ENTITY_FIELD_LABELS[entity]?.[k] ?? FIELD_LABELS[k] ?? k}：${shown(entity, k, v, record, names)}`)
    .join("；");
}

/** The ids a page of history refers to, by kind: what the server looks up to name them. */
export function referencedIds(rows: ReadonlyArray<{ before: unknown; after: unknown }>): Record<ReferenceKind, Set<number>> {
  const found: Record<ReferenceKind, Set<number>> = {
    unit: new Set(),
    person: new Set(),
    mentorship: new Set(),
    participant: new Set(),
    objection: new Set(),
    nomination: new Set(),
    grant: new Set(),
    spending: new Set(),
  };
  const walk = (value: unknown) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const kind = REFERENCE_FIELDS[k];
      for (const item of [v].flat()) {
        if (kind && (typeof item === "number" || /^\d{1,10}$/.test(String(item)))) found[kind].add(Number(item));
        else walk(item);
      }
    }
  };
  for (const r of rows) {
    walk(r.before);
    walk(r.after);
  }
  return found;
}
