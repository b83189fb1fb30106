import { auditTrail } from "~/lib/audit";

export const NOMINATION_AUDIT = auditTrail("nomination", "推荐人选", {
  create: "新建",
  update: "修改",
  story: "上传事迹材料",
  opinion_employer: "录入单位意见",
  opinion_county: "录入县级总工会/社会团体意见",
  opinion_expert: "录入专家组意见",
  opinion_city: "录入市总工会意见",
  acknowledge_quota: "确认超出名额",
  qualification: "资格初审",
  expert_score: "专家评分",
  votes: "录入得票",
  objection_received: "登记公示异议",
  objection_resolved: "处理公示异议",
  reveal_objector: "查看异议人身份和联系方式",
});

export const IMPORT_AUDIT = auditTrail("import_batch", "汇总表导入", { import: "导入汇总表" });

export const DEEDS_SUMMARY_TARGET = 500;

export const DEEDS_SUMMARY_MAX = 600;

export const STORY_TARGET = 2000;

export const STORY_MAX = 3000;

export const CHANNEL_LABELS = { union: "工会组织推荐", social_group: "社会团体推荐", self: "个人自荐" } as const;

export const OPINION_LABELS = {
  employer: "单位意见",
  county: "县（市、区）总工会、台州经济开发区（台州绿心旅游度假区）总工会，社会团体意见",
  expert: "专家组评审意见",
  city: "市总工会意见",
} as const;

export const OUTCOME_LABELS = { pending: "待处理", dismissed: "不属实，维持", upheld: "属实，取消资格" } as const;

/** What an objection filed on the public notice page says of its source (the objector is in objection_filing). */
export const ONLINE_SOURCE = "网上实名异议";
