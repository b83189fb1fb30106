/** Chinese names for what the audit log stores in English. Unknown keys print as they are. */
export const ENTITY_LABELS: Record<string, string> = {
  person: "人员档案",
  user: "用户",
  org_unit: "组织单位",
  campaign: "评选活动",
  nomination: "推荐人选",
  import_batch: "汇总表导入",
};

export const ACTION_LABELS: Record<string, string> = {
  create: "新建",
  update: "修改",
  reset_password: "重置密码",
  reveal_personal_data: "查看完整证件号/电话",
  advance: "进入下一阶段",
  set_notice_period: "设定公示期",
  acknowledge_quota: "确认超出名额",
  qualification: "资格初审",
  expert_score: "专家评分",
  select_candidates: "确定候选对象",
  votes: "录入得票",
  objection_received: "登记公示异议",
  objection_resolved: "处理公示异议",
  name_awardees: "审定命名",
  opinion_employer: "录入单位意见",
  opinion_county: "录入县级总工会/社会团体意见",
  opinion_expert: "录入专家组意见",
  opinion_city: "录入市总工会意见",
  import: "导入汇总表",
};

export const entityLabel = (key: string) => ENTITY_LABELS[key] ?? key;
export const actionLabel = (key: string) => ACTION_LABELS[key] ?? key;
