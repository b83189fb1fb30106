import { auditTrail } from "~/lib/audit";
import type { StudioStep } from "~/modules/studios/policy";

const STEP_ACTIONS = {
  step_submit: "提交申请",
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
  evaluation: "年度考核",
});

export const MILESTONE_AUDIT = auditTrail("milestone", "学徒成果", { create: "登记", verify: "核实认定", reject: "不予认定" });

export const CRITERIA_AUDIT = auditTrail("evaluation_criteria", "考核标准", { update: "修改" });
