import { auditTrail } from "~/lib/audit";

export const CAMPAIGN_AUDIT = auditTrail("campaign", "评选活动", {
  create: "新建",
  update: "修改",
  advance: "进入下一阶段",
  revert_advance: "撤回到上一阶段",
  set_notice_period: "设定公示期",
  select_candidates: "确定候选对象",
  name_awardees: "审定命名",
  set_basis: "登记命名依据",
  reveal_personal_data: "导出含完整证件号/电话的汇总表",
});
