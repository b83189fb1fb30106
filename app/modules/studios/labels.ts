import { auditTrail } from "~/lib/audit";
import { formatFen } from "~/lib/money";
import type { StudioStep } from "~/modules/studios/policy";

const STEP_ACTIONS = {
  step_submit: "提交申请",
  step_withdraw: "申请人撤回",
  step_return: "县级退回修改",
  step_county_approve: "县级审核通过",
  step_county_reject: "县级不予通过",
  step_city_return: "市级退回修改",
  step_city_reject: "不予授牌",
  step_accredit: "授牌",
  step_activate: "开始运行",
  step_suspend: "暂停",
  step_resume: "恢复运行",
  step_revoke: "摘牌",
} as const satisfies Record<`step_${StudioStep}`, string>;

export const STUDIO_AUDIT = auditTrail("studio", "工匠工作室", {
  create: "新建",
  update: "修改",
  ...STEP_ACTIONS,
  mentorship_start: "师徒结对",
  mentorship_end: "结束结对",
  evaluation: "年度考核验收",
  grant_add: "登记资助",
  tranche_add: "资助到账",
  spending_add: "登记经费支出",
  spending_pending: "经费支出待审批",
  spending_approve: "批准经费支出",
  spending_reject: "不予批准经费支出",
  plan_file: "报送年度计划",
  report_submit: "提交年度总结",
  report_county_return: "县级退回年度总结",
  report_county_pass: "县级审核通过年度总结",
  reconfirm: "重新确认",
  reconfirm_decline: "不予重新确认",
  recall: "收回牌匾",
});

export const CYCLE_POLICY_AUDIT = auditTrail("studio_cycle_policy", "工作室政策", { create: "设定", update: "修改" });

export const CHECKLIST_AUDIT = auditTrail("acceptance_checklist", "验收清单", { update: "修改" });

export const MILESTONE_AUDIT = auditTrail("milestone", "学徒成果", { create: "登记", verify: "核实认定", reject: "不予认定" });

export const CRITERIA_AUDIT = auditTrail("evaluation_criteria", "考核标准", { update: "修改" });

export const FOCUS_SECTOR_LABELS = {
  advanced_manufacturing: "先进制造业",
  modern_services: "现代服务业",
  strategic_emerging: "战略性新兴产业",
  other: "其他行业",
} as const;

export const MILESTONE_KIND_LABELS = {
  skill_upgrade: "技能等级提升",
  competition: "技能竞赛获奖",
  backbone: "成为技能骨干",
  innovation: "技术创新成果",
} as const;

export const COMPETITION_LEVELS = {
  enterprise: "企业级",
  county: "县（市、区）级",
  city: "市级",
  provincial: "省级",
  national: "国家级",
} as const;

export const INNOVATION_TYPES = { patent: "专利", process: "工艺改进", other: "其他创新" } as const;

export const MENTORSHIP_STATUS_LABELS = { active: "结对中", paused: "暂停中", completed: "已出师", ended_early: "提前结束" } as const;

/** A milestone in one line, as its pages and the apprentices' export say it. */
export function describeMilestone(kind: keyof typeof MILESTONE_KIND_LABELS, d: Record<string, string | number>, benefitFen: number | null): string {
  switch (kind) {
    case "skill_upgrade":
      return `${d.fromLevel} → ${d.toLevel}，证书编号 ${d.certificateNumber}`;
    case "competition":
      return `${d.competitionName}（${COMPETITION_LEVELS[d.competitionLevel as keyof typeof COMPETITION_LEVELS] ?? d.competitionLevel}）${d.placing}`;
    case "backbone":
      return `企业确认：${d.confirmedBy}`;
    case "innovation":
      return `${INNOVATION_TYPES[d.innovationType as keyof typeof INNOVATION_TYPES] ?? ""}：${d.innovationTitle}${d.patentNumber ? `（${d.patentNumber}）` : ""}${benefitFen ? `，经济效益 ${formatFen(benefitFen)}` : ""}`;
  }
}
